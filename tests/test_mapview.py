"""The map draws the claim model: kind and standing per shape, doubt, selection, stacked points; no template runs."""

import json
import re

import folium
import numpy as np
import pytest
import shapely
from jinja2.utils import htmlsafe_json_dumps
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point, shape

from geo.model.claims import ON_RECORD
from geo.model.layers import Layer
from geo.render import arrange, group, mapview, uncertainty
from geo.render.escape import escape_text
from geo.store.case import load_case
from tests.conftest import DATA

CASE = {"center": [53.9, 27.5], "zoom": 7}
LAYER = Layer(id="claims", title="Claims", group="claims", file="")
GEOD = Geod(ellps="WGS84")


def feature(fid, kind, geometry, **properties):
    properties = {"id": fid, "title": fid, "kind": kind, **properties}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def area(lon, lat, size=0.4):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def claim_with_denials():
    """A contested claim answered by a placed denial and by a denial the source gives no place for."""
    claim = feature(
        "nato-buildup",
        "claim",
        area(23.5, 54.0),
        standing="contested",
        reliability="F",
        credibility=5,
        precision="region",
        uncertainty_km=30,
        placement="inferred",
        responses=[{"type": "denial", "feature": "nato-denial"}, {"type": "denial", "feature": "lt-denial"}],
    )
    placed = feature("nato-denial", "denial", point(4.4, 50.9), answers=["nato-buildup"], precision="place")
    unplaced = feature("lt-denial", "denial", None, answers=["nato-buildup"])
    return {"type": "FeatureCollection", "features": [claim, placed, unplaced]}


def shown(collection=None):
    return mapview.display_collection(LAYER, collection or claim_with_denials())


def rendered(collection=None, selected=None):
    return mapview.build_map([(LAYER, shown(collection))], CASE, selected=selected).get_root().render()


def test_drawn_features_carry_kind_standing_grade_and_place_words_not_status():
    drawn = {f["properties"]["id"]: f["properties"] for f in shown()["features"]}
    assert set(drawn) == {"nato-buildup", "nato-denial"}, "the denial without a place is not drawn"
    claim, denial = drawn["nato-buildup"], drawn["nato-denial"]
    assert (claim["kind"], claim["standing"], claim["grade"]) == ("claim", "contested", "F5")
    assert (denial["kind"], denial["standing"], denial["grade"]) == ("denial", ON_RECORD, "")
    assert claim["place"] == "Somewhere in this region, give or take 30 km \u00b7 placed by the project (inference)"
    assert "status" not in claim
    assert claim[arrange.ANSWERS_FIELD].split() == ["nato-denial", "lt-denial"]


def test_the_tooltip_names_few_fields_and_the_precision_in_words():
    html = rendered()
    assert re.search(r'"fields": \["title", "kind", "standing", "grade", "place"\]', html) or (
        json.dumps(list(group.TOOLTIP_FIELDS)) in html
    )
    assert "give or take 30 km" in html


def test_a_route_corridor_is_its_uncertainty_wide_on_the_ground():
    route = feature(
        "convoy",
        "report",
        {"type": "LineString", "coordinates": [[27.0, 53.0], [28.0, 53.5]]},
        precision="route",
        uncertainty_km=5,
    )
    [(what, geometry)] = uncertainty.doubt_shapes(route)
    corridor = shape(geometry)
    assert what == "corridor" and corridor.contains(shape(route["geometry"]))
    # walk from the route's middle straight across it: the corridor ends 5 km out (within 2%)
    middle = shape(route["geometry"]).interpolate(0.5, normalized=True)
    azimuth = GEOD.inv(27.0, 53.0, 28.0, 53.5)[0] + 90
    for km, inside in ((4.9, True), (5.1, False)):
        lon, lat, _ = GEOD.fwd(middle.x, middle.y, azimuth, km * 1000)
        assert corridor.contains(Point(lon, lat)) is inside, km


def test_a_place_is_a_circle_of_its_radius_and_a_region_fades_in_steps():
    place = feature("minsk", "statement", point(27.56, 53.9), precision="place", uncertainty_km=10)
    [(what, geometry)] = uncertainty.doubt_shapes(place)
    ring = shape(geometry).exterior.coords
    distances = [GEOD.inv(27.56, 53.9, lon, lat)[2] / 1000 for lon, lat in ring]
    assert what == "circle" and min(distances) > 9.8 and max(distances) < 10.2
    region = uncertainty.doubt_shapes(claim_with_denials()["features"][0])
    assert [what for what, _ in region] == ["halo"] * len(uncertainty.HALO_STEPS)
    areas = [shape(geometry).area for _, geometry in region]
    assert areas == sorted(areas, reverse=True), "outermost first, each inside the last"


@pytest.mark.parametrize("precision, km", [("exact", 5), ("place", 0), ("place", None), (None, 5)])
def test_no_doubt_is_drawn_without_a_precision_and_a_radius(precision, km):
    place = feature("x", "claim", point(27, 53), precision=precision, uncertainty_km=km)
    assert uncertainty.doubt_shapes(place) == []


def test_precision_words():
    words = uncertainty.precision_words
    assert words({"precision": "route", "uncertainty_km": 5, "placement": "inferred"}) == (
        "Along a route, give or take 5 km \u00b7 placed by the project (inference)"
    )
    assert words({"precision": "place", "placement": "stated"}) == "At a place \u00b7 placed as the source states"
    assert words({"precision": "exact"}) == "At this exact spot"
    assert words({}) == ""


def test_selecting_a_claim_highlights_its_denial_and_connects_it_from_the_denials_place():
    features = shown()["features"]
    selection = arrange.select(features, "nato-buildup")
    keys = {f["properties"]["id"]: f["properties"][mapview.KEY_FIELD] for f in features}
    assert selection.selected == {keys["nato-buildup"]} and selection.answers == {keys["nato-denial"]}
    [(start, end)] = selection.connectors
    assert start == (50.9, 4.4)
    assert shape(features[0]["geometry"]).contains(Point(end[1], end[0]))


def test_selecting_a_denial_connects_it_to_the_claim_it_answers():
    selection = arrange.select(shown()["features"], "nato-denial")
    assert len(selection.connectors) == 1 and selection.connectors[0][0] == (50.9, 4.4)


def test_the_selected_map_draws_one_dashed_connector_and_highlights():
    html = rendered(selected="nato-buildup")
    assert html.count('"className": "cm-connector"') == 1
    assert "cm-selected" in html and "cm-answer" in html
    assert "cm-connector" not in rendered(), "nothing selected, no connector"


def test_a_denial_without_a_place_neither_crashes_nor_draws():
    only = {"type": "FeatureCollection", "features": [claim_with_denials()["features"][2]]}
    assert shown(only)["features"] == []
    assert "lt-denial" not in rendered(only, selected="lt-denial")


def icon_anchors(html, keys):
    """The icon anchor of each point marker in the map's styler (Folium's ``switch`` on the _key)."""
    styler = html[html.index("_styler(feature) {") : html.index("_highlighter(feature)")]
    anchors, default = {}, None
    for cases, style in re.findall(r"((?:case \"[^\"]+\": )+|default:)\s*return (\{.*?\});\n", styler):
        anchor = tuple(json.loads(style)["iconAnchor"])
        if cases == "default:":
            default = anchor
        for key in re.findall(r'case "([^"]+)"', cases):
            anchors[key] = anchor
    return {key: anchors.get(key, default) for key in keys}


def test_two_points_at_one_place_get_two_markers_with_different_anchors():
    minsk = point(27.56, 53.9)
    statements = [feature(f"s{n}", "statement", minsk) for n in range(2)] + [feature("far", "claim", point(25, 54))]
    html = rendered({"type": "FeatureCollection", "features": statements})
    keys = [f["properties"][mapview.KEY_FIELD] for f in shown({"features": statements})["features"]]
    anchors = icon_anchors(html, keys)
    assert anchors[keys[0]] != anchors[keys[1]]
    assert anchors[keys[0]] == anchors[keys[2]], "a point alone stays on its place"


def test_points_are_markers_of_their_kind_inside_the_layer_that_reports_clicks():
    html = rendered()
    assert "new L.Marker(latlng, opts)" in html, "points stay in the GeoJson layer: clicks carry their properties"
    assert html.count("kind-denial") >= 1 and "kind-claim" in html


def test_template_text_in_the_new_fields_is_never_evaluated():
    payload = "zq{{ 7*7 }}"
    hostile = feature(
        payload,
        payload,
        point(27, 53),
        standing=payload,
        precision=payload,
        placement=payload,
        answers=[payload],
        grade=payload,
        uncertainty_km=payload,
    )
    drawn = shown({"features": [hostile]})["features"][0]["properties"]
    assert drawn["kind"] == drawn["standing"] == "unsourced"
    html = rendered({"features": [hostile]}, selected=payload)
    assert "zq49" not in html
    assert htmlsafe_json_dumps(str(escape_text(payload)))[1:-1] in html


def descendants(element):
    """Every element under ``element`` (the claims group's layers too)."""
    for child in element._children.values():
        yield child
        yield from descendants(child)


def test_the_legend_on_the_map_lists_the_standings_shown():
    html = rendered()
    legend_text = re.search(r"box\.innerHTML = (\".*?\");", html)[1]
    legend = json.loads(legend_text)
    assert re.findall(r'data-standing=\\?"([^"\\]+)', legend) == ["contested", ON_RECORD]


def test_claim_areas_carry_their_kind_symbol_but_context_areas_none():
    country = feature("country-x", "context", area(20.0, 50.0))
    collection = {"type": "FeatureCollection", "features": [*claim_with_denials()["features"], country]}
    fmap = mapview.build_map([(LAYER, shown(collection))], CASE)
    badges = [
        item
        for child in descendants(fmap)
        if isinstance(child, folium.GeoJson) and child.data["features"]
        for item in child.data["features"]
        if set(item["properties"]) == {"kind", "standing", "placement"}
    ]
    assert [item["properties"]["kind"] for item in badges] == ["claim"]  # the claim area; the country none


def test_view_controls_on_a_map_drawn_whole_attach_to_the_map_not_its_figure():
    """The standalone export draws the claims on the map itself: its controls must name the map (a figure is no map)."""
    fmap = mapview.build_map([(LAYER, shown(claim_with_denials()))], CASE)
    html = fmap.get_root().render()
    assert f"var map = {fmap.get_name()};" in html
    assert "var map = figure_" not in html


def _drawn_doubt(fmap):
    return [child.data for child in fmap._children.values() if isinstance(child, folium.GeoJson)]


def test_each_feature_s_doubt_is_buffered_once_whatever_set_it_is_drawn_in(monkeypatch):
    from geo.render import overlays

    route = feature("route", "claim", {"type": "LineString", "coordinates": [[27.1, 53.1], [27.9, 53.4]]})
    route["properties"].update(precision="route", uncertainty_km=7, standing="contested")
    place = feature("minsk", "statement", point(27.56, 53.9), precision="place", uncertainty_km=10)
    calls = []
    real = overlays.doubt_shapes
    monkeypatch.setattr(overlays, "doubt_shapes", lambda f: calls.append(f["geometry"]["type"]) or real(f))
    overlays.doubt_bands.cache_clear()
    overlays.feature_bands.cache_clear()
    first, second, fewer = folium.Map(), folium.Map(), folium.Map()
    overlays.add_doubt(first, [route, place], (7, 53.0))
    overlays.add_doubt(second, [route, place], (7, 53.0))
    overlays.add_doubt(fewer, [route], (7, 53.0))
    assert sorted(calls) == ["LineString", "Point"], "a layer switched off buffers nothing again"
    assert _drawn_doubt(first) == _drawn_doubt(second)
    assert [band["properties"]["what"] for band in _drawn_doubt(first)[0]["features"]] == ["corridor", "circle"]
    [band] = _drawn_doubt(fewer)[0]["features"]
    assert band["properties"] == {"what": "corridor", "colour": overlays.STANDING_COLOURS["contested"]}
    assert band["geometry"] == _drawn_doubt(first)[0]["features"][0]["geometry"]
    route["properties"]["uncertainty_km"] = 2
    overlays.add_doubt(folium.Map(), [route], (7, 53.0))
    assert len(calls) == 3, "another radius is another band"


@pytest.mark.parametrize("lon, lat, km", [(27.56, 53.9, 10), (25.0, 69.9, 3.5), (-60.0, -40.0, 120)])
def test_a_place_s_circle_lies_on_the_geodesic_circle_without_a_projection(monkeypatch, lon, lat, km):
    monkeypatch.setattr(uncertainty, "local_projection", lambda *args: pytest.fail("a place needs no projection"))
    circle = uncertainty.buffer_km(shapely.Point(lon, lat), km)
    ring = list(circle.exterior.coords)
    distances = [GEOD.inv(lon, lat, x, y)[2] / 1000 for x, y in ring]
    assert circle.is_valid and circle.exterior.is_ccw and len(ring) == uncertainty.CIRCLE_VERTICES + 1
    assert max(abs(distance - km) for distance in distances) < 0.002  # the 5-decimal grid: about a metre


def test_routes_near_each_other_share_one_projection_and_keep_their_width():
    uncertainty.local_projection.cache_clear()
    routes = [shape({"type": "LineString", "coordinates": [[26.8 + d, 53.1], [27.1 + d, 53.2]]}) for d in (0, 0.1)]
    corridors = [uncertainty.buffer_km(route, 5) for route in routes]
    assert uncertainty.local_projection.cache_info().misses == 1
    for route, corridor in zip(routes, corridors, strict=True):
        middle = route.interpolate(0.5, normalized=True)
        azimuth = GEOD.inv(*route.coords[0], *route.coords[1])[0] + 90
        for km, inside in ((4.95, True), (5.05, False)):
            x, y, _ = GEOD.fwd(middle.x, middle.y, azimuth, km * 1000)
            assert corridor.contains(Point(x, y)) is inside, km


@pytest.mark.parametrize("lon, lat", [(27.0, 53.5), (25.0, 69.9), (-60.0, -40.0)])
def test_the_local_projection_is_proj_s_azimuthal_equidistant_crs_both_ways(lon, lat):
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    there = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    projection = uncertainty.local_projection(lon, lat)
    lons, lats = np.array([lon - 2.5, lon, lon + 1.0]), np.array([lat + 2.0, lat, lat - 1.5])
    assert np.allclose(projection.transform(lons, lats), there.transform(lons, lats), rtol=0, atol=1e-6)
    xs, ys = np.array([-150_000.0, 0.0, 90_000.0]), np.array([30_000.0, 0.0, -200_000.0])
    inverse = projection.transform(xs, ys, direction="INVERSE")
    assert np.allclose(inverse, back.transform(xs, ys), rtol=0, atol=1e-9)


def test_the_map_draws_no_context_area_but_context_lines_and_every_placed_claim():
    line = {"type": "LineString", "coordinates": [[20.0, 50.0], [21.0, 51.0]]}
    multi = {"type": "MultiPolygon", "coordinates": [area(22.0, 52.0)["coordinates"]]}
    features = [
        feature("country-x", "context", area(20.0, 50.0)),
        feature("country-y", "context", multi),
        feature("border-x-y", "context", line),
        feature("claimed-zone", "claim", area(20.0, 50.0)),
        feature("unplaced-denial", "denial", None),
    ]
    assert [mapview.is_drawn(f) for f in features] == [False, False, True, True, False]
    shown = mapview.display_collection(LAYER, {"type": "FeatureCollection", "features": features})
    assert [f["properties"]["id"] for f in shown["features"]] == ["border-x-y", "claimed-zone"]


def test_the_shipped_borders_layer_draws_its_two_boundaries_and_none_of_its_countries():
    # The countries drew nothing (no fill, no stroke) yet were most of the default view's bytes.
    borders = next((layer, fc) for layer, fc in load_case(DATA).layers() if layer.id == "borders")
    shown = mapview.display_collection(*borders)
    countries = [f for f in borders[1]["features"] if f["geometry"]["type"].endswith("Polygon")]
    assert len(countries) == 7 and len(borders[1]["features"]) == 9
    assert [f["geometry"]["type"] for f in shown["features"]] == ["MultiLineString", "MultiLineString"]
