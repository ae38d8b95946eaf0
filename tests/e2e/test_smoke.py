import json

from tests.browser import MAP_FRAME, ROOT, drawn_count


def read(path):
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def test_every_default_layer_is_drawn(app_server, page, console):
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path[class*='claim-layer-']").first.wait_for(timeout=60_000)
    for layer in read("data/catalog.json")["layers"]:
        features = read(f"data/{layer['file']}")["features"]
        assert frame.locator(f"path.claim-layer-{layer['id']}").count() == drawn_count(features), layer["id"]
