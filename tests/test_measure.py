"""Measurements and border zones at a chosen depth: areas, lengths and distances in the case's metric CRS."""

import math

import geopandas as gpd
import pytest
import shapely
import shapely.ops
from pyproj import Geod
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from geo.app.measurements import OPEN_KEY, apply_depth
from geo.derive.measure import BORDER_COUNTRY, REFERENCE_PLACES, as_frame, measurements
from geo.derive.recipes import RecipeError
from geo.derive.zones import ZONE_LAYER, recipes_for, shipped_depth, zones_at_depth
from geo.store.catalog import DataError
from tests.conftest import DATA, read_json

GEOD = Geod(ellps="WGS84")
#: Coordinates are written with 6 decimals (about 0.1 m): what a round trip through WGS84 may move a vertex.
ROUNDING_M = 1.0
#: Every depth the tests recompute is computed once (the build's recipe takes seconds).
DEPTHS = (5, 10, 30, 60)


@pytest.fixture(scope="module")
def recipes():
    return recipes_for(str(DATA))


@pytest.fixture(scope="module")
def zones():
    return {depth: zones_at_depth(DATA, depth) for depth in DEPTHS}


@pytest.fixture(scope="module")
def shipped():
    return measurements(DATA)


def metric(recipes, feature):
    return gpd.GeoSeries([shape(feature["geometry"])], crs="EPSG:4326").to_crs(recipes.metric_crs).iloc[0]


def zone_recipes():
    """The border-areas claims' recipes, by feature id, as data/claims.json gives them."""
    claims = read_json(DATA / "claims.json")["features"]
    return {claim["id"]: claim["geometry"] for claim in claims if claim["layer"] == ZONE_LAYER}


def by_id(collection):
    return {feature["id"]: feature for feature in collection["features"]}


def test_deeper_zones_have_larger_areas(recipes, zones):
    for feature_id in zone_recipes():
        areas = [metric(recipes, by_id(zones[depth])[feature_id]).area for depth in (10, 30, 60)]
        assert areas[0] < areas[1] < areas[2], feature_id
        stated = [by_id(zones[depth])[feature_id]["properties"]["area_km2"] for depth in (10, 30, 60)]
        assert stated == pytest.approx([area / 1e6 for area in areas], abs=1)  # area_km2 is rounded to 1 km²


@pytest.mark.parametrize("depth", [5, 10])
def test_a_thin_zone_is_about_its_border_length_times_its_depth(recipes, zones, depth):
    """A band of depth d on one side of a straight line of length L has area L·d.

    The border is not straight: bends shorter than the depth add length but no area, so L is the border
    simplified at d/2 (Douglas–Peucker). What remains is the curvature of bends longer than d (each bend adds
    or removes about d²/2 per radian turned) and the round ends of the buffer (at most π·d²/2 each, together
    at most π·25 = 79 km² at 5 km, 314 km² at 10 km: 3–9 % of these zones). 15 % holds both, but only at depths
    small against the border's larger bends: at 30–100 km the zones measure 0.47–1.12 times the unsimplified
    length times the depth.
    """
    for feature_id, recipe in zone_recipes().items():
        border = recipes.make_shared_border(recipe["country"], recipe["neighbour"])
        length = border.simplify(depth * 1000 / 2).length
        area = metric(recipes, by_id(zones[depth])[feature_id]).area
        assert area == pytest.approx(length * depth * 1000, rel=0.15), feature_id


@pytest.mark.parametrize("depth", [10, 60])
def test_zones_lie_in_their_country_within_the_depth_of_the_border(recipes, zones, depth):
    for feature_id, recipe in zone_recipes().items():
        zone = metric(recipes, by_id(zones[depth])[feature_id])
        country = recipes.country(recipe["country"])
        assert zone.difference(country).area < 1e3, feature_id  # square metres: slivers of the rounding
        border = recipes.make_shared_border(recipe["country"], recipe["neighbour"])
        vertices = shapely.points(shapely.get_coordinates(zone))
        assert shapely.distance(vertices, border).max() <= depth * 1000 + ROUNDING_M, feature_id


def test_the_case_depth_reproduces_the_committed_layer(zones):
    committed = by_id(read_json(DATA / "layers" / f"{ZONE_LAYER}.geojson"))
    rebuilt = by_id(zones[shipped_depth(DATA)])
    assert rebuilt.keys() == committed.keys()
    for feature_id, feature in rebuilt.items():
        assert feature["geometry"] == committed[feature_id]["geometry"]
        changed = {k for k, v in feature["properties"].items() if committed[feature_id]["properties"].get(k) != v}
        assert changed == {"method"}
        assert feature["properties"].keys() == committed[feature_id]["properties"].keys()


def test_a_chosen_depth_is_said_in_each_zones_method(zones):
    for feature in zones[60]["features"]:
        method = feature["properties"]["method"]
        assert "within 60 km of its boundary with Belarus" in method
        assert "depth chosen in the app; the source gives no depth" in method
        assert f"the case's default is {shipped_depth(DATA):g} km" in method


@pytest.mark.parametrize("depth", [4, 101, True, "30"])
def test_a_depth_outside_5_to_100_km_is_refused(depth):
    with pytest.raises(RecipeError, match="depth_km must be a number from 5 to 100 km"):
        zones_at_depth(DATA, depth)


def test_route_lengths_match_their_geodesic_length_within_1_percent(shipped):
    routes = [f for f in read_json(DATA / "layers" / "convoy-route.geojson")["features"]]
    lines = {f["id"]: shape(f["geometry"]) for f in routes if f["geometry"]["type"] == "LineString"}
    found = {m.feature_id: m for m in shipped if m.label.startswith("Route length")}
    assert found.keys() == lines.keys()
    for feature_id, line in lines.items():
        geodesic_km = GEOD.geometry_length(line) / 1000
        assert found[feature_id].value == pytest.approx(geodesic_km, rel=0.01)
        assert found[feature_id].unit == "km"


@pytest.mark.parametrize("place_id", REFERENCE_PLACES)
def test_distance_from_a_place_to_the_belarusian_border_matches_the_geodesic(recipes, shipped, place_id):
    place = recipes.places[place_id]
    (found,) = [m for m in shipped if m.label.endswith(f"from {place['name']}")]
    border = recipes.country(BORDER_COUNTRY).boundary
    nearest = recipes.to_wgs84(shapely.ops.nearest_points(recipes.point(place_id), border)[1])
    geodesic_km = GEOD.inv(place["lon"], place["lat"], nearest.x, nearest.y)[2] / 1000
    minsk = recipes.places["minsk"]
    to_minsk_km = GEOD.inv(place["lon"], place["lat"], minsk["lon"], minsk["lat"])[2] / 1000
    assert 0 < found.value < to_minsk_km  # outside Belarus, and nearer its border than its capital
    assert found.value == pytest.approx(geodesic_km, rel=0.01)


def test_every_sighting_end_is_measured_to_the_border(recipes, shipped):
    sightings = read_json(DATA / "layers" / "convoy-route.geojson")["features"]
    found = {m.feature_id: m for m in shipped if m.label.startswith("Distance") and m.feature_id}
    assert found.keys() == {f["id"] for f in sightings}
    border = recipes.country(BORDER_COUNTRY).boundary
    for feature in sightings:
        end = shapely.get_coordinates(metric(recipes, feature))[-1]
        assert found[feature["id"]].value == round(shapely.Point(end).distance(border) / 1000, 1)


def test_border_lengths_are_the_layer_lines_and_explain_the_cited_length(shipped):
    committed = by_id(read_json(DATA / "layers" / "borders.geojson"))
    found = [m for m in shipped if m.label.startswith("Border length")]
    assert {m.feature_id for m in found} == {"border-lithuania-belarus", "border-poland-belarus"}
    for item in found:
        properties = committed[item.feature_id]["properties"]
        assert item.value == properties["length_km"]
        shorter = properties["cited_length_km"] - item.value
        assert f"cites {properties['cited_length_km']:g} km" in item.method
        assert f"this line is {shorter:.1f} km" in item.method
        assert "generalised boundaries" in item.method and "EPSG:3035" in item.method


def test_zone_areas_follow_the_chosen_depth_and_the_others_stay(zones):
    areas = {m.feature_id: m for m in measurements(DATA, 60) if m.unit == "km²"}
    for feature_id, feature in by_id(zones[60]).items():
        assert areas[feature_id].value == feature["properties"]["area_km2"]
        assert "within 60 km" in areas[feature_id].method
    (drills,) = read_json(DATA / "layers" / "drills.geojson")["features"]
    assert areas[drills["id"]].value == drills["properties"]["area_km2"]


def test_the_frame_has_one_row_per_measurement(shipped):
    frame = as_frame(shipped)
    assert list(frame.columns) == ["figure", "value", "unit", "method", "feature_id"]
    assert frame["figure"].tolist() == [m.label for m in shipped]
    assert frame["value"].notna().all() and not math.isnan(frame["value"].sum())


def test_missing_boundaries_are_named(data_copy):
    (data_copy / "base" / "countries.geojson").unlink()
    with pytest.raises(DataError) as error:
        measurements(data_copy)
    assert error.value.path == data_copy / "base" / "countries.geojson"


def test_apply_depth_replaces_only_the_zone_layer(case, zones):
    layers = case.layers()
    assert apply_depth(layers, shipped_depth(DATA), DATA) is layers
    moved = apply_depth(layers, 60, DATA)
    for (layer, before), (same, after) in zip(layers, moved, strict=True):
        assert layer == same
        assert (after == zones[60]) if layer.id == ZONE_LAYER else (after is before)


def depth_page():
    from pathlib import Path

    import streamlit as st

    from geo.app.measurements import depth_slider, show_measurements

    data_dir = Path(st.session_state["data_dir"])
    depth = depth_slider(data_dir=data_dir)
    show_measurements(data_dir, depth)


def zone_areas_shown(app):
    frame = app.dataframe[0].value
    return frame[frame["unit"] == "km²"].set_index("figure")["value"].tolist()


def measurements_page(data_dir, is_open=True):
    app = AppTest.from_function(depth_page)
    app.session_state["data_dir"] = str(data_dir)
    if is_open:
        app.session_state[OPEN_KEY] = True
    return app


def test_the_measurements_are_folded_and_drawn_only_once_opened():

    app = measurements_page(DATA, is_open=False).run(timeout=300)
    assert not app.exception and not app.dataframe and not app.info
    [section] = app.expander
    assert section.label.startswith("Measurements: ")
    app.session_state[OPEN_KEY] = True
    app.run(timeout=300)
    assert not app.exception
    assert set(app.dataframe[0].value["unit"]) >= {"km", "km²"}


def test_the_slider_changes_the_areas_in_the_panel(zones):
    app = measurements_page(DATA)
    app.run(timeout=300)
    assert not app.exception
    before = zone_areas_shown(app)
    app.select_slider(key="zone-depth").set_value(60).run(timeout=300)
    assert not app.exception
    after = zone_areas_shown(app)
    expected = [f["properties"]["area_km2"] for f in zones[60]["features"]]
    assert after[: len(expected)] == expected and before[: len(expected)] != expected
    assert after[len(expected) :] == before[len(expected) :]  # the drills keep their depth


def test_the_panel_says_which_base_file_is_missing(data_copy):
    (data_copy / "base" / "countries.geojson").unlink()
    app = measurements_page(data_copy)
    app.run(timeout=300)
    assert not app.exception
    (notice,) = app.info
    assert notice.value.startswith("Measurements need data/base/countries.geojson: file not found: run")
    assert not app.dataframe
