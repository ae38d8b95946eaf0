"""Status and date filters: the same features leave the map and the current-view download."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo import filters, ui
from tests.browser import ROOT
from tests.test_app import drawn_counts

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


def test_filters_change_the_map_and_the_current_view_download():
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.multiselect(key=ui.STATUS_FILTER_KEY).set_value(["claimed", "denied"]).run()
    assert not app.exception
    assert drawn_counts(app) == {"border-areas": 2, "statements": 5}
    view = app.get("download_button")[0]
    assert view.label == "Current view (7 features)"
