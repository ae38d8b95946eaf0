"""A bounded load test: N browser contexts in one Chromium against one server, on loopback.

Each session loads the page, waits for the map, switches a layer off in the sidebar, clicks a feature on the map
and downloads the current view as GeoJSON; the file must be complete JSON and hold exactly the features the
session's map draws. Every step has a timeout, so the test stops by itself. Run it alone with
``python -m bench.load --sessions 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import RUNNING_JS, VIEWPORT, widget_selector
from bench.server import PeakMemory, serving
from tests.browser import (
    BLANK_TILE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    CLICK_POINT_JS,
    FRACTIONS,
    MAP_FRAME,
    MAP_STATE_JS,
    TILE_URL,
    is_drawn,
)

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 5, 10, 20)
#: The longest a session's step may take before it counts as an error, in seconds: a bound so the test stops by
#: itself, not a budget. With 20 sessions all browsers share the 2 cores, and the bare page alone takes 75–85 s
#: to load there; 120 s cut this page off in 2 of 5 runs while it loaded in 145–170 s.
STEP_TIMEOUT = 300.0
#: How often a session checks its map, in ms. Checked on every animation frame, 20 pages at once spent the cores
#: the pages themselves needed; the measured times are seconds long, so 0.1 s of resolution costs nothing.
POLL_MS = 100
VIEW_BUTTON = re.compile(r"^(Current view|All visible layers) \(")
SHAPE = 'path[class*="claim-layer-"]'
#: A clickable point on a drawn claim shape, trying the topmost shapes first (``CLICK_POINT_JS`` for each).
CLICK_ANY_JS = (
    (
        """([selector, fractions]) => {
  const frame = document.querySelector(__FRAME__);
  let doc = null;
  try { doc = frame && frame.contentDocument; } catch (error) { return null; }
  const count = doc ? doc.querySelectorAll(selector).length : 0;
  for (let index = count - 1; index >= 0; index--) {
    const point = (__CLICK__)([selector, index, fractions]);
    if (point) return point;
  }
  return null;
}"""
    )
    .replace("__CLICK__", CLICK_POINT_JS)
    .replace("__FRAME__", json.dumps(MAP_FRAME))
)
#: (layer, id) of every feature the map draws, read from Leaflet's own layers (``_key`` is ``<layer>/<n>``).
DRAWN_IDS_JS = """() => {
  const frame = document.querySelector(__FRAME__);
  const win = frame.contentWindow, found = [];
  for (const name of Object.keys(win)) {
    let value = null;
    try { value = win[name]; } catch (error) { continue; }
    if (!win.L || !(value instanceof win.L.Map)) continue;
    value.eachLayer(layer => {
      const properties = layer.feature && layer.feature.properties;
      if (properties && properties._key && properties.id !== undefined)
        found.push([String(properties._key).split('/')[0], String(properties.id)]);
    });
  }
  return found;
}""".replace("__FRAME__", json.dumps(MAP_FRAME))


@dataclass
class Session:
    """What one browser session saw."""

    load: float | None = None
    toggle: float | None = None
    downloaded: bool = False
    identical: bool = False
    compared: str = ""
    error: str | None = None


@dataclass
class Level:
    """A load level: its sessions, the server's peak memory and errors the server logged."""

    sessions: int
    results: list[Session] = field(default_factory=list)
    peak_memory: int = 0
    server_errors: int = 0
    seconds: float = 0.0

    def errors(self) -> list[str]:
        """Return every session error and one line per error the server logged."""
        found = [result.error for result in self.results if result.error]
        return found + [f"server log: {self.server_errors} error(s)"] * bool(self.server_errors)


async def _idle(page, timeout: float) -> None:
    # A rerun quicker than a frame is over before it can be seen running.
    with contextlib.suppress(Exception):
        await page.wait_for_function(RUNNING_JS, timeout=3_000, polling="raf")
    await page.wait_for_function(f"() => !({RUNNING_JS})()", timeout=timeout)


async def _map_without(page, layer_id: str | None, timeout: float) -> dict:
    """Wait until the map draws claim shapes (none of ``layer_id``) and Streamlit is idle; return the state."""
    check = f"""(gone) => {{
      if (({RUNNING_JS})()) return null;
      const state = ({MAP_STATE_JS})();
      if (!state || state.paths === 0 || (gone && state.layers[gone])) return null;
      return state;
    }}"""
    handle = await page.wait_for_function(check, arg=layer_id, timeout=timeout, polling=POLL_MS)
    return await handle.json_value()


def compare(drawn: dict, ids: list[list[str]], collection: dict) -> tuple[bool, str]:
    """Return whether the downloaded features the map would draw are those it draws, and how it compared.

    Always by count per layer (shapes of class ``claim-layer-<id>``); also by the set of (layer, id) where
    Leaflet's layers carry ids (a feature may be drawn more than once, as a shape and a badge).
    """
    placed = [feature for feature in collection["features"] if is_drawn(feature)]
    counts = dict(Counter(str(feature["properties"].get("layer")) for feature in placed))
    if not ids:
        return counts == drawn["layers"], "counts"
    held = {(str(f["properties"].get("layer")), str(f.get("id", f["properties"].get("id")))) for f in placed}
    return counts == drawn["layers"] and held == set(map(tuple, ids)), "ids and counts"


async def session(browser, url: str, layer_id: str, step: float) -> Session:
    """Drive one session (see the module docstring); every step waits at most ``step`` seconds."""
    result = Session()
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    await context.route(TILE_URL, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE))
    page = await context.new_page()
    timeout = step * 1000
    doing = "loading the page"
    try:
        opened = time.perf_counter()
        await page.goto(url, timeout=timeout)
        await _map_without(page, None, timeout)
        result.load = time.perf_counter() - opened
        doing = "switching a layer off"
        clicked = time.perf_counter()
        await page.locator(widget_selector(f"layer:{layer_id}")).click(timeout=timeout)
        await _map_without(page, layer_id, timeout)
        result.toggle = time.perf_counter() - clicked
        doing = "clicking a feature"
        point = await page.wait_for_function(CLICK_ANY_JS, arg=[SHAPE, FRACTIONS], timeout=timeout)
        point = await point.json_value()
        await page.mouse.click(point["x"], point["y"])
        doing = "waiting for the page after the click"
        await _idle(page, timeout)
        drawn = await _map_without(page, layer_id, timeout)
        ids = await page.evaluate(DRAWN_IDS_JS)
        doing = "downloading the view"
        button = page.get_by_test_id("stDownloadButton").get_by_role("button").filter(has_text=VIEW_BUTTON)
        async with page.expect_download(timeout=timeout) as info:
            await button.click(timeout=timeout)
        download = await info.value
        collection = json.loads(Path(await download.path()).read_text(encoding="utf-8"))
        result.downloaded = True
        result.identical, result.compared = compare(drawn, ids, collection)
        if await page.get_by_test_id("stException").count():
            result.error = "the page shows an exception"
    except Exception as exc:  # one failed session is a finding, not the end of the test
        result.error = f"{doing}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    finally:
        await context.unroute_all(behavior="ignoreErrors")
        await context.close()
    return result


async def _drive(url: str, sessions: int, layer_id: str, step: float) -> list[Session]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            return list(await asyncio.gather(*(session(browser, url, layer_id, step) for _ in range(sessions))))
        finally:
            await browser.close()


def run_level(app: Path, data: Path, sessions: int, layer_id: str, step: float = STEP_TIMEOUT) -> Level:
    """Run ``sessions`` sessions at once against a fresh server of ``app`` on ``data``."""
    level = Level(sessions)
    start = time.perf_counter()
    with serving(app, data) as server, PeakMemory(server.process.pid) as memory:
        level.results = asyncio.run(_drive(server.url, sessions, layer_id, step))
        log = server.log()
    level.peak_memory = memory.peak
    level.server_errors = log.count("Traceback") + log.count("MediaFileStorageError")
    level.seconds = time.perf_counter() - start
    return level


def main(argv: list[str] | None = None) -> int:
    """Run one load level and print its row."""
    from bench.cases import shipped
    from bench.report import load_rows, table

    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the checkout whose app.py is served")
    parser.add_argument("--data", type=Path, help="the case folder (default: the app root's data/)")
    parser.add_argument("--layer", help="the layer each session switches off (default: the first shown)")
    parser.add_argument("--step-timeout", type=float, default=STEP_TIMEOUT, help="seconds each step may take")
    args = parser.parse_args(argv)
    case = shipped(args.app_root.resolve())
    data = (args.data or case.data).resolve()
    layer = args.layer or type(case)(case.name, data).toggle_layer()
    level = run_level(args.app_root.resolve() / "app.py", data, args.sessions, layer, args.step_timeout)
    print(table(*load_rows([level])))
    for error in level.errors():
        print(f"error: {error}")
    return 1 if level.errors() else 0


if __name__ == "__main__":
    sys.exit(main())
