"""The claims group is rendered to script once per view: the same script as the group itself, built once."""

import json
import re

import folium
import pytest
from folium.plugins import MarkerCluster
from streamlit.testing.v1 import AppTest
from streamlit_folium import _get_feature_group_string

from geo.app import groupscript
from geo.app.page import layer_key
from geo.render import group, mapview
from geo.render.scripted import ScriptedGroup, element_files
from tests.browser import ROOT
from tests.conftest import DATA
from tests.pagetest import checkbox

SELECTED = "nato-forces-lithuania-border"


@pytest.fixture(scope="module")
def loaded():
    from geo.store import case

    return case.load_case(DATA)


def default_layers(loaded):
    return [(layer, mapview.display_collection(layer, fc)) for layer, fc in loaded.layers() if layer.default_visible]


def base(loaded):
    return mapview.build_base(loaded.catalog.case, mapview.BASEMAPS[0], None, None)


def normalised(script):
    """Return ``script`` with its variables named in order of appearance and its whitespace collapsed."""
    names = {}
    renamed = re.sub(r"[A-Za-z_]*feature_group_0\w*", lambda m: names.setdefault(m.group(0), f"v{len(names)}"), script)
    return re.sub(r"\s+", " ", renamed).strip()


def header_rules(fmap):
    """Return the CSS rules in a map's page header once the whole map is rendered, whitespace and ids aside."""
    fmap.get_root().render()
    css = " ".join(re.findall(r"<style>(.*?)</style>", fmap.get_root().header.render(), flags=re.S))
    css = re.sub(r"#map_\w+", "#map", css)
    return {
        (" ".join(selector.split()), tuple("".join(part.split()) for part in body.split(";") if part.strip()))
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if body.strip()
    }


@pytest.mark.parametrize("selected", [None, SELECTED])
def test_every_style_rule_the_claims_group_adds_to_a_header_is_in_the_base_map(loaded, selected):
    # The page swaps the group into a mounted base: only the base's header reaches the browser.
    drawn = base(loaded)
    group.claims_group(default_layers(loaded), selected=selected, view=(6, 54.0)).add_to(drawn)
    assert header_rules(drawn) - header_rules(base(loaded)) == set()


@pytest.mark.parametrize("selected", [None, SELECTED])
def test_a_view_joined_from_pieces_is_the_script_of_the_group_drawn_whole_but_for_its_names(loaded, selected):
    view, shown = (6, 54.0), default_layers(loaded)
    whole = group.claims_group(shown, selected=selected, view=view)
    # streamlit-folium's own function for a group handed to st_folium(feature_group_to_add=...).
    direct = _get_feature_group_string(whole, map=base(loaded))

    pieces = groupscript.view_script(shown, selected=selected, view=view)
    scripted = _get_feature_group_string(ScriptedGroup(pieces), map=base(loaded))

    assert normalised(scripted) == normalised(direct)
    assert (pieces.js, pieces.css) == element_files(whole)
    assert scripted.count("feature_group_feature_group_0.addTo(map_div)") == 1
    assert "map_div.addLayer(feature_group_feature_group_0)" in scripted


def test_a_scripted_group_carries_the_files_its_elements_load():
    def clustered(holder):
        cluster = MarkerCluster().add_to(holder)
        folium.Marker([54.0, 25.0]).add_to(cluster)

    piece = groupscript.piece_script(clustered, "c0")
    scripted = ScriptedGroup(groupscript.joined([piece]))

    assert piece.js == tuple(tuple(pair) for pair in MarkerCluster.default_js) and piece.js
    assert piece.css == tuple(tuple(pair) for pair in MarkerCluster.default_css) and piece.css
    assert [tuple(pair) for pair in scripted.default_js] == list(piece.js)


def claims_script(app):
    (component,) = app.get("component_instance")
    return json.loads(component.proto.json_args)["feature_group"]


def test_each_view_builds_its_claims_group_once_across_reruns_and_sessions(monkeypatch):
    groupscript._script.clear()
    builds = []
    build = groupscript.arrange
    monkeypatch.setattr(groupscript, "arrange", lambda *args, **kwargs: builds.append(1) or build(*args, **kwargs))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    opened = claims_script(app)
    assert len(builds) == 1

    app.run()
    assert len(builds) == 1, "a rerun that changed nothing built the group again"

    toggled = app.checkbox(key=layer_key("convoy-route"))
    toggled.uncheck().run()
    assert len(builds) == 2
    assert claims_script(app) != opened

    checkbox(app, layer_key("convoy-route")).check().run()
    assert len(builds) == 2, "switching back to a view seen before built its group again"
    assert claims_script(app) == opened

    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert len(builds) == 2, "a second session opening on the same view built its group again"
    assert claims_script(other) == opened


def test_switching_a_layer_off_and_on_draws_no_layer_twice(monkeypatch):
    groupscript._script.clear()
    groupscript._piece.clear()
    drawn = []
    add_layer = group.add_layer
    monkeypatch.setattr(
        group, "add_layer", lambda *args, **kwargs: drawn.append(kwargs["layer"].id) or add_layer(*args, **kwargs)
    )
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    opened = sorted(drawn)
    assert "convoy-route" in opened and len(opened) == len(set(opened))

    checkbox(app, layer_key("convoy-route")).uncheck().run()
    checkbox(app, layer_key("convoy-route")).check().run()

    assert sorted(drawn) == opened
