"""Broken case files in a real browser (issue 8 §3): the page renders, healthy layers draw, a notice names the file.

Two servers, each on a broken copy of ``data/`` (``CLAIM_MAP_DATA``):

- ``broken_layers``: the shipped drills layer cut in half, the statements layer holding JSON ``null``, no
  ``sources.json``, and three extra catalog layers whose files are a folder, a symlink loop and a named pipe.
  The cases do not interfere: each leaves out only its own file. The tests run as root, who reads a
  ``chmod 000`` file all the same, so the unreadable layer is a symlink pointing at itself: it is there, yet
  ``open()`` fails for every user (``ELOOP``), through the same path as a permission error.
- ``broken_catalog``: ``catalog.json`` cut short. The page says so and still takes an import.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import (
    MAP_FRAME,
    ROOT,
    StreamlitServer,
    catalog_layers,
    click_shape,
    drawn_count,
    read_json,
    require_chromium,
    stub_tiles,
    wait_for_map,
)

SHIPPED = {layer["id"]: (layer, features) for layer, features in catalog_layers()}
TRUNCATED, NULL = "drills", "statements"
HEALTHY = {
    layer_id: drawn_count(features) for layer_id, (_, features) in SHIPPED.items() if layer_id not in (TRUNCATED, NULL)
}
#: Extra catalog layers whose files are no readable file: id -> (title, how to make the file).
EXTRA = {
    "folder": ("Layer that is a folder", lambda path: path.mkdir()),
    "unreadable": ("Layer that cannot be opened", lambda path: path.symlink_to(path.name)),
    "pipe": ("Layer that is a named pipe", os.mkfifo),
}


#: Every layer's title and file as the catalog names them, shipped and extra.
NAMES = {layer_id: (layer["title"], layer["file"]) for layer_id, (layer, _) in SHIPPED.items()} | {
    layer_id: (title, f"layers/{layer_id}.geojson") for layer_id, (title, _) in EXTRA.items()
}


def layer_notice(layer_id: str, reason: str) -> str:
    """The start of the notice for a layer left out: its title, its file, the reason."""
    title, file = NAMES[layer_id]
    return f"The layer “{title}” cannot be shown: {file}: {reason}"


#: Each broken case: the start of the notice the page must show for it.
NOTICES = {
    "truncated layer": layer_notice(TRUNCATED, "not valid JSON ("),
    "layer holding null": layer_notice(NULL, "JSON null, not a FeatureCollection."),
    "layer path is a folder": layer_notice("folder", "a folder, not a file."),
    "unreadable layer": layer_notice("unreadable", "cannot be read (Too many levels of symbolic links)."),
    "layer is a named pipe": layer_notice("pipe", "not a regular file (a named pipe, socket or device)."),
    "missing sources": "The sources cannot be shown: sources.json: file not found.",
}


def copy_data(tmp_path_factory, name: str):
    target = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def break_layers(target) -> None:
    """Cut the drills file in half, make statements ``null``, drop the sources, add the three unreadable layers."""
    drills = target / SHIPPED[TRUNCATED][0]["file"]
    drills.write_bytes(drills.read_bytes()[: drills.stat().st_size // 2])
    (target / SHIPPED[NULL][0]["file"]).write_text("null", encoding="utf-8")
    (target / "sources.json").unlink()
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    for layer_id, (_, make) in EXTRA.items():
        title, file = NAMES[layer_id]
        make(target / file)
        catalog["layers"].append({"id": layer_id, "title": title, "group": "claims", "file": file})
    (target / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")


@pytest.fixture(scope="module")
def open_page(browser):
    """Return a function that opens a server's page (tiles stubbed) in a fresh context; close them all at the end."""
    contexts = []

    def open_(server):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        stub_tiles(context)
        page = context.new_page()
        page.goto(server.url)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def broken_layers(tmp_path_factory, open_page):
    """One page of the app on data with every broken layer case and no sources, loaded once, the map drawn."""
    require_chromium()
    target = copy_data(tmp_path_factory, "broken-layers")
    break_layers(target)
    server = StreamlitServer(env={"CLAIM_MAP_DATA": str(target)}).start()
    try:
        page = open_page(server)
        wait_for_map(page, layers=HEALTHY)
        yield page
    finally:
        server.stop()


@pytest.fixture(scope="module")
def broken_catalog(tmp_path_factory, open_page):
    require_chromium()
    target = copy_data(tmp_path_factory, "broken-catalog")
    catalog = target / "catalog.json"
    catalog.write_bytes(catalog.read_bytes()[:200])
    server = StreamlitServer(env={"CLAIM_MAP_DATA": str(target)}).start()
    try:
        yield open_page(server)
    finally:
        server.stop()


def notice(page, text: str):
    return page.get_by_test_id("stAlertContentWarning").filter(has_text=text)


def assert_shapes_per_layer(page, expected: dict[str, int]) -> None:
    """Each layer draws exactly its features' shapes (paths of class ``claim-layer-<id>``: lines, areas, markers)."""
    frame = page.frame_locator(MAP_FRAME)
    for layer_id, count in expected.items():
        expect(frame.locator(f"path.claim-layer-{layer_id}")).to_have_count(count)


@pytest.mark.parametrize("case", NOTICES)
def test_a_broken_file_is_named_and_the_healthy_layers_draw(broken_layers, case):
    page = broken_layers
    expect(notice(page, NOTICES[case])).to_have_count(1)
    expect(page.get_by_role("heading", name="Claim Map", level=1)).to_be_visible()
    state = wait_for_map(page, layers=HEALTHY)
    assert state["paths"] == sum(HEALTHY.values()), "a broken layer drew something"
    assert_shapes_per_layer(page, HEALTHY)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_cut_short_layer_is_called_so(broken_layers):
    expect(notice(broken_layers, NOTICES["truncated layer"])).to_contain_text("the file ends early, as if cut short.")


def test_only_the_healthy_layers_are_offered_in_the_sidebar(broken_layers):
    labels = broken_layers.get_by_test_id("stSidebar").get_by_test_id("stCheckbox")
    # A label counts every feature of its layer, denials without a place too; the map draws the placed ones.
    expected = [f"{SHIPPED[layer_id][0]['title']} ({len(SHIPPED[layer_id][1])})" for layer_id in HEALTHY]
    expect(labels).to_have_text(expected)


def test_without_sources_a_clicked_claim_still_opens_and_the_sources_say_why(broken_layers):
    page = broken_layers
    expect(page.get_by_text("No sources to list: see the notice at the top of the page.")).to_be_visible()
    click_shape(page, "path.claim-layer-convoy-route")
    title = SHIPPED["convoy-route"][1][0]["properties"]["title"]
    expect(page.locator(".claim-panel h3").first).to_have_text(title)


def test_an_unreadable_catalog_is_said_plainly_and_the_import_still_works(broken_catalog, tmp_path):
    page = broken_catalog
    expect(page.get_by_role("heading", name="Claim Map", level=1)).to_be_visible()
    expect(notice(page, "The case cannot be shown: catalog.json: not valid JSON (")).to_have_count(1)
    expect(page.get_by_text("You can still import your own GeoJSON files in the sidebar.")).to_be_visible()
    expect(page.locator(".sources-list li")).to_have_count(len(read_json("data/sources.json")))

    upload = tmp_path / "mine.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": SHIPPED["statements"][1]}))
    page.get_by_test_id("stSidebar").locator('input[type="file"]').set_input_files(str(upload))
    count = len(SHIPPED["statements"][1])
    wait_for_map(page, layers={"import-mine": count})
    assert_shapes_per_layer(page, {"import-mine": count})
    expect(page.get_by_test_id("stException")).to_have_count(0)
