"""Issue 11, done when: the map keeps the reader's zoom and pan across a layer toggle, a filter change and a
selection (it is updated in place, never re-mounted), keeps the selection lit, and draws a 10,000-claim
synthetic case in which a feature can be selected.

Expected counts come from ``data/layers/*.geojson`` (and the synthetic case's files), never from the app.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from geo.app.selection import centre
from geo.model import filters
from geo.model.claims import shown_standing
from geo.render.i18n import ngettext, use_language
from geo.store.case import load_case
from tests.browser import (
    MAP_FRAME,
    ROOT,
    StreamlitServer,
    catalog_layers,
    centre_shift_px,
    choose_in_selector,
    click_shape,
    drawn_count,
    fragment_traffic,
    map_classes,
    map_reports,
    map_view,
    require_chromium,
    set_map_view,
    settle,
    stub_tiles,
    tag_map_frame,
    wait_for_map,
    widget,
)

DESKTOP = {"width": 1400, "height": 900}
#: How far (screen pixels) the map's centre may drift across a rerun and still count as "where the reader left it".
DRIFT_PX = 3
#: A view away from the one the page opens with: near Vilnius, zoomed in.
VIEW = (54.6, 25.6, 7)
CLAIM_ID = "nato-forces-lithuania-border"
LAYERS = catalog_layers()
FEATURES = {f["properties"]["id"]: (layer, f) for layer, features in LAYERS for f in features}
SOURCE_TITLES = filters.source_titles(load_case(ROOT / "data").sources)


def expected_drawn(
    hidden: frozenset[str] = frozenset(), dropped: frozenset[str] = frozenset(), query: str = ""
) -> dict[str, int]:
    """Return the paths each layer draws, from the data: default layers less ``hidden``, features with a place
    whose standing is not ``dropped`` and whose searched text holds every term of ``query`` (context always)."""
    terms = filters.search_terms(query)
    counts = {}
    for layer, features in LAYERS:
        if not layer["default_visible"] or layer["id"] in hidden:
            continue
        kept = [feature for feature in features if is_kept(feature, dropped, terms)]
        if drawn_count(kept):
            counts[layer["id"]] = drawn_count(kept)
    return counts


def is_kept(feature: dict, dropped: frozenset[str], terms: tuple[str, ...]) -> bool:
    """True if a feature passes a standing filter that drops ``dropped`` and a search for ``terms``."""
    text = filters.feature_text(feature, SOURCE_TITLES)
    if text is None:  # context: never filtered
        return True
    return shown_standing(feature) not in dropped and all(term in text for term in terms)


def assert_view_kept(page, before: dict, what: str) -> None:
    """The map shows the same zoom, centred within ``DRIFT_PX`` of where it was, in the same iframe element."""
    after = map_view(page)
    assert after["tag"] == before["tag"], f"the map iframe was re-mounted by {what}"
    assert after["zoom"] == before["zoom"], f"{what} changed the zoom from {before['zoom']} to {after['zoom']}"
    shift = centre_shift_px(page, before["lat"], before["lng"])
    assert shift < DRIFT_PX, f"{what} moved the map's centre by {shift:.1f} px"


def open_page(page, url: str) -> None:
    """Open the page and wait until it has drawn every default layer and finished its reruns."""
    page.goto(url)
    wait_for_map(page, layers=expected_drawn())
    settle(page)


def open_at_view(page, url: str) -> dict:
    """Open the page, wait for every default layer, zoom and pan to ``VIEW``; return the map's view, tagged."""
    open_page(page, url)
    set_map_view(page, *VIEW)
    settle(page)
    tag_map_frame(page, "mounted once")
    before = map_view(page)
    assert before["zoom"] == VIEW[2] and centre_shift_px(page, *VIEW[:2]) < DRIFT_PX, before
    return before


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_zoom_and_pan_survive_a_layer_toggle_a_standing_filter_and_a_search(app_server, page, tiles):
    before = open_at_view(page, app_server.url)

    widget(page, "layer:drills").locator("label").click()
    wait_for_map(page, layers=expected_drawn(hidden=frozenset({"drills"})))
    settle(page)
    assert_view_kept(page, before, "a layer toggle")

    dropped = frozenset({"unverified"})
    widget(page, "filter:standing").locator('[data-tag][aria-label="unverified"] button').click()
    page.keyboard.press("Escape")
    wait_for_map(page, layers=expected_drawn(hidden=frozenset({"drills"}), dropped=dropped))
    settle(page)
    assert_view_kept(page, before, "a standing filter")

    search = widget(page, "filter:text").locator("input")
    search.fill("Lukaschenko")
    search.press("Enter")
    expected = expected_drawn(hidden=frozenset({"drills"}), dropped=dropped, query="Lukaschenko")
    assert expected != expected_drawn(hidden=frozenset({"drills"}), dropped=dropped), "the search hides nothing"
    wait_for_map(page, layers=expected)
    settle(page)
    assert_view_kept(page, before, "a search")


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_page_opens_fitted_with_one_map_report_so_one_rerun(app_server, page, tiles):
    reports = map_reports(page)
    open_page(page, app_server.url)
    assert len(reports) == 1, f"the map reported {len(reports)} views on opening: {reports}"
    (report,) = reports
    assert report["zoom"] == map_view(page)["zoom"]
    assert centre_shift_px(page, report["center"]["lat"], report["center"]["lng"]) < DRIFT_PX


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_pan_and_zoom_rerun_the_map_section_alone_and_the_link_follows(app_server, page, tiles):
    traffic = fragment_traffic(page)
    open_page(page, app_server.url)
    traffic["reruns"].clear()
    traffic["elements"].clear()

    set_map_view(page, *VIEW)
    settle(page)
    reruns, elements = traffic["reruns"], traffic["elements"]
    assert reruns, "the map did not report the new view"
    assert all(reruns), f"a pan reran the whole page: {reruns}"
    assert elements and set(elements) == set(reruns), f"a pan redrew elements outside the map section: {elements}"
    wait_for_map(page, layers=expected_drawn())
    query = parse_qs(urlparse(page.url).query)
    assert query.get("z") == [str(VIEW[2])], f"the link does not hold the new zoom: {page.url}"
    assert abs(float(query["lat"][0]) - VIEW[0]) < 0.01 and abs(float(query["lon"][0]) - VIEW[1]) < 0.01, page.url
    page.get_by_test_id("stPopover").get_by_role("button").click()
    offered = page.get_by_test_id("stCode").first.inner_text()
    assert parse_qs(urlparse(offered.strip()).query) == query, f"the link offered to copy is not the page's: {offered}"


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_german_page_keeps_its_map_section_german_after_a_pan(app_server, page, tiles):
    with use_language("de"):
        wording = ngettext(
            "{shown} of {total} claim with a place shown", "{shown} of {total} claims with a place shown", 2
        )
    caption = re.compile(re.escape(wording).replace(r"\{shown\}", r"\d+").replace(r"\{total\}", r"\d+"))
    open_page(page, f"{app_server.url}/?lang=de")
    expect(page.get_by_text(caption)).to_be_visible()
    set_map_view(page, *VIEW)
    settle(page)
    expect(page.get_by_text(caption)).to_be_visible()
    expect(page.get_by_text("claims with a place shown")).to_have_count(0)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_selection_pans_to_the_feature_in_the_same_map_at_the_same_zoom(app_server, page, tiles):
    before = open_at_view(page, app_server.url)
    layer, feature = FEATURES[CLAIM_ID]
    choose_in_selector(page, feature["properties"]["title"])
    selected = f".claim-layer-{layer['id']}.cm-selected"
    page.frame_locator(MAP_FRAME).locator(selected).first.wait_for(state="attached")
    settle(page)

    after = map_view(page)
    assert after["tag"] == before["tag"], "the map iframe was re-mounted by a selection"
    assert after["zoom"] == before["zoom"], f"a selection changed the zoom from {before['zoom']} to {after['zoom']}"
    lat, lng = centre(feature)
    assert centre_shift_px(page, lat, lng) < DRIFT_PX, f"the map is not centred on the selection: {after}"


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_selected_feature_stays_lit_when_another_layer_is_switched_off(app_server, page, tiles):
    open_page(page, app_server.url)
    layer, feature = FEATURES[CLAIM_ID]
    choose_in_selector(page, feature["properties"]["title"])
    selected = f".claim-layer-{layer['id']}.cm-selected"
    page.frame_locator(MAP_FRAME).locator(selected).first.wait_for(state="attached")
    settle(page)
    lit = map_classes(page, selected)
    assert len(lit) == 1, f"one shape of {layer['id']} is lit, not {lit}"

    widget(page, "layer:drills").locator("label").click()
    wait_for_map(page, layers=expected_drawn(hidden=frozenset({"drills"})))
    settle(page)
    assert map_classes(page, selected) == lit, "the selection is no longer lit after another layer was switched off"
    expect(page.locator(".claim-panel h3").first).to_have_text(feature["properties"]["title"])


# --- 10,000 synthetic claims -----------------------------------------------------------------------------------

SYNTHETIC_CLAIMS = 10_000
#: A count on the map: ``<div role="button" aria-label="N claims here…">N</div>`` inside a ``.cm-cell`` marker.
CELLS_JS = """() => [...document
  .querySelector('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]').contentDocument
  .querySelectorAll('.cm-cell div')].map(cell => cell.textContent)"""
#: Individual synthetic features drawn: paths of their layers and point markers.
SYNTHETIC_DRAWN = '[class*="claim-layer-synthetic-"].leaflet-interactive'
SYNTHETIC_PATHS = 'path[class*="claim-layer-synthetic-"].leaflet-interactive'
SYNTHETIC_MARKERS = '.cm-point[class*="claim-layer-synthetic-"]'
MAP_ZOOM_JS = (
    "document.querySelector('iframe[title=\"streamlit_folium.st_folium\"], iframe[data-claim-map]')"
    ".contentWindow.map.getZoom()"
)


@pytest.fixture(scope="module")
def synthetic_case(tmp_path_factory) -> Path:
    """A synthetic case of 10,000 claims, made by the project's own generator."""
    out = tmp_path_factory.mktemp("synthetic") / "case"
    command = [sys.executable, "-m", "geo", "synth", "--claims", str(SYNTHETIC_CLAIMS), "--seed", "1"]
    subprocess.run([*command, "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    return out


@pytest.fixture(scope="module")
def synthetic_server(synthetic_case):
    """A server of its own showing the synthetic case."""
    require_chromium()
    server = StreamlitServer(env={"CLAIM_MAP_DATA": str(synthetic_case)}).start()
    yield server
    server.stop()


def synthetic_features(case_dir: Path) -> list[dict]:
    """Return every feature of the synthetic case's layers shown by default, from its files."""
    catalog = json.loads((case_dir / "catalog.json").read_text(encoding="utf-8"))
    return [
        feature
        for layer in catalog["layers"]
        if layer["default_visible"]
        for feature in json.loads((case_dir / layer["file"]).read_text(encoding="utf-8"))["features"]
    ]


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_10k_claim_case_draws_counts_that_add_up_and_a_feature_can_be_selected(
    synthetic_server, synthetic_case, page
):
    stub_tiles(page)
    features = synthetic_features(synthetic_case)
    assert len(features) == SYNTHETIC_CLAIMS
    titles = {feature["properties"]["title"] for feature in features}
    page.goto(synthetic_server.url)
    page.frame_locator(MAP_FRAME).locator(".cm-cell").first.wait_for(state="attached", timeout=180_000)
    settle(page, timeout=180_000)

    counts = [int(text.replace(",", "")) for text in page.evaluate(CELLS_JS)]
    caption = page.get_by_text(re.compile(r"of [\d,]+ claims with a place shown")).first.inner_text()
    shown, total = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) of ([\d,]+)", caption)[0])
    assert total == drawn_count(features), caption
    assert counts and sum(counts) == shown, f"the counts add up to {sum(counts)}, the caption says {caption!r}"

    frame = page.frame_locator(MAP_FRAME)
    for _ in range(6):  # each click on a count zooms in two levels
        if frame.locator(SYNTHETIC_DRAWN).count():
            break
        zoom = map_view(page)["zoom"]
        frame.locator(".cm-cell").first.click()
        page.wait_for_function(f"() => {MAP_ZOOM_JS} > {zoom}")
        settle(page, timeout=180_000)
    drawn = frame.locator(SYNTHETIC_DRAWN)
    assert drawn.count(), "no synthetic feature is drawn one by one after zooming in on counts"

    if frame.locator(SYNTHETIC_PATHS).count():
        click_shape(page, SYNTHETIC_PATHS)
    else:
        frame.locator(SYNTHETIC_MARKERS).first.click()
    wait_panel = page.locator(".claim-panel h3").first
    expect(wait_panel).to_be_visible(timeout=120_000)
    settle(page, timeout=180_000)
    title = wait_panel.inner_text()
    assert title in titles, f"the panel shows {title!r}, not a synthetic feature's title"
    selector = widget(page, "selector").get_by_role("combobox")
    expect(selector).to_have_value(title)
    assert map_classes(page, ".cm-selected"), "the selected synthetic feature is not lit on the map"
