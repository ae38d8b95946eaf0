"""P3's floor weighs the geometry the map sends: each default layer on its own, at the case's zoom."""

import json
import re

from bench import cases, floor
from geo.render import mapview, weight
from geo.store.case import load_case
from tests.browser import ROOT


def test_the_floor_holds_the_geometry_the_map_sends_for_the_default_view():
    case = cases.shipped(ROOT)
    where = case.catalog()["case"]
    zoom, latitude = where["zoom"], where["center"][0]
    floored = floor.weighed(weight, floor.default_view(case), zoom, latitude)["features"]
    sent = []
    for layer, collection in load_case(case.data).layers():
        if layer.default_visible:
            shown = mapview.display_collection(layer, collection)
            sent += weight.weigh_collection(shown, zoom, latitude)["features"]
    assert len(floored) == len(sent) > 0
    assert [feature["geometry"] for feature in floored] == [feature["geometry"] for feature in sent]
    size, decimals, engine = floor.floor(case)
    assert engine == "geo.render.weight" and decimals == weight.decimals_for(zoom, latitude)
    assert size == weight.floor_bytes({"features": floored}, decimals)


def test_the_least_map_of_the_default_view_draws_every_floor_feature_and_outweighs_the_floor():
    case = cases.shipped(ROOT)
    where = case.catalog()["case"]
    floored = floor.weighed(weight, floor.default_view(case), where["zoom"], where["center"][0])["features"]

    arguments = floor.floor_map_arguments(case)

    drawn = json.loads(re.search(r"_add\((\{.*\})\);", arguments["script"]).group(1))["features"]
    assert len(drawn) == len(floored) > 0
    assert [f["geometry"]["type"] for f in drawn] == [f["geometry"]["type"] for f in floored]
    assert floor.floor_map(case) > floor.floor(case)[0]
