"""The map component's arguments: the base captured once, each view's group written into them."""

import pytest

from geo.app import groupscript, mount
from geo.render import mapview
from geo.render.scripted import ScriptedGroup
from tests.conftest import DATA

LEAFLET = "/app/static/vendor/leaflet"


@pytest.fixture(scope="module")
def loaded():
    from geo.store import case

    return case.load_case(DATA)


def build(loaded, basemap):
    return lambda: mapview.build_base(loaded.catalog.case, basemap, None, LEAFLET)


def scripted(loaded, layer_ids, selected=None):
    shown = [(layer, mapview.display_collection(layer, fc)) for layer, fc in loaded.layers(layer_ids)]
    return ScriptedGroup(groupscript.view_script(shown, selected=selected))


@pytest.mark.parametrize(
    ("layer_ids", "selected"),
    [
        (["convoy-route", "statements"], None),
        (["border-areas", "denials", "statements"], "nato-forces-lithuania-border"),
    ],
)
def test_a_group_written_into_the_base_arguments_is_what_st_folium_sends_with_it(loaded, layer_ids, selected):
    make = build(loaded, mapview.BASEMAPS[0])
    direct = mount.captured_arguments(make(), scripted(loaded, layer_ids, selected), "map", 500)
    written = mount.group_arguments(
        mount.captured_arguments(make(), None, "map", 500), scripted(loaded, layer_ids, selected)
    )

    assert written == direct
    assert "map_div.addLayer(feature_group_feature_group_0)" in written["feature_group"]


def test_a_group_adds_the_files_its_elements_load_after_the_base_files_once_each(loaded):
    base = mount.captured_arguments(build(loaded, mapview.BASEMAPS[0])(), None, "map", 500)
    claims = scripted(loaded, ["convoy-route"])
    claims.default_js = [("leaflet", f"{LEAFLET}/leaflet.js"), ("extra", "/app/static/vendor/extra.js")]

    written = mount.group_arguments(base, claims)

    assert written["js_links"] == [*base["js_links"], "/app/static/vendor/extra.js"]
    assert written["js_links"].count(f"{LEAFLET}/leaflet.js") == 1
