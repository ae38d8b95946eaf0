"""The "current view" download holds exactly what the map shows after toggles, filters and an import."""

import json
from collections import Counter
from pathlib import Path

from playwright.sync_api import expect

from geo.model.claims import shown_standing
from tests.browser import catalog_layers, drawn_count, layer_label, sidebar_widget, wait_for_map

IMPORTED = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "seen-vilnius",
            # A valid kind but no citation: drawn as unsourced. Its own layer names a catalog layer.
            "properties": {"name": "Seen at Vilnius", "kind": "claim", "layer": "convoy-route"},
            "geometry": {"type": "Point", "coordinates": [25.28, 54.69]},
        }
    ],
}


def standings_of(collection):
    counts = {}
    for feature in collection["features"]:
        layer, status = feature["properties"]["layer"], shown_standing(feature)
        counts.setdefault(layer, Counter())[status] += 1
    return {layer: dict(counter) for layer, counter in counts.items()}


def remove_status(page, status):
    multiselect = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    multiselect.get_by_role("button", name=f"Remove {status}").click()


def test_current_view_download_matches_the_map(app_server, page, tiles, tmp_path):
    layers = catalog_layers()
    shipped = {layer["id"]: drawn_count(features) for layer, features in layers}
    every = {layer["id"]: features for layer, features in layers}
    upload = tmp_path / "analyst.geojson"
    upload.write_text(json.dumps(IMPORTED))
    page.goto(app_server.url)
    wait_for_map(page, layers=shipped)

    page.get_by_test_id("stSidebar").locator('input[type="file"]').set_input_files(str(upload))
    wait_for_map(page, layers={**shipped, "import-analyst": 1})
    drills, drill_features = next((layer, features) for layer, features in layers if layer["id"] == "drills")
    sidebar_widget(page, "stCheckbox", layer_label(drills, drill_features)).click()
    remove_status(page, "context")
    expected = {key: count for key, count in shipped.items() if key not in ("drills", "borders")}
    state = wait_for_map(page, layers={**expected, "import-analyst": 1})

    button = page.get_by_test_id("stDownloadButton").get_by_role("button").filter(has_text="Current view")
    # The view holds what the map shows, plus the features it cannot draw (denials without a place).
    listed = [f for key in expected for f in every[key] if shown_standing(f) != "context"]
    expect(button).to_have_text(f"Current view ({len(listed) + 1} features)")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename.startswith("claim-map_belarus-2020-08_view_")
    collection = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    placed = {"features": [f for f in collection["features"] if f["geometry"]]}
    assert dict(Counter(f["properties"]["layer"] for f in placed["features"])) == state["layers"]
    assert standings_of(placed) == state["standings"]
    assert state["standings"]["import-analyst"] == {"unsourced": 1}
    imported = next(f for f in collection["features"] if f["properties"]["layer"] == "import-analyst")
    assert imported["id"] == "seen-vilnius"
    assert imported["properties"]["name"] == "Seen at Vilnius"
    assert imported["properties"]["original_layer"] == "convoy-route"
    assert imported["geometry"] == IMPORTED["features"][0]["geometry"]
