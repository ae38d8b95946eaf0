"""The map in a real browser (issue 3): what a person sees and does, in headless Chromium.

One Streamlit server serves the whole session (``app_server``); every test gets a fresh page. Map tiles are
answered locally with a blank tile (fixture ``tiles``) or refused (``fail_tiles``), so no test depends on
the internet and none loads real tiles, yet every tile request is still made and recorded.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from geo.model.claims import shown_standing
from geo.render import basemap
from geo.render.mapview import is_drawn
from geo.render.sources import source_anchor
from tests.browser import (
    MAP_FRAME,
    catalog_layers,
    click_shape,
    fail_tiles,
    fragment_traffic,
    is_local_url,
    is_tile_url,
    layer_label,
    read_json,
    settle,
    shape_point,
    sidebar_widget,
    wait_for_map,
)

CASE_ID = read_json("data/catalog.json")["case"]["id"]
LAYERS = catalog_layers()
LAYER_BY_ID = {layer["id"]: (layer, features) for layer, features in LAYERS}
DEFAULT = [(layer, features) for layer, features in LAYERS if layer["default_visible"]]
SOURCES = {source["id"]: source for source in read_json("data/sources.json")}
PLACE_NAMES = sorted(place["name"] for place in read_json("data/places.json")["places"])
OUTLINES = len(read_json("data/base/countries.geojson")["features"])
BASEMAP_OPTIONS = ["OpenStreetMap", "Light (CartoDB Positron)", "Offline (no tiles)"]
#: simplestyle-spec properties the downloads add so files render as the map does; not the layer's own data.
SIMPLESTYLE_KEYS = {"stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity", "marker-color"}
DOWNLOAD_NAME = re.compile(
    rf"^claim-map_{re.escape(CASE_ID)}_(?P<scope>[a-z0-9-]+)_\d{{4}}-\d{{2}}-\d{{2}}\.(?P<extension>[a-z0-9.-]+)$"
)
MISSING = object()
DESKTOP = {"width": 1400, "height": 1000}


def drawn(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The features the map draws (``geo.render.mapview.is_drawn``): not a denial whose source gives no place,
    nor a country of the borders layer."""
    return [feature for feature in features if is_drawn(feature)]


def expected_layers(*hidden: str) -> dict[str, int]:
    """Paths per layer the map should draw with every default layer on except ``hidden``."""
    return {layer["id"]: len(drawn(features)) for layer, features in DEFAULT if layer["id"] not in hidden}


def expected_standings() -> dict[str, dict[str, int]]:
    """Paths per layer and shown standing (CSS class ``status-<standing>``) with the default layers on."""
    return {
        layer["id"]: dict(Counter(shown_standing(feature) for feature in drawn(features)))
        for layer, features in DEFAULT
    }


def open_app(page, app_server) -> dict[str, Any]:
    """Open the app and wait until the map draws every default layer."""
    page.goto(app_server.url)
    return wait_for_map(page, layers=expected_layers())


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def layer_checkbox(page, layer_id: str):
    layer, features = LAYER_BY_ID[layer_id]
    return sidebar_widget(page, "stCheckbox", layer_label(layer, features)).get_by_role("checkbox")


def layer_toggle(page, layer_id: str):
    """The checkbox's label text: what a person clicks."""
    label = layer_label(*LAYER_BY_ID[layer_id])
    return sidebar_widget(page, "stCheckbox", label).get_by_text(label, exact=True)


def basemap_radio(page, option: str):
    return sidebar_widget(page, "stRadioOption", option).get_by_role("radio")


def choose_basemap(page, option: str) -> None:
    sidebar_widget(page, "stRadioOption", option).get_by_text(option, exact=True).click()
    expect(basemap_radio(page, option)).to_be_checked()


def console_errors(console: list[str]) -> list[str]:
    return [message for message in console if message.startswith(("error:", "pageerror:"))]


def assert_no_exception(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


# --- Loading -------------------------------------------------------------------------------------------------


def test_page_loads_without_errors_and_draws_every_default_layer(app_server, page, console, tiles):
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Claim Map", level=1)).to_be_visible()

    state = wait_for_map(
        page, layers=expected_layers(), standings=expected_standings(), tile_sites=["tile.openstreetmap.org"]
    )

    assert state["paths"] == sum(len(drawn(features)) for _, features in DEFAULT), "shapes beyond the layers' features"
    assert state["outlines"] == 0 and state["labels"] == [], "the offline basemap is not the default"
    for layer, _ in LAYERS:
        box = layer_checkbox(page, layer["id"])
        expect(box).to_be_checked() if layer["default_visible"] else expect(box).not_to_be_checked()
    assert_no_exception(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    assert tiles, "the OpenStreetMap basemap asked for no tiles"
    assert console_errors(console) == []


def test_lines_are_drawn_unfilled_and_areas_filled(app_server, page, tiles):
    open_app(page, app_server)
    # Not the points: each is an SVG symbol (``cm-mark``) in a marker.
    shapes = page.frame_locator(MAP_FRAME).locator("path[class*='claim-layer-']:not(.cm-mark)")
    drawn_paths = shapes.evaluate_all("paths => paths.map(p => [p.getAttribute('class'), p.getAttribute('fill')])")
    lines = [fill for classes, fill in drawn_paths if "cm-area" not in classes.split()]
    areas = [fill for classes, fill in drawn_paths if "cm-area" in classes.split()]
    line_features = [f for _, features in DEFAULT for f in drawn(features) if "LineString" in f["geometry"]["type"]]
    assert len(lines) == len(line_features) > 0
    assert set(lines) == {"none"}, "a filled line reads as the area between its ends"
    assert areas and "none" not in areas


def test_every_claim_tooltip_wraps_inside_the_map(app_server, page, tiles):
    open_app(page, app_server)
    frame = page.locator(MAP_FRAME).bounding_box()
    claims = "path.kind-claim, path.kind-report"
    count = page.frame_locator(MAP_FRAME).locator(claims).count()
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    assert count > 0
    for index in range(count):
        point = shape_point(page, claims, index)
        page.mouse.move(point["x"], point["y"])
        expect(tooltip).to_contain_text("Standing")
        box = tooltip.bounding_box()
        assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1, box
        page.mouse.move(frame["x"] + 2, frame["y"] + frame["height"] - 2)
        expect(tooltip).to_have_count(0)


# --- Layers on and off ---------------------------------------------------------------------------------------


def test_unticking_a_layer_removes_exactly_its_shapes_and_ticking_brings_them_back(app_server, page, tiles):
    open_app(page, app_server)
    for layer, _ in DEFAULT:
        layer_id = layer["id"]
        layer_toggle(page, layer_id).click()
        expect(layer_checkbox(page, layer_id)).not_to_be_checked()
        wait_for_map(page, layers=expected_layers(layer_id))

        layer_toggle(page, layer_id).click()
        expect(layer_checkbox(page, layer_id)).to_be_checked()
        wait_for_map(page, layers=expected_layers(), standings=expected_standings())
    assert_no_exception(page)


# --- The source panel ------------------------------------------------------------------------------------------


def expect_panel_shows(page, feature: dict[str, Any]) -> None:
    properties = feature["properties"]
    panel = page.locator(".claim-panel").first
    expect(panel.locator("h3")).to_have_text(properties["title"])
    expect(panel).to_contain_text(properties["claim"])
    language = SOURCES[properties["source_id"]].get("language")
    if properties["quote"]:
        expect(panel.locator(f'blockquote[lang="{language}"]').first).to_have_text(properties["quote"])
    chain = panel.locator('dt:text-is("Source chain (origin first)") + dd')
    read = chain.locator(f'a[href="#{source_anchor(properties["source_chain"][-1])}"]')
    expect(read).to_have_text(SOURCES[properties["source_chain"][-1]].get("container-title") or re.compile(".+"))


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_clicking_the_convoy_route_shows_its_claim_quote_and_source(app_server, page, tiles):
    open_app(page, app_server)
    layer, features = LAYER_BY_ID["convoy-route"]
    expect(page.locator(".claim-panel")).to_have_count(0)

    for index, feature in enumerate(features):
        click_shape(page, "path.claim-layer-convoy-route", index)
        expect_panel_shows(page, feature)
        expect(page.get_by_text(f"Layer: {layer['title']}", exact=True)).to_be_visible()

    # Side by side, a long panel scrolls in its own column, at most a screen high: the map stays in view, and the
    # claims table follows the row (3,000 px below the map when the page grew with the panel).
    last = page.locator(".claim-panel").first.locator("dd").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    column = "panel => panel.closest('[data-testid=\"stColumn\"]').scrollTop"
    assert page.locator(".claim-panel").first.evaluate(column) > 0, "the panel fits: nothing scrolled"
    expect(page.locator(MAP_FRAME)).to_be_in_viewport(ratio=0.9)
    table = page.get_by_role("tab", name="Claims table").bounding_box()
    assert table["y"] - page.locator(MAP_FRAME).bounding_box()["y"] < page.viewport_size["height"], table
    assert_no_exception(page)


# --- Downloads -----------------------------------------------------------------------------------------------


def expected_download(scope: str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The layers a download of ``scope`` holds: the view (default layers, nothing filtered), all, or one."""
    if scope == "view":
        return DEFAULT
    if scope == "all":
        return LAYERS
    assert scope in LAYER_BY_ID, f"a download of unknown scope {scope!r}"
    return [LAYER_BY_ID[scope]]


def assert_same_features(collection: dict[str, Any], layers: list[tuple[dict[str, Any], list[dict[str, Any]]]]):
    """The file holds the layers' features, one for one: ids, order, geometry and every property of the layer."""
    assert collection["type"] == "FeatureCollection"
    got: dict[tuple[str, str], dict[str, Any]] = {}
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        key = (feature["properties"]["layer"], feature["properties"]["id"])
        assert key not in got, f"{key} is in the file twice"
        got[key] = feature
    want = {(layer["id"], feature["properties"]["id"]): feature for layer, features in layers for feature in features}
    assert sorted(got) == sorted(want), "the file holds other features than the layers"
    for layer, features in layers:
        order = [key[1] for key in got if key[0] == layer["id"]]
        assert order == [feature["properties"]["id"] for feature in features], f"{layer['id']}: feature order"
    for key, feature in want.items():
        downloaded = got[key]
        shape = downloaded["geometry"] and {k: v for k, v in downloaded["geometry"].items() if k != "certainty"}
        assert shape == feature["geometry"], f"{key}: geometry"  # plus Linked Places' certainty
        own = {name: value for name, value in feature["properties"].items() if name not in SIMPLESTYLE_KEYS}
        assert {name: downloaded["properties"].get(name, MISSING) for name in own} == own, f"{key}: properties"
        assert downloaded.get("id", MISSING) == feature.get("id", MISSING), f"{key}: feature id"


def test_each_download_button_yields_the_layer_data_feature_for_feature(app_server, page, tiles):
    open_app(page, app_server)
    buttons = page.get_by_test_id("stDownloadButton").get_by_role("button")
    expect(buttons.first).to_be_visible()
    scopes = []
    for index in range(buttons.count()):
        button = buttons.nth(index)
        label = button.inner_text().strip()
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.failure() is None, f"{label}: {download.failure()}"
        name = DOWNLOAD_NAME.match(download.suggested_filename)
        assert name, f"{label}: unexpected file name {download.suggested_filename!r}"
        data = Path(download.path()).read_bytes()
        assert data, f"{label}: empty file"
        scopes.append(name["scope"])
        if name["extension"] == "csl.json":
            items = json.loads(data.decode("utf-8"))
            assert items and {item["id"] for item in items} <= set(SOURCES), f"{label}: unknown sources"
            continue
        if name["extension"] != "geojson":
            continue  # other formats (KML, CSV, BibTeX...) have their own tests: tests/test_export.py
        collection = json.loads(data.decode("utf-8"))
        assert_same_features(collection, expected_download(name["scope"]))
        count = re.search(r"\((\d+)(?: features?)?\)$", label)
        if count:
            assert int(count[1]) == len(collection["features"]), f"{label}: the label counts otherwise"
    assert {"view", *expected_layers()} <= set(scopes), f"missing downloads; got {scopes}"
    assert_no_exception(page)


# --- The network ---------------------------------------------------------------------------------------------


def test_no_request_leaves_the_machine_except_map_tiles(app_server, page, network, tiles):
    open_app(page, app_server)
    wait_for_map(page, layers=expected_layers(), tile_sites=["tile.openstreetmap.org"])
    click_shape(page, "path.claim-layer-convoy-route")
    expect(page.locator(".claim-panel").first).to_be_visible()
    with page.expect_download():
        page.get_by_test_id("stDownloadButton").get_by_role("button").first.click()
    choose_basemap(page, "Light (CartoDB Positron)")
    wait_for_map(page, layers=expected_layers(), tile_sites=["basemaps.cartocdn.com"])
    choose_basemap(page, "Offline (no tiles)")
    wait_for_map(page, layers=expected_layers(), labels=PLACE_NAMES, tiles=0)

    assert any(url.startswith(app_server.url) for url in network.requests), "the recorder saw no page request"
    assert any("/component/streamlit_folium" in url for url in network.requests), "no iframe request recorded"
    leaving = network.leaving()
    assert [url for url in leaving if not is_tile_url(url)] == []
    hosts = {re.sub(r"^[a-z0-9-]+\.(?=basemaps)", "", url.split("/")[2]) for url in leaving}
    assert hosts == {"tile.openstreetmap.org", "basemaps.cartocdn.com"}, "tile requests went unrecorded"
    assert network.websockets and all(is_local_url(url) for url in network.websockets)


# --- Basemaps ------------------------------------------------------------------------------------------------


def test_basemap_choice_and_the_offline_basemap_without_tiles(app_server, page, network, tiles):
    traffic = fragment_traffic(page)
    open_app(page, app_server)
    radio = sidebar(page).get_by_test_id("stRadio").filter(has_text="Basemap")
    expect(radio.get_by_role("radio")).to_have_count(len(BASEMAP_OPTIONS))
    expect(radio.get_by_test_id("stRadioOption")).to_have_text(BASEMAP_OPTIONS)
    expect(basemap_radio(page, "OpenStreetMap")).to_be_checked()
    wait_for_map(page, layers=expected_layers(), tile_sites=["tile.openstreetmap.org"], outlines=0)

    choose_basemap(page, "Light (CartoDB Positron)")
    wait_for_map(page, layers=expected_layers(), tile_sites=["basemaps.cartocdn.com"], outlines=0)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")

    since = len(network.requests)
    settle(page)
    traffic["reruns"].clear()
    traffic["elements"].clear()
    choose_basemap(page, "Offline (no tiles)")
    state = wait_for_map(page, layers=expected_layers(), outlines=OUTLINES, labels=PLACE_NAMES, tiles=0)
    settle(page)
    # The choice is in the sidebar's fragment of switches: it asks for that fragment, never for the whole page.
    assert traffic["reruns"] and all(traffic["reruns"]), f"the choice asked for a whole run: {traffic['reruns']}"
    assert traffic["elements"] and all(traffic["elements"]), "a basemap choice redrew elements outside the map section"
    assert state["standings"] == expected_standings()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-tile-pane img")).to_have_count(0)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap contributors")
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("GeoNames")
    expect(frame.locator(".place-label", has_text="Minsk")).to_be_visible()

    # Zoom in, as a person would: a tile layer would now ask for new tiles; the offline map asks for none.
    scale = frame.locator(".leaflet-control-scale-line").first
    before = scale.inner_text()
    frame.locator(".leaflet-control-zoom-in").click()
    expect(scale).not_to_have_text(before)
    assert network.tiles(since) == [], "the offline basemap asked for tiles"
    assert_no_exception(page)


def test_a_page_opened_on_the_offline_basemap_asks_for_no_file_the_server_lacks(app_server, page, tiles):
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.goto(f"{app_server.url}/?basemap={quote(BASEMAP_OPTIONS[-1])}")
    wait_for_map(page, layers=expected_layers(), outlines=OUTLINES, labels=PLACE_NAMES, tiles=0)
    settle(page)
    assert missing == [], "Leaflet's default marker images were asked for where they are not"


def test_layers_still_draw_when_tiles_fail(app_server, page, context, console):
    refused = fail_tiles(context)
    page.goto(app_server.url)
    wait_for_map(page, layers=expected_layers(), standings=expected_standings(), notice=basemap.TILE_ERROR_MESSAGE)
    assert refused and all("tile.openstreetmap.org" in url for url in refused)

    choose_basemap(page, "Light (CartoDB Positron)")
    wait_for_map(
        page, layers=expected_layers(), tile_sites=["basemaps.cartocdn.com"], notice=basemap.TILE_ERROR_MESSAGE
    )
    assert any("basemaps.cartocdn.com" in url for url in refused)
    assert_no_exception(page)
    assert [message for message in console if message.startswith("pageerror:")] == []


# --- Phone-sized screens -------------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}

#: Everything that could make a phone scroll sideways, measured after a click filled the source panel.
OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const panel = document.querySelector('.claim-panel');
  const beyond = [...document.querySelectorAll('[data-testid="stMain"] *')]
    // The claims table's grid scrolls inside its own frame: its inner canvas may be wider than the page.
    .filter(element => !element.closest('[data-testid="stDataFrame"]'))
    .filter(element => element.getBoundingClientRect().right > innerWidth + 0.5)
    .map(element => `${element.tagName.toLowerCase()}.${element.className}`);
  return {
    inner: innerWidth,
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    main: main.scrollWidth - main.clientWidth,
    panel: panel.scrollWidth - panel.clientWidth,
    beyond: beyond,
    font: parseFloat(getComputedStyle(panel).fontSize),
  };
}"""
CONTENT_WIDTH_JS = """(element) => {
  const style = getComputedStyle(element);
  return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}"""


@pytest.mark.browser_context_args(viewport=PHONE)
def test_phone_map_fills_the_width_controls_reachable_panel_without_sideways_scrolling(app_server, page, tiles):
    open_app(page, app_server)

    # The map fills the width of the page, less its padding.
    content = page.get_by_test_id("stMainBlockContainer").evaluate(CONTENT_WIDTH_JS)
    box = page.locator(MAP_FRAME).bounding_box()
    assert abs(box["width"] - content) <= 2 and box["width"] >= PHONE["width"] - 2 * 32, (box, content)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box

    # The sidebar opens from its button and its layer toggles work.
    expand = page.get_by_test_id("stExpandSidebarButton")
    expect(expand).to_be_in_viewport()
    expand.click()
    toggle = layer_toggle(page, "convoy-route")
    expect(toggle).to_be_in_viewport()
    toggle.click()
    expect(layer_checkbox(page, "convoy-route")).not_to_be_checked()
    wait_for_map(page, layers=expected_layers("convoy-route"))
    toggle.click()
    expect(layer_checkbox(page, "convoy-route")).to_be_checked()
    wait_for_map(page, layers=expected_layers())
    offline = sidebar_widget(page, "stRadioOption", "Offline (no tiles)")
    offline.scroll_into_view_if_needed()
    expect(offline).to_be_in_viewport()
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    expect(expand).to_be_visible()

    # A click on the route fills the panel, which reads without scrolling sideways.
    click_shape(page, "path.claim-layer-convoy-route")
    expect_panel_shows(page, LAYER_BY_ID["convoy-route"][1][0])
    panel = page.locator(".claim-panel").first
    panel.locator("details > summary", has_text="Other properties").click()
    expect(panel.locator("details table")).to_be_visible()
    panel.scroll_into_view_if_needed()
    expect(panel).to_be_in_viewport()
    widths = page.evaluate(OVERFLOW_JS)
    assert widths["document"] <= widths["inner"] and widths["body"] <= widths["inner"], widths
    assert widths["main"] <= 0 and widths["panel"] <= 0, widths
    assert widths["beyond"] == [], widths
    assert widths["font"] >= 14, widths
    assert_no_exception(page)
