"""README.md against the code and the data, so the docs cannot drift (in the spirit of datasette's tested docs)."""

import re
import subprocess
import sys
import tomllib

import geopandas as gpd
import pytest
from shapely.geometry import shape

from geo.model.schema import FIELDS
from geo.store.settings import load_settings
from geo.validate import Limits
from tests.browser import ROOT, catalog_layers

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The shipped case's metric CRS, as its catalog sets it.
METRIC_CRS = load_settings(ROOT / "data").metric_crs
FEATURES = {feature["properties"]["id"]: feature for _, features in catalog_layers() for feature in features}


def section(title):
    """Return the text of the README section ``## title``, up to the next ``## `` heading."""
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_rows():
    """Return the rows of the derived-figures table as dicts keyed by its header."""
    lines = [line for line in section("How the layers are derived").splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines[2:]]


def measured(feature_id):
    """Return the length (km) and area (km²) of a layer feature, measured in the metric CRS."""
    geometry = gpd.GeoSeries([shape(FEATURES[feature_id]["geometry"])], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    return geometry.length / 1000, geometry.area / 1e6


def number(text):
    return float(text.replace(",", ""))


def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


ROWS = table_rows()


def test_readme_names_the_metric_crs_the_recipes_use():
    assert f"computed with GeoPandas/Shapely in {METRIC_CRS}" in README


def test_derived_figures_table_has_rows_and_names_layer_features():
    assert ROWS
    assert all(row["feature"].strip("`") in FEATURES for row in ROWS), [row["feature"] for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=[row["derived"] for row in ROWS])
def test_each_derived_figure_is_the_one_measured_in_the_layer_file(row):
    feature_id = row["feature"].strip("`")
    value, unit = re.fullmatch(r"([\d,.]+) (km|km²)", row["value"]).groups()
    length_km, area_km2 = measured(feature_id)
    found = area_km2 if unit == "km²" else length_km
    assert number(value) == round(found, decimals(value)), (feature_id, found)
    properties = FEATURES[feature_id]["properties"]
    assert number(value) == round(properties["area_km2" if unit == "km²" else "length_km"], decimals(value))


@pytest.mark.parametrize("row", ROWS, ids=[row["derived"] for row in ROWS])
def test_each_cited_figure_and_its_difference_match_the_data(row):
    properties = FEATURES[row["feature"].strip("`")]["properties"]
    cited = re.fullmatch(r"([\d,.]+) km \(([−+-][\d.]+) %\)", row["cited"])
    if "cited_length_km" in properties:
        assert cited, row["cited"]
        value, difference = number(cited.group(1)), float(cited.group(2).replace("−", "-"))
        assert value == properties["cited_length_km"]
        assert difference == round((properties["length_km"] - value) / value * 100, 1)
    else:
        assert cited is None, f"{row['cited']!r} cites a figure that the data does not hold"


def test_every_cited_length_in_the_data_is_in_the_table():
    cited = {feature_id for feature_id, f in FEATURES.items() if "cited_length_km" in f["properties"]}
    assert cited <= {row["feature"].strip("`") for row in ROWS}


def test_straight_line_figures_are_measured_between_the_route_ends():
    rows = [row for row in ROWS if row["cited"].startswith("straight line")]
    assert rows
    for row in rows:
        value = re.fullmatch(r"straight line ([\d,.]+) km", row["cited"]).group(1)
        line = shape(FEATURES[row["feature"].strip("`")]["geometry"])
        ends = gpd.GeoSeries.from_xy(*zip(line.coords[0], line.coords[-1], strict=True), crs="EPSG:4326")
        start, end = ends.to_crs(METRIC_CRS)
        assert number(value) == round(start.distance(end) / 1000, decimals(value))


def test_field_list_is_the_models_fields_in_order():
    step = section("Add a claim").split("\n2. ", 1)[1].split("\n3. ", 1)[0]
    listed = re.search(r"lists them: (.*?); the build adds `(\w+)`", step, re.S)
    names = re.findall(r"`(\w+)`", listed.group(1))
    assert names == [name for name in FIELDS if name != listed.group(2)]
    assert listed.group(2) in FIELDS


def test_upload_limits_are_the_ones_in_the_code_and_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limits = Limits()
    sentence = re.search(
        r"Uploads are capped at (\d+) MB\s+\(`server\.maxUploadSize` in `\.streamlit/config\.toml`\), ([\d,]+) features"
        r"\s+and (\d+) levels of nesting",
        README,
    )
    megabytes, features, depth = sentence.groups()
    assert int(megabytes) == config["server"]["maxUploadSize"] == limits.max_bytes // (1024 * 1024)
    assert number(features) == limits.max_features
    assert int(depth) == limits.max_depth
    cap = re.search(r"([\d,]+) point features \(the feature cap\)", README).group(1)
    assert number(cap) == limits.max_features


def test_layout_lists_every_geo_subpackage_and_no_other():
    listed = set(re.findall(r"^- `geo/(\w+)/`", section("Layout"), re.M))
    packages = {path.parent.name for path in (ROOT / "geo").glob("*/__init__.py")}
    assert listed == packages


def test_every_repository_path_the_readme_names_exists():
    paths = set(re.findall(r"`((?:geo|data|scripts|tests|benchmarks|docs)/[\w./-]*?)`", README))
    paths |= set(re.findall(r"\]\(((?:data|docs)/[\w./-]+)\)", README))
    missing = [path for path in sorted(paths) if "*" not in path and not (ROOT / path).exists()]
    assert paths and missing == []


def test_entry_point_the_layout_names_is_the_one_app_py_calls():
    module, function = re.search(r"it calls `([\w.]+)\.(\w+)`", section("Layout")).groups()
    assert f"from {module} import {function}" in (ROOT / "app.py").read_text(encoding="utf-8")


def test_readme_keeps_its_two_commands():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert "\npython -m pytest\n" in README


@pytest.mark.parametrize("command", [["scripts/screenshots.py"], ["-m", "bench"]], ids=["screenshots", "bench"])
def test_each_helper_command_the_readme_names_starts_and_prints_its_help(command):
    # Nothing else runs these in CI: a module they import from could move without a failing test.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python {' '.join(command)}" in readme
    done = subprocess.run([sys.executable, *command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


def test_the_source_watcher_setting_is_the_one_in_the_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    said = re.search(r'`server\.fileWatcherType = "(\w+)"` in `\.streamlit/config\.toml`', README)
    developing = re.search(r"`streamlit run app\.py --server\.fileWatcherType (\w+)`", README)
    assert said.group(1) == config["server"]["fileWatcherType"] == "none"
    assert developing.group(1) != said.group(1)
