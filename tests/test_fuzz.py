"""Property-based tests: whatever JSON or geometry-like structure comes in, the validator reports, never raises;
whatever a collection holds, its GeoJSON file reads back as it was."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.export import geojson as geojson_file
from geo.model.schema import GEOMETRY_TYPES
from geo.validate import UNREADABLE, Context, Limits, Problem, Report, check_geometry, parse_json, validate_document
from geo.validate.imports import ImportResult, import_file

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODES = st.sampled_from(["claims", "import", "structure"])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
# Numbers of every kind a hostile file may hold, and things that are almost numbers.
coordinates = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(min_value=-200, max_value=200)
    | st.sampled_from(["27.5", None, True, [], {}])
)
positions = st.lists(coordinates, min_size=0, max_size=4)
nested = st.recursive(positions, lambda children: st.lists(children, max_size=5), max_leaves=40)
geometry_types = st.sampled_from([*GEOMETRY_TYPES, "Feature", "Circle", "", None, 3])


@st.composite
def geometries(draw, depth=2):
    kind = draw(geometry_types)
    geometry = {"type": kind, "coordinates": draw(nested)}
    if kind == "GeometryCollection" and depth:
        geometry["geometries"] = draw(st.lists(geometries(depth=depth - 1), max_size=3))
    if draw(st.booleans()):
        geometry[draw(st.text(max_size=8))] = draw(json_values)
    return geometry


# Plausible, mostly valid rings and lines near the case, so shapely's checks get exercised too.
lonlat = st.tuples(st.floats(min_value=14, max_value=41), st.floats(min_value=49, max_value=61)).map(list)
rings = st.lists(lonlat, min_size=3, max_size=8).map(lambda ring: [*ring, ring[0]])
plausible = st.one_of(
    lonlat.map(lambda p: {"type": "Point", "coordinates": p}),
    st.lists(lonlat, min_size=2, max_size=8).map(lambda line: {"type": "LineString", "coordinates": line}),
    st.lists(rings, min_size=1, max_size=3).map(lambda polygon: {"type": "Polygon", "coordinates": polygon}),
    st.lists(st.lists(rings, min_size=1, max_size=2), max_size=3).map(
        lambda polygons: {"type": "MultiPolygon", "coordinates": polygons}
    ),
)
properties = st.none() | st.dictionaries(st.text(max_size=12), json_values, max_size=6) | json_values
features = st.fixed_dictionaries(
    {"type": st.sampled_from(["Feature", "Feature", "feature", None])},
    optional={
        "geometry": st.none() | geometries() | plausible | json_values,
        "properties": properties,
        "id": json_values,
    },
)
documents = st.one_of(
    json_values,
    geometries(),
    plausible,
    features,
    st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(features | json_values, max_size=6)},
        optional={"crs": json_values},
    ),
)


def assert_report(report):
    assert isinstance(report, Report)
    assert all(isinstance(problem, Problem) and isinstance(problem.message, str) for problem in report.problems)
    assert all(str(problem) for problem in report.problems)
    assert len(report.features) <= max(report.total, 1)
    assert set(report.unsourced) <= set(range(len(report.features)))


@FUZZ
@given(data=st.binary(max_size=300))
def test_parse_json_never_raises_on_bytes(data):
    value, problems = parse_json(data, "fuzz.geojson", Limits(max_depth=8))
    assert all(isinstance(problem, Problem) for problem in problems)
    assert value is not UNREADABLE or any(not problem.warning for problem in problems)


@FUZZ
@given(text=st.text(alphabet='{}[]":,0123456789.eE-+ ntrufalsNI\\', max_size=60))
def test_parse_json_never_raises_on_json_like_text(text):
    value, problems = parse_json(text.encode(), "fuzz.geojson")
    if value is UNREADABLE:
        assert [problem for problem in problems if not problem.warning]


@FUZZ
@given(document=documents, mode=MODES)
def test_validate_document_never_raises(document, mode):
    assert_report(validate_document(document, Context("fuzz.geojson", mode=mode)))


@FUZZ
@given(document=documents)
def test_import_file_never_raises_and_round_trips_json(document):
    data = json.dumps(document).encode()
    result = import_file("fuzz.geojson", data, taken_ids=frozenset({"import-fuzz"}))
    assert isinstance(result, ImportResult)
    assert result.layer.id == "import-fuzz-2"
    assert result.accepted + result.rejected == result.total
    json.dumps(result.collection)  # what was accepted can be written back as JSON


@FUZZ
@given(geometry=geometries() | plausible, strict=st.booleans())
def test_check_geometry_never_raises(geometry, strict):
    errors, warnings = check_geometry(geometry, strict=strict)
    assert all(isinstance(message, str) and message for message in errors + warnings)


@FUZZ
@given(geometry=plausible)
def test_accepted_geometries_can_be_drawn(geometry):
    from shapely.geometry import shape

    report = validate_document(geometry, Context("fuzz.geojson", mode="import"))
    for feature in report.features:
        shape(feature["geometry"])  # mapview builds shapes of every accepted feature


@FUZZ
@given(
    members=st.dictionaries(st.text(max_size=10).filter(lambda key: key != "features"), json_values, max_size=4),
    features=st.lists(st.dictionaries(st.text(max_size=10), json_values, max_size=4), max_size=6),
)
def test_a_geojson_file_reads_back_as_written_with_one_member_and_one_feature_a_line(members, features):
    collection = {"type": "FeatureCollection", **members, "features": features}
    text = geojson_file.to_bytes(collection).decode("utf-8")

    assert json.loads(text) == collection
    lines = text.split("\n")  # not splitlines(): a string may hold U+2028, which JSON leaves as it is
    first = len(collection) + 1  # after "{", the other members and the line opening the features
    feature_lines = lines[first : first + len(features)]
    assert [json.loads(line.rstrip(",")) for line in feature_lines] == features
