"""Loading the case: a broken file is left out and named, the rest of the case loads (issue 8 §3)."""

import gc
import json
import os

import pytest

from geo.store import catalog
from geo.store.case import data_version, load_case
from tests.conftest import DATA, read_json

CATALOG = read_json(DATA / "catalog.json")
LAYER_FILES = {layer["id"]: layer["file"] for layer in CATALOG["layers"]}
COUNTS = {layer_id: len(read_json(DATA / file)["features"]) for layer_id, file in LAYER_FILES.items()}


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def write_null(path):
    path.write_text("null", encoding="utf-8")


def make_folder(path):
    path.unlink()
    path.mkdir()


def make_symlink_loop(path):
    """A file that exists in the folder yet cannot be opened, even by root (who can read a chmod 000 file)."""
    path.unlink()
    path.symlink_to(path.name)


def make_fifo(path):
    path.unlink()
    os.mkfifo(path)


BREAKERS = {
    "truncated": (truncate, "not valid JSON ("),
    "null": (write_null, "JSON null, not a FeatureCollection"),
    "folder": (make_folder, "a folder, not a file"),
    "unopenable": (make_symlink_loop, "cannot be read (Too many levels of symbolic links)"),
    "fifo": (make_fifo, "not a regular file (a named pipe, socket or device)"),
}


@pytest.mark.parametrize("kind", BREAKERS)
def test_a_broken_layer_file_is_left_out_and_named(data_copy, kind):
    breaker, reason = BREAKERS[kind]
    breaker(data_copy / LAYER_FILES["drills"])
    loaded = load_case(data_copy)
    assert {layer.id: len(fc["features"]) for layer, fc in loaded.layers()} == {
        layer_id: count for layer_id, count in COUNTS.items() if layer_id != "drills"
    }
    (problem,) = loaded.problems
    assert (problem.file, problem.reason[: len(reason)]) == (LAYER_FILES["drills"], reason)
    assert problem.notice().startswith(f"The layer “{loaded.catalog.layer('drills').title}” cannot be shown: ")
    assert str(data_copy) not in problem.notice()
    assert loaded.has_catalog and loaded.sources


def test_a_truncated_layer_file_is_called_cut_short(data_copy):
    truncate(data_copy / LAYER_FILES["drills"])
    (problem,) = load_case(data_copy).problems
    assert problem.reason.endswith("the file ends early, as if cut short")


def test_missing_sources_leave_every_layer(data_copy):
    (data_copy / "sources.json").unlink()
    loaded = load_case(data_copy)
    assert {layer.id: len(fc["features"]) for layer, fc in loaded.layers()} == COUNTS
    assert loaded.sources == {}
    assert [problem.notice() for problem in loaded.problems] == [
        "The sources cannot be shown: sources.json: file not found."
    ]


def test_sources_that_are_no_list_are_named(data_copy):
    (data_copy / "sources.json").write_text('{"id": "x"}', encoding="utf-8")
    (problem,) = load_case(data_copy).problems
    assert (problem.file, problem.reason) == ("sources.json", "not a CSL-JSON list of sources, each with an id")


def test_an_invalid_catalog_gives_an_empty_case_that_says_why(data_copy):
    (data_copy / "catalog.json").write_text('{"case": {"id": "x"', encoding="utf-8")
    loaded = load_case(data_copy)
    assert not loaded.has_catalog
    assert loaded.layers() == []
    (problem,) = loaded.problems
    assert problem.notice().startswith("The case cannot be shown: catalog.json: not valid JSON (")
    assert len(loaded.sources) == len(read_json(DATA / "sources.json"))


def test_a_catalog_layer_without_a_file_name_is_named(data_copy):
    catalog = read_json(data_copy / "catalog.json")
    catalog["layers"][0]["file"] = 7
    (data_copy / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    (problem,) = load_case(data_copy).problems
    assert problem.reason == f"layer {catalog['layers'][0]['id']!r}: id, title and file must be text"


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_data_file_leaves_the_garbage_collector_as_it_found_it(tmp_path, enabled):
    path = tmp_path / "layer.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "Feature', encoding="utf-8")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert catalog.read_json(path) == {"type": "FeatureCollection", "features": []}
        assert gc.isenabled() is enabled
        with pytest.raises(catalog.DataError):
            catalog.read_json(broken)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_page_puts_the_case_it_loads_out_of_the_garbage_collectors_sight():
    from streamlit.testing.v1 import AppTest

    from geo.app import page

    page._case_at.clear()
    gc.unfreeze()
    app = AppTest.from_file(str(DATA.parent / "app.py"), default_timeout=120).run()
    assert not app.exception
    # Frozen objects are left out of every later collection; the case alone is more objects than it has features.
    assert gc.get_freeze_count() > sum(len(fc["features"]) for _, fc in load_case(DATA).layers())


def test_the_data_version_changes_with_an_edit_a_new_file_or_a_removal_and_not_otherwise(data_copy):
    first = data_version(data_copy)
    assert {name for name, _size, _mtime in first} >= {"catalog.json", *LAYER_FILES.values()}
    assert data_version(data_copy) == first

    sources = data_copy / "sources.json"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text, encoding="utf-8")
    os.utime(sources, ns=(0, sources.stat().st_mtime_ns + 1))
    edited = data_version(data_copy)
    assert edited != first

    (data_copy / "layers" / "extra.geojson").write_text("{}", encoding="utf-8")
    added = data_version(data_copy)
    assert added != edited and len(added) == len(edited) + 1
    (data_copy / "layers" / "extra.geojson").unlink()
    assert data_version(data_copy) == edited


def test_a_missing_data_folder_has_an_empty_version(tmp_path):
    assert data_version(tmp_path / "nowhere") == ()
