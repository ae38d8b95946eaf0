"""The map's geometry at display weight: simplified and rounded for the zoom, shared edges kept, small holes gone.

Pixels are measured independently of geo.render.weight: coordinates are projected to Web Mercator with pyproj
(EPSG:3857), whose world is 2·π·a metres wide, and Leaflet spreads that world over 256·2**zoom pixels.
"""

import copy
import gzip
import itertools
import json
import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo.render import rounding, weight
from tests.browser import ROOT

LAYERS = ROOT / "data" / "layers"
OFFLINE = ROOT / "data" / "base" / "offline.geojson"
SHIPPED = [*sorted(LAYERS.glob("*.geojson")), OFFLINE]
ZOOM, LATITUDE = 5, 55.0
TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
WORLD_METRES = 2 * TO_MERCATOR.transform(180.0, 0.0)[0]


def pixel_metres(zoom):
    return WORLD_METRES / (weight.TILE_SIZE * 2**zoom)


def to_pixels(geometry, zoom):
    """The geometry in Web Mercator pixels at ``zoom``."""

    def project(coordinates):
        x, y = TO_MERCATOR.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y]) / pixel_metres(zoom)

    return shapely.transform(geometry, project)


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def geometries(collection):
    return [shapely.from_geojson(json.dumps(f["geometry"])) for f in collection["features"] if f["geometry"]]


@pytest.fixture(scope="module")
def weighed():
    """Each shipped layer as read and as weighed at the default view, computed once."""
    return {path.name: (read(path), weigh(path)) for path in SHIPPED}


def weigh(path):
    """Weigh a shipped file as the page does: the offline basemap part by part, the layers whole."""
    if path.name == "offline.geojson":
        return weight.weigh_parts(read(path), ZOOM, LATITUDE)
    return weight.weigh_collection(read(path), ZOOM, LATITUDE)


def square(lon, lat, width, height=None):
    return shapely.box(lon, lat, lon + width, lat + (height or width))


def collection_of(*shapes, **properties):
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(s)) if s is not None else None,
            "properties": {"n": n, **properties},
        }
        for n, s in enumerate(shapes)
    ]
    return {"type": "FeatureCollection", "features": features}


def test_a_pixel_spans_what_web_mercator_gives_it_at_the_equator_and_less_ground_further_north():
    assert weight.metres_per_pixel(0, 0) == pytest.approx(pixel_metres(0))
    assert weight.metres_per_pixel(6, 0) == pytest.approx(weight.metres_per_pixel(5, 0) / 2)
    assert weight.metres_per_pixel(5, 60) == pytest.approx(weight.metres_per_pixel(5, 0) / 2)


@pytest.mark.parametrize("latitude", [95.0, -86.0, math.nan])
def test_a_latitude_off_the_web_mercator_map_is_refused_by_name(latitude):
    with pytest.raises(ValueError, match="latitude"):
        weight.metres_per_pixel(5, latitude)


def test_the_tolerance_is_one_pixel_along_the_meridian():
    tolerance = weight.tolerance_for(ZOOM, LATITUDE)
    _, south = TO_MERCATOR.transform(25.0, LATITUDE)
    _, north = TO_MERCATOR.transform(25.0, LATITUDE + tolerance)
    assert (north - south) / pixel_metres(ZOOM) == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("zoom", range(0, 19))
def test_rounding_to_the_decimals_moves_a_point_under_half_a_pixel_and_one_place_fewer_would_not(zoom):
    decimals = weight.decimals_for(zoom, LATITUDE)
    lat_px = weight.tolerance_for(zoom, LATITUDE)
    lon_px = 360 / (weight.TILE_SIZE * 2**zoom)

    def worst_shift(places):
        return 10.0**-places / 2 * math.hypot(1 / lon_px, 1 / lat_px)

    assert worst_shift(decimals) < 0.5
    assert decimals == 0 or worst_shift(decimals - 1) >= 0.5


def test_rounding_decimals_grow_with_the_zoom():
    decimals = [weight.decimals_for(zoom, LATITUDE) for zoom in range(0, 19)]
    assert decimals == sorted(decimals)
    assert decimals[18] - decimals[2] >= 4


def test_every_weighed_geometry_is_valid_non_empty_and_of_its_family(weighed):
    for name, (before, after) in weighed.items():
        for old, new in zip(geometries(before), geometries(after), strict=True):
            assert shapely.is_valid(new), (name, shapely.is_valid_reason(new))
            assert not new.is_empty, name
            assert rounding.family(new) == rounding.family(old), name


@pytest.mark.parametrize("zoom", [3, 8, 11])
def test_the_outlines_stay_valid_at_other_zooms(zoom):
    for path in (LAYERS / "border-areas.geojson", OFFLINE):
        after = geometries(weight.weigh_collection(read(path), zoom, LATITUDE))
        assert all(shapely.is_valid(after)) and not any(shapely.is_empty(after))


def test_borders_lose_most_of_their_vertices_at_the_default_zoom(weighed):
    before, after = weighed["borders.geojson"]
    old, new = shapely.get_num_coordinates(geometries(before)), shapely.get_num_coordinates(geometries(after))
    assert new.sum() < old.sum() / 2
    assert all(new <= old)


@pytest.mark.parametrize("name", ["borders.geojson", "border-areas.geojson", "offline.geojson", "drills.geojson"])
def test_outlines_move_at_most_about_two_pixels(weighed, name):
    """Measured against the input without the holes under the threshold, which are meant to go."""
    before, after = weighed[name]
    source = weight.drop_small_holes(geometries(before), ZOOM, weight.MIN_HOLE_PX)
    for old, new in zip(source, geometries(after), strict=True):
        assert shapely.hausdorff_distance(to_pixels(old, ZOOM), to_pixels(new, ZOOM)) <= 2.5


@pytest.mark.parametrize("name", ["offline.geojson", "border-areas.geojson", "borders.geojson"])
def test_neighbours_still_share_their_edges_and_do_not_overlap(weighed, name):
    before, after = weighed[name]
    # The offline basemap's fade frames overlap the countries on purpose: the countries form the coverage.
    parts = [f["properties"].get("part", "country") for f in before["features"] if f["geometry"]]
    polygonal = [
        i for i, g in enumerate(geometries(before)) if rounding.family(g) == "polygon" and parts[i] == "country"
    ]
    old = [geometries(before)[i] for i in polygonal]
    new = [geometries(after)[i] for i in polygonal]
    neighbours = 0
    for a, b in itertools.combinations(range(len(old)), 2):
        shared_before = shapely.intersection(old[a].boundary, old[b].boundary).length
        if shared_before == 0:
            continue
        neighbours += 1
        shared_after = shapely.intersection(new[a].boundary, new[b].boundary).length
        assert shared_after >= shared_before / 2, (a, b)
        overlap = shapely.intersection(to_pixels(new[a], ZOOM), to_pixels(new[b], ZOOM)).area
        assert overlap < 1.0, (a, b, overlap)
    assert neighbours >= 1


def test_a_hole_under_the_threshold_goes_and_a_larger_one_stays():
    outer = square(24.0, 54.5, 2.0)
    lon_px = 360 / (weight.TILE_SIZE * 2**ZOOM)
    small, large = square(24.3, 55.0, 2 * lon_px), square(25.0, 55.0, 8 * lon_px)
    small_px, large_px = (to_pixels(hole, ZOOM).area for hole in (small, large))
    assert small_px < weight.MIN_HOLE_PX < large_px
    polygon = shapely.Polygon(outer.exterior, [small.exterior, large.exterior])
    result = weight.weigh_collection(collection_of(polygon), ZOOM, LATITUDE)
    (kept,) = geometries(result)
    assert len(kept.interiors) == 1
    assert shapely.Polygon(kept.interiors[0]).intersects(large.centroid)
    assert kept.contains(small.centroid)


def test_a_small_hole_a_neighbour_fills_stays():
    enclave = square(25.0, 55.0, 0.02)
    around = shapely.Polygon(square(24.0, 54.5, 2.0).exterior, [enclave.exterior])
    result = weight.weigh_collection(collection_of(around, enclave), ZOOM, LATITUDE)
    outside, inside = geometries(result)
    assert len(outside.interiors) == 1
    assert shapely.intersection(outside, inside).area == 0


def test_holes_at_the_default_zoom_leave_the_border_zones(weighed):
    before, after = weighed["border-areas.geojson"]
    assert sum(shapely.get_num_interior_rings(shapely.get_parts(geometries(before)))) > 100
    assert sum(shapely.get_num_interior_rings(shapely.get_parts(geometries(after)))) == 0


def test_overlapping_polygons_are_simplified_each_on_its_own():
    wiggle = shapely.Polygon([(24 + i / 100, 54 + 0.001 * (i % 2)) for i in range(200)] + [(26, 56), (24, 56)])
    other = shapely.affinity.translate(wiggle, 0.5, 0.5)
    assert weight.coverage_members([wiggle, other]) == []
    result = geometries(weight.weigh_collection(collection_of(wiggle, other), ZOOM, LATITUDE))
    assert all(shapely.is_valid(result))
    assert all(shapely.get_num_coordinates(result) < shapely.get_num_coordinates([wiggle, other]))


def test_a_polygon_smaller_than_a_pixel_does_not_vanish():
    tiny = square(27.5, 53.9, 0.0001)
    (kept,) = geometries(weight.weigh_collection(collection_of(tiny), 3, LATITUDE))
    assert kept.geom_type == "Polygon" and not kept.is_empty and kept.is_valid
    assert kept.distance(tiny) < weight.tolerance_for(3, LATITUDE)


def test_the_input_is_left_as_it_was(weighed):
    original = read(LAYERS / "drills.geojson")
    kept = copy.deepcopy(original)
    weight.weigh_collection(original, ZOOM, LATITUDE)
    assert original == kept


def test_features_without_geometry_stay_in_place_with_their_properties():
    denials = read(LAYERS / "denials.geojson")
    result = weight.weigh_collection(denials, ZOOM, LATITUDE)
    assert [f["geometry"] is None for f in result["features"]] == [f["geometry"] is None for f in denials["features"]]
    assert any(f["geometry"] is None for f in result["features"])
    assert all(a["properties"] is b["properties"] for a, b in zip(result["features"], denials["features"], strict=True))
    assert result["name"] == denials["name"]


def test_weighing_twice_gives_the_same_collection():
    path = LAYERS / "border-areas.geojson"
    first = weight.weigh_collection(read(path), 7, LATITUDE)
    assert json.dumps(first) == json.dumps(weight.weigh_collection(read(path), 7, LATITUDE))


def test_weighed_coordinates_carry_no_more_decimals_than_the_zoom_needs(weighed):
    _, after = weighed["borders.geojson"]
    text = json.dumps(after["features"][0]["geometry"])
    digits = [
        len(number.split(".")[1])
        for number in text.replace("[", " ").replace("]", " ").replace(",", " ").split()
        if "." in number
    ]
    assert max(digits) <= weight.decimals_for(ZOOM, LATITUDE) + rounding.EXTRA_DECIMALS


@settings(max_examples=60, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0),
    lat=st.floats(-80.0, 80.0),
    zoom=st.integers(0, 18),
)
def test_a_point_keeps_its_place_within_half_a_pixel(lon, lat, zoom):
    point = shapely.Point(lon, lat)
    (moved,) = geometries(weight.weigh_collection(collection_of(point), zoom, lat))
    assert shapely.distance(to_pixels(point, zoom), to_pixels(moved, zoom)) < 0.5


@settings(max_examples=40, deadline=None)
@given(
    centres=st.lists(st.tuples(st.floats(22.0, 30.0), st.floats(50.0, 58.0)), min_size=1, max_size=6),
    radius=st.floats(0.001, 0.5),
    zoom=st.integers(2, 12),
)
def test_random_shapes_come_out_valid_and_non_empty(centres, radius, zoom):
    """Overlapping discs with wobbly edges, lines through their centres and a point: every output drawable."""
    discs = [shapely.Point(lon, lat).buffer(radius, quad_segs=4 + i) for i, (lon, lat) in enumerate(centres)]
    line = shapely.LineString(centres + [(centres[0][0] + radius, centres[0][1])])
    shapes = [*discs, line, shapely.Point(centres[0])]
    result = geometries(weight.weigh_collection(collection_of(*shapes), zoom, 54.0))
    assert all(shapely.is_valid(result)) and not any(shapely.is_empty(result))
    assert [rounding.family(g) for g in result] == [rounding.family(g) for g in shapes]


def test_the_floor_grows_with_features_and_weighs_less_than_the_full_collection(weighed):
    before, after = weighed["statements.geojson"]
    decimals = weight.decimals_for(ZOOM, LATITUDE)
    floors = [weight.floor_bytes({**after, "features": after["features"][:n]}, decimals) for n in range(1, 5)]
    assert floors == sorted(floors) and floors[0] < floors[-1]
    full = len(gzip.compress(json.dumps(before, separators=(",", ":")).encode(), 9))
    assert floors[-1] < full


def test_the_floor_keeps_only_what_the_map_needs_to_key_name_and_style():
    shape_ = square(24.123456, 54.654321, 0.5)
    lean = collection_of(shape_, _key="x/0", title="T", kind="claim", standing="contested")
    heavy = collection_of(shape_, _key="x/0", title="T", kind="claim", standing="contested", quote="q" * 500)
    assert weight.floor_bytes(heavy, 2) == weight.floor_bytes(lean, 2)
    assert weight.floor_bytes(lean, 2) < weight.floor_bytes(lean, 6)
