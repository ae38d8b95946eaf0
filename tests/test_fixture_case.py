"""A second, made-up case far from Europe (tests/fixtures/southland) builds, validates, exports and renders."""

import csv
import json
import re
import shutil
from collections import Counter

import pyogrio
import pytest
from pyproj import CRS, Geod, Proj, Transformer
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from geo.__main__ import EXPORT_FORMATS, main
from geo.app import mapsection
from geo.app import page as ui
from geo.render.escape import escape_markdown
from geo.render.panel import claim_panel
from geo.store.case import DATA_ENV, load_case
from geo.store.catalog import load_claims, load_sources
from tests.browser import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "southland"
CATALOG = json.loads((FIXTURE / "catalog.json").read_text(encoding="utf-8"))
CLAIMS = load_claims(FIXTURE)
COUNTS = Counter(claim["layer"] for claim in CLAIMS)
METRIC_CRS = CATALOG["case"]["metric_crs"]


def feature(layer_id, feature_id):
    collection = json.loads((FIXTURE / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8"))
    (found,) = [item for item in collection["features"] if item["id"] == feature_id]
    return found


def built_names(folder):
    return sorted(path.relative_to(folder).as_posix() for path in [*folder.glob("layers/*"), *folder.glob("base/*")])


def test_fixture_is_labelled_a_fixture_and_cites_no_url():
    assert CATALOG["case"]["title"].startswith("Test fixture")
    sources = load_sources(FIXTURE)
    assert all("URL" not in item and "fixture" in item["title"].lower() for item in sources.values())


def test_fixture_builds_in_a_copy_to_the_committed_files(tmp_path, capsys):
    copy = tmp_path / "southland"
    shutil.copytree(FIXTURE, copy)
    for built in [*copy.glob("layers/*.geojson"), copy / "base" / "offline.geojson"]:
        built.unlink()
    assert main(["--data", str(copy), "build"]) == 0
    written = built_names(copy)
    assert written == built_names(FIXTURE)
    for name in written:
        assert (copy / name).read_bytes() == (FIXTURE / name).read_bytes(), name
    assert main(["--data", str(FIXTURE), "build", "--check"]) == 0


def test_cli_reads_the_case_from_claim_map_data_when_no_data_option(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "southland"
    shutil.copytree(FIXTURE, copy)
    (copy / "layers" / "zones.geojson").write_text("{}", encoding="utf-8")
    monkeypatch.setenv(DATA_ENV, str(copy))
    assert main(["build", "--check"]) == 1
    assert capsys.readouterr().out.strip() == f"{copy / 'layers' / 'zones.geojson'}: " + (
        "stale: run `python -m geo build` and commit the result"
    )
    assert main(["--data", str(FIXTURE), "build", "--check"]) == 0


def test_fixture_validates_without_problems(capsys):
    assert main(["--data", str(FIXTURE), "validate"]) == 0
    assert "0 problem(s), 0 warning(s)" in capsys.readouterr().err


def test_fixture_border_length_is_measured_in_its_own_crs():
    border = feature("borders", "fixture-border-aaa-bbb")
    (start, end) = border["geometry"]["coordinates"]
    geodesic_km = Geod(ellps="WGS84").line_length([start[0], end[0]], [start[1], end[1]]) / 1000
    mid_latitude = (start[1] + end[1]) / 2
    meridian_scale = Proj(CRS(METRIC_CRS)).get_factors(start[0], mid_latitude).meridional_scale
    assert border["properties"]["length_km"] == pytest.approx(geodesic_km * meridian_scale, rel=0.005)
    assert border["properties"]["length_km"] != pytest.approx(geodesic_km, rel=0.01)


def test_fixture_border_zone_area_matches_the_geodesic_area_of_an_equal_area_crs():
    zone = feature("zones", "fixture-border-zone")
    polygon = shape(zone["geometry"])
    geodesic_km2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(polygon)[0]) / 1e6
    assert zone["properties"]["area_km2"] == pytest.approx(geodesic_km2, rel=0.01)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    border = feature("borders", "fixture-border-aaa-bbb")["geometry"]["coordinates"]
    (x0, y0), (x1, y1) = (to_metric.transform(*point) for point in border)
    depth_km = next(c["geometry"]["depth_km"] for c in CLAIMS if c["id"] == "fixture-border-zone")
    assert zone["properties"]["area_km2"] == pytest.approx(depth_km * abs(y1 - y0) / 1000, rel=0.01)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_fixture_exports_every_format_with_every_claim(tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    assert main(["--data", str(FIXTURE), "export", "--layers", "all", "--format", fmt, "--out", str(out)]) == 0
    cited = {claim["source_id"] for claim in CLAIMS}
    if fmt == "geojson":
        assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == len(CLAIMS)
    elif fmt == "csv":
        assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == len(CLAIMS)
    elif fmt == "gpkg":
        assert {name: pyogrio.read_info(out, layer=name)["features"] for name, _ in pyogrio.list_layers(out)} == COUNTS
    elif fmt == "kml":
        assert out.read_text(encoding="utf-8").count("<Placemark") == len(CLAIMS)
    elif fmt == "html":
        text = out.read_text(encoding="utf-8")
        assert all(claim["id"] in text for claim in CLAIMS)
        assert "Claim Map test fixtures" in text
    elif fmt == "csl-json":
        assert cited <= {item["id"] for item in json.loads(out.read_text(encoding="utf-8"))}
    elif fmt == "bibtex":
        assert len(re.findall(r"^@\w+\{", out.read_text(encoding="utf-8"), flags=re.M)) >= len(cited)


def test_fixture_quote_is_labelled_with_its_sources_language():
    loaded = load_case(FIXTURE)
    properties = feature("zones", "fixture-border-zone")["properties"]
    html = str(claim_panel(properties, loaded.sources))
    assert "<dt>Quote (Spanish, verbatim)</dt>" in html
    assert '<blockquote lang="es">[fixture] Texto inventado: fuerzas en la frontera.</blockquote>' in html
    assert '<blockquote lang="es">[fixture] Texto inventado: no hay fuerzas.</blockquote>' in html
    assert "German" not in html


@pytest.fixture
def fixture_app(monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(FIXTURE))
    ui._case.clear()
    mapsection._offline_basemap.clear()
    yield AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    ui._case.clear()
    mapsection._offline_basemap.clear()


def test_app_renders_the_fixture_case_with_its_offline_basemap(fixture_app):
    app = fixture_app
    assert not app.exception
    assert any(item.value.startswith(f"**{escape_markdown(CATALOG['case']['title'])}.**") for item in app.markdown)
    (component,) = app.get("component_instance")
    keys = re.findall(r'"_key": "([^"/]+)/\d+"', map_script_of(component))
    assert Counter(keys) == COUNTS
    app.radio(key="basemap").set_value("Offline (no tiles)").run()
    (component,) = app.get("component_instance")
    script = map_script_of(component)
    assert script.count('"iso3"') == len(CATALOG["case"]["countries"])
    assert "Alpha Town (fixture)" in script
    sources = load_sources(FIXTURE)
    credit = " · ".join(f"© {sources[source_id]['publisher']}" for source_id in CATALOG["case"]["base_sources"])
    assert f'"attribution": {json.dumps(credit)}' in script


def map_script_of(component) -> str:
    """The map as the page sends it: the base's script and the claims group swapped into it."""
    args = json.loads(component.proto.json_args)
    return args["script"] + "\n" + (args.get("feature_group") or "")
