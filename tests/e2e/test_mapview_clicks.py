"""A click on a point marker reports the feature, as streamlit-folium reads it, and stacked markers each get theirs.

streamlit-folium listens for ``click`` on every layer of the map and sends ``e.layer.toGeoJSON()`` as
``last_active_drawing``; the page finds the clicked feature by its ``_key`` there. The map is rendered to a
file and opened in headless Chromium; the same listener is attached and the markers are clicked with the mouse
and the keyboard.
"""

import pytest

from geo.render import mapview
from tests.test_mapview import LAYER, feature, point, shown

pytestmark = pytest.mark.browser

#: streamlit-folium's ``onLayerClick``, reduced to what the page reads: the clicked feature's GeoJSON.
LISTEN_JS = """() => {
  const map = Object.values(window).find(value => value instanceof L.Map);
  window.__clicked = [];
  map.eachLayer(layer => layer.on('click', e => {
    if (e.layer && typeof e.layer.toGeoJSON === 'function') window.__clicked.push(e.layer.toGeoJSON());
  }));
}"""


@pytest.fixture
def clickable_map(page, tmp_path):
    """Two statements at one place on a standalone map, in pytest-playwright's page (the e2e browser set-up)."""
    statements = [feature(f"minsk-{n}", "statement", point(27.56, 53.9)) for n in range(2)]
    collection = shown({"type": "FeatureCollection", "features": statements})
    fmap = mapview.build_map([(LAYER, collection)], {"center": [53.9, 27.56], "zoom": 9}, leaflet_url=None)
    path = tmp_path / "map.html"
    path.write_text(fmap.get_root().render(), encoding="utf-8")
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(path.as_uri())
    page.evaluate(LISTEN_JS)
    return page, [f["properties"][mapview.KEY_FIELD] for f in collection["features"]]


def clicked_keys(page):
    return [item["properties"][mapview.KEY_FIELD] for item in page.evaluate("window.__clicked")]


def test_each_of_two_stacked_markers_reports_its_own_feature_when_clicked(clickable_map):
    page, keys = clickable_map
    markers = page.locator(".cm-point.claim-layer-claims")
    assert markers.count() == 2
    boxes = [markers.nth(n).bounding_box() for n in range(2)]
    assert boxes[0] != boxes[1], "the second marker is moved off the first"
    for box in boxes:
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert clicked_keys(page) == keys


def test_a_marker_reached_with_the_keyboard_reports_its_feature_on_enter(clickable_map):
    page, keys = clickable_map
    page.locator(".cm-point.claim-layer-claims").nth(1).focus()
    page.keyboard.press("Enter")
    assert clicked_keys(page) == [keys[1]]
    properties = page.evaluate("window.__clicked[0].properties")
    assert (properties["kind"], properties["standing"]) == ("statement", "on-record")
