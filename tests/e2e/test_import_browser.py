"""Importing an analyst's GeoJSON in the browser: valid features drawn, bad ones listed, nothing lost."""

import json

from playwright.sync_api import expect

from tests.browser import catalog_layers, wait_for_map

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
    shipped = {layer["id"]: len(features) for layer, features in catalog_layers()}
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))

    state = wait_for_map(page, layers={**shipped, "import-my-claims": 1})
    assert state["statuses"]["import-my-claims"] == {"unsourced": 1}
    expect(page.get_by_text("my claims.geojson: 1 of 3 features imported, 2 left out")).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Imported: my claims.geojson (1)")).to_be_visible()
    expect(sidebar.locator('li[data-status="unsourced"]')).to_have_count(1)

    table = page.locator('[data-testid="stTable"]')
    expect(table).to_contain_text("is text")
    expect(table).to_contain_text("crosses itself near longitude 27.5, latitude 53.5")
    expect(table).to_contain_text("#2")
    expect(table).to_contain_text("#3")

    sidebar.get_by_text("Imported: my claims.geojson (1)").click()
    wait_for_map(page, layers=shipped)
    assert not [line for line in console if line.startswith("pageerror")]
