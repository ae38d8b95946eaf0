"""Template syntax in an upload, its file name and an export shows as plain text in Chromium and runs nothing.

Issue 8: branca compiled rendered map scripts as Jinja2 a second time, so ``{{ }}`` in uploaded data ran on
the server as soon as the map was drawn, and ``{#`` broke the page. The upload here carries template
payloads in its title, values, property names, foreign members and ``bbox``, and in its file name; one payload
would create a folder beside the app if it ever ran.
"""

import json
from pathlib import Path

from playwright.sync_api import expect

from geo.export import export
from tests.browser import MAP_FRAME, ROOT, catalog_layers, click_shape, drawn_count, wait_for_map
from tests.conftest import DATA
from tests.e2e.test_export_html import open_offline
from tests.test_template_injection import CASE, EVALUATED, MARKER, PAYLOADS, SOURCES, hostile_feature, hostile_layer

TITLE = PAYLOADS[0]
FILE_NAME = "zq{{ 7*7 }} {# notes.geojson"
LAYER_ID = "import-zq-7-7-notes"


def page_text(page) -> str:
    """All visible text of the page and of the map iframe."""
    frame = page.frame_locator(MAP_FRAME)
    return page.locator("body").inner_text() + "\n" + frame.locator("body").inner_text()


def test_an_upload_with_template_syntax_shows_it_as_text_and_runs_nothing(app_server, page, tiles, tmp_path):
    features = [hostile_feature(number, payload) for number, payload in enumerate(PAYLOADS)]
    path = tmp_path / FILE_NAME
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    shipped = {layer["id"]: drawn_count(shapes) for layer, shapes in catalog_layers()}
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)
    page.get_by_test_id("stSidebar").locator('input[type="file"]').set_input_files(str(path))
    wait_for_map(page, layers={**shipped, LAYER_ID: len(PAYLOADS)})
    expect(page.get_by_test_id("stSidebar").get_by_text(f"Imported: {FILE_NAME} ({len(PAYLOADS)})")).to_be_visible()

    click_shape(page, f"path.claim-layer-{LAYER_ID}")
    panel = page.locator(".claim-panel").first
    expect(panel.locator("h3")).to_have_text(TITLE)
    expect(panel.locator("details th", has_text=TITLE).first).to_be_attached()
    tooltip = page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(TITLE)

    text = page_text(page)
    for evaluated in EVALUATED:
        assert evaluated not in text
    assert page.get_by_test_id("stException").count() == 0
    assert not (ROOT / MARKER).exists(), "a template payload ran on the server"


def test_the_standalone_html_shows_template_syntax_as_text(page, console, tmp_path, case):
    layer, collection = hostile_layer()
    open_offline(page, tmp_path, [(layer, collection)], case)
    expect(page.locator(".leaflet-control-layers-overlays")).to_contain_text(layer.title)
    page.locator("path.claim-layer-hostile").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator("h3")).to_have_text(PAYLOADS[0])
    for evaluated in EVALUATED:
        assert evaluated not in page.locator("body").inner_text()
    assert [line for line in console if line.startswith(("error", "pageerror"))] == []


def test_the_standalone_html_shows_template_syntax_in_the_case_and_sources(page, tmp_path):
    result = export([hostile_layer()], "html", CASE, SOURCES, "view", data_dir=DATA)
    path = Path(tmp_path / result.file_name)
    path.write_bytes(result.data)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    aside = page.locator(".claim-map-aside")
    expect(aside.locator("h1")).to_have_text(CASE["title"])
    expect(aside).to_contain_text(CASE["summary"])
    expect(aside.locator(".sources-list")).to_contain_text(SOURCES["s1"]["title"])
    expect(aside.locator(".sources-list")).to_contain_text(SOURCES["s1"]["note"])
