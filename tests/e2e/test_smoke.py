import json

from tests.browser import MAP_FRAME

EXPECTED = json.load(open("data/catalog.json"))["layers"]


def test_every_default_layer_is_drawn(app_server, page, console):
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    for layer in EXPECTED:
        features = json.load(open(f"data/{layer['file']}"))["features"]
        shapes = frame.locator(f"path.claim-layer-{layer['id']}")
        assert shapes.count() == len(features), layer["id"]
