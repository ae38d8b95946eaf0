"""Hostile data in a real browser (issue 4 §3): nothing a data file says may run, in the page or the map iframe.

The app is started on a copy of ``data/`` (``CLAIM_MAP_DATA``) with one extra layer whose title, property
values and property NAMES carry script payloads, and a source whose URL is ``javascript:``. Chromium then
hovers (tooltip) and clicks (side panel) the hostile shapes. Every payload sets ``window.__pwned`` if it
runs; the tests check it stays undefined in every frame, that no ``javascript:`` URL is anywhere in the
DOM, that no element the payloads would create exists, and that the payloads show as literal text.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import MAP_FRAME, ROOT, StreamlitServer, require_chromium, settle

#: Map tiles are refused: the tests need no internet, and the shapes draw without tiles.
TILES = re.compile(r"^https?://([a-z0-9-]+\.)*(tile\.openstreetmap\.org|basemaps\.cartocdn\.com)/", re.I)
LAYER_ID = "hostile"
SHAPES = f"path.claim-layer-{LAYER_ID}"
IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
SVG = "<svg onload=window.__pwned=1>"
BREAKOUT = '"><img src=x onerror=window.__pwned=1>'
QUOTE_BREAKOUT = "' onmouseover='window.__pwned=1' x='"
MARKDOWN_LINK = "[click me](javascript:window.__pwned=1)"
MARKDOWN_IMAGE = "![x](javascript:window.__pwned=1)"
JS_URL = "javascript:window.__pwned=1"
#: A property name Folium would paste into its script as ``feature.properties.<name>`` if it keyed styles on it.
CODE_NAME = "x||(__pwned=1)"
TITLE = f"{IMG} {MARKDOWN_LINK} **bold**"
PAYLOADS = [IMG, SCRIPT, SVG, BREAKOUT, QUOTE_BREAKOUT, MARKDOWN_LINK, MARKDOWN_IMAGE, JS_URL]

#: Shapes over the Baltic Sea, where no shipped layer draws, so the mouse reaches them.
LINE = {"type": "LineString", "coordinates": [[18.6, 57.9], [20.4, 57.2]]}
AREA = {"type": "Polygon", "coordinates": [[[18.2, 55.6], [19.6, 55.6], [19.6, 56.4], [18.2, 56.4], [18.2, 55.6]]]}
POINT = {"type": "Point", "coordinates": [20.6, 56.2]}

#: Every element attribute that would hold a URL or code, in the page and in every iframe.
DANGEROUS_DOM_JS = r"""() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (value.startsWith('javascript:') || (attribute.name.startsWith('on') && value.includes('__pwned'))) {
        found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
  }
  for (const element of document.querySelectorAll('img[src="x"], svg[onload], script')) {
    if (element.tagName !== 'SCRIPT' || element.textContent.trim() === 'window.__pwned=1') {
      found.push(element.outerHTML);
    }
  }
  return found;
}"""
POINT_ON_PATH_JS = """(path, fraction) => {
  const point = path.getPointAtLength(path.getTotalLength() * fraction);
  const matrix = path.getScreenCTM();
  return {x: point.x * matrix.a + point.y * matrix.c + matrix.e, y: point.x * matrix.b + point.y * matrix.d + matrix.f};
}"""


def hostile_properties(number: int, title: str) -> dict:
    """Claim properties carrying a payload in every text value, plus payloads as property names."""
    return {
        CODE_NAME: f"unique-{number}",
        "id": f"hostile-{number}",
        "layer": LAYER_ID,
        "title": title,
        "claim": SCRIPT,
        "claimant": SVG,
        "kind": "claim",
        "standing": "contested",
        "standing_basis": SCRIPT,
        "responses": [
            {
                "type": "denial",
                "by": BREAKOUT,
                "date": "2020-08-16",
                "source": "hostile-source",
                "quote": QUOTE_BREAKOUT,
                "quote_en": SVG,
                "summary": MARKDOWN_LINK,
                "feature": "hostile-denial",
            },
        ],
        "event_date": IMG,
        "report_date": SCRIPT,
        "date_basis": SCRIPT,
        "source_chain": [MARKDOWN_LINK, "hostile-source"],
        "source_id": "hostile-source" if number == 0 else "no-such-source",
        "source": JS_URL,
        "quote": MARKDOWN_IMAGE,
        "quote_en": BREAKOUT,
        "credibility": 3,
        "credibility_note": SVG,
        "precision": SVG,
        "uncertainty_km": IMG,
        "placement": SCRIPT,
        "method": SCRIPT,
        IMG: SCRIPT,
        SCRIPT: IMG,
        BREAKOUT: SVG,
        QUOTE_BREAKOUT: JS_URL,
        MARKDOWN_LINK: MARKDOWN_IMAGE,
        "url": JS_URL,
    }


def write_hostile_data(target) -> None:
    """Add the hostile layer, its catalog entry (hostile title) and a source with a javascript: URL."""
    features = [
        {"type": "Feature", "id": BREAKOUT, "geometry": geometry, "properties": hostile_properties(number, title)}
        for number, (geometry, title) in enumerate([(LINE, IMG), (AREA, SCRIPT), (POINT, BREAKOUT)])
    ]
    collection = {"type": "FeatureCollection", "name": SCRIPT, "features": features}
    (target / "layers" / f"{LAYER_ID}.geojson").write_text(json.dumps(collection), encoding="utf-8")
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    entry = {"id": LAYER_ID, "title": TITLE, "group": "claims", "file": f"layers/{LAYER_ID}.geojson"}
    catalog["layers"].append({**entry, "default_visible": True, "style": {"weight": 6, "color": SCRIPT}})
    (target / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    sources = json.loads((target / "sources.json").read_text(encoding="utf-8"))
    source = {"id": "hostile-source", "type": "webpage", "title": IMG, "container-title": SVG, "URL": JS_URL}
    sources.append({**source, "note": f"{SCRIPT} {MARKDOWN_LINK}"})
    (target / "sources.json").write_text(json.dumps(sources), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    require_chromium()
    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", target)
    write_hostile_data(target)
    server = StreamlitServer(env={"CLAIM_MAP_DATA": str(target)}).start()
    yield server
    server.stop()


@pytest.fixture
def app(hostile_server, context, page):
    """The app on hostile data, without tiles, scrolled to a drawn map that has finished its opening rerun."""
    context.route(TILES, lambda route: route.abort())
    page.goto(hostile_server.url)
    map_frame(page).locator(SHAPES).nth(2).wait_for(state="attached", timeout=60_000)
    settle(page)
    expect(map_frame(page).locator(SHAPES)).to_have_count(3)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    return page


def map_frame(page):
    return page.frame_locator(MAP_FRAME)


def point_on(page, index: int) -> tuple[float, float]:
    """A page point on hostile shape ``index``: a point on its SVG path plus the iframe's offset."""
    box = page.locator(MAP_FRAME).bounding_box()
    point = map_frame(page).locator(SHAPES).nth(index).evaluate(POINT_ON_PATH_JS, 0.5)
    return box["x"] + point["x"], box["y"] + point["y"]


def assert_nothing_ran(page) -> None:
    frames = page.frames
    assert len(frames) >= 2, "the map iframe is there"
    for frame in frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
        assert frame.evaluate(DANGEROUS_DOM_JS) == [], frame.url
    map_window = page.locator(MAP_FRAME).element_handle().content_frame()
    assert map_window.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__pwned") is None


def test_the_hostile_layer_is_drawn_and_nothing_runs(app):
    assert_nothing_ran(app)
    title = app.get_by_test_id("stSidebar").get_by_text("<img src=x onerror=window.__pwned=1>", exact=False)
    expect(title.first).to_be_visible()


@pytest.mark.parametrize(("index", "title"), [(0, IMG), (1, SCRIPT), (2, BREAKOUT)], ids=["line", "area", "point"])
def test_tooltip_shows_payload_as_text(app, index, title):
    app.mouse.move(*point_on(app, index))
    tooltip = map_frame(app).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(title)
    assert tooltip.locator("img, svg, script, a").count() == 0
    assert_nothing_ran(app)


def test_clicked_feature_panel_shows_payloads_as_text(app):
    app.mouse.click(*point_on(app, 0))
    panel = app.locator(".claim-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_have_text(IMG)
    text = panel.inner_text()
    for payload in (SCRIPT, SVG, BREAKOUT, QUOTE_BREAKOUT, MARKDOWN_LINK, MARKDOWN_IMAGE):
        assert payload in text, payload
    for name in (IMG, SCRIPT, BREAKOUT, CODE_NAME):
        expect(panel.locator("details th", has_text=name).first).to_be_attached()
    assert panel.locator("img, svg, script").count() == 0
    hrefs = panel.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs and all(href.startswith("#source-") for href in hrefs), "only links to the Sources list"
    assert not any("javascript" in href for href in hrefs), "the javascript: source URL is no link"
    assert JS_URL in text
    assert_nothing_ran(app)


def test_every_hostile_feature_can_be_opened(app):
    for index in (1, 2):
        app.mouse.click(*point_on(app, index))
        expect(app.locator(".claim-panel h3")).to_have_text([SCRIPT, BREAKOUT][index - 1])
        assert_nothing_ran(app)


def test_sources_list_shows_the_javascript_url_as_text(app):
    item = app.locator("#source-hostile-source")
    expect(item).to_contain_text(JS_URL)
    expect(item).to_contain_text(IMG)
    assert item.locator("a, img, svg").count() == 0
    assert_nothing_ran(app)
