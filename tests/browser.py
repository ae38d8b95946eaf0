"""Shared set-up for browser tests: Debian's Chromium, its flags, and a Streamlit server on a free port."""

from __future__ import annotations

import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from geo.render.mapview import is_drawn

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]'


def require_chromium() -> Path:
    """Return Chromium's path; fail under CI and skip elsewhere when it is missing."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install -y chromium`"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: browser tests must run)")
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port that is free on localhost right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` on a free port, with its log kept for failure reports."""

    def __init__(self, app: Path = ROOT / "app.py", port: int | None = None, env: dict[str, str] | None = None):
        self.app = app
        self.env = {**os.environ, **(env or {})}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ARTIFACTS / f"streamlit-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> StreamlitServer:
        """Start the server and poll its health endpoint until it answers."""
        ARTIFACTS.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "streamlit", "run", str(self.app), "--server.port", str(self.port)]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        log = self.log_path.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._is_healthy():
                return self
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"Streamlit did not start on port {self.port}. Its log:\n{self.log()}")

    def _is_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def log(self) -> str:
        """Return what the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no log)"

    def stop(self) -> None:
        """Stop the server."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --- What the map draws, read from the page ------------------------------------------------------------------

#: Hosts the page may reach beyond this machine: map tiles only (subdomains included).
TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com")
TILE_URL = re.compile(r"^https?://([a-z0-9-]+\.)*(tile\.openstreetmap\.org|basemaps\.cartocdn\.com)(:\d+)?/", re.I)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: URL schemes that never touch the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "javascript"})

#: The state of the map, read from the parent page: ``null`` unless exactly one map iframe is on the page,
#: laid out and holding a Leaflet map (Streamlit briefly shows two while it swaps a changed map in).
MAP_STATE_JS = """() => {
  const frames = [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]')];
  if (frames.length !== 1) return null;
  const frame = frames[0];
  const box = frame.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return null;
  let doc = null;
  try { doc = frame.contentDocument; } catch (error) { return null; }
  if (!doc || doc.readyState !== 'complete' || !doc.querySelector('.leaflet-container')) return null;
  const layers = {}, standings = {};
  for (const path of doc.querySelectorAll('.leaflet-map-pane path')) {
    const classes = [...path.classList];
    const layer = classes.find(name => name.startsWith('claim-layer-'));
    if (!layer) continue;
    const id = layer.slice('claim-layer-'.length);
    const standing = (classes.find(name => name.startsWith('standing-')) || 'standing-').slice('standing-'.length);
    layers[id] = (layers[id] || 0) + 1;
    standings[id] = standings[id] || {};
    standings[id][standing] = (standings[id][standing] || 0) + 1;
  }
  const tiles = [...doc.querySelectorAll('img.leaflet-tile')].map(img => img.src);
  const notice = doc.querySelector('.tile-error-notice');
  return {
    layers, standings,
    paths: doc.querySelectorAll('.leaflet-map-pane path[class*="claim-layer-"]').length,
    outlines: doc.querySelectorAll('path.offline-outline').length,
    labels: [...doc.querySelectorAll('.place-label')].map(label => label.textContent).sort(),
    tiles: tiles.length,
    tile_hosts: [...new Set(tiles.map(src => new URL(src).host))].sort(),
    tile_sites: [...new Set(tiles.map(src => new URL(src).hostname.split('.').slice(-3).join('.')))].sort(),
    notice: notice ? notice.textContent : null,
    width: box.width,
    height: box.height,
  };
}"""

_WAIT_JS = (
    """(expected) => {
  const canon = value => JSON.stringify(value, (key, item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item);
  const failure = document.querySelector('[data-testid="stException"]');
  if (failure) return {exception: failure.innerText};
  const state = (__MAP_STATE__)();
  if (!state) return null;
  for (const [key, value] of Object.entries(expected)) {
    if (canon(state[key]) !== canon(value)) return null;
  }
  return state;
}"""
).replace("__MAP_STATE__", MAP_STATE_JS)

#: A point on the outline of the ``index``-th shape matching ``selector`` in the map iframe, in the page's
#: viewport, where a click lands on that shape: inside the viewport, the iframe topmost there in the page
#: (not covered, not stale during a Streamlit rerun) and the shape topmost there in the iframe. ``null``
#: while there is none. Points are tried along the path (``getPointAtLength``, mapped by ``getScreenCTM``).
CLICK_POINT_JS = """([selector, index, fractions]) => {
  const frames = [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]')];
  if (frames.length !== 1 || frames[0].closest('[data-stale="true"]')) return null;
  const frame = frames[0];
  let doc = null;
  try { doc = frame.contentDocument; } catch (error) { return null; }
  const path = doc && doc.querySelectorAll(selector)[index];
  if (!path || !path.getTotalLength) return null;
  const box = frame.getBoundingClientRect();
  const style = getComputedStyle(frame);
  const left = box.x + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
  const top = box.y + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
  const length = path.getTotalLength();
  const matrix = path.getScreenCTM();
  for (const fraction of fractions) {
    const point = path.getPointAtLength(length * fraction);
    const x = point.x * matrix.a + point.y * matrix.c + matrix.e;
    const y = point.x * matrix.b + point.y * matrix.d + matrix.f;
    const pageX = left + x, pageY = top + y;
    if (pageX < 0 || pageY < 0 || pageX >= innerWidth || pageY >= innerHeight) continue;
    if (document.elementFromPoint(pageX, pageY) !== frame) continue;
    if (doc.elementFromPoint(x, y) !== path) continue;
    return {x: pageX, y: pageY, fraction};
  }
  return null;
}"""
FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9)


def read_json(relative: str) -> Any:
    """Read a JSON file of the repository, e.g. ``data/catalog.json``."""
    return json.loads((ROOT / relative).read_text(encoding="utf-8"))


def catalog_layers() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Return every catalog layer with the features of its layer file, in catalog order."""
    return [
        (layer, read_json(f"data/{layer['file']}")["features"]) for layer in read_json("data/catalog.json")["layers"]
    ]


def drawn_count(features: list[dict[str, Any]]) -> int:
    """Return how many of a layer's features the map draws (``geo.render.mapview.is_drawn``): not a denial whose
    source gives no place, nor a country of the borders layer."""
    return sum(1 for feature in features if is_drawn(feature))


def layer_label(layer: dict[str, Any], features: list[dict[str, Any]]) -> str:
    """Return the sidebar label of a layer's checkbox: ``<title> (<count>)``."""
    return f"{layer['title']} ({len(features)})"


def sidebar_widget(page, test_id: str, label: str):
    """Return a sidebar widget (``stCheckbox``, ``stRadioOption``...) found by the label text a person sees.

    Not by accessible name: Streamlit names inputs after the raw Markdown label, escapes included.
    """
    sidebar = page.get_by_test_id("stSidebar")
    return sidebar.get_by_test_id(test_id).filter(has=page.get_by_text(label, exact=True))


def map_state(page) -> dict[str, Any] | None:
    """Return what the map iframe draws now (layers, standings, tiles, labels...), or None while it swaps."""
    return page.evaluate(MAP_STATE_JS)


def wait_for_map(page, timeout: float = 60_000, **expected: Any) -> dict[str, Any]:
    """Wait until the one map iframe draws what ``expected`` says (keys of ``MAP_STATE_JS``); return its state.

    Streamlit replaces the map iframe whenever the map changes, so this polls the page (in the browser, per
    animation frame) rather than trusting the iframe that happens to be there when the call starts. Fails at
    once if the page shows a Streamlit exception.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        state = page.wait_for_function(_WAIT_JS, arg=expected, timeout=timeout).json_value()
    except PlaywrightTimeoutError:
        raise AssertionError(f"the map never drew {expected};\nit draws {map_state(page)}") from None
    if "exception" in state:
        raise AssertionError(f"the app shows an exception:\n{state['exception']}")
    return state


def shape_point(page, selector: str, index: int = 0, timeout: float = 30_000) -> dict[str, float]:
    """Return a visible point of the ``index``-th shape matching ``selector`` where the mouse would land on it.

    Scrolls the map into view and waits (polling in the browser) for such a point (see ``CLICK_POINT_JS``).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    try:
        return page.wait_for_function(CLICK_POINT_JS, arg=[selector, index, FRACTIONS], timeout=timeout).json_value()
    except PlaywrightTimeoutError:
        raise AssertionError(f"no point of {selector} #{index} is visible and clickable on the map") from None


def click_shape(page, selector: str, index: int = 0, timeout: float = 30_000) -> dict[str, float]:
    """Click a shape of the map as a person would: with the mouse, on a visible point of it (``shape_point``)."""
    point = shape_point(page, selector, index, timeout)
    page.mouse.click(point["x"], point["y"])
    return point


# --- The network: tiles answered locally, every request recorded ----------------------------------------------


def is_tile_url(url: str) -> bool:
    """True for a request to a tile host the app uses (OpenStreetMap, CARTO)."""
    return bool(TILE_URL.match(url))


def is_local_url(url: str) -> bool:
    """True for a URL that stays on this machine (localhost, or a scheme without network)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


def _png(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


#: A transparent PNG served in place of every map tile, so tests neither need nor load real tiles.
BLANK_TILE = _png()


def stub_tiles(target) -> list[str]:
    """Answer every tile request of a page or context with ``BLANK_TILE``; return the tile URLs asked for."""
    asked: list[str] = []

    def answer(route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)

    target.route(TILE_URL, answer)
    return asked


def fail_tiles(target) -> list[str]:
    """Make every tile request of a page or context fail, as without internet; return the URLs asked for."""
    asked: list[str] = []

    def refuse(route) -> None:
        asked.append(route.request.url)
        route.abort("internetdisconnected")

    target.route(TILE_URL, refuse)
    return asked


@dataclass
class NetworkLog:
    """Every request a browser context made (page, iframes, workers) and every WebSocket it opened."""

    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def attach(self, context, page=None) -> NetworkLog:
        """Start recording ``context``'s requests and ``page``'s WebSockets."""
        context.on("request", lambda request: self.requests.append(request.url))
        if page is not None:
            page.on("websocket", lambda socket: self.websockets.append(socket.url))
        return self

    def urls(self) -> list[str]:
        """Return every URL seen so far."""
        return [*self.requests, *self.websockets]

    def leaving(self) -> list[str]:
        """Return the URLs that left this machine."""
        return [url for url in self.urls() if not is_local_url(url)]

    def tiles(self, since: int = 0) -> list[str]:
        """Return the tile requests (from request number ``since`` on)."""
        return [url for url in self.requests[since:] if is_tile_url(url)]


def map_reports(page) -> list[dict[str, Any]]:
    """Record, from now on, the map's value sent with each rerun ``page`` asks for; return the growing list.

    Each entry is what streamlit-folium reported (zoom, centre, last click), decoded from the rerun's BackMsg.
    Reruns that carry no map value (the page's first run) are left out.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg

    reports: list[dict[str, Any]] = []

    def record(frame: bytes | str) -> None:
        message = BackMsg()
        message.ParseFromString(frame if isinstance(frame, bytes) else frame.encode())
        if message.WhichOneof("type") != "rerun_script":
            return
        widgets = message.rerun_script.widget_states.widgets
        values = [json.loads(state.json_value) for state in widgets if state.WhichOneof("value") == "json_value"]
        reports.extend(value for value in values if isinstance(value, dict) and "zoom" in value)

    page.on("websocket", lambda socket: socket.on("framesent", record))
    return reports


def fragment_traffic(page) -> dict[str, list[str]]:
    """Record, from now on, which part of the page each rerun runs and each element the server sends belongs to.

    ``reruns``: the fragment each rerun ``page`` asks for names (``""``: the whole page), from the BackMsg.
    ``elements``: the fragment of each element the server sends (``""``: outside any), from the ForwardMsg.
    Call it before the page opens its connection.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    traffic: dict[str, list[str]] = {"reruns": [], "elements": []}

    def sent(frame: bytes | str) -> None:
        message = BackMsg()
        message.ParseFromString(frame if isinstance(frame, bytes) else frame.encode())
        if message.WhichOneof("type") == "rerun_script":
            traffic["reruns"].append(message.rerun_script.fragment_id)

    def received(frame: bytes | str) -> None:
        message = ForwardMsg()
        message.ParseFromString(frame if isinstance(frame, bytes) else frame.encode())
        if message.WhichOneof("type") == "delta":
            traffic["elements"].append(message.delta.fragment_id)

    page.on("websocket", lambda socket: (socket.on("framesent", sent), socket.on("framereceived", received)))
    return traffic


# --- Waiting for the page to settle, and the Leaflet map inside the iframe -----------------------------------

#: True once the app has stopped running its script, nothing on the page is stale and one map iframe holds a
#: Leaflet map; counts such polls in ``window.__cmIdle`` and is truthy after ``needed`` of them in a row.
_IDLE_JS = """(needed) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const frames = [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]')];
  let ready = !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"]') && frames.length === 1;
  if (ready) {
    try { ready = !!frames[0].contentWindow.map && frames[0].contentDocument.readyState === 'complete'; }
    catch (error) { ready = false; }
  }
  window.__cmIdle = ready ? (window.__cmIdle || 0) + 1 : 0;
  if (document.querySelector('[data-testid="stException"]')) return 'exception';
  return window.__cmIdle >= needed;
}"""


def settle(page, timeout: float = 90_000, polls: int = 12) -> None:
    """Wait until the app has finished every rerun (including those the map's own reports start).

    Polls every 100 ms until the script is not running, nothing is stale and the map iframe holds its Leaflet
    map, ``polls`` times in a row (a map report starts a rerun a moment after a pan or zoom). Fails if the page
    shows a Streamlit exception.
    """
    page.evaluate("window.__cmIdle = 0")
    result = page.wait_for_function(_IDLE_JS, arg=polls, polling=100, timeout=timeout).json_value()
    if result == "exception":
        raise AssertionError(f"the app shows an exception:\n{page.get_by_test_id('stException').first.inner_text()}")


#: The Leaflet map of the one map iframe (streamlit-folium keeps it as ``window.map`` there).
_MAP_JS = (
    "document.querySelector('iframe[title=\"streamlit_folium.st_folium\"], iframe[data-claim-map]').contentWindow.map"
)

#: The map's zoom, centre, bounds and size, and whether the iframe carries ``tag`` (set by ``tag_map_frame``).
MAP_VIEW_JS = f"""() => {{
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"], iframe[data-claim-map]');
  const map = {_MAP_JS};
  const center = map.getCenter(), bounds = map.getBounds(), size = map.getSize();
  return {{
    zoom: map.getZoom(), lat: center.lat, lng: center.lng,
    west: bounds.getWest(), south: bounds.getSouth(), east: bounds.getEast(), north: bounds.getNorth(),
    width: size.x, height: size.y, tag: frame.__cmTag || null,
  }};
}}"""


def map_view(page) -> dict[str, Any]:
    """Return the Leaflet map's view: ``zoom``, centre ``lat``/``lng``, bounds, pixel size and the frame's tag."""
    return page.evaluate(MAP_VIEW_JS)


def set_map_view(page, lat: float, lng: float, zoom: int) -> None:
    """Pan and zoom the Leaflet map at once, as a reader's drag and zoom would (the map reports it)."""
    page.evaluate(f"([lat, lng, zoom]) => {_MAP_JS}.setView([lat, lng], zoom, {{animate: false}})", [lat, lng, zoom])


def tag_map_frame(page, tag: str) -> None:
    """Mark the map iframe element with a JS property: an iframe re-mounted by Streamlit comes back without it."""
    page.evaluate(f"(tag) => {{ {_MAP_JS.removesuffix('.contentWindow.map')}.__cmTag = tag; }}", tag)


def centre_shift_px(page, lat: float, lng: float) -> float:
    """Return how many screen pixels the map's centre now lies from ``lat``/``lng`` at the current zoom."""
    return page.evaluate(
        f"([lat, lng]) => {{ const map = {_MAP_JS}; const zoom = map.getZoom();"
        " return map.project(map.getCenter(), zoom).distanceTo(map.project([lat, lng], zoom)); }",
        [lat, lng],
    )


def map_classes(page, selector: str) -> list[str]:
    """Return the class attribute of every element matching ``selector`` inside the map iframe."""
    return page.evaluate(
        "(selector) => [...document.querySelector("
        "'iframe[title=\"streamlit_folium.st_folium\"], iframe[data-claim-map]')"
        ".contentDocument.querySelectorAll(selector)].map(element => element.getAttribute('class'))",
        selector,
    )


def widget(page, key: str):
    """Return the element container of the widget with Streamlit key ``key`` (``:`` becomes ``-`` in its class)."""
    return page.locator(f".st-key-{re.sub(r'[^A-Za-z0-9_-]', '-', key)}")


def choose_in_selector(page, title: str, key: str = "selector") -> None:
    """Choose a feature in the panel's selector (widget ``key``) by typing its title, as a person would."""
    widget(page, key).get_by_test_id("stSelectbox").click()
    page.keyboard.type(title)
    page.keyboard.press("Enter")
