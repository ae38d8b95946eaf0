"""The validator behind `python -m geo validate` and the import: each bad input and its message."""

import json
import subprocess
import sys

import pytest

from geo.validate import (
    UNREADABLE,
    Context,
    Limits,
    Mode,
    check_geometry,
    parse_json,
    read_document,
    validate_document,
)
from geo.validate.checks import check_data_dir, check_paths
from geo.validate.imports import import_file
from tests.browser import ROOT

POINT = {"type": "Point", "coordinates": [27.56, 53.9]}
LINE = {"type": "LineString", "coordinates": [[27.5, 53.9], [28.0, 54.1]]}
SQUARE = [[27.0, 53.0], [28.0, 53.0], [28.0, 54.0], [27.0, 54.0], [27.0, 53.0]]


def feature(geometry=POINT, properties=None, **members):
    return {"type": "Feature", "geometry": geometry, "properties": properties or {}, **members}


def collection(*features, **members):
    return {"type": "FeatureCollection", "features": list(features), **members}


def encode(document):
    return json.dumps(document).encode()


def parse(data, limits=Limits()):
    return parse_json(data, "in.geojson", limits)


def validate(document, mode="import", limits=Limits()):
    return validate_document(document, Context("in.geojson", mode=mode, limits=limits))


def messages(problems):
    return [problem.message for problem in problems]


def only(problems, warning=None):
    chosen = [p for p in problems if warning is None or p.warning == warning]
    return [p for p in chosen if not p.message.startswith("shown as unsourced")]


# --- reading: one message, the document is UNREADABLE ------------------------------------------------------

UNREADABLE_INPUTS = {
    "not JSON": (b"hello world", "the file is not valid JSON: expected a value"),
    "trailing comma": (b'{"type": "Point",}', "expected a name in double quotes (JSON allows no trailing comma"),
    "single quotes": (b"{'type': 'Point'}", "expected a name in double quotes"),
    "extra data": (b'{"type": "Point"} {}', "there is more text after the end of the JSON value"),
    "truncated": (encode(collection(feature()))[:-7], "the file ends too early (at line 1, column"),
    "truncated in a string": (b'{"type": "Feature", "properties": {"name": "Grod', "it looks truncated"),
    "not UTF-8": ('{"name": "Grodno ü"}'.encode("latin-1"), "the file is not UTF-8 text (byte 0xfc at line 1"),
    "UTF-16": ('{"type": "Point"}'.encode("utf-16"), "the file is UTF-16 text; GeoJSON must be UTF-8"),
    "NaN": (b'{"type": "Point", "coordinates": [NaN, 53]}', "the file contains NaN, which JSON does not allow"),
    "Infinity": (b'{"type": "Point", "coordinates": [Infinity, 53]}', "the file contains Infinity"),
    "-Infinity": (b'{"type": "Point", "coordinates": [-Infinity, 53]}', "the file contains -Infinity"),
    "overflowing number": (b'{"type": "Point", "coordinates": [1e999, 53]}', 'the number "1e999", which is too'),
    "endless integer": (
        b"[" + b"9" * 5000 + b"]",
        "the file holds a number with thousands of digits, too long to read",
    ),
    "deep nesting": (b"[" * 100 + b"]" * 100, "more than 64 levels deep; the nesting limit is 64"),
    "very deep nesting": (b"[" * 100_000 + b"]" * 100_000, "the nesting limit is 64"),
    "empty": (b"", "the file is empty"),
    "only whitespace": (b" \n\t\n", "the file is empty (only spaces or line breaks)"),
    "KML": (b'<?xml version="1.0"?><kml></kml>', "the file looks like XML or HTML (KML or GML?)"),
    "ZIP": (b"PK\x03\x04\x14\x00rest", "the file is a ZIP archive (a zipped shapefile or KMZ?)"),
    "binary": (bytes(range(256)) * 4, "the file is not UTF-8 text (byte 0x80 at line 2, byte 128)"),
}


@pytest.mark.parametrize("name", UNREADABLE_INPUTS)
def test_unreadable_input_gives_one_clear_message(name):
    data, expected = UNREADABLE_INPUTS[name]
    document, problems = parse(data)
    assert document is UNREADABLE
    errors = [p for p in problems if not p.warning]
    assert len(errors) == 1, problems
    assert expected in errors[0].message
    assert errors[0].feature is None and errors[0].index is None


def test_size_limit_is_named_and_configurable():
    data = encode(collection(*[feature()] * 50))
    document, problems = parse(data, Limits(max_bytes=1000))
    assert document is UNREADABLE
    assert messages(problems) == [f"the file is {len(data) / 1024:.1f} KB; the size limit is 1000 bytes"]
    just_over = Limits(max_bytes=len(data) - 1)
    assert messages(parse(data, just_over)[1]) == [
        f"the file is {len(data):,} bytes; the size limit is {len(data) - 1:,} bytes"
    ]
    assert parse(data, Limits(max_bytes=len(data)))[0] is not UNREADABLE


def test_nesting_limit_is_configurable():
    data = b'{"type": "Point", "coordinates": [27, 53], "x": [[[[1]]]]}'
    assert "the nesting limit is 3" in parse(data, Limits(max_depth=3))[1][0].message
    assert parse(data, Limits(max_depth=6))[0] is not UNREADABLE


def test_json_null_is_read_as_a_value_not_as_unreadable():
    assert parse(b" null \n") == (None, [])


def test_bom_is_a_warning_and_the_file_is_read():
    document, problems = parse(b"\xef\xbb\xbf" + encode(POINT))
    assert document == POINT
    assert [p.warning for p in problems] == [True]
    assert "starts with a UTF-8 byte order mark (BOM)" in problems[0].message


def test_duplicate_keys_warn_once_per_name_and_keep_the_last_value():
    data = b'[{"id": 1, "id": 2}, {"id": 3, "id": 4}, {"type": "a", "type": "b"}]'
    document, problems = parse(data)
    assert document == [{"id": 2}, {"id": 4}, {"type": "b"}]
    assert messages(problems) == [
        'the name "id" appears twice in one object (2 times in the file); the last value was kept',
        'the name "type" appears twice in one object; the last value was kept',
    ]
    assert all(p.warning for p in problems)


def test_read_document_caps_the_size_before_reading(tmp_path):
    big = tmp_path / "big.geojson"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert messages(read_document(big)[1]) == ["the file is 50 MB; the size limit is 10 MB"]


def test_read_document_missing_file_and_folder(tmp_path):
    assert read_document(tmp_path / "nope.geojson")[0] is UNREADABLE
    assert messages(read_document(tmp_path / "nope.geojson")[1]) == ["file not found"]
    assert messages(read_document(tmp_path)[1]) == ["is a folder, not a file"]


# --- documents: what is accepted, what is rejected, and why -------------------------------------------

DOCUMENT_ERRORS = {
    "wrong top-level type": (
        {"type": "Featur", "features": []},
        'type "Featur" is not a GeoJSON type: expected FeatureCollection, Feature or a geometry',
    ),
    "no type": ({"features": []}, "the top level has no 'type'"),
    "a list": ([POINT], "the top level must be a GeoJSON object, not a list"),
    "null": (None, "the top level must be a GeoJSON object, not null"),
    "no features": (
        {"type": "FeatureCollection"},
        "the FeatureCollection has no 'features': it needs a 'features' list",
    ),
    "features not a list": (
        {"type": "FeatureCollection", "features": {}},
        "the FeatureCollection has 'features' as an object: it needs a 'features' list",
    ),
    "collection with properties": (
        collection(feature(), properties={"name": "x"}),
        "properties is not allowed in a FeatureCollection: each feature has its own (RFC 7946 §7.1)",
    ),
    "collection with a geometry": (
        collection(feature(), geometry=POINT),
        "geometry is not allowed in a FeatureCollection: each feature has its own (RFC 7946 §7.1)",
    ),
    "collection with coordinates": (
        collection(feature(), coordinates=[27, 53]),
        "coordinates is not allowed in a FeatureCollection: shapes belong in each feature's 'geometry' (RFC 7946 §7.1)",
    ),
    "collection with geometries": (
        collection(feature(), geometries=[POINT]),
        "geometries is not allowed in a FeatureCollection: shapes belong in each feature's 'geometry'",
    ),
    "collection with a bbox of 5 numbers": (collection(feature(), bbox=[1, 2, 3, 4, 5]), "bbox has 5 items: a bbox"),
    "collection with a bbox upside down": (
        collection(feature(), bbox=[27, 54, 28, 53]),
        "bbox has its south edge (54) north of its north edge (53)",
    ),
}


@pytest.mark.parametrize("name", DOCUMENT_ERRORS)
def test_unusable_documents_are_rejected_as_a_whole(name):
    document, expected = DOCUMENT_ERRORS[name]
    report = validate(document)
    assert report.features == [] and report.total == 0
    assert len(report.errors) == 1 and expected in report.errors[0].message


def test_feature_count_limit_is_named():
    report = validate(collection(*[feature()] * 4), limits=Limits(max_features=3))
    assert messages(report.errors) == ["the file has 4 features; the feature limit is 3"]
    assert report.features == []


# Each case: one feature; the exact message (substring), its field, and whether the feature is kept.
FEATURE_CASES = {
    "wrong feature type": (
        {"type": "Feat", "geometry": POINT, "properties": {}},
        'type is "Feat", but must be "Feature"',
        "type",
        False,
    ),
    "not an object": (42, "is a number 42, not a GeoJSON Feature object", "", False),
    "no geometry member": (
        {"type": "Feature", "properties": {}},
        "the feature is missing 'geometry' (a feature without a shape needs \"geometry\": null)",
        "",
        False,
    ),
    "null geometry": (feature(None), "has no shape (geometry is null): it is kept but not drawn", "geometry", True),
    "geometry as text": (
        feature("POINT(27 53)"),
        'geometry is text "POINT(27 53)", but must be an object or null',
        "geometry",
        False,
    ),
    "unknown geometry type": (
        feature({"type": "Circle", "coordinates": [27, 53]}),
        'geometry.type is "Circle"; allowed: Point, MultiPoint',
        "geometry.type",
        False,
    ),
    "no coordinates": (feature({"type": "Point"}), "geometry is missing 'coordinates'", "geometry", False),
    "coordinates as strings": (
        feature({"type": "Point", "coordinates": ["27.5", "53.9"]}),
        'geometry.coordinates[0] is text "27.5", but must be a number (write the number without quotes)',
        "geometry.coordinates[0]",
        False,
    ),
    "coordinates as booleans": (
        feature({"type": "Point", "coordinates": [True, 53]}),
        "geometry.coordinates[0] is true, but must be a number",
        "geometry.coordinates[0]",
        False,
    ),
    "coordinate null": (
        feature({"type": "Point", "coordinates": [27, None]}),
        "geometry.coordinates[1] is null, but must be a number",
        "geometry.coordinates[1]",
        False,
    ),
    "geometry false": (feature(False), "geometry is false, but must be an object or null", "geometry", False),
    "id null": (feature(id=None), "id is null, but must be text or a number", "id", False),
    "null in the features list": (None, "is null, not a GeoJSON Feature object", "", False),
    "true in the features list": (True, "is true, not a GeoJSON Feature object", "", False),
    "one number in a position": (
        feature({"type": "Point", "coordinates": [27.5]}),
        "geometry.coordinates has 1 item: a position needs 2 or 3 numbers",
        "geometry.coordinates",
        False,
    ),
    "four numbers in a position": (
        feature({"type": "Point", "coordinates": [27.5, 53.9, 100, 7]}),
        "geometry.coordinates has 4 items: a position needs 2 or 3 numbers",
        "geometry.coordinates",
        False,
    ),
    "line with one position": (
        feature({"type": "LineString", "coordinates": [[27.5, 53.9]]}),
        "geometry.coordinates has 1 item: a line needs at least 2 positions",
        "geometry.coordinates",
        False,
    ),
    "ring with three positions": (
        feature({"type": "Polygon", "coordinates": [[[27, 53], [28, 53], [27, 53]]]}),
        "geometry.coordinates[0] has 3 items: a polygon ring needs at least 4 positions, the last equal to the first",
        "geometry.coordinates[0]",
        False,
    ),
    "polygon without rings": (
        feature({"type": "Polygon", "coordinates": []}),
        "geometry.coordinates has 0 items: a polygon needs at least one ring",
        "geometry.coordinates",
        False,
    ),
    "unclosed polygon": (
        feature({"type": "Polygon", "coordinates": [SQUARE[:-1] + [[27.0, 53.5]]]}),
        "the polygon ring geometry.coordinates[0] is not closed: it starts at [27.0, 53.0] but ends at [27.0, 53.5]",
        "geometry.coordinates[0]",
        False,
    ),
    "unclosed ring of a multipolygon": (
        feature({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE[:-1] + [[27.0, 53.5]]]]}),
        "the polygon ring geometry.coordinates[1][0] is not closed",
        "geometry.coordinates[1][0]",
        False,
    ),
    "self-intersecting polygon": (
        feature({"type": "Polygon", "coordinates": [[[27, 53], [28, 54], [28, 53], [27, 54], [27, 53]]]}),
        "the shape crosses itself near longitude 27.5, latitude 53.5 (shapely: Self-intersection)",
        "geometry",
        False,
    ),
    "ring touching itself": (
        feature({"type": "Polygon", "coordinates": [[[27, 53], [29, 53], [28, 54], [28, 53], [27.5, 54], [27, 53]]]}),
        "a polygon ring touches itself near longitude 28, latitude 53 (shapely: Ring Self-intersection)",
        "geometry",
        False,
    ),
    "hole outside its polygon": (
        feature({"type": "Polygon", "coordinates": [SQUARE, [[30, 55], [31, 55], [31, 56], [30, 55]]]}),
        "a hole lies outside its polygon near longitude 30, latitude 55 (shapely: Hole lies outside shell)",
        "geometry",
        False,
    ),
    "line of one repeated position": (
        feature({"type": "LineString", "coordinates": [[27, 53], [27, 53]]}),
        "a part of the shape has too few distinct positions near longitude 27, latitude 53",
        "geometry",
        False,
    ),
    "projected metres": (
        feature({"type": "Point", "coordinates": [3068000.5, 7148000.25]}),
        "coordinates look like projected metres, not degrees (x=3068000.5, y=7148000.25, as in EPSG:3857 Web "
        "Mercator): RFC 7946 GeoJSON needs longitude/latitude in WGS84 degrees (EPSG:4326)",
        "geometry.coordinates",
        False,
    ),
    "latitude out of range": (
        feature({"type": "LineString", "coordinates": [[27, 53], [27, 95]]}),
        "geometry.coordinates[1] has latitude 95, outside -90..90 (are longitude and latitude swapped?)",
        "geometry.coordinates[1]",
        False,
    ),
    "longitude out of range": (
        feature({"type": "Point", "coordinates": [200, 53]}),
        "geometry.coordinates has longitude 200, outside -180..180",
        "geometry.coordinates",
        False,
    ),
    "mixed 2D and 3D": (
        feature({"type": "LineString", "coordinates": [[27.5, 53.9], [28.0, 54.1, 120]]}),
        "geometry.coordinates mixes positions with and without height (2 and 3 numbers)",
        "geometry.coordinates",
        False,
    ),
    "empty multipolygon": (
        feature({"type": "MultiPolygon", "coordinates": []}),
        "has an empty shape (no positions): it is kept but not drawn",
        "geometry",
        True,
    ),
    "empty geometry collection": (
        feature({"type": "GeometryCollection", "geometries": []}),
        "has an empty shape (no positions): it is kept but not drawn",
        "geometry",
        True,
    ),
    "bad member of a geometry collection": (
        feature({"type": "GeometryCollection", "geometries": [POINT, {"type": "Point", "coordinates": [27, 95]}]}),
        "geometry.geometries[1].coordinates has latitude 95, outside -90..90",
        "geometry.geometries[1].coordinates",
        False,
    ),
    "properties as a list": (
        {"type": "Feature", "geometry": POINT, "properties": [1]},
        "properties is a list [1], but must be an object or null",
        "properties",
        False,
    ),
    "no properties member": (
        {"type": "Feature", "geometry": POINT},
        "has no 'properties' member; treated as empty",
        "properties",
        True,
    ),
    "id as an object": (
        feature(id={"a": 1}),
        'id is an object {"a": 1}, but must be text or a number',
        "id",
        False,
    ),
}

BBOX_RULE = (
    "a bbox needs 4 numbers (west, south, east, north) or 6 with heights (west, south, lowest, east, north, highest)"
)
RHR = "a polygon ring does not follow the right-hand rule (RFC 7946: exterior rings counterclockwise, holes clockwise)"
CLOCKWISE = {"type": "Polygon", "coordinates": [SQUARE[::-1]]}
# RFC 7946 §5 (bbox), §7.1 (members that change an object's meaning) and §3.1.8 (GeometryCollection); the
# malformed bbox, member and GeometryCollection cases are those of the mapbox geojsonhint suite. Layout as above.
RFC_7946_CASES = {
    "bbox as text": (feature(bbox="27,53,28,54"), 'bbox is text "27,53,28,54", but must be a list', "bbox", False),
    "bbox of 3 numbers": (feature(bbox=[27, 53, 28]), f"bbox has 3 items: {BBOX_RULE}", "bbox", False),
    "bbox of 5 numbers": (feature(bbox=[27, 53, 0, 28, 54]), f"bbox has 5 items: {BBOX_RULE}", "bbox", False),
    "text inside a bbox": (
        feature(bbox=[27, "53", 28, 54]),
        'bbox[1] is text "53", but must be a number (write the number without quotes)',
        "bbox[1]",
        False,
    ),
    "bbox with south above north": (
        feature(bbox=[27, 54, 28, 53]),
        "bbox has its south edge (54) north of its north edge (53): a bbox lists the south-west corner first "
        "(RFC 7946 §5)",
        "bbox",
        False,
    ),
    "3D bbox with the lowest height above the highest": (
        feature(bbox=[27, 53, 100, 28, 54, 0]),
        "bbox has its lowest height (100) above its highest (0): a bbox lists the lowest height first (RFC 7946 §5)",
        "bbox",
        False,
    ),
    "bbox latitude out of range": (
        feature(bbox=[27, -95, 28, 54]),
        "bbox has latitude -95, outside -90..90 (are longitude and latitude swapped?)",
        "bbox",
        False,
    ),
    "malformed bbox of a geometry": (
        feature({**POINT, "bbox": [27, 53, 28]}),
        f"geometry.bbox has 3 items: {BBOX_RULE}",
        "geometry.bbox",
        False,
    ),
    "bbox of a geometry with south above north": (
        feature({**POINT, "bbox": [27, 54, 28, 53]}),
        "geometry.bbox has its south edge (54) north of its north edge (53)",
        "geometry.bbox",
        False,
    ),
    "malformed bbox inside a geometry collection": (
        feature({"type": "GeometryCollection", "geometries": [{**POINT, "bbox": "x"}, LINE]}),
        'geometry.geometries[0].bbox is text "x", but must be a list',
        "geometry.geometries[0].bbox",
        False,
    ),
    "feature with coordinates": (
        feature(coordinates=[27, 53]),
        "coordinates is not allowed in a Feature: its shape belongs in 'geometry' (RFC 7946 §7.1)",
        "coordinates",
        False,
    ),
    "feature with geometries": (
        feature(geometries=[POINT]),
        "geometries is not allowed in a Feature: its shape belongs in 'geometry' (RFC 7946 §7.1)",
        "geometries",
        False,
    ),
    "feature with features": (
        feature(features=[]),
        "features is not allowed in a Feature: only a FeatureCollection holds features (RFC 7946 §7.1)",
        "features",
        False,
    ),
    "geometry with properties": (
        feature({**POINT, "properties": {"name": "x"}}),
        "geometry.properties is not allowed in a geometry: it belongs to the Feature around the geometry "
        "(RFC 7946 §7.1)",
        "geometry.properties",
        False,
    ),
    "geometry with a geometry": (
        feature({**POINT, "geometry": LINE}),
        "geometry.geometry is not allowed in a geometry: it belongs to the Feature around the geometry",
        "geometry.geometry",
        False,
    ),
    "geometry with features": (
        feature({**POINT, "features": []}),
        "geometry.features is not allowed in a geometry: only a FeatureCollection holds features (RFC 7946 §7.1)",
        "geometry.features",
        False,
    ),
    "member of a geometry collection with properties": (
        feature({"type": "GeometryCollection", "geometries": [LINE, {**POINT, "properties": {}}]}),
        "geometry.geometries[1].properties is not allowed in a geometry",
        "geometry.geometries[1].properties",
        False,
    ),
    "nested geometry collection": (
        feature(
            {
                "type": "GeometryCollection",
                "geometries": [LINE, {"type": "GeometryCollection", "geometries": [POINT, LINE]}],
            }
        ),
        "geometry nests a GeometryCollection (geometry.geometries[1]), which RFC 7946 says to avoid: "
        "list all its shapes in one GeometryCollection",
        "geometry",
        True,
    ),
    "geometry collection of a single member": (
        feature({"type": "GeometryCollection", "geometries": [POINT]}),
        "geometry is a GeometryCollection of a single Point, which RFC 7946 says to avoid: use the Point itself",
        "geometry",
        True,
    ),
    "geometry collection of one type only": (
        feature({"type": "GeometryCollection", "geometries": [LINE, LINE]}),
        "geometry is a GeometryCollection of LineString shapes only, which RFC 7946 says to avoid: "
        "use one MultiLineString",
        "geometry",
        True,
    ),
    "polygon against the right-hand rule": (feature(CLOCKWISE), RHR, "geometry", True),
}


@pytest.mark.parametrize("name", [*FEATURE_CASES, *RFC_7946_CASES])
def test_each_bad_feature_has_a_clear_message(name):
    item, expected, field, kept = {**FEATURE_CASES, **RFC_7946_CASES}[name]
    report = validate(collection(item, feature(LINE)))
    problems = [p for p in only(report.problems) if p.index == 0]
    assert [p.message for p in problems if expected in p.message], messages(report.problems)
    match = next(p for p in problems if expected in p.message)
    assert match.field == field
    assert match.warning is kept
    assert len(report.features) == (2 if kept else 1), "one bad feature never rejects the others"
    assert report.total == 2


def test_null_true_and_false_are_named_once():
    items = [None, True, False, feature(id=None), feature({"type": "Point", "coordinates": [False, None]})]
    texts = messages(validate(collection(*items)).errors)
    assert len(texts) == 6
    assert not [text for text in texts if "true/false" in text or "null null" in text], texts


def test_many_structural_errors_are_summed_up():
    geometry = {"type": "LineString", "coordinates": [[str(x), "53"] for x in range(20)]}
    errors = validate(collection(feature(geometry))).errors
    assert len(errors) == 6
    assert errors[-1].message == "the geometry has 35 more problems like these"


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [27.5, 53.9, 210.0]},
        {"type": "LineString", "coordinates": [[27.5, 53.9, 1.0], [28.0, 54.1, 2.0]]},
        {"type": "Polygon", "coordinates": [[[*position, 5.0] for position in SQUARE]]},
    ],
    ids=["point", "line", "polygon"],
)
def test_3d_positions_are_accepted(geometry):
    report = validate(collection(feature(geometry)))
    assert len(report.features) == 1 and not report.errors
    assert report.features[0]["geometry"] == geometry


def test_bbox_may_cross_the_antimeridian_and_have_heights():
    # RFC 7946 §5.2: west is greater than east when the box crosses the antimeridian.
    report = validate(collection(feature(bbox=[170, 40, -170, 50]), feature(bbox=[27, 53, -100, 28, 54, 0])))
    assert only(report.problems) == [] and len(report.features) == 2


def test_right_hand_rule_is_an_error_in_project_data_and_a_warning_elsewhere():
    assert check_geometry(CLOCKWISE, strict=True) == ([RHR], [])
    assert check_geometry(CLOCKWISE, strict=False) == ([], [RHR])


def test_geometry_collection_is_accepted():
    geometry = {"type": "GeometryCollection", "geometries": [POINT, LINE, {"type": "Polygon", "coordinates": [SQUARE]}]}
    report = validate(collection(feature(geometry)))
    assert len(report.features) == 1 and not report.errors


def test_legacy_crs_is_a_warning_naming_it():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    report = validate(collection(feature(), crs=crs))
    assert len(report.features) == 1 and not report.errors
    assert (
        "has a legacy 'crs' member (naming \"urn:ogc:def:crs:EPSG::3857\"): RFC 7946 GeoJSON is always WGS84 "
        "longitude/latitude, so it was ignored"
    ) in messages(report.warnings)


def test_empty_feature_collection_is_a_warning():
    report = validate(collection())
    assert messages(report.problems) == ["the FeatureCollection has no features"]
    assert report.problems[0].warning and report.features == []


def test_duplicate_ids_warn_on_import_and_reject_in_project_data():
    document = collection(feature(id="a"), feature(LINE, id="a"), feature(properties={"id": "a"}))
    imported = validate(document)
    duplicate = 'the id "a" is used by an earlier feature too: ids must be unique; both features were kept'
    assert [(p.index, p.warning) for p in imported.problems if duplicate in p.message] == [(1, True), (2, True)]
    assert len(imported.features) == 3
    structure = validate(document, mode="structure")
    assert [p.index for p in structure.errors] == [1, 2]
    assert len(structure.features) == 1


def test_bare_geometry_and_single_feature_are_accepted():
    assert len(validate(POINT).features) == 1
    assert validate(feature(id="x")).features == [{"type": "Feature", "id": "x", "geometry": POINT, "properties": {}}]


def test_import_mode_lists_features_without_claim_fields_as_unsourced():
    report = validate(collection(feature(properties={"name": "Grodno"}), feature()))
    assert set(report.unsourced) == {0, 1}
    assert "properties is missing 'id', 'layer', 'title', 'kind', 'source_id'" in report.unsourced[0][0]
    assert all(p.warning for p in report.problems)


def test_claims_mode_rejects_features_without_claim_fields():
    report = validate(collection(feature()), mode="claims")
    assert report.features == [] and report.unsourced == {}
    assert "properties is missing 'id', 'layer'" in report.errors[0].message


def test_mode_names_are_checked_so_a_typo_cannot_turn_checks_off():
    assert Context("in.geojson", mode="import").mode is Mode.IMPORT
    with pytest.raises(ValueError, match="unknown validation mode 'claim': use one of claims, import, structure"):
        Context("in.geojson", mode="claim")


def test_problem_text_names_file_feature_and_kind():
    report = validate(collection(feature(id="convoy-1", geometry={"type": "Point", "coordinates": [27]})))
    assert str(report.errors[0]) == (
        "in.geojson: feature convoy-1: geometry.coordinates has 1 item: a position needs 2 or 3 numbers: "
        "longitude, latitude and an optional height"
    )
    assert str(validate(collection()).problems[0]) == "in.geojson: warning: the FeatureCollection has no features"


def test_hostile_input_is_echoed_short():
    report = validate({"type": "x" * 10_000})
    assert len(report.errors[0].message) < 200


SWAPPED = {"type": "LineString", "coordinates": [[53.9, 27.56], [54.1, 28.0]]}
SWAP_HINT = "latitude and longitude look swapped: RFC 7946 positions are [longitude, latitude]"
#: Made-up boxes (west, south, east, north): one around the test positions, one far from them.
AROUND = (20.0, 50.0, 35.0, 60.0)
ELSEWHERE = (-80.0, -40.0, -50.0, -10.0)


def swap_hints(problems):
    return [problem for problem in problems if SWAP_HINT in problem.message]


@pytest.mark.parametrize("mode", ["claims", "import", "structure"])
def test_swapped_axes_are_hinted_only_with_a_region_they_fall_in_once_swapped(mode):
    def hints(region):
        context = Context("in.geojson", mode=mode, region=region)
        return swap_hints(validate_document(collection(feature(SWAPPED)), context).problems)

    (hint,) = hints(AROUND)
    assert hint.warning and hint.field == "geometry.coordinates"
    assert "this case's region (20–35°E, 50–60°N)" in hint.message
    assert hints(None) == []
    assert hints(ELSEWHERE) == []
    assert swap_hints(validate_document(collection(feature(LINE)), Context("in.geojson", region=AROUND)).problems) == []


def test_check_geometry_hints_swapped_axes_only_with_a_region():
    assert [w for w in check_geometry(SWAPPED, region=AROUND)[1] if SWAP_HINT in w]
    assert not [w for w in check_geometry(SWAPPED)[1] if SWAP_HINT in w]


def test_import_hints_swapped_axes_only_with_the_case_region():
    data = encode(collection(feature(SWAPPED)))
    assert swap_hints(import_file("in.geojson", data, region=AROUND).problems)
    assert swap_hints(import_file("in.geojson", data).problems) == []


@pytest.mark.parametrize(
    "region", [[1, 2, 3], [30, 50, 20, 60], [20, 60, 30, 50], ["20", 50, 30, 60], [True, 50, 30, 60], "20,50,30,60"]
)
def test_a_region_that_is_no_box_is_refused_naming_it(region):
    with pytest.raises(ValueError, match=r"^region .* is not 4 numbers \[west, south, east, north\] in degrees"):
        Context("in.geojson", region=region)


def test_a_region_may_be_given_as_a_list_as_catalog_json_holds_it():
    assert Context("in.geojson", region=[20, 50.5, 35, 60]).region == (20.0, 50.5, 35.0, 60.0)


def test_check_geometry_keeps_its_string_interface():
    assert check_geometry(POINT, strict=False) == ([], [])
    errors, warnings = check_geometry({"type": "Point", "coordinates": [27.123456789, 53.9]})
    assert errors == ["coordinates have more than 6 decimals"] and warnings == []


# --- the data folder ----------------------------------------------------------------------------------


def small_case(folder, *layer_ids, region=None):
    """A data folder with one empty claims layer per id (for catalog checks; no real claim), and ``region``."""
    layers = [
        {"id": id_, "title": id_, "group": "claims", "file": f"layers/{n}.geojson"} for n, id_ in enumerate(layer_ids)
    ]
    (folder / "layers").mkdir(parents=True)
    for n in range(len(layer_ids)):
        (folder / "layers" / f"{n}.geojson").write_text(json.dumps(collection()))
    case = {"id": "fixture"} if region is None else {"id": "fixture", "region": region}
    (folder / "catalog.json").write_text(json.dumps({"case": case, "layers": layers}))
    (folder / "sources.json").write_text("[]")
    (folder / "claims.json").write_text(json.dumps({"features": []}))
    (folder / "places.json").write_text(json.dumps({"places": []}))
    return folder


@pytest.mark.parametrize("layer_id", ["view", "all", "sources", "All"])
def test_layer_ids_that_are_download_scopes_are_rejected(tmp_path, layer_id):
    problems = check_data_dir(small_case(tmp_path, "drills", layer_id))
    assert [str(p) for p in problems if not p.warning] == [
        f"{tmp_path / 'catalog.json'}: layer id {layer_id!r} is taken by a download scope (view, all, sources): "
        "choose another id"
    ]


def with_swapped_base_file(folder):
    """Add a base-data file whose one line falls in ``AROUND`` only with latitude and longitude swapped."""
    (folder / "base").mkdir()
    (folder / "base" / "lines.geojson").write_text(json.dumps(collection(feature(SWAPPED))))
    return folder / "base" / "lines.geojson"


@pytest.mark.parametrize("region", [list(AROUND), None])
def test_data_folder_checks_use_the_catalog_region(tmp_path, region):
    base_file = with_swapped_base_file(small_case(tmp_path, "drills", region=region))
    for problems in (check_data_dir(tmp_path), check_paths([base_file], tmp_path)):
        assert len(swap_hints(problems)) == (1 if region else 0), messages(problems)


def test_a_catalog_region_that_is_no_box_is_one_problem_naming_the_catalog(tmp_path):
    with_swapped_base_file(small_case(tmp_path, "drills", region=[20, 50, 35]))
    problems = check_data_dir(tmp_path)
    assert [str(p) for p in problems if not p.warning] == [
        f"{tmp_path / 'catalog.json'}: case: region [20, 50, 35] is not 4 numbers [west, south, east, north] in "
        "degrees (longitudes -180..180, latitudes -90..90, west <= east, south <= north)"
    ]
    assert swap_hints(problems) == []


# --- the command line -------------------------------------------------------------------------------


def run_cli(*args):
    command = [sys.executable, "-m", "geo", "validate", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def assert_no_traceback(result):
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_clean_file_exits_0():
    result = run_cli(ROOT / "data" / "layers" / "statements.geojson")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 problem(s)" in result.stderr


def test_cli_problems_exit_1_with_one_line_each(tmp_path):
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps(collection(feature(id="bad", geometry={"type": "Point", "coordinates": ["27", 53]}))))
    result = run_cli(path)
    assert result.returncode == 1
    assert_no_traceback(result)
    line = f'{path}: feature bad: geometry.coordinates[0] is text "27", but must be a number'
    assert result.stdout.splitlines()[0].startswith(line)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.geojson", None, "file not found"),
        ("garbage.bin", b"\xff\xfe\x00\x01" + bytes(range(256)) * 8, "the file is UTF-16 text"),
        ("garbage2.bin", b"\x00\x9c\xf1" * 3000, "the file is not UTF-8 text (byte 0x9c at line 1, byte 1)"),
        ("big.geojson", 50 * 1024 * 1024, "the file is 50 MB; the size limit is 10 MB"),
    ],
)
def test_cli_unreadable_files_give_one_clear_line(tmp_path, name, content, expected):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, int):
        with path.open("wb") as handle:
            handle.truncate(content)
    result = run_cli(path)
    assert result.returncode == 1
    assert_no_traceback(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: {expected}"), result.stdout


def test_cli_reports_a_document_that_is_json_null(tmp_path):
    path = tmp_path / "null.geojson"
    path.write_text("null\n")
    result = run_cli(path)
    assert result.returncode == 1
    assert result.stdout == f"{path}: the top level must be a GeoJSON object, not null\n"


def test_cli_size_limit_is_configurable(tmp_path):
    path = tmp_path / "small.geojson"
    path.write_bytes(b" " * 2048 + encode(POINT))
    result = run_cli("--max-mb", "0.001", path)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{path}: the file is 2 KB; the size limit is 1 KB"


@pytest.mark.parametrize("args", [["--max-mb", "0"], ["--max-mb", "lots"], ["--no-such-option"]])
def test_cli_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert_no_traceback(result)


def test_cli_rejects_a_layer_id_that_is_a_download_scope(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "--data", str(small_case(tmp_path, "all")), "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"{tmp_path / 'catalog.json'}: layer id 'all' is taken by a download scope" in result.stdout


def test_cli_shipped_data_is_clean(shipped_validation):
    assert shipped_validation.returncode == 0, shipped_validation.stdout
    assert "0 problem(s)" in shipped_validation.stderr


# --- claim properties in project data (claims mode) ------------------------------------------------
# Each case changes one property of a shipped claim (data/layers/border-areas.geojson): no claim is made up.

BORDER_AREAS = ROOT / "data" / "layers" / "border-areas.geojson"
SHIPPED_CLAIMS = json.loads(BORDER_AREAS.read_text(encoding="utf-8"))["features"]
#: A shipped claim that was denied on record, so that every claim field is filled in.
DENIED = next(f for f in SHIPPED_CLAIMS if f["properties"]["standing"] == "contested")


def claims_report(change=lambda properties: None, geometry=None, **context):
    """Validate the shipped claim ``DENIED`` in claims mode after ``change`` has edited its properties."""
    claim = json.loads(json.dumps(DENIED))
    change(claim["properties"])
    if geometry is not None:
        claim["geometry"] = geometry
    return validate_document(collection(claim), Context("in.geojson", mode=Mode.CLAIMS, **context))


def set_property(name, value):
    return lambda properties: properties.__setitem__(name, value)


def drop_property(*names):
    return lambda properties: [properties.pop(name) for name in names]


def set_response(name, value):
    return lambda properties: properties["responses"][0].__setitem__(name, value)


EDTF_FORM = "is not in the expected form: an EDTF date such as 2020-08-17"
CLAIM_PROPERTY_MESSAGES = {
    "missing base field": (drop_property("source_id", "precision"), "properties is missing 'source_id', 'precision'"),
    "missing claim field": (
        drop_property("claimant", "report_date"),
        "properties is missing 'claimant', 'report_date'",
    ),
    "missing standing fields": (drop_property("standing", "credibility"), "is missing 'standing', 'credibility'"),
    "unknown kind": (
        set_property("kind", "rumour"),
        'properties.kind is "rumour"; allowed: claim, report, denial, statement, context',
    ),
    "unknown standing": (
        set_property("standing", "denied"),
        'properties.standing is "denied"; allowed: "" (empty), unverified, contested, corroborated, confirmed, refuted',
    ),
    "a denial with a standing": (
        lambda p: p.update(kind="denial", answers=["x"]),
        'properties.standing is "contested", but only claims and reports have a standing: leave it empty',
    ),
    "a denial that answers nothing": (
        lambda p: p.update(kind="denial", standing="", answers=[]),
        "properties.answers has 0 items",
    ),
    "unknown precision": (
        set_property("precision", "street"),
        'properties.precision is "street"; allowed: exact, place, route, region, unknown',
    ),
    "unknown placement": (
        set_property("placement", "guessed"),
        'properties.placement is "guessed"; allowed: stated, inferred',
    ),
    "credibility out of range": (
        set_property("credibility", 7),
        'properties.credibility is 7; allowed: "" (empty), 1, 2, 3',
    ),
    "uncertainty as text": (
        set_property("uncertainty_km", "10"),
        'properties.uncertainty_km is text "10", but must be a number (write the number without quotes)',
    ),
    "uncertainty null": (
        set_property("uncertainty_km", None),
        "properties.uncertainty_km is null, but must be a number or text",
    ),
    "negative uncertainty": (
        set_property("uncertainty_km", -1),
        "properties.uncertainty_km is -1; it must be at least 0",
    ),
    "id not a slug": (
        set_property("id", "NATO Statement"),
        'properties.id "NATO Statement" is not in the expected form: a slug of lower-case letters, digits and hyphens',
    ),
    "date not EDTF": (set_property("event_date", "17.08.2020"), f'properties.event_date "17.08.2020" {EDTF_FORM}'),
    "month 13": (set_property("event_date", "2020-13-01"), f'properties.event_date "2020-13-01" {EDTF_FORM}'),
    "report date not EDTF": (set_property("report_date", "last Monday"), 'properties.report_date "last Monday"'),
    "chain as text": (
        set_property("source_chain", "Lukashenko → article"),
        'properties.source_chain is text "Lukashenko → article", but must be a list',
    ),
    "empty chain": (set_property("source_chain", []), "properties.source_chain has 0 items"),
    "response of an unknown type": (
        set_response("type", "rebuttal"),
        'properties.responses[0].type is "rebuttal"; allowed: denial, no-comment, confirmation, retraction',
    ),
    "response with a bad date": (set_response("date", "Sunday"), f'properties.responses[0].date "Sunday" {EDTF_FORM}'),
    "response naming no slug": (
        set_response("feature", "NATO denial"),
        'properties.responses[0].feature "NATO denial"',
    ),
    "empty title": (set_property("title", ""), "properties.title is empty"),
    "empty method": (set_property("method", ""), "properties.method is empty"),
    "claimant as a number": (set_property("claimant", 5), "properties.claimant is a number 5, but must be text"),
}


@pytest.mark.parametrize("name", CLAIM_PROPERTY_MESSAGES)
def test_each_bad_claim_property_has_a_clear_message(name):
    change, expected = CLAIM_PROPERTY_MESSAGES[name]
    report = claims_report(change)
    assert report.features == []
    assert any(expected in message for message in messages(report.errors)), messages(report.errors)
    assert all(p.field.startswith("properties") for p in report.errors)


def test_shipped_claim_is_clean_in_claims_mode():
    report = claims_report(sources=frozenset({DENIED["properties"]["source_id"]}), layer="border-areas")
    assert report.problems == [] and len(report.features) == 1


def test_context_features_need_no_claim_fields():
    fields = ("claim", "claimant", "event_date", "date_basis", "report_date", "quote", "quote_en", "responses")
    fields += ("standing_basis", "credibility", "credibility_note")
    report = claims_report(
        lambda properties: [properties.update(kind="context", standing=""), *map(properties.pop, fields)]
    )
    assert report.problems == [] and len(report.features) == 1


def test_a_null_geometry_needs_precision_unknown_in_claims_mode():
    null = json.loads(json.dumps(DENIED))
    null["geometry"] = None
    bad = validate_document(collection(null), Context("in.geojson", mode=Mode.CLAIMS))
    expected = (
        'has no shape (geometry is null) but its precision is "region": use "unknown" if its source gives no place'
    )
    assert messages(bad.errors) == [expected]
    null["properties"].update(precision="unknown", uncertainty_km="")
    assert validate_document(collection(null), Context("in.geojson", mode=Mode.CLAIMS)).problems == []


def test_source_id_must_be_in_the_sources():
    report = claims_report(sources=frozenset({"another-source"}))
    source_id = DENIED["properties"]["source_id"]
    assert messages(report.errors) == [f'properties.source_id "{source_id}" is not in sources.json']
    assert report.errors[0].field == "properties.source_id"


def test_layer_must_be_the_layer_of_the_file():
    report = claims_report(layer="drills")
    layer = DENIED["properties"]["layer"]
    assert messages(report.errors) == [
        f"properties.layer is \"{layer}\" but the feature is in the file of layer 'drills'"
    ]


def test_more_than_six_decimals_are_an_error_in_claims_mode_only():
    precise = {"type": "Point", "coordinates": [27.5612345, 53.9]}
    assert messages(claims_report(geometry=precise).errors) == ["coordinates have more than 6 decimals"]
    assert validate(collection(feature(precise)), mode="import").errors == []


def test_data_folder_names_dangling_answers_unknown_sources_and_misfiled_layers(data_copy):
    path = data_copy / "layers" / "statements.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    first, second, third = (f["properties"] for f in document["features"][:3])
    first.update(kind="denial", standing="", answers=["no-such-claim"])
    second["source_id"] = "no-such-source"
    third["layer"] = "drills"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    found = [str(problem) for problem in check_data_dir(data_copy)]
    assert found[:2] == [
        f'{path}: feature {second["id"]}: properties.source_id "no-such-source" is not in sources.json',
        f'{path}: feature {third["id"]}: properties.layer is "drills" but the feature is in the file of layer '
        "'statements'",
    ]
    assert found[2:] == [f"{path}: feature {first['id']}: answers 'no-such-claim', which is no feature of the case"]
