"""Importing an analyst's GeoJSON in the browser: valid features drawn, bad ones listed, nothing lost."""

import json

from playwright.sync_api import expect

from geo.app.imports import PROBLEM_TABLE_CLASS, REPORT_ANCHOR
from geo.validate.imports import layer_id
from tests.browser import MAP_FRAME, catalog_layers, click_shape, drawn_count, wait_for_map
from tests.e2e.test_hostile import (
    BREAKOUT,
    IMG,
    JS_URL,
    MARKDOWN_LINK,
    POINT,
    SCRIPT,
    assert_nothing_ran,
    hostile_properties,
)

PROBLEM_TABLE = f"table.{PROBLEM_TABLE_CLASS}"
UPLOAD = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Checkpoint seen"},
            "geometry": {"type": "Point", "coordinates": [25.28, 54.69]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Bad coords"},
            "geometry": {"type": "Point", "coordinates": ["25.2", 54.6]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Bow tie"},
            "geometry": {"type": "Polygon", "coordinates": [[[27, 53], [28, 54], [28, 53], [27, 54], [27, 53]]]},
        },
    ],
}


def test_upload_draws_valid_features_and_lists_the_rest(app_server, page, console, tmp_path):
    path = tmp_path / "my claims.geojson"
    path.write_text(json.dumps(UPLOAD))
    shipped = {layer["id"]: drawn_count(features) for layer, features in catalog_layers()}
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))

    state = wait_for_map(page, layers={**shipped, "import-my-claims": 1})
    assert state["standings"]["import-my-claims"] == {"unsourced": 1}
    summary = "my claims.geojson: 1 of 3 features imported, 2 left out"
    sidebar = page.locator('[data-testid="stSidebar"]')
    # Beside the uploader, with a link to the problems, and again in the report below the table.
    expect(sidebar.get_by_test_id("stAlertContentWarning").filter(has_text=summary)).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_text(summary)).to_be_visible()
    sidebar.get_by_role("link", name="The problems, feature by feature").click()
    expect(page.get_by_role("heading", name="Imported files")).to_be_in_viewport()
    expect(sidebar.get_by_text("Imported: my claims.geojson (1)")).to_be_visible()
    legend = page.frame_locator(MAP_FRAME).locator('.cm-legend-control tr[data-standing="unsourced"]')
    expect(legend).to_have_count(1)

    table = page.locator(PROBLEM_TABLE)
    expect(table).to_contain_text("is text")
    expect(table).to_contain_text("crosses itself near longitude 27.5, latitude 53.5")
    expect(table).to_contain_text("#2")
    expect(table).to_contain_text("#3")

    sidebar.get_by_text("Imported: my claims.geojson (1)").click()
    wait_for_map(page, layers=shipped)
    assert not [line for line in console if line.startswith("pageerror")]


def test_a_hostile_upload_runs_nothing(app_server, page, tiles, tmp_path):
    path = tmp_path / f"{IMG}.geojson"
    feature = {"type": "Feature", "id": BREAKOUT, "geometry": POINT, "properties": hostile_properties(0, SCRIPT)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    shipped = {layer["id"]: drawn_count(features) for layer, features in catalog_layers()}
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))
    layer_id = "import-img-src-x-onerror-window-pwned-1"
    wait_for_map(page, layers={**shipped, layer_id: 1})
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"Imported: {IMG}.geojson (1)")).to_be_visible()
    # The note beside the uploader names the file as text.
    expect(sidebar.get_by_text(f"{IMG}.geojson: 1 of 1 features imported")).to_be_visible()
    assert sidebar.locator("img, script").count() == 0

    click_shape(page, f"path.claim-layer-{layer_id}")
    panel = page.locator(".claim-panel").first
    expect(panel).to_contain_text(SCRIPT)
    expect(panel).to_contain_text(MARKDOWN_LINK)
    expect(panel).to_contain_text(JS_URL)
    assert_nothing_ran(page)


def test_problem_table_shows_an_uploaded_markdown_link_as_text(app_server, page, tmp_path):
    link = "[Fix: re-upload here](http://example.invalid/fix)"
    feature = {"type": "Feature", "properties": {"title": "Checkpoint", "kind": link}, "geometry": POINT}
    name = "[links](#pwned).geojson"
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    shipped = {layer["id"]: drawn_count(features) for layer, features in catalog_layers()}
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))
    wait_for_map(page, layers={**shipped, layer_id(name): 1})
    # The note beside the uploader: the file's name as text, and one link, to the problems.
    note = page.get_by_test_id("stSidebar").get_by_test_id("stAlertContentWarning")
    expect(note).to_contain_text(f"{name}: 1 of 1 features imported")
    assert note.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        f"#{REPORT_ANCHOR}"
    ]
    page.get_by_text(f"Problems in {name} (1)").click()

    table = page.locator(PROBLEM_TABLE)
    expect(table).to_be_visible()
    expect(table).to_contain_text(f'properties.kind is "{link}"')
    expect(page.locator(f"{PROBLEM_TABLE} a")).to_have_count(0)
