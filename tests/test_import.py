"""Importing an analyst's own GeoJSON: accepted and rejected features, the session layer, the problem table."""

import hashlib
import json

import pytest

from geo.model.claims import UNSOURCED_MEMBER, shown_standing, unsourced_reasons
from geo.model.layers import Layer
from geo.validate import Limits, Problem, imports
from geo.validate.imports import COLUMNS, ImportResult, import_file, layer_id, problem_rows
from tests.browser import ROOT

DATA = ROOT / "data"
POINT = {"type": "Point", "coordinates": [27.56, 53.9]}
LINE = {"type": "LineString", "coordinates": [[27.5, 53.9], [28.0, 54.1]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[27, 53], [28, 54], [28, 53], [27, 54], [27, 53]]]}


def feature(geometry=POINT, properties=None, **members):
    return {"type": "Feature", "geometry": geometry, "properties": properties or {}, **members}


def encode(*features, **members):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **members}).encode()


def errors_of(result):
    return [problem.message for problem in result.errors]


def test_a_plain_file_is_imported_as_a_session_layer():
    result = import_file("Grodno sightings.geojson", encode(feature(properties={"name": "Grodno"}), feature(LINE)))
    assert isinstance(result, ImportResult)
    assert result.name == "Grodno sightings.geojson"
    assert result.layer == Layer(
        id="import-grodno-sightings",
        title="Imported: Grodno sightings.geojson",
        group="imports",
        file="",
        default_visible=True,
    )
    assert (result.accepted, result.rejected, result.total) == (2, 0, 2)
    assert result.collection["type"] == "FeatureCollection"
    assert result.collection["features"][0]["properties"] == {"name": "Grodno"}
    assert result.errors == []
    assert result.summary() == "Grodno sightings.geojson: 2 of 2 features imported"


def test_one_bad_feature_does_not_reject_the_file():
    data = encode(
        feature(properties={"name": "kept"}),
        feature({"type": "Point", "coordinates": ["27.5", "53.9"]}, {"name": "strings"}),
        feature(BOWTIE, {"name": "bowtie"}, id="bowtie"),
        feature(LINE, {"name": "also kept"}),
    )
    result = import_file("mixed.geojson", data)
    assert (result.accepted, result.rejected, result.total) == (2, 2, 4)
    assert [f["properties"]["name"] for f in result.collection["features"]] == ["kept", "also kept"]
    assert [(p.index, p.feature) for p in result.errors] == [(1, 1), (1, 1), (2, "bowtie")]
    assert result.summary() == "mixed.geojson: 2 of 4 features imported, 2 left out (see the problems)"


def test_properties_are_kept_unchanged_and_ids_too():
    properties = {"name": "<b>Grodno</b>", "count": 3, "nested": {"a": [1, None]}, "flag": False, "empty": None}
    result = import_file("p.geojson", encode(feature(properties=properties, id=7)))
    (imported,) = result.collection["features"]
    assert {key: value for key, value in imported.items() if key != UNSOURCED_MEMBER} == {
        "type": "Feature",
        "id": 7,
        "geometry": POINT,
        "properties": properties,
    }


def test_features_without_claim_fields_are_marked_unsourced_whatever_their_kind():
    claim = json.loads((DATA / "layers" / "statements.geojson").read_text(encoding="utf-8"))["features"][0]
    result = import_file("s.geojson", encode(claim, feature(properties={"kind": "claim", "standing": "unverified"})))
    assert [shown_standing(f) for f in result.collection["features"]] == ["on-record", "unsourced"]
    assert unsourced_reasons(result.collection["features"][1]) == result.unsourced[1]
    assert result.collection["features"][1]["properties"] == {"kind": "claim", "standing": "unverified"}


@pytest.mark.parametrize(
    ("status", "kind", "standing"),
    [
        ("claimed", "claim", "unverified"),
        ("reported", "report", "unverified"),
        ("denied", "denial", None),
        ("confirmed", "report", "confirmed"),
        ("context", "context", None),
    ],
)
def test_an_old_status_is_read_as_kind_and_standing_with_a_warning(status, kind, standing):
    result = import_file("old.geojson", encode(feature(properties={"name": "x", "status": status})))
    (properties,) = [f["properties"] for f in result.collection["features"]]
    assert properties.get("kind") == kind and properties.get("standing") == standing and "status" not in properties
    (warning,) = [p for p in result.problems if p.field == "properties.status"]
    assert warning.warning and f"uses the old field status {status!r}: read as kind {kind!r}" in warning.message


def test_a_shipped_feature_written_with_the_old_status_loads_as_it_was_meant():
    claim = json.loads((DATA / "layers" / "border-areas.geojson").read_text(encoding="utf-8"))["features"][0]
    old = {key: value for key, value in claim["properties"].items() if key not in ("kind", "standing")}
    old["status"] = "claimed"
    result = import_file("v1.geojson", encode({**claim, "properties": old}))
    (kept,) = result.collection["features"]
    assert kept["properties"]["kind"] == "claim" and kept["properties"]["standing"] == "unverified"
    assert shown_standing(kept) == "unverified" and result.unsourced == {}


def test_unsourced_is_keyed_by_position_in_the_accepted_features():
    claim = json.loads((DATA / "layers" / "statements.geojson").read_text(encoding="utf-8"))["features"][0]
    data = encode(feature({"type": "Point", "coordinates": [27]}), claim, feature(properties={"name": "x"}))
    result = import_file("claims.geojson", data)
    assert result.accepted == 2
    assert list(result.unsourced) == [1], "the cited claim is sourced; the plain feature (accepted second) is not"
    assert "properties is missing 'id', 'layer', 'title', 'kind', 'source_id', 'source'" in result.unsourced[1][0]
    assert result.collection["features"][1]["properties"] == {"name": "x"}


def test_null_geometry_is_kept_without_a_shape():
    result = import_file("n.geojson", encode(feature(None, {"name": "somewhere"})))
    assert result.accepted == 1 and result.collection["features"][0]["geometry"] is None
    assert "has no shape (geometry is null): it is kept but not drawn" in [p.message for p in result.warnings]


def test_feature_without_geometry_member_is_rejected_with_a_hint():
    result = import_file("g.geojson", encode({"type": "Feature", "properties": {}}, feature()))
    assert (result.accepted, result.rejected) == (1, 1)
    assert errors_of(result) == [
        "the feature is missing 'geometry' (a feature without a shape needs \"geometry\": null)"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"not json", "the file is not valid JSON"),
        (encode(feature())[:-3], "it looks truncated"),
        ('{"a": "ü"}'.encode("cp1252"), "the file is not UTF-8 text"),
        (b'{"type": "Point", "coordinates": [NaN, 1]}', "the file contains NaN"),
        (b"[" * 80 + b"]" * 80, "the nesting limit is 64"),
        (b'{"type": "Topology"}', 'type "Topology" is not a GeoJSON type'),
        (bytes(range(128, 256)), "the file is not UTF-8 text"),
    ],
    ids=["empty", "not-json", "truncated", "cp1252", "nan", "deep", "topojson", "binary"],
)
def test_unreadable_files_give_an_empty_layer_and_one_reason(data, expected):
    result = import_file("bad.geojson", data)
    assert result.accepted == 0 and result.total == 0
    assert len(result.errors) == 1 and expected in result.errors[0].message
    assert result.summary().startswith("bad.geojson: not imported: ")
    assert result.layer.id == "import-bad"


def test_a_file_holding_json_null_is_not_imported_and_says_why():
    result = import_file("null.geojson", b"null")
    assert errors_of(result) == ["the top level must be a GeoJSON object, not null"]
    assert result.summary() == "null.geojson: not imported: the top level must be a GeoJSON object, not null"


def test_a_feature_with_a_malformed_bbox_is_left_out_and_the_table_says_why():
    result = import_file("b.geojson", encode(feature(bbox="everywhere"), feature(LINE)))
    assert (result.accepted, result.rejected) == (1, 1)
    assert result.rows()[0] == {
        "Feature": "#1",
        "Field": "bbox",
        "Problem": 'bbox is text "everywhere", but must be a list',
        "Result": "not imported",
    }


def test_a_collection_with_properties_is_not_imported():
    result = import_file("p.geojson", encode(feature(), properties={"name": "x"}))
    assert result.summary() == (
        "p.geojson: not imported: properties is not allowed in a FeatureCollection: each feature has its own "
        "(RFC 7946 §7.1)"
    )


def test_bom_duplicate_keys_and_crs_are_warnings_and_the_file_is_imported():
    data = b'\xef\xbb\xbf{"type": "FeatureCollection", "crs": {}, "features": [' + json.dumps(feature()).encode()
    data += b', {"type": "Feature", "geometry": null, "properties": {"a": 1, "a": 2}}]}'
    result = import_file("w.geojson", data)
    assert result.accepted == 2 and result.errors == []
    warnings = [p.message for p in result.warnings]
    assert any("UTF-8 byte order mark" in message for message in warnings)
    assert 'the name "a" appears twice in one object; the last value was kept' in warnings
    assert any("has a legacy 'crs' member" in message for message in warnings)
    assert result.collection["features"][1]["properties"] == {"a": 2}


def test_limits_are_applied_and_named():
    data = encode(feature(), feature(), feature())
    assert errors_of(import_file("c.geojson", data, Limits(max_features=2))) == [
        "the file has 3 features; the feature limit is 2"
    ]
    assert "the size limit is 100 bytes" in errors_of(import_file("c.geojson", data, Limits(max_bytes=100)))[0]


def test_bare_geometry_and_single_feature_are_imported():
    assert import_file("g.geojson", json.dumps(LINE).encode()).collection["features"][0]["geometry"] == LINE
    assert import_file("f.json", json.dumps(feature(id="one")).encode()).accepted == 1


def test_duplicate_ids_keep_both_features():
    result = import_file("d.geojson", encode(feature(id="same"), feature(LINE, id="same")))
    assert result.accepted == 2 and result.errors == []
    assert any(p.index == 1 and "is used by an earlier feature too" in p.message for p in result.warnings)


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("My Claims.geojson", set(), "import-my-claims"),
        ("my claims.JSON", {"import-my-claims"}, "import-my-claims-2"),
        ("x.geojson", {"import-x", "import-x-2"}, "import-x-3"),
        ('<img src=x onerror="1">.geojson', set(), "import-img-src-x-onerror-1"),
        ("", set(), "import-layer"),
        ("Ünïcödé.geojson", set(), "import-unicode"),
        ("Гродно.geojson", set(), "import-layer"),
    ],
)
def test_layer_ids_are_slugs_made_unique(name, taken, expected):
    assert layer_id(name, taken) == expected
    assert import_file(name, b"{}", taken_ids=frozenset(taken)).layer.id == expected


def test_hostile_file_names_stay_plain_text_in_the_title():
    name = "<script>alert(1)</script>.geojson"
    assert import_file(name, encode(feature())).layer.title == f"Imported: {name}"


def test_problem_rows_read_like_a_table():
    data = encode(feature({"type": "Point", "coordinates": [27]}, id="p-1"), feature(None))
    result = import_file("r.geojson", data, Limits())
    rows = result.rows()
    assert all(tuple(row) == COLUMNS for row in rows)
    assert rows[0] == {
        "Feature": "#1 (id p-1)",
        "Field": "geometry.coordinates",
        "Problem": "geometry.coordinates has 1 item: a position needs 2 or 3 numbers: longitude, latitude and an "
        "optional height",
        "Result": "not imported",
    }
    assert {"Feature": "#2", "Field": "geometry", "Result": "imported"}.items() <= rows[-2].items()
    assert problem_rows([Problem("r.geojson", "the file is empty")]) == [
        {"Feature": "whole file", "Field": "—", "Problem": "the file is empty", "Result": "file not imported"}
    ]


def test_shipped_layers_import_cleanly_and_data_is_never_written():
    before = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in DATA.rglob("*") if path.is_file()}
    for path in sorted((DATA / "layers").glob("*.geojson")):
        result = import_file(path.name, path.read_bytes())
        assert result.errors == [] and result.unsourced == {}, path.name
        assert result.accepted == len(json.loads(path.read_bytes())["features"])
    after = {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in DATA.rglob("*") if path.is_file()}
    assert before == after


@pytest.mark.parametrize("data", [None, "text, not bytes", 42, bytearray(b"{}"), memoryview(b"[]")])
def test_anything_passed_as_data_gives_a_result(data):
    result = import_file("odd.geojson", data)
    assert isinstance(result, ImportResult) and result.accepted == 0
    assert len(result.errors) == 1


def test_an_internal_error_is_reported_not_raised(monkeypatch):
    def explode(document, context):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "validate_document", explode)
    result = import_file("x.geojson", encode(feature()))
    assert errors_of(result) == [
        "the file could not be checked because of an internal error (RuntimeError): please report it"
    ]
