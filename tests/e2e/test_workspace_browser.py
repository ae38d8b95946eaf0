"""Issue 12, done when (part one): every claim is in view on open, table and map select each other, the search
narrows both, a permalink restores the view in a new browser context, and the depth slider changes the zone
areas and the download.

Expected figures come from ``data/`` (layer files, sources), never from the page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from geo.model import filters
from geo.model.claims import CONTEXT, shown_kind
from geo.store.case import load_case
from tests.browser import (
    MAP_FRAME,
    MAP_STATE_JS,
    ROOT,
    catalog_layers,
    choose_in_selector,
    click_shape,
    drawn_count,
    map_classes,
    map_view,
    settle,
    stub_tiles,
    wait_for_map,
    widget,
)

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
LAYERS = catalog_layers()
CLAIM_LAYERS = [(layer, features) for layer, features in LAYERS if layer["group"] != "context"]
FEATURES = {f["properties"]["id"]: (layer, f) for layer, features in LAYERS for f in features}
DRAWN = {layer["id"]: drawn_count(features) for layer, features in LAYERS if layer["default_visible"]}
SOURCE_TITLES = filters.source_titles(load_case(ROOT / "data").sources)
CLAIM_ID = "nato-forces-lithuania-border"
LAYERS_BY_ID = [(layer["id"], features) for layer, features in LAYERS]


def panel_title(page):
    return page.locator(".claim-panel h3").first


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_map(page, layers=DRAWN)
    settle(page)


def table_grid(page):
    """The accessible table glide-data-grid keeps beside its canvas, in the "Claims table" tab."""
    return widget(page, "claims-table").locator("table[role=grid]")


# --- 1. Every claim in view on open ----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_claim_feature_is_in_view_when_the_page_opens(app_server, browser, viewport):
    context = browser.new_context(viewport=viewport)
    stub_tiles(context)
    page = context.new_page()
    try:
        open_page(page, app_server.url)
        view = map_view(page)
        outside = []
        for layer, features in CLAIM_LAYERS:
            for feature in features:
                if not feature["geometry"] or not layer["default_visible"]:
                    continue
                west, south, east, north = shape(feature["geometry"]).bounds
                if west < view["west"] or east > view["east"] or south < view["south"] or north > view["north"]:
                    outside.append(feature["properties"]["id"])
        assert not outside, f"out of view on open at {viewport}: {outside}; the map shows {view}"
    finally:
        context.close()


# --- 2. Table and map select each other ------------------------------------------------------------------------


def claim_rows(query: str = "") -> list[dict]:
    """The features the table lists: every claim-layer feature (placed or not) the search keeps, in layer order."""
    terms = filters.search_terms(query)
    rows = []
    for layer, features in CLAIM_LAYERS:
        for feature in features:
            text = filters.feature_text(feature, SOURCE_TITLES)
            if layer["default_visible"] and shown_kind(feature) != CONTEXT and all(t in (text or "") for t in terms):
                rows.append(feature)
    return rows


def click_table_row(page, row: int) -> None:
    """Click the selection checkbox of a data row (0 = first) of the claims table's canvas grid."""
    frame = widget(page, "claims-table").get_by_test_id("stDataFrame")
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    header = row_height = 35  # glide-data-grid's default row and header heights in Streamlit
    page.mouse.click(box["x"] + 15, box["y"] + header + row_height * row + row_height / 2)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_row_chosen_in_the_table_selects_and_lights_its_feature(app_server, page, tiles):
    open_page(page, app_server.url)
    rows = claim_rows()
    expect(table_grid(page)).to_have_attribute("aria-rowcount", str(len(rows) + 1))
    index = next(n for n, f in enumerate(rows) if f["properties"]["id"] == CLAIM_ID)
    click_table_row(page, index)
    expect(panel_title(page)).to_have_text(rows[index]["properties"]["title"])
    layer, _ = FEATURES[CLAIM_ID]
    page.frame_locator(MAP_FRAME).locator(f".claim-layer-{layer['id']}.cm-selected").first.wait_for(state="attached")
    settle(page)
    assert len(map_classes(page, f".claim-layer-{layer['id']}.cm-selected")) == 1


def test_the_timeline_is_drawn_once_its_tab_is_chosen_with_one_mark_per_dated_entry(app_server, page, tiles):
    open_page(page, app_server.url)
    expect(table_grid(page)).to_have_count(1)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    page.get_by_role("tab", name="Timeline").click()
    chart = page.get_by_test_id("stVegaLiteChart")
    expect(chart).to_have_count(1, timeout=60_000)
    settle(page)
    marks = chart.locator("g.mark-rect.role-mark path, g.mark-symbol.role-mark path")
    expect(marks.first).to_be_visible()
    dated = [f for f in claim_rows() if f["properties"].get("event_date")]
    assert marks.count() == len(dated)
    expect(table_grid(page)).to_have_count(0)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_feature_clicked_on_the_map_has_its_row_selected_in_the_table(app_server, page, tiles):
    open_page(page, app_server.url)
    layer, feature = FEATURES[CLAIM_ID]
    position = [f["properties"]["id"] for f in dict(LAYERS_BY_ID)[layer["id"]] if f["geometry"]].index(CLAIM_ID)
    click_shape(page, f"path.claim-layer-{layer['id']}", position)
    expect(panel_title(page)).to_have_text(feature["properties"]["title"])
    settle(page)
    index = [f["properties"]["id"] for f in claim_rows()].index(CLAIM_ID)
    widget(page, "claims-table").scroll_into_view_if_needed()
    selected_rows = table_grid(page).locator('tr[aria-selected="true"]')
    expect(selected_rows).to_have_count(1)
    expect(selected_rows).to_have_attribute("aria-rowindex", str(index + 2))
    expect(selected_rows.locator("td").first).to_have_text(feature["properties"]["title"])


# --- 3. Search narrows the map and the table -------------------------------------------------------------------


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_search_narrows_the_map_and_the_table_to_what_the_data_holds(app_server, page, tiles):
    query = "Lukaschenko"
    open_page(page, app_server.url)
    rows = claim_rows(query)
    assert 0 < len(rows) < len(claim_rows()), "the search term must narrow the data, not empty it"
    search = widget(page, "filter:text").locator("input")
    search.fill(query)
    search.press("Enter")
    kept = {id(feature) for feature in rows}
    drawn = {layer["id"]: drawn_count([f for f in features if id(f) in kept]) for layer, features in CLAIM_LAYERS}
    drawn = {layer_id: n for layer_id, n in drawn.items() if n} | {
        layer["id"]: DRAWN[layer["id"]] for layer, _ in LAYERS if layer["group"] == "context"
    }
    wait_for_map(page, layers=drawn)
    settle(page)
    expect(table_grid(page)).to_have_attribute("aria-rowcount", str(len(rows) + 1))


# --- 4. Permalinks ---------------------------------------------------------------------------------------------


def wait_for_offline_map(page) -> None:
    """Wait until the one map iframe draws the offline basemap's outlines (a basemap change re-mounts the map)."""
    page.wait_for_function(f"() => {{ const state = ({MAP_STATE_JS})(); return !!state && state.outlines > 0; }}")


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_permalink_restores_layers_filters_search_selection_and_basemap_in_a_new_context(
    app_server, page, browser, tiles
):
    open_page(page, app_server.url)
    layer, feature = FEATURES[CLAIM_ID]
    widget(page, "layer:drills").locator("label").click()
    settle(page)
    widget(page, "filter:standing").locator('[data-tag][aria-label="unverified"] button').click()
    page.keyboard.press("Escape")
    settle(page)
    search = widget(page, "filter:text").locator("input")
    search.fill("NATO")
    search.press("Enter")
    settle(page)
    choose_in_selector(page, feature["properties"]["title"])
    expect(panel_title(page)).to_have_text(feature["properties"]["title"])
    settle(page)
    widget(page, "basemap").get_by_test_id("stRadioOption").nth(2).click()
    wait_for_offline_map(page)
    settle(page)
    link = page.evaluate("location.href")

    fresh = browser.new_context(viewport=DESKTOP)
    stub_tiles(fresh)
    other = fresh.new_page()
    try:
        other.goto(link)
        wait_for_offline_map(other)
        settle(other)
        expect(widget(other, "layer:drills").locator("input")).not_to_be_checked()
        expect(widget(other, "layer:convoy-route").locator("input")).to_be_checked()
        tags = widget(other, "filter:standing").locator("[data-tag]")
        wanted = [tag for tag in filters.STANDING_CHOICES if tag != "unverified"]
        expect(tags).to_have_count(len(wanted))
        assert sorted(tags.evaluate_all("tags => tags.map(tag => tag.getAttribute('aria-label'))")) == sorted(wanted)
        expect(widget(other, "filter:text").locator("input")).to_have_value("NATO")
        expect(panel_title(other)).to_have_text(feature["properties"]["title"])
        expect(widget(other, "basemap").locator("input[type=radio]").nth(2)).to_be_checked()
        expect(other.get_by_test_id("stException")).to_have_count(0)
    finally:
        fresh.close()


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_stale_link_opens_with_a_notice_and_no_traceback(app_server, page, tiles):
    page.goto(f"{app_server.url}/?sel=no-such-claim")
    wait_for_map(page, layers=DRAWN)
    settle(page)
    expect(page.get_by_test_id("stAlert").filter(has_text="no-such-claim")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.locator(".claim-panel")).to_have_count(0)


# --- 5. The depth slider ---------------------------------------------------------------------------------------


def open_measurements(page) -> None:
    """Unfold the measurements section (folded on opening: its figures are computed once it is opened)."""
    section = page.get_by_test_id("stExpander").filter(has_text="Measurements:")
    section.locator("summary").click()
    expect(page.get_by_test_id("stDataFrame").filter(has_text="Zone area")).to_have_count(1, timeout=60_000)


def zone_areas(page) -> dict[str, str]:
    """Return the measurements table's zone-area rows: figure to value, read from the grid's accessible table."""
    frame = page.get_by_test_id("stDataFrame").filter(has_text="Zone area")
    frame.scroll_into_view_if_needed()
    grid = frame.locator("table[role=grid]")
    rows = grid.locator("tbody tr").evaluate_all("rows => rows.map(row => [...row.cells].map(c => c.textContent))")
    return {cells[0]: cells[1] for cells in rows if cells and cells[0].startswith("Zone area")}


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_depth_slider_changes_the_zone_areas_and_the_view_download(app_server, page, tiles):
    open_page(page, app_server.url)
    open_measurements(page)
    claimed = {f["properties"]["title"] for f in dict(LAYERS_BY_ID)["border-areas"]}
    before = {figure: value for figure, value in zone_areas(page).items() if figure.split(": ", 1)[1] in claimed}
    assert len(before) == len(claimed), f"the claimed zones' areas are not all measured: {zone_areas(page)}"
    slider = widget(page, "zone-depth").locator("input[type=range]")
    expect(slider).to_have_attribute("aria-valuetext", "30 km")
    slider.focus()
    for _ in range(6):  # 5 km a step
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "60 km")
    settle(page)
    expect(page.get_by_test_id("stDataFrame").filter(has_text="within 60 km")).not_to_have_count(0)
    after = {figure: value for figure, value in zone_areas(page).items() if figure in before}
    assert after.keys() == before.keys()
    changed = [figure for figure in before if after[figure] != before[figure]]
    assert len(changed) == len(before), f"zone areas at 30 km {before}, at 60 km {after}"

    button = widget(page, "download:view:geojson").get_by_role("button")
    with page.expect_download() as download:
        button.click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    zone_features = [f for f in data["features"] if f["properties"].get("layer") == "border-areas"]
    assert zone_features, "the view download holds no border-areas feature"
    for feature in zone_features:
        method = str(feature["properties"].get("method"))
        assert "within 60 km" in method and "within 30 km" not in method, f"{feature['properties'].get('id')}: {method}"
