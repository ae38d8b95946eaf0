"""What Chromium sees: time to the first drawn shape (P1), the map's own files (P3), long tasks and memory (P4)."""

from __future__ import annotations

import contextlib
import gzip
import json
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import PeakMemory, serving
from tests.browser import BLANK_TILE, CHROMIUM, CHROMIUM_FLAGS, MAP_FRAME, TILE_URL

VIEWPORT = {"width": 1400, "height": 900}
#: True once the map iframe is laid out and draws a shape: an SVG path, a marker, or a canvas (Leaflet's canvas
#: renderer). An iframe of height 0 (its loader stopped at a failing script) shows nothing.
DRAWN_JS = """() => {
  const frames = [...document.querySelectorAll(__FRAME__)];
  if (frames.length !== 1 || frames[0].closest('[data-stale="true"]')) return false;
  const box = frames[0].getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return false;
  let doc = null;
  try { doc = frames[0].contentDocument; } catch (error) { return false; }
  return !!(doc && doc.querySelector(
    'path.leaflet-interactive, .leaflet-marker-pane .leaflet-marker-icon, .leaflet-overlay-pane canvas'));
}""".replace("__FRAME__", json.dumps(MAP_FRAME))
#: True while Streamlit runs the script (or is about to).
RUNNING_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !app || app.getAttribute('data-test-script-state') !== 'notRunning';
}"""
#: Every file the map iframe loaded, as the browser's resource timing lists them.
RESOURCES_JS = """() => {
  const frame = document.querySelector(__FRAME__);
  const entries = frame.contentWindow.performance.getEntriesByType('resource');
  return [frame.src, ...entries.map(entry => entry.name)];
}""".replace("__FRAME__", json.dumps(MAP_FRAME))
#: True once the map iframe has loaded its document and every stylesheet it links: streamlit-folium adds the
#: map's stylesheets after its scripts, so one can arrive after the first shape is drawn.
LOADED_JS = """() => {
  const frame = document.querySelector(__FRAME__);
  const doc = frame && frame.contentDocument;
  if (!doc || doc.readyState !== 'complete') return false;
  return [...doc.querySelectorAll('link[rel="stylesheet"]')].every(link => link.sheet !== null);
}""".replace("__FRAME__", json.dumps(MAP_FRAME))
#: Collect long tasks in the map iframe from now on; return the iframe's clock.
LONGTASKS_JS = """() => {
  window.__benchLongTasks = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) window.__benchLongTasks.push([entry.startTime, entry.duration]);
  }).observe({type: 'longtask', buffered: true});
  return performance.now();
}"""


def widget_selector(key: str) -> str:
    """Return the CSS selector of a Streamlit checkbox's label by its widget key (``st-key-<key>``)."""
    return f".st-key-{''.join(c if c.isalnum() or c in '_-' else '-' for c in key.strip())} label"


def launch(playwright):
    """Launch Debian's Chromium with the test flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)


def new_page(browser):
    """Return a page in a fresh context (no cache) whose map tiles are answered locally with a blank tile."""
    context = browser.new_context(viewport=VIEWPORT)
    context.route(TILE_URL, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE))
    return context.new_page()


def close(page) -> None:
    """Close a page's context, dropping tile answers still in flight without noise."""
    page.context.unroute_all(behavior="ignoreErrors")
    page.context.close()


def wait_drawn(page, timeout: float) -> None:
    """Wait until the map iframe draws a shape and Streamlit is idle."""
    page.wait_for_function(DRAWN_JS, timeout=timeout * 1000, polling="raf")
    page.wait_for_function(f"() => !({RUNNING_JS})()", timeout=timeout * 1000)


@dataclass
class FirstDraw:
    """P1: seconds from starting the server to the first shape drawn, and the map's own files (P3)."""

    total: float | None = None
    page: float | None = None
    files: dict[str, int] = field(default_factory=dict)
    component: int = 0
    failed: str | None = None


def first_draw(browser, app: Path, data: Path, cap: float) -> FirstDraw:
    """Start a fresh server for ``app`` on ``data``, load the page, time the first shape drawn in the map."""
    start = time.perf_counter()
    with serving(app, data) as server:
        page = new_page(browser)
        try:
            opened = time.perf_counter()
            page.goto(server.url)
            page.wait_for_function(DRAWN_JS, timeout=cap * 1000, polling="raf")
            drawn = time.perf_counter()
            result = FirstDraw(total=drawn - start, page=drawn - opened)
            page.wait_for_function(LOADED_JS, timeout=cap * 1000)
            _measure_files(result, server.url, page.evaluate(RESOURCES_JS))
        except Exception as exc:  # a page that never draws is a result, not a crash
            result = FirstDraw(failed=f"no shape drawn within {cap:.0f} s ({type(exc).__name__})")
        finally:
            close(page)
    return result


def _measure_files(result: FirstDraw, base: str, urls: list[str]) -> None:
    """Sort the iframe's files: ``/app/static/`` files the map needs (gzipped bytes each), and the component's."""
    for url in dict.fromkeys(urls):
        if not url.startswith(base):
            continue
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                size = len(gzip.compress(response.read()))
        except OSError as exc:
            result.files[f"{url.removeprefix(base)} ({exc})"] = 0
            continue
        if "/app/static/" in url:
            result.files[url.removeprefix(base)] = size
        elif "/component/" in url:
            result.component += size


@dataclass
class Pan:
    """P4: first draw at a large case, a toggle, then dragging the map; long tasks and the server's peak memory."""

    first_draw: float | None = None
    toggle: float | None = None
    long_tasks: list[float] = field(default_factory=list)
    peak_memory: int = 0
    failed: str | None = None


def pan(browser, app: Path, data: Path, toggle_key: str, cap: float, seconds: float = 5.0) -> Pan:
    """Load ``app`` on ``data`` in a fresh server, toggle ``toggle_key`` off, drag the map for ``seconds``."""
    result = Pan()
    start = time.perf_counter()
    with serving(app, data) as server, PeakMemory(server.process.pid) as memory:
        page = new_page(browser)
        try:
            page.goto(server.url)
            wait_drawn(page, cap)
            result.first_draw = time.perf_counter() - start
            clicked = time.perf_counter()
            toggle(page, toggle_key, cap)
            result.toggle = time.perf_counter() - clicked
            result.long_tasks = drag(page, seconds)
        except Exception as exc:  # a page that never draws or redraws is a result, not a crash
            result.failed = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        finally:
            close(page)
    result.peak_memory = memory.peak
    return result


def toggle(page, key: str, cap: float) -> None:
    """Click the checkbox ``key`` and wait until the rerun it starts is over and the map draws again."""
    page.locator(widget_selector(key)).click()
    # A rerun quicker than a frame is over before it can be seen running.
    with contextlib.suppress(Exception):
        page.wait_for_function(RUNNING_JS, timeout=3_000, polling="raf")
    wait_drawn(page, cap)


def drag(page, seconds: float) -> list[float]:
    """Drag the map in small steps for about ``seconds``; return the durations (ms) of long tasks meanwhile."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    since = frame.evaluate(LONGTASKS_JS)
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    steps = max(1, int(seconds / 0.1))
    for step in range(steps):
        # A zig-zag of 120 px strokes, so the drag reveals new ground and comes back over the old.
        dx = 120 if (step // 5) % 2 == 0 else -120
        dy = 40 if (step // 10) % 2 == 0 else -40
        page.mouse.move(x + dx * (step % 5) / 5, y + dy * (step % 10) / 10, steps=4)
        page.wait_for_timeout(100)
    page.mouse.up()
    page.wait_for_timeout(500)
    entries = frame.evaluate("() => window.__benchLongTasks")
    return [duration for started, duration in entries if started >= since]
