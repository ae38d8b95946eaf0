"""Standing, grade and date filters: the same features leave the map and the current-view download."""

import datetime as dt
import json
from collections import Counter
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from geo.app import page as ui
from geo.model import filters
from geo.model.claims import event_span, shown_standing
from geo.render import mapview
from geo.validate.imports import import_file
from tests.browser import ROOT
from tests.conftest import read_json
from tests.test_app import drawn_counts

DATA = ROOT / "data"
AUG = dt.date(2020, 8, 1)


def day(n):
    return AUG.replace(day=n)


def ids_kept(case, keep):
    return [f["properties"]["id"] for _, fc in filters.apply(case.layers(), keep) for f in fc["features"]]


def every_feature(case):
    return [f for _, fc in case.layers() for f in fc["features"]]


def test_standing_filter_keeps_only_chosen_standings(case):
    kept = ids_kept(case, filters.Filters(standings=frozenset({"contested"})))
    expected = [f["properties"]["id"] for f in every_feature(case) if shown_standing(f) == "contested"]
    assert kept == expected and "nato-forces-lithuania-border" in kept


def test_credibility_5_keeps_the_nato_build_up_claims_and_every_ungraded_feature(case):
    kept = ids_kept(case, filters.Filters(credibility=frozenset({"5"})))
    graded_5 = [f["properties"]["id"] for f in every_feature(case) if str(f["properties"].get("credibility")) == "5"]
    ungraded = [f["properties"]["id"] for f in every_feature(case) if f["properties"].get("credibility") in (None, "")]
    assert sorted(kept) == sorted(graded_5 + ungraded)
    assert {"nato-forces-lithuania-border", "nato-forces-poland-border"} <= set(graded_5)
    assert all(f["properties"]["kind"] == "claim" for f in every_feature(case) if f["properties"]["id"] in graded_5)


def test_reliability_filter_keeps_the_chosen_letters_and_ungraded_features(case):
    letters = Counter(f["properties"].get("reliability") for f in every_feature(case))
    letter = next(item for item in letters if item)
    kept = ids_kept(case, filters.Filters(reliability=frozenset({letter})))
    assert len(kept) == letters[letter] + letters[""] + letters[None]


def test_date_filter_keeps_overlapping_intervals_and_undated_context(case):
    window = (day(15), day(15))
    kept = set(ids_kept(case, filters.Filters(dates=window)))
    for feature in every_feature(case):
        span = event_span(feature["properties"].get("event_date"))
        should = span is None or ((span[0] or window[0]) <= window[1] and (span[1] or window[1]) >= window[0])
        assert (feature["properties"]["id"] in kept) is should, feature["properties"]["id"]
    assert "country-blr" in kept and "nato-forces-lithuania-border" in kept


def test_days_covered_by_the_case(case):
    spans = [event_span(f["properties"].get("event_date")) for f in every_feature(case)]
    ends = [end for span in spans if span for end in span if end]
    assert filters.dates_in(case.layers()) == [
        min(ends) + dt.timedelta(n) for n in range((max(ends) - min(ends)).days + 1)
    ]


def drawn_by_layer(case, keep):
    return dict(
        Counter(
            layer.id
            for layer, collection in case.layers()
            for feature in collection["features"]
            if layer.default_visible and mapview.is_drawn(feature) and keep(feature)
        )
    )


@pytest.mark.parametrize(
    ("key", "chosen", "keep"),
    [
        (ui.STANDING_FILTER_KEY, ["contested", "on-record"], lambda f: shown_standing(f) in {"contested", "on-record"}),
        (ui.CREDIBILITY_FILTER_KEY, ["5"], lambda f: str(f["properties"].get("credibility") or "5") == "5"),
    ],
)
def test_filters_change_the_map_and_the_current_view_download(case, key, chosen, keep):
    expected = drawn_by_layer(case, keep)
    listed = sum(
        1
        for layer, collection in case.layers()
        for feature in collection["features"]
        if layer.default_visible and keep(feature)
    )
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.multiselect(key=key).set_value(chosen).run()
    assert not app.exception
    assert drawn_counts(app) == expected
    view = app.get("download_button")[0]
    assert view.label == f"Current view ({listed} features)"


@pytest.mark.parametrize(
    ("widget", "key", "value", "keep"),
    [
        ("multiselect", ui.STANDING_FILTER_KEY, ["contested"], filters.Filters(standings=frozenset({"contested"}))),
        ("select_slider", None, (day(16), day(16)), filters.Filters(dates=(day(16), day(16)))),
        ("text_input", ui.SEARCH_KEY, "NATO", filters.Filters(text="NATO")),
    ],
)
def test_a_filter_change_reruns_the_filtered_sections_alone(case, widget, key, value, keep):
    keep = replace(keep, source_titles=filters.source_titles(case.sources))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    controls = getattr(app, widget)
    (control,) = [controls[0]] if key is None else [controls(key=key)]
    control.set_value(value).run()
    assert not app.exception
    # AppTest holds what the run drew: the map, panel, table and downloads, not the title or the sidebar.
    assert not app.title and not list(app.multiselect) and not list(app.text_input)
    expected = drawn_by_layer(case, keep.keeps)
    assert drawn_counts(app) == expected and sum(expected.values()) < sum(drawn_by_layer(case, bool).values())


def feature(properties, coordinates=(25.3, 54.7)):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": list(coordinates)},
    }


def mixed_import():
    """An import of a cited claim, a feature with a valid kind but no claim fields, and a plain feature."""
    claim = next(f for f in read_json(DATA / "layers" / "statements.geojson")["features"] if f["geometry"])
    incomplete = feature({"name": "trucks", "kind": "claim"})
    data = {"type": "FeatureCollection", "features": [claim, incomplete, feature({"name": "plain"})]}
    return import_file("mixed.geojson", json.dumps(data).encode())


def test_filtering_on_unsourced_keeps_exactly_the_features_drawn_as_unsourced():
    result = mixed_import()
    drawn = mapview.display_collection(result.layer, result.collection)["features"]
    drawn_unsourced = [f["properties"][mapview.KEY_FIELD] for f in drawn if f["properties"]["standing"] == "unsourced"]
    unsourced_only = filters.Filters(standings=frozenset({"unsourced"}))
    ((layer, kept),) = filters.apply([(result.layer, result.collection)], unsourced_only)
    kept_ids = {id(f) for f in kept["features"]}
    kept_keys = [
        mapview.feature_key(layer.id, n) for n, f in enumerate(result.collection["features"]) if id(f) in kept_ids
    ]
    assert kept_keys == drawn_unsourced == ["import-mixed/1", "import-mixed/2"]
