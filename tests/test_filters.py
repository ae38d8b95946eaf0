"""Status and date filters: the same features leave the map and the current-view download."""

import datetime as dt
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from geo.app import page as ui
from geo.model import filters
from geo.render import mapview
from geo.validate.imports import import_file
from tests.browser import ROOT
from tests.conftest import read_json
from tests.test_app import drawn_counts
from tests.test_import import DATA, encode, feature

AUG = dt.date(2020, 8, 1)


def day(n):
    return AUG.replace(day=n)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-08-17", (day(17), day(17))),
        ("2020-08-15/2020-08-17", (day(15), day(17))),
        ("", None),
        ("last Monday", None),
        (None, None),
    ],
)
def test_date_range(value, expected):
    assert filters.date_range(value) == expected


def test_status_filter_keeps_only_chosen_statuses(case):
    kept = filters.apply(case.layers(), filters.Filters(statuses=frozenset({"denied"})))
    ids = [f["properties"]["id"] for _, fc in kept for f in fc["features"]]
    assert ids == ["nato-statement-brussels"]


def test_date_filter_keeps_overlapping_intervals_and_undated_context(case):
    kept = filters.apply(case.layers(), filters.Filters(dates=(day(15), day(15))))
    ids = {f["properties"]["id"] for _, fc in kept for f in fc["features"]}
    assert "lukashenko-putin-help-minsk" in ids  # 2020-08-15
    assert "nato-forces-lithuania-border" in ids  # 2020-08-15/2020-08-17
    assert "kremlin-statement-moscow" not in ids  # 2020-08-18
    assert "country-blr" in ids  # context, undated


def test_days_covered_by_the_case(case):
    assert filters.dates_in(case.layers()) == [day(15), day(16), day(17), day(18)]


def test_filters_change_the_map_and_the_current_view_download(case):
    kept = {"claimed", "denied"}
    expected = Counter(
        layer.id
        for layer, collection in case.layers()
        for feature in collection["features"]
        if layer.default_visible and feature["properties"]["status"] in kept
    )
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.multiselect(key=ui.STATUS_FILTER_KEY).set_value(sorted(kept)).run()
    assert not app.exception
    assert drawn_counts(app) == dict(expected)
    view = app.get("download_button")[0]
    assert view.label == f"Current view ({sum(expected.values())} features)"


def mixed_import():
    """An import of a cited claim, a feature with a valid status but no claim fields, and a plain feature."""
    claim = read_json(DATA / "layers" / "statements.geojson")["features"][0]
    incomplete = feature(properties={"name": "trucks", "status": "claimed"})
    return import_file("mixed.geojson", encode(claim, incomplete, feature(properties={"name": "plain"})))


def test_filtering_on_unsourced_keeps_exactly_the_features_drawn_as_unsourced():
    result = mixed_import()
    drawn = mapview.display_collection(result.layer, result.collection)["features"]
    drawn_unsourced = [f["properties"][mapview.KEY_FIELD] for f in drawn if f["properties"]["status"] == "unsourced"]
    unsourced_only = filters.Filters(statuses=frozenset({"unsourced"}))
    ((layer, kept),) = filters.apply([(result.layer, result.collection)], unsourced_only)
    kept_ids = {id(f) for f in kept["features"]}
    kept_keys = [
        mapview.feature_key(layer.id, n) for n, f in enumerate(result.collection["features"]) if id(f) in kept_ids
    ]
    assert kept_keys == drawn_unsourced == ["import-mixed/1", "import-mixed/2"]
