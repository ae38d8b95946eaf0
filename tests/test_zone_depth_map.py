"""The depth slider's border zones reach the map, not only the measurements and the downloads."""

import json
import re

import pytest
from shapely.geometry import shape
from streamlit.testing.v1 import AppTest

from geo.app import mapframe
from geo.app.measurements import DEPTH_KEY
from geo.derive.zones import ZONE_LAYER, shipped_depth, zones_at_depth
from geo.model.layers import Layer
from tests.browser import ROOT
from tests.conftest import DATA

#: The zones the map draws are weighed for the screen: their area may differ from the full geometry's by this.
DISPLAY_AREA_TOLERANCE = 0.05
DEEPER_KM = 60


def drawn_areas(app: AppTest, layer_id: str) -> dict[str, float]:
    """Return the planar area (square degrees) of each feature of ``layer_id`` the map's claims group draws."""
    (component,) = app.get("component_instance")
    script = json.loads(component.proto.json_args)["feature_group"]
    decoder, areas = json.JSONDecoder(), {}
    for call in re.finditer(r"_add\(\s*(?=\{)", script):
        collection, _end = decoder.raw_decode(script[call.end() :])
        for feature in collection["features"]:
            key = (feature.get("properties") or {}).get("_key", "")
            if key.startswith(f"{layer_id}/") and feature["geometry"]["type"].endswith("Polygon"):
                areas[key] = shape(feature["geometry"]).area
    return areas


def full_areas(depth_km: float) -> dict[str, float]:
    """Return the full-resolution area (square degrees) of each zone at ``depth_km``, keyed as the map keys them."""
    features = zones_at_depth(DATA, depth_km)["features"]
    return {f"{ZONE_LAYER}/{index}": shape(feature["geometry"]).area for index, feature in enumerate(features)}


@pytest.fixture(scope="module")
def deeper():
    assert shipped_depth(DATA) != DEEPER_KM, "the test needs a depth other than the case's own"
    return full_areas(DEEPER_KM)


def test_the_map_draws_the_zones_at_the_depth_chosen_on_the_slider(deeper):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    shipped = drawn_areas(app, ZONE_LAYER)
    assert shipped.keys() == deeper.keys(), f"the map draws {sorted(shipped)}, the case has {sorted(deeper)}"

    app.select_slider(key=DEPTH_KEY).set_value(DEEPER_KM).run()
    drawn = drawn_areas(app, ZONE_LAYER)

    assert drawn.keys() == deeper.keys()
    for key, area in deeper.items():
        assert drawn[key] == pytest.approx(area, rel=DISPLAY_AREA_TOLERANCE), f"{key} is not drawn at {DEEPER_KM} km"
        assert drawn[key] > shipped[key] * 1.2, f"{key}: the map kept the zone of the case's own depth"


def test_a_case_layer_given_another_collection_is_keyed_by_its_features_not_the_case_folder():
    layer = Layer(id=ZONE_LAYER, title="Zones", group="claims", file="layers/border-areas.geojson")
    own = {"type": "FeatureCollection", "features": []}
    recomputed = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None, "properties": {}}]}
    sources = mapframe.LayerSources("data", {ZONE_LAYER: own})

    assert sources.key(layer, own) == "data"
    assert sources.key(layer, recomputed) != "data"
    assert sources.key(layer, recomputed) == sources.key(layer, json.loads(json.dumps(recomputed)))
    assert sources.key(layer, recomputed) != sources.key(layer, {**recomputed, "features": []})
