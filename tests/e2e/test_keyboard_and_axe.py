"""Issue 12, done when (part two): keyboard selection on the map, accessible names of the shapes, the German
interface on ``?lang=de``, and an axe-core audit (PyPI ``axe-playwright-python``, which bundles axe.min.js)
without serious or critical findings on the page or inside the map.
"""

from __future__ import annotations

from html import unescape

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from geo.render.i18n import translations
from tests.browser import MAP_FRAME, catalog_layers, choose_in_selector, drawn_count, settle, wait_for_map

DESKTOP = {"width": 1400, "height": 900}
LAYERS = catalog_layers()
FEATURES = {f["properties"]["id"]: f for _, features in LAYERS for f in features}
DRAWN = {layer["id"]: drawn_count(features) for layer, features in LAYERS if layer["default_visible"]}
CLAIM_ID = "nato-forces-lithuania-border"
#: Tab presses allowed to reach a shape: every drawn feature, the map's controls, and some to spare.
MAX_TABS = sum(DRAWN.values()) + 20
SERIOUS = ("serious", "critical")

#: The element focused inside the map iframe: its classes, accessible name, and the title of the feature whose
#: Leaflet layer draws it (``null`` for controls and the map itself), HTML-escaped as the map carries it.
FOCUSED_JS = """() => {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]');
  if (document.activeElement !== frame) return null;
  const element = frame.contentDocument.activeElement;
  if (!element) return null;
  let title = null;
  frame.contentWindow.map.eachLayer(layer => {
    if ((layer._path === element || layer._icon === element) && layer.feature) title = layer.feature.properties.title;
  });
  return {classes: element.getAttribute('class') || '', name: element.getAttribute('aria-label'), title};
}"""
#: Every shape a claim layer draws in the map iframe (Tab reaches paths and markers alike in Chromium): its
#: accessible name and its feature's title.
FOCUSABLE_CLAIMS_JS = """() => {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]');
  const found = [];
  frame.contentWindow.map.eachLayer(layer => {
    const element = layer._path || layer._icon;
    if (!element || !layer.feature || !element.matches('[class*="claim-layer-"]:not(.kind-context)')) return;
    found.push({name: element.getAttribute('aria-label'), title: layer.feature.properties.title});
  });
  return found;
}"""


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_map(page, layers=DRAWN)
    settle(page)


def tab_to_claim(page, selector: str) -> dict:
    """Press Tab from the map iframe until a claim shape matching ``selector`` (a CSS class test) has focus."""
    page.locator(MAP_FRAME).focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        classes = f" {focused['classes']} " if focused else ""
        if focused and focused["title"] and selector in classes and " kind-context " not in classes:
            return focused
    raise AssertionError(f"Tab never reached a claim shape with {selector.strip()} in {MAX_TABS} presses")


@pytest.mark.browser_context_args(viewport=DESKTOP)
@pytest.mark.parametrize("shape", [" cm-area ", " cm-point "], ids=["area", "point"])
def test_enter_on_a_claim_shape_reached_with_tab_shows_it_in_the_panel(app_server, page, tiles, shape):
    open_page(page, app_server.url)
    focused = tab_to_claim(page, shape)
    page.keyboard.press("Enter")
    expect(page.locator(".claim-panel h3").first).to_have_text(unescape(focused["title"]))


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_every_claim_shape_on_the_map_is_named_by_its_title(app_server, page, tiles):
    open_page(page, app_server.url)
    shapes = page.evaluate(FOCUSABLE_CLAIMS_JS)
    assert shapes, "Tab reaches no claim shape on the map"
    unnamed = [item for item in shapes if item["name"] != unescape(item["title"])]
    assert not unnamed, f"{len(unnamed)} of {len(shapes)} claim shapes lack their title as aria-label: {unnamed}"


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_sidebar_and_panel_headings_are_german_on_lang_de(app_server, page, tiles):
    german = translations("de")
    headings = {english: german.gettext(english) for english in ("Layers", "Filters")}
    panel_heading = german.gettext("Claim and source")
    untranslated = [text for text in [*headings, "Claim and source"] if german.gettext(text) == text]
    assert not untranslated, f"the German catalog does not translate {untranslated}"

    open_page(page, f"{page_url(app_server)}?lang=de")
    sidebar = page.get_by_test_id("stSidebar")
    for english, translated in headings.items():
        expect(sidebar.get_by_role("heading", name=translated, exact=True)).to_be_visible()
        expect(sidebar.get_by_role("heading", name=english, exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name=panel_heading, exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_on_lang_de_the_nato_claim_shows_its_german_quote_beside_the_english_translation(app_server, page, tiles):
    claimant = translations("de").gettext("Claimant")
    assert claimant != "Claimant", "the German catalog does not translate 'Claimant'"
    open_page(page, f"{page_url(app_server)}?lang=de")
    claim = FEATURES[CLAIM_ID]["properties"]
    choose_in_selector(page, claim["title"])
    panel = page.locator(".claim-panel").first
    expect(panel.locator("h3")).to_have_text(claim["title"])
    expect(panel.locator(f'dt:text-is("{claimant}") + dd')).to_have_text(claim["claimant"])
    expect(panel.locator('blockquote[lang="de"]').first).to_have_text(claim["quote"])
    expect(panel.locator('blockquote[lang="en"]').first).to_have_text(claim["quote_en"])
    expect(page.get_by_test_id("stException")).to_have_count(0)


def page_url(server) -> str:
    return server.url.rstrip("/") + "/"


# --- axe-core --------------------------------------------------------------------------------------------------


def serious_findings(results) -> list[dict]:
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def report(findings: list[dict]) -> str:
    lines = []
    for violation in findings:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        lines += [f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_axe_finds_nothing_serious_on_the_page_or_inside_the_map(app_server, page, tiles):
    open_page(page, app_server.url)
    choose_in_selector(page, FEATURES[CLAIM_ID]["properties"]["title"])
    expect(page.locator(".claim-panel h3").first).to_be_visible()
    settle(page)
    axe = Axe()
    on_page = serious_findings(axe.run(page))
    frame = next(frame for frame in page.frames if "streamlit_folium" in frame.url)
    in_map = serious_findings(axe.run(frame))
    assert not on_page and not in_map, f"page:\n{report(on_page)}\nmap iframe:\n{report(in_map)}"
