"""Take the screenshots in ``docs/``: the desktop and the phone view, with the NATO build-up claim chosen.

Run it from the repository (or anywhere)::

    python scripts/screenshots.py

It starts the app on a free port (``tests.browser.StreamlitServer``), drives Debian's Chromium
(``/usr/bin/chromium``, or ``$CHROMIUM_PATH``) with Playwright, and writes ``docs/screenshot-desktop.png``
(1400×1000) and ``docs/screenshot-phone.png`` (390×844). It uses the "Offline (no tiles)" basemap by
default, so the pictures look the same with or without internet; ``--basemap OpenStreetMap`` shows tiles.
Needs ``pip install -r requirements.txt`` and ``sudo apt-get install -y chromium``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402  (StreamlitServer reports a failed start with pytest.fail)
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    MAP_FRAME,
    StreamlitServer,
    catalog_layers,
    drawn_count,
    read_json,
    sidebar_widget,
    wait_for_map,
)

VIEWS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
BASEMAPS = ("Offline (no tiles)", "OpenStreetMap", "Light (CartoDB Positron)")
#: The claim the pictures show: its standing, grade, four dated denials and chain of sources.
CLAIM = "nato-forces-lithuania-border"
#: The map frame now on the page lights the chosen claim (Streamlit swaps the frame when the map is redrawn).
LIT_JS = """() => [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]')]
  .some(frame => !frame.closest('[data-stale="true"]') && frame.contentDocument
    && frame.contentDocument.querySelector('.cm-selected'))"""
#: Every tile image finished (loaded or failed), so a tile basemap is photographed complete.
TILES_SETTLED_JS = """() => {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]');
  const doc = frame && frame.contentDocument;
  return !!doc && [...doc.querySelectorAll('img.leaflet-tile')].every(img => img.complete);
}"""


def default_layers() -> dict[str, int]:
    """Shapes per layer the map draws when it opens."""
    return {layer["id"]: drawn_count(features) for layer, features in catalog_layers() if layer["default_visible"]}


def choose_basemap(page, basemap: str) -> None:
    """Pick a basemap in the sidebar, opening the sidebar first on a phone and closing it after."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    collapsed = expand.is_visible()
    if collapsed:
        expand.click()
    option = sidebar_widget(page, "stRadioOption", basemap)
    option.get_by_text(basemap, exact=True).click()
    expect(option.get_by_role("radio")).to_be_checked()
    if collapsed:
        page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
        expect(expand).to_be_visible()


def photograph(browser, url: str, view: str, basemap: str, path: Path) -> None:
    """Open the app at one viewport, pick the basemap, click the convoy route and save a screenshot."""
    context = browser.new_context(viewport=VIEWS[view])
    try:
        page = context.new_page()
        page.goto(url)
        layers = default_layers()
        wait_for_map(page, layers=layers)
        if basemap != BASEMAPS[1]:
            choose_basemap(page, basemap)
        if basemap == BASEMAPS[0]:
            names = sorted(place["name"] for place in read_json("data/places.json")["places"])
            wait_for_map(page, layers=layers, labels=names, tiles=0)
        else:
            wait_for_map(page, layers=layers, labels=[])
        page.wait_for_function(TILES_SETTLED_JS, timeout=30_000)
        claim = next(feature for _, features in catalog_layers() for feature in features if feature["id"] == CLAIM)
        title = claim["properties"]["title"]
        page.get_by_test_id("stSelectbox").filter(has_text="Select a claim").click()
        page.keyboard.type(title)
        page.keyboard.press("Enter")
        expect(page.locator(".claim-panel h3").first).to_have_text(title, timeout=30_000)
        page.wait_for_function(LIT_JS, timeout=60_000)
        page.mouse.move(1, VIEWS[view]["height"] - 1)  # away from the map: no hover highlight, no tooltip
        if view == "phone":
            # The map from its top edge (below Streamlit's header), with the panel's heading under it.
            page.locator(MAP_FRAME).evaluate("frame => frame.scrollIntoView({block: 'start'})")
            page.get_by_test_id("stMain").evaluate("main => main.scrollBy(0, -64)")
        expect(page.locator(MAP_FRAME)).to_be_in_viewport()
        page.screenshot(path=str(path))
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--basemap", choices=BASEMAPS, default=BASEMAPS[0], help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs/)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install -y chromium`", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        server = StreamlitServer().start()
    except pytest.fail.Exception as error:
        print(error, file=sys.stderr)
        return 1
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            try:
                for view in VIEWS:
                    path = args.out / f"screenshot-{view}.png"
                    photograph(browser, server.url, view, args.basemap, path)
                    print(f"wrote {path}")
            finally:
                browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
