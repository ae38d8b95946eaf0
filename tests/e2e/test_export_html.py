"""The standalone HTML export draws its layers in Chromium with every network request blocked."""

import pytest

from geo.export import export
from tests.browser import drawn_count
from tests.conftest import DATA
from tests.test_export import HOSTILE, hostile_layer

pytestmark = pytest.mark.browser
LOCAL = ("file:", "about:", "data:")
#: The map has zoomed to its features: no zoom or pan animation runs, so shapes are where they are drawn.
SETTLED = "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')"


def open_offline(page, tmp_path, layers, case):
    """Write the HTML export of ``layers``, open it with the network blocked; return the blocked URLs."""
    result = export(layers, "html", case.catalog.case, case.sources, "view", data_dir=DATA)
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    attempted = []

    def block(route):
        if route.request.url.startswith(LOCAL):
            return route.continue_()
        attempted.append(route.request.url)
        return route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.locator("path[class*='claim-layer-']").first.wait_for(timeout=30_000)  # lines, areas, point markers
    page.wait_for_function(SETTLED)
    return attempted


def errors(console):
    return [message for message in console if message.startswith(("error", "pageerror"))]


def drawn(collection):
    return drawn_count(collection["features"])


def test_every_layer_is_drawn_without_network(page, console, tmp_path, case):
    attempted = open_offline(page, tmp_path, case.layers(), case)
    for layer, collection in case.layers():
        assert page.locator(f"path.claim-layer-{layer.id}").count() == drawn(collection) > 0, layer.id
    assert attempted == []
    assert errors(console) == []
    assert page.locator(".claim-map-aside .cm-legend tr[data-standing]").count() >= 2
    assert page.locator(".sources-list li").count() == len(case.sources)
    assert page.locator(".offline-outline, path:not(.leaflet-interactive)").count() > 0  # the offline basemap


def test_a_one_layer_export_draws_only_that_layer(page, console, tmp_path, case):
    attempted = open_offline(page, tmp_path, case.layers(["drills"]), case)
    assert page.locator("path[class*='claim-layer-']").count() == drawn(case.collections["drills"])
    assert page.locator("path.claim-layer-drills").count() == drawn(case.collections["drills"])
    assert attempted == []
    assert errors(console) == []


def test_clicking_a_shape_shows_its_claim_and_source(page, tmp_path, case):
    open_offline(page, tmp_path, case.layers(["statements"]), case)
    page.locator("path.claim-layer-statements").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    first = case.collections["statements"]["features"][0]["properties"]
    assert first["claimant"] in popup.inner_text()
    assert "Source" in popup.inner_text()


def test_hostile_values_stay_text(page, console, tmp_path, case):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attempted = open_offline(page, tmp_path, [hostile_layer()], case)
    page.locator("path.claim-layer-hostile").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert HOSTILE in popup.inner_text()
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == [] and attempted == []
    assert errors(console) == []


def test_the_map_defines_its_own_patterns_beside_the_legend_copy_in_the_side_panel(page, tmp_path, case):
    open_offline(page, tmp_path, case.layers(), case)
    own = page.evaluate("() => document.querySelectorAll('svg.cm-defs pattern[id^=\"cm-fill-\"]').length")
    aside = page.evaluate("() => document.querySelectorAll('.claim-map-aside pattern').length")
    assert own > 0 and aside > 0  # the side panel's copy once kept the map's own patterns out
    fill = page.evaluate("() => getComputedStyle(document.querySelector('path.cm-area.standing-contested')).fill")
    assert fill.startswith("url(") and "cm-fill-contested" in fill


def test_a_denial_without_a_place_is_listed_beside_the_map(page, tmp_path, case):
    open_offline(page, tmp_path, case.layers(), case)
    unplaced = [f for _, fc in case.layers() for f in fc["features"] if not f["geometry"]]
    aside = page.locator(".claim-map-aside").inner_text()
    assert f"Not on the map ({len(unplaced)})" in aside
    for feature in unplaced:
        assert feature["properties"]["title"] in aside
