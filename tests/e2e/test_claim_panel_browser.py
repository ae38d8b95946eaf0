"""Issue 10, done when: an analyst selects the NATO build-up claim and reads who claims it, who denied it
and when, how sure the project is, and where the information came from; then follows a denial and back.

Everything expected is read from the shipped data (``data/layers/*.geojson``, ``data/sources.json``).
"""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from geo.model.claims import RESPONSE_LABELS, responses
from geo.render.dates import edtf_in_words
from geo.render.sources import source_anchor
from tests.browser import ARTIFACTS, catalog_layers, drawn_count, settle, wait_for_map

CLAIM_ID = "nato-forces-lithuania-border"
DENIAL_ID = "nato-spokesperson-denial"
FEATURES = {f["properties"]["id"]: f for _, features in catalog_layers() for f in features}
DRAWN = {layer["id"]: drawn_count(features) for layer, features in catalog_layers() if layer["default_visible"]}
DESKTOP = {"width": 1280, "height": 900}


def select_feature(page, title: str) -> None:
    """Choose a feature in the panel's selector by typing its title, as a person would."""
    page.get_by_test_id("stSelectbox").filter(has_text="Select a claim").click()
    page.keyboard.type(title)
    page.keyboard.press("Enter")


def panel(page):
    return page.locator(".claim-panel").first


def panel_row(page, label: str):
    return panel(page).locator(f'dt:text-is("{label}") + dd')


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_the_nato_claim_panel_names_claimant_standing_grade_dated_denials_and_linked_sources(app_server, page, tiles):
    claim = FEATURES[CLAIM_ID]["properties"]
    page.goto(app_server.url)
    wait_for_map(page, layers=DRAWN)
    select_feature(page, claim["title"])
    expect(panel(page).locator("h3")).to_have_text(claim["title"])

    expect(panel_row(page, "Claimant")).to_have_text(claim["claimant"])
    assert "Lukashenko" in claim["claimant"]
    expect(panel(page).locator(".standing")).to_have_text(claim["standing"])
    assert claim["standing"] == "contested"
    expect(panel(page).locator("abbr.grade").first).to_have_text(claim["grade"])

    # The denials: one dated item each in the timeline, each linked to the denial feature by a button.
    denials = [item for item in responses(claim) if item["type"] == "denial"]
    assert len(denials) == 4
    items = panel(page).locator("ol.timeline > li")
    expect(items).to_have_count(len(denials))
    expect(items.locator("time")).to_have_text([edtf_in_words(item["date"]) for item in denials])
    days = Counter(edtf_in_words(item["date"]) for item in denials)
    assert days == Counter({"16 Aug 2020": 2, "17 Aug 2020": 2})
    for index, item in enumerate(denials):
        expect(items.nth(index)).to_contain_text(f"{item['by']} {RESPONSE_LABELS['denial']}")
        title = FEATURES[item["feature"]]["properties"]["title"]
        expect(page.get_by_role("button", name=f"Denied by: {title}", exact=True)).to_be_visible()

    # The chain of sources, origin first: each step links to its entry in the Sources list.
    steps = panel_row(page, "Source chain (origin first)").locator("ol > li > a")
    expect(steps).to_have_count(len(claim["source_chain"]))
    for index, source_id in enumerate(claim["source_chain"]):
        expect(steps.nth(index)).to_have_attribute("href", f"#{source_anchor(source_id)}")
        expect(page.locator(f'ol.sources-list > li[id="{source_anchor(source_id)}"]')).to_have_count(1)
    steps.first.click()
    expect(page.locator(f'ol.sources-list > li[id="{source_anchor(claim["source_chain"][0])}"]')).to_be_in_viewport()

    # The map reports its pan to the selection; that rerun renders the panel anew, and scrolling needs it still.
    settle(page)
    panel(page).locator("h3").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "claim-panel.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_following_a_denial_without_a_place_and_back_selects_the_claim_it_denies(app_server, page, tiles):
    claim = FEATURES[CLAIM_ID]["properties"]
    denial = FEATURES[DENIAL_ID]
    assert denial["geometry"] is None and CLAIM_ID in denial["properties"]["answers"]
    page.goto(app_server.url)
    wait_for_map(page, layers=DRAWN)
    select_feature(page, claim["title"])
    expect(panel(page).locator("h3")).to_have_text(claim["title"])

    page.get_by_role("button", name=f"Denied by: {denial['properties']['title']}", exact=True).click()
    expect(panel(page).locator("h3")).to_have_text(denial["properties"]["title"])
    expect(panel(page).locator(".standing")).to_have_text("on-record")
    expect(panel_row(page, "Denies").locator("li").first).to_have_text(claim["title"])

    page.get_by_role("button", name=f"Denies: {claim['title']}", exact=True).click()
    expect(panel(page).locator("h3")).to_have_text(claim["title"])
    expect(page.get_by_role("combobox", name="Select a claim, report or denial")).to_have_value(claim["title"])
    expect(page.get_by_test_id("stException")).to_have_count(0)
