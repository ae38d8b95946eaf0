"""Switching the interface language in a real browser: choices shown in words survive the switch."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import sidebar_widget


def chips(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelectTagsContainer").first.locator("span[data-tag]")


def test_a_standing_filter_set_in_german_survives_the_switch_to_english_and_the_next_rerun(app_server, page, tiles):
    # Streamlit keeps a choice as the words shown: the German ones must not linger after the switch.
    page.goto(f"{app_server.url}/?lang=de")
    standing = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    expect(standing.get_by_text("Status", exact=True)).to_be_visible()
    standing.locator('button[aria-label="Remove umstritten"]').click(force=True)
    expect(chips(page).filter(has_text="umstritten")).to_have_count(0)
    expect(chips(page).filter(has_text="unbestätigt")).to_have_count(1)
    sidebar_widget(page, "stRadioOption", "English").click()
    expect(page.get_by_test_id("stSidebar").get_by_text("Layers", exact=True)).to_be_visible()
    sidebar_widget(page, "stRadioOption", "Offline (no tiles)").click()  # any later rerun
    expect(page.get_by_test_id("stSidebar").get_by_text("Offline (no tiles)", exact=True)).to_be_visible()
    expect(chips(page).filter(has_text="unverified")).to_have_count(1)
    expect(chips(page)).to_have_count(8)
    expect(chips(page).filter(has_text="contested")).to_have_count(0)
    expect(page.get_by_text("cannot be shown")).to_have_count(0)
