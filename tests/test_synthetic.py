"""Synthetic cases (``python -m geo synth``): reproducible, valid, spread over the region's land, loadable."""

import json
import subprocess
import sys
from itertools import combinations

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo.__main__ import main
from geo.derive.synthetic import LAYERS, is_synthetic_case, layer_counts, write_case
from geo.model.claims import RESPONSE_TYPES, STANDINGS, event_span
from geo.store.case import DATA_ENV, load_case
from geo.store.catalog import DATA_DIR, load_sources
from geo.validate.checks import check_data_dir
from tests.browser import ROOT

CLAIMS, SEED = 1000, 7
GEOD = Geod(ellps="WGS84")
LAYER_IDS = [layer[0] for layer in LAYERS]


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "case"
    write_case(folder, CLAIMS, SEED)
    return folder


@pytest.fixture(scope="module")
def features(case_dir):
    return {
        layer_id: json.loads((case_dir / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8"))["features"]
        for layer_id in LAYER_IDS
    }


def all_features(features):
    return [feature for layer in features.values() for feature in layer]


def folder_bytes(folder):
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_bytes(case_dir, tmp_path):
    write_case(tmp_path / "again", CLAIMS, SEED)
    write_case(tmp_path / "other", CLAIMS, SEED + 1)
    expected = folder_bytes(case_dir)
    assert folder_bytes(tmp_path / "again") == expected
    other = folder_bytes(tmp_path / "other")
    assert other.keys() == expected.keys()
    for layer_id in LAYER_IDS:
        name = f"layers/{layer_id}.geojson"
        assert other[name] != expected[name], name


@pytest.mark.parametrize("claims", [1, 2, 7, 999, 1000])
def test_layer_counts_sum_to_the_claims_asked_for(claims):
    counts = layer_counts(claims)
    assert list(counts) == LAYER_IDS
    assert sum(counts.values()) == claims
    assert all(count >= 0 for count in counts.values())


def test_each_layer_file_holds_the_count_written_points_lines_and_small_areas(case_dir, features):
    assert {layer_id: len(items) for layer_id, items in features.items()} == layer_counts(CLAIMS)
    assert layer_counts(CLAIMS) == {"synthetic-points": 700, "synthetic-lines": 200, "synthetic-areas": 100}
    types = {key: {item["geometry"]["type"] for item in items if item["geometry"]} for key, items in features.items()}
    assert types == {"synthetic-points": {"Point"}, "synthetic-lines": {"LineString"}, "synthetic-areas": {"Polygon"}}


def test_every_shape_lies_inside_the_region_and_on_its_land(case_dir, features):
    catalog = json.loads((case_dir / "catalog.json").read_text(encoding="utf-8"))
    outlines = json.loads((case_dir / "base" / "offline.geojson").read_text(encoding="utf-8"))
    land = shapely.union_all([shape(item["geometry"]) for item in outlines["features"]])
    region = shapely.box(*catalog["case"]["region"])
    placed = [shape(item["geometry"]) for item in all_features(features) if item["geometry"]]
    assert len(placed) > 0.95 * CLAIMS
    coordinates = shapely.points(shapely.get_coordinates(placed))
    assert shapely.contains(region, coordinates).all()
    assert shapely.intersects(land, coordinates).all()


def test_paths_are_short_and_areas_small(features):
    for item in features["synthetic-lines"]:
        lon, lat = zip(*item["geometry"]["coordinates"], strict=True)
        assert 2 <= len(lon) <= 6
        assert GEOD.line_length(lon, lat) <= 50_000 * 1.001
        assert item["properties"]["length_km"] == pytest.approx(GEOD.line_length(lon, lat) / 1000, abs=0.05)
    for item in features["synthetic-areas"]:
        ring = item["geometry"]["coordinates"][0]
        across = max(GEOD.inv(*a, *b)[2] for a, b in combinations(ring, 2))
        assert across <= 10_000
        assert shape(item["geometry"]).is_valid


def test_precision_follows_the_geometry(features):
    expected = {"Point": {"exact", "place"}, "LineString": {"route"}, "Polygon": {"region"}, None: {"unknown"}}
    found = {}
    for item in all_features(features):
        kind = item["geometry"]["type"] if item["geometry"] else None
        found.setdefault(kind, set()).add(item["properties"]["precision"])
    assert found == expected


def test_the_case_validates_without_a_problem(case_dir):
    assert [str(problem) for problem in check_data_dir(case_dir)] == []


def test_the_case_loads_from_its_folder_and_from_claim_map_data(case_dir, monkeypatch):
    loaded = load_case(case_dir)
    assert loaded.has_catalog and loaded.problems == ()
    assert [layer.id for layer, _ in loaded.layers()] == LAYER_IDS
    assert sum(len(collection["features"]) for _, collection in loaded.layers()) == CLAIMS
    assert loaded.catalog.case["id"] == f"synthetic-1k-seed{SEED}"
    assert "not real reporting" in loaded.catalog.case["title"]
    monkeypatch.setenv(DATA_ENV, str(case_dir))
    assert load_case().catalog.case["id"] == loaded.catalog.case["id"]


def test_kinds_standings_answers_and_dates_are_all_exercised(features):
    properties = [item["properties"] for item in all_features(features)]
    assert {item["kind"] for item in properties} == {"claim", "report", "denial", "statement"}
    assert {item["standing"] for item in properties if item["standing"]} == set(STANDINGS)
    assert {response["type"] for item in properties for response in item["responses"]} == set(RESPONSE_TYPES)
    spans = [event_span(item["event_date"]) for item in properties]
    assert any(first is None for first, _ in spans)
    assert any(first is not None and first < last for first, last in spans)
    assert {item["placement"] for item in properties} == {"stated", "inferred"}


def test_denials_answer_claims_that_list_them_back(features):
    by_id = {item["properties"]["id"]: item["properties"] for item in all_features(features)}
    denials = [item for item in by_id.values() if item["kind"] == "denial"]
    assert denials
    for denial in denials:
        assert denial["answers"]
        for target in denial["answers"]:
            assert by_id[target]["kind"] in ("claim", "report")
            assert denial["id"] in [response.get("feature") for response in by_id[target]["responses"]]


def test_ids_are_unique_and_the_feature_id_matches_its_property(features):
    ids = [item["id"] for item in all_features(features)]
    assert len(set(ids)) == len(ids) == CLAIMS
    assert all(item["id"] == item["properties"]["id"] for item in all_features(features))


def test_generated_sources_say_so_and_cite_no_url(case_dir):
    sources = load_sources(case_dir)
    shipped = load_sources(DATA_DIR)
    generated = {key: item for key, item in sources.items() if key not in shipped}
    assert generated and all(key.startswith("synthetic-") for key in generated)
    assert all("URL" not in item and "Synthetic test source" in item["title"] for item in generated.values())
    base_sources = json.loads((case_dir / "catalog.json").read_text(encoding="utf-8"))["case"]["base_sources"]
    assert {key: sources[key] for key in base_sources} == {key: shipped[key] for key in base_sources}


def test_cli_writes_a_case_and_rewrites_a_synthetic_one(tmp_path, capsys):
    out = tmp_path / "small"
    assert main(["synth", "--claims", "20", "--seed", "3", "--out", str(out)]) == 0
    assert "20 claims" in capsys.readouterr().out
    first = folder_bytes(out)
    assert is_synthetic_case(out)
    assert main(["synth", "--claims", "20", "--seed", "3", "--out", str(out)]) == 0
    assert folder_bytes(out) == first


def new_folder(tmp):
    return tmp / "new"


def a_file(tmp):
    (tmp / "a-file").write_text("x")
    return tmp / "a-file"


def a_folder_with_notes(tmp):
    (tmp / "notes.txt").write_text("x")
    return tmp


def the_shipped_case(tmp):
    return DATA_DIR


@pytest.mark.parametrize(
    ("claims", "make_out", "said"),
    [
        ("0", new_folder, "the number of claims must be a whole number from 1"),
        ("-5", new_folder, "the number of claims must be a whole number from 1"),
        ("10", a_file, "is a file, not a folder"),
        ("10", a_folder_with_notes, "holds files that are no synthetic case"),
        ("10", the_shipped_case, "is the base case folder"),
    ],
)
def test_cli_refuses_bad_claims_or_out_with_a_plain_error(tmp_path, capsys, claims, make_out, said):
    out = make_out(tmp_path)
    before = folder_bytes(out) if out.is_dir() else None
    assert main(["synth", "--claims", claims, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and said in error
    if before is not None:
        assert folder_bytes(out) == before


def test_cli_names_a_missing_base_case_without_a_traceback(tmp_path):
    missing = tmp_path / "no-such-case"
    command = [sys.executable, "-m", "geo", "synth", "--claims", "5", "--out", str(tmp_path / "x")]
    result = subprocess.run([*command, "--base-from", str(missing)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(missing / "catalog.json") in result.stderr and "file not found" in result.stderr


def test_another_base_case_gives_its_region_settings_and_base_sources(tmp_path):
    base = ROOT / "tests" / "fixtures" / "southland"
    base_case = json.loads((base / "catalog.json").read_text(encoding="utf-8"))["case"]
    out = tmp_path / "south"
    assert sum(write_case(out, 60, 2, base_from=base).values()) == 60
    case = json.loads((out / "catalog.json").read_text(encoding="utf-8"))["case"]
    assert {key: case[key] for key in ("region", "center", "metric_crs")} == {
        key: base_case[key] for key in ("region", "center", "metric_crs")
    }
    assert set(base_case["base_sources"]) <= set(load_sources(out))
    assert [str(problem) for problem in check_data_dir(out)] == []
