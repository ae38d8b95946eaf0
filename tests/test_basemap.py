"""The offline basemap: country names, borders without the region's edge, labels that never collide."""

import json
import re
from itertools import combinations

import folium
import pytest
import shapely
from shapely.geometry import box, shape

from geo.derive.offline import build_offline, country_names
from geo.render import basemap
from geo.render.labels import MAX_ZOOM, Label, is_overlapping, label_box, min_zooms, shown_at
from geo.store.case import offline_basemap
from geo.store.settings import load_settings
from tests.conftest import DATA

HOSTILE = "<img src=x onerror=alert(1)>{{ 7 * 7 }}"
#: Coordinates are rounded to 4 decimals: a point this close to the region's edge lies on it.
ON_EDGE_DEGREES = 2e-4


@pytest.fixture(scope="module")
def built():
    return build_offline(DATA)


@pytest.fixture(scope="module")
def case_labels(built):
    _, places, _ = offline_basemap(DATA)
    return basemap.map_labels(built, places, basemap.country_labels(built))


def of_part(collection, part):
    return [feature for feature in collection["features"] if feature["properties"]["part"] == part]


def render(outlines, places=(), labels=None):
    fmap = folium.Map(location=[55, 27], zoom_start=5, tiles=None)
    basemap.add_offline_basemap(fmap, outlines, places, "© Test", labels=labels)
    return fmap.get_root().render()


def icon_html(page):
    """The HTML of every label icon in a rendered map (Folium writes it as a JSON string)."""
    return [json.loads(text) for text in re.findall(r'"html": ("(?:[^"\\]|\\.)*")', page)]


def test_every_country_is_named_once_at_a_point_inside_it(built):
    countries = {f["properties"]["iso3"]: shape(f["geometry"]) for f in of_part(built, "country")}
    labels = of_part(built, "label")
    assert sorted(f["properties"]["iso3"] for f in labels) == sorted(countries) == sorted(load_settings(DATA).countries)
    for feature in labels:
        properties = feature["properties"]
        assert countries[properties["iso3"]].contains(shape(feature["geometry"])), properties["iso3"]
        assert properties["name"] == country_names(properties["iso3"])["name"]
    assert {f["properties"]["iso3"]: f["properties"]["name_de"] for f in labels}["LTU"] == "Litauen"


def test_a_country_cldr_does_not_know_is_named_by_its_code():
    assert country_names("AAA") == {"name": "AAA", "name_de": "AAA"}


def test_borders_are_shared_boundaries_and_never_the_region_edge(built):
    west, south, east, north = built["bbox"]
    countries = {f["properties"]["iso3"]: shape(f["geometry"]) for f in of_part(built, "country")}
    borders = of_part(built, "border")
    assert {tuple(f["properties"]["countries"]) for f in borders} >= {("BLR", "LTU"), ("BLR", "POL"), ("LTU", "POL")}
    for feature in borders:
        a, b = feature["properties"]["countries"]
        line = shape(feature["geometry"])
        assert line.length > 0
        assert countries[a].boundary.buffer(1e-3).covers(line) and countries[b].boundary.buffer(1e-3).covers(line)
        for part in shapely.get_parts(line):
            coords = list(part.coords)
            for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
                for edge in (west, east):
                    assert not (abs(x1 - edge) < ON_EDGE_DEGREES and abs(x2 - edge) < ON_EDGE_DEGREES), (a, b)
                for edge in (south, north):
                    assert not (abs(y1 - edge) < ON_EDGE_DEGREES and abs(y2 - edge) < ON_EDGE_DEGREES), (a, b)


def test_the_fade_covers_land_at_the_region_edge_only(built):
    region = box(*built["bbox"])
    land = shapely.union_all([shape(f["geometry"]) for f in of_part(built, "country")])
    frames = [shape(f["geometry"]) for f in of_part(built, "fade")]
    assert frames and all(region.buffer(1e-6).contains(frame) for frame in frames)
    assert all(frame.difference(land.buffer(0.02)).area < 1e-6 for frame in frames)
    inner = region.buffer(-1.2 / 0.57 - 0.01)  # the deepest frame reaches 1.2° of latitude, ~2.1° of longitude
    assert all(not frame.intersects(inner) for frame in frames)
    assert all(0 < f["properties"]["opacity"] < 1 for f in of_part(built, "fade"))


def test_places_carry_their_rank(built):
    places = {f["properties"]["id"]: f["properties"] for f in of_part(built, "place")}
    assert places["minsk"]["capital"] and places["vilnius"]["capital"]
    assert not places["astravyets"]["capital"] and not places["pulkovo-airport"]["capital"]
    assert places["st-petersburg"]["population"] > places["pulkovo-airport"]["population"] == 0


@pytest.mark.parametrize("zoom", range(4, 11))
def test_labels_shown_at_a_zoom_never_overlap(case_labels, zoom):
    shown = shown_at(case_labels, min_zooms(case_labels), zoom)
    assert shown
    for a, b in combinations(shown, 2):
        assert not is_overlapping(label_box(a, zoom), label_box(b, zoom), gap=0), (a.text, b.text)


def test_colliding_labels_give_way_to_the_larger_place_and_show_when_zoomed_in(case_labels):
    zooms = dict(zip((label.text for label in case_labels), min_zooms(case_labels), strict=True))
    for first, second in (("St Petersburg", "Pulkovo airport"), ("Vilnius", "Astravyets")):
        assert zooms[first] <= 5 < zooms[second] <= 10, (first, zooms[first], second, zooms[second])
        a = next(label for label in case_labels if label.text == first)
        b = next(label for label in case_labels if label.text == second)
        assert is_overlapping(label_box(a, 5), label_box(b, 5)), "the pair no longer collides: pick another"
    assert all(zoom <= 10 for zoom in zooms.values())
    assert {"Belarus", "Lithuania", "Poland", "Russia"} <= {
        label.text for label in shown_at(case_labels, list(zooms.values()), 5)
    }


def test_min_zooms_hide_a_lower_ranked_label_until_it_is_clear():
    near = [Label("Alpha", 55.0, 27.0, rank=(0,)), Label("Beta", 55.0, 27.05, rank=(1,))]
    first, second = min_zooms(near)
    assert first == 0 and 0 < second <= MAX_ZOOM
    assert is_overlapping(label_box(near[0], second - 1), label_box(near[1], second - 1))
    assert not is_overlapping(label_box(near[0], second), label_box(near[1], second))


def test_country_and_place_names_are_escaped():
    outlines = {"type": "FeatureCollection", "features": []}
    page = render(outlines, [{"name": HOSTILE, "lat": 54, "lon": 25}], [{"name": HOSTILE, "lat": 55, "lon": 27}])
    assert "<img" not in page and "{{" not in page
    shown = icon_html(page)
    assert len(shown) == 2 and all(
        ">&lt;img src=x onerror=alert(1)&gt;&#123;&#123; 7 * 7 &#125;&#125;</div>" in html for html in shown
    )
    assert sorted(html.split('"')[1] for html in shown) == ["cm-label country-label", "cm-label place-label"]


def test_labels_are_out_of_the_tab_order_and_hidden_from_screen_readers(built):
    page = render(built, [{"name": "Minsk", "lat": 53.9, "lon": 27.57}])
    markers = re.findall(r"L\.marker\(\s*\[[^\]]*\],\s*(\{.*?\})\s*\)", page, re.S)
    assert len(markers) == 1 + len(of_part(built, "label"))
    assert all('"keyboard": false' in options and '"interactive": false' in options for options in markers)
    assert "tabindex" not in page.lower()
    labels = icon_html(page)
    assert len(labels) == len(markers) and all('aria-hidden="true"' in label for label in labels)


def test_countries_are_filled_without_stroke_and_borders_drawn_apart(built):
    page = render(built)
    assert '"stroke": false' in page and "offline-outline" in page and "offline-border" in page
    assert "offline-fade" in page and '"attribution": "\\u00a9 Test"' in page
    assert f"background:{basemap.OUTSIDE_COLOUR}" in page
