"""``python -m geo base`` cuts the case's countries out of a world file (here a tiny synthetic one)."""

import json
import shutil

import geopandas as gpd
import pytest
from shapely.geometry import box, shape

from geo.__main__ import main
from tests.browser import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "southland"


@pytest.fixture
def case_copy(tmp_path):
    copy = tmp_path / "case"
    shutil.copytree(FIXTURE, copy)
    return copy


def world_file(tmp_path, column="A3"):
    """Four squares: two of the case's countries (one reaching past the region), one other, one far away."""
    world = gpd.GeoDataFrame(
        {
            column: ["AAA", "BBB", "CCC", "AAA"],
            "geometry": [
                box(-62, -28, -59, -25),
                box(-59, -28, -53, -25),
                box(-62, -25, -59, -24.5),
                box(10, 40, 12, 42),
            ],
        },
        crs="EPSG:4326",
    )
    path = tmp_path / "world.geojson"
    world.to_file(path, driver="GeoJSON")
    return path


def test_base_writes_only_the_case_countries_clipped_to_its_region(tmp_path, case_copy, capsys):
    catalog = json.loads((case_copy / "catalog.json").read_text(encoding="utf-8"))["case"]
    assert main(["--data", str(case_copy), "base", str(world_file(tmp_path))]) == 0
    written = json.loads((case_copy / "base" / "countries.geojson").read_text(encoding="utf-8"))
    shapes = {item["properties"]["iso3"]: shape(item["geometry"]) for item in written["features"]}
    assert sorted(shapes) == sorted(catalog["countries"])
    west, south, east, north = catalog["region"]
    assert shapes["BBB"].bounds == pytest.approx((-59, -28, east, -25), abs=1e-4)
    assert shapes["AAA"].bounds == pytest.approx((-62, -28, -59, -25), abs=1e-4)
    assert shapes["AAA"].intersection(shapes["BBB"]).area == pytest.approx(0, abs=1e-8)
    assert f"wrote 2 countries to {case_copy / 'base' / 'countries.geojson'}" in capsys.readouterr().out


def test_base_names_the_world_file_when_it_lacks_the_id_column(tmp_path, case_copy, capsys):
    source = world_file(tmp_path, column="ISO")
    assert main(["--data", str(case_copy), "base", str(source)]) == 1
    assert capsys.readouterr().err.strip() == f"error: {source}: no column 'A3' for the country ids (it has: ISO)"


def test_base_refuses_a_missing_world_file(tmp_path, case_copy, capsys):
    assert main(["--data", str(case_copy), "base", str(tmp_path / "none.geojson")]) == 2
    assert "none.geojson: file not found" in capsys.readouterr().err
