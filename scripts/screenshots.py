"""Take the screenshots in ``docs/``: each view of the page, at desktop and phone sizes.

Run it from the repository (or anywhere)::

    python scripts/screenshots.py                 # every picture
    python scripts/screenshots.py --only table    # one picture (names: see --help)

It starts the app on a free port (``tests.browser.StreamlitServer``), drives Debian's Chromium
(``/usr/bin/chromium``, or ``$CHROMIUM_PATH``) with Playwright, and writes ``docs/screenshot-<name>.png``
(desktop 1400×1000, phone 390×844; the table, timeline and search pictures grow taller to hold map and tab).
It uses the "Offline (no tiles)" basemap by default, so the pictures look the same with or without internet;
``--basemap OpenStreetMap`` shows tiles. The ``10k`` picture runs a second server on a synthetic case of
10,000 claims (``python -m geo synth``). Needs ``pip install -r requirements.txt`` and
``sudo apt-get install -y chromium``.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402  (StreamlitServer reports a failed start with pytest.fail)
from PIL import Image  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from geo.app.linkcodec import slug  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    MAP_FRAME,
    StreamlitServer,
    catalog_layers,
    click_shape,
    map_state,
)

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
#: The tallest picture, in CSS pixels.
MAX_HEIGHT = 1800
BASEMAPS = ("Offline (no tiles)", "OpenStreetMap", "Light (CartoDB Positron)")
#: The claim the pictures show: its standing, grade, four dated denials and chain of sources.
CLAIM = "nato-forces-lithuania-border"
SYNTHETIC_CLAIMS = 10_000
MAX_ZOOM_STEPS = 8
#: Height of a row (and of the header) of a Streamlit table, in CSS pixels.
ROW_PX = 35
#: The map frame now on the page lights the chosen claim (Streamlit swaps the frame when the map is redrawn).
LIT_JS = """() => [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]')]
  .some(frame => !frame.closest('[data-stale="true"]') && frame.contentDocument
    && frame.contentDocument.querySelector('.cm-selected'))"""
#: Streamlit is idle: no run under way, nothing stale, no spinner, and every tile image finished.
IDLE_JS = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"] button, [data-testid="stSpinner"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const frames = document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]');
  if (frames.length !== 1) return false;
  const doc = frames[0].contentDocument;
  return !!doc && !!doc.querySelector('.leaflet-container')
    && [...doc.querySelectorAll('img.leaflet-tile')].every(img => img.complete);
}"""


def settle(page, timeout: float = 90.0) -> None:
    """Wait until Streamlit is idle and the map draws the same thing twice, a second apart."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        page.wait_for_function(IDLE_JS, timeout=timeout * 1000)
        state = map_state(page)
        if state is not None and state == last:
            return
        last = state
        page.wait_for_timeout(1000)
    raise AssertionError(f"the page never settled; the map draws {map_state(page)}")


def open_page(context, url: str, **params: str) -> object:
    """Open the app with query parameters (the offline basemap, a language...) and wait for it to settle."""
    page = context.new_page()
    page.goto(f"{url}/?{urlencode(params)}" if params else url)
    page.locator(MAP_FRAME).wait_for(timeout=90_000)
    settle(page)
    return page


def claim_title(claim_id: str = CLAIM) -> str:
    """Return a claim's title as the data gives it (English)."""
    features = (feature for _, features in catalog_layers() for feature in features)
    return next(feature for feature in features if feature["id"] == claim_id)["properties"]["title"]


def choose_claim(page, claim_id: str = CLAIM, label: str = "Select a claim") -> None:
    """Choose a claim in the panel's selector by typing its title, and wait until the map lights it."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.keyboard.type(claim_title(claim_id))
    page.keyboard.press("Enter")
    page.wait_for_function(LIT_JS, timeout=60_000)
    settle(page)


def rest_mouse(page) -> None:
    """Move the mouse off the map: no hover highlight, no tooltip."""
    page.mouse.move(1, page.viewport_size["height"] - 1)


def scroll_main(page, selector: str, offset: int = 0) -> None:
    """Scroll Streamlit's main area so ``selector``'s top is ``offset`` px below the viewport's top."""
    page.locator(selector).first.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.get_by_test_id("stMain").evaluate(f"main => main.scrollBy(0, {-offset})")


def open_tab(page, name: str) -> None:
    """Open one of the tabs under the map (``Claims table``, ``Timeline``) and settle."""
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    settle(page)


# --- The pictures: each takes a browser and the server URLs, and returns the page to photograph --------------


def shot_desktop(browser, urls: dict[str, str]):
    """The desktop page with the NATO build-up claim chosen."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"])
    choose_claim(page)
    return page


def shot_phone(browser, urls: dict[str, str]):
    """The phone page with the NATO claim chosen: the map from its top edge, the panel's heading under it."""
    page = open_page(browser.new_context(viewport=PHONE, is_mobile=True), urls["case"], basemap=urls["basemap"])
    choose_claim(page)
    scroll_main(page, MAP_FRAME, offset=64)
    return page


def shot_phone_panel(browser, urls: dict[str, str]):
    """The phone page after a tap on the NATO claim's zone: the app scrolls its panel into view."""
    page = open_page(browser.new_context(viewport=PHONE, is_mobile=True), urls["case"], basemap=urls["basemap"])
    click_shape(page, "path.claim-layer-border-areas", index=0)
    expect(page.locator(".claim-panel h3").first).to_have_text(claim_title(), timeout=30_000)
    page.wait_for_function(LIT_JS, timeout=60_000)
    settle(page)
    page.wait_for_timeout(1500)  # the panel's smooth scroll
    return page


def shot_table(browser, urls: dict[str, str]):
    """The claims table with the NATO claim's row clicked (the map, above, lights it)."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"])
    open_tab(page, "Claims table")
    click_row(page, claim_title())
    page.wait_for_function(LIT_JS, timeout=60_000)
    settle(page)
    # The long panel beside the map pushes the tabs below it: the picture starts at the tabs.
    scroll_main(page, '[data-testid="stTabs"]', offset=80)
    return page


def grow_to(page, selector: str, margin: int = 24) -> None:
    """Make the viewport tall enough to show the page from its top down to ``selector``'s bottom."""
    page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 0)")
    bottom = page.locator(selector).first.evaluate("element => element.getBoundingClientRect().bottom")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(bottom) + margin, MAX_HEIGHT)})
    settle(page)


def click_row(page, title: str) -> None:
    """Click the row marker of the claims table's row titled ``title``, as a person would.

    The grid draws on a canvas; its hidden accessible table gives the row's number, rows are ``ROW_PX`` high.
    """
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    row = grid.locator("table tr", has_text=title).first.get_attribute("aria-rowindex")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + ROW_PX / 2, box["y"] + ROW_PX * (int(row) - 1) + ROW_PX / 2)


def shot_timeline(browser, urls: dict[str, str]):
    """The timeline tab under the map."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"])
    open_tab(page, "Timeline")
    grow_to(page, '[data-testid="stVegaLiteChart"]')
    return page


def shot_search(browser, urls: dict[str, str]):
    """The sidebar search for NATO: the map and the table narrowed to what matches."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"])
    box = page.get_by_test_id("stSidebar").get_by_role("textbox").first
    box.fill("NATO")
    box.press("Enter")
    settle(page)
    open_tab(page, "Claims table")
    grow_to(page, '[data-testid="stDataFrame"]')
    return page


def shot_german(browser, urls: dict[str, str]):
    """The German page (``?lang=de``) with the NATO claim chosen: quotes in the original beside the translation."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"], lang="de")
    choose_claim(page, label="Behauptung, Bericht oder Dementi auswählen")
    grow_to(page, ".claim-panel dl blockquote >> nth=1")
    return page


def shot_measurements(browser, urls: dict[str, str]):
    """The measurements with the border zones' depth slid to 60 km."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["case"], basemap=urls["basemap"])
    slide_depth(page, 60)
    page.get_by_test_id("stExpander").filter(has_text="Measurements:").locator("summary").click()
    page.get_by_test_id("stDataFrame").filter(has_text="Zone area").wait_for()
    settle(page)
    scroll_main(page, '[data-testid="stExpander"]:has-text("Measurements:")', offset=80)
    return page


def slide_depth(page, km: int, label: str = "Depth of the claimed border zones") -> None:
    """Move the depth slider with the keyboard, as a person would, until it shows ``km``."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSlider").filter(has_text=label)
    slider = box.get_by_role("slider")
    slider.focus()
    for _ in range(40):
        if slider.get_attribute("aria-valuetext") == f"{km} km":
            break
        page.keyboard.press("ArrowRight")
    else:
        raise AssertionError(f"the depth slider never showed {km} km: {slider.get_attribute('aria-valuetext')}")
    settle(page)


def shot_10k(browser, urls: dict[str, str]):
    """The synthetic case of 10,000 claims: the counts drawn for cells, with the caption saying so."""
    return open_page(browser.new_context(viewport=DESKTOP), urls["synthetic"], basemap=urls["basemap"])


def shot_10k_zoomed(browser, urls: dict[str, str]):
    """The synthetic case zoomed in, a step at a time, until single features are drawn instead of counts."""
    page = open_page(browser.new_context(viewport=DESKTOP), urls["synthetic"], basemap=urls["basemap"])
    caption = page.get_by_text("claims with a place shown")
    for _ in range(MAX_ZOOM_STEPS):
        if "counts stand for them" not in caption.inner_text():
            return page
        page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
        settle(page)
    raise AssertionError(f"still counts after {MAX_ZOOM_STEPS} zoom steps: {caption.inner_text()}")


SHOTS: dict[str, Callable] = {
    "desktop": shot_desktop,
    "phone": shot_phone,
    "table": shot_table,
    "timeline": shot_timeline,
    "search": shot_search,
    "german": shot_german,
    "measurements": shot_measurements,
    "phone-panel": shot_phone_panel,
    "10k": shot_10k,
    "10k-zoomed": shot_10k_zoomed,
}


def save(page, path: Path) -> None:
    """Photograph the page (mouse off the map) and write it as an optimised PNG."""
    rest_mouse(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    settle(page)
    image = Image.open(io.BytesIO(page.screenshot()))
    image.convert("RGB").save(path, optimize=True)


def synthetic_case(folder: Path) -> Path:
    """Write the synthetic case of ``SYNTHETIC_CLAIMS`` claims into ``folder``; return it."""
    out = folder / "case"
    command = [sys.executable, "-m", "geo", "synth", "--claims", str(SYNTHETIC_CLAIMS), "--seed", "1"]
    subprocess.run([*command, "--out", str(out)], cwd=ROOT, check=True)
    return out


def take(names: list[str], out: Path, urls: dict[str, str]) -> None:
    """Take the named pictures with one browser."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            for name in names:
                page = SHOTS[name](browser, urls)
                path = out / f"screenshot-{name}.png"
                save(page, path)
                page.context.close()
                print(f"wrote {path}")
        finally:
            browser.close()


def serve(names: list[str], out: Path, basemap: str) -> None:
    """Start the servers the pictures need (the case; the synthetic case for ``10k``), take them, stop them."""
    servers: list[StreamlitServer] = []
    urls = {"basemap": slug(basemap)}
    with tempfile.TemporaryDirectory() as folder:
        try:
            if any(not name.startswith("10k") for name in names):
                servers.append(StreamlitServer().start())
                urls["case"] = servers[-1].url
            if any(name.startswith("10k") for name in names):
                env = {"CLAIM_MAP_DATA": str(synthetic_case(Path(folder)))}
                servers.append(StreamlitServer(env=env).start())
                urls["synthetic"] = servers[-1].url
            take(names, out, urls)
        finally:
            for server in servers:
                server.stop()


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=SHOTS, action="append", help="take only this picture (repeatable)")
    parser.add_argument("--basemap", choices=BASEMAPS, default=BASEMAPS[0], help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs/)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install -y chromium`", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        serve(args.only or list(SHOTS), args.out, args.basemap)
    except pytest.fail.Exception as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
