"""The timeline: one entry per dated claim or answer, bars for intervals, points for days, spanning the date window."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo.app import table, timeline
from geo.model import filters
from geo.model.claims import event_span
from geo.render.style import standing_colours

WINDOW = (dt.date(2020, 8, 15), dt.date(2020, 8, 18))


@pytest.fixture(scope="module")
def frame(case):
    return table.claims_frame(case.layers(), filters.Filters(), case.sources)


def spans(case, frame):
    found = {}
    for _, fc in case.layers():
        for feature in fc["features"]:
            if feature["properties"].get("id") in set(frame[table.VALUE]):
                found[feature["properties"]["id"]] = event_span(feature["properties"].get("event_date"))
    return found


def layer_data(chart, index):
    """The rows one layer of the chart draws: the chart's data, through the layer's filter."""
    spec = chart.to_dict()
    rows = next(iter(spec["datasets"].values()))
    wants_interval = "!" not in spec["layer"][index]["transform"][0]["filter"]
    return [row for row in rows if row["is_interval"] == wants_interval], spec["layer"][index]


def test_every_dated_feature_is_one_entry_and_intervals_are_bars(case, frame):
    chart = timeline.timeline_chart(frame, WINDOW)
    bars, bar_layer = layer_data(chart, 0)
    points, point_layer = layer_data(chart, 1)
    dated = {value: span for value, span in spans(case, frame).items() if span is not None}
    assert sorted(row[table.VALUE] for row in bars + points) == sorted(dated)
    intervals = {value for value, (first, last) in dated.items() if first != last}
    assert {row[table.VALUE] for row in bars} == intervals and len(intervals) >= 3
    assert "../2020-08-16" in {f["properties"]["event_date"] for _, fc in case.layers() for f in fc["features"]}
    assert bar_layer["mark"]["type"] == "bar" and point_layer["mark"]["type"] == "point"


def test_an_interval_covers_its_days_and_an_open_start_runs_from_the_window(frame):
    entries = timeline.timeline_rows(frame, WINDOW).set_index(table.VALUE)
    drills = entries.loc["belarus-drills-lithuanian-border"]  # 2020-08-17/2020-08-20
    assert (drills["start"], drills["end"]) == (dt.datetime(2020, 8, 17), dt.datetime(2020, 8, 21))
    convoy = entries.loc["convoy-st-petersburg-pskov"]  # ../2020-08-16
    assert (convoy["start"], convoy["end"]) == (dt.datetime(2020, 8, 15), dt.datetime(2020, 8, 17))
    day = entries.loc["nato-statement-brussels"]  # 2020-08-17
    assert not day["is_interval"] and day["start"] == dt.datetime(2020, 8, 17, 12)


def test_the_x_axis_spans_the_date_window(frame):
    spec = timeline.timeline_chart(frame, WINDOW).to_dict()
    for layer in spec["layer"]:
        domain = layer["encoding"]["x"]["scale"]["domain"]
        assert domain == [{"year": 2020, "month": 8, "date": 15}, {"year": 2020, "month": 8, "date": 19}]
    narrow = timeline.timeline_chart(frame, (dt.date(2020, 8, 16), dt.date(2020, 8, 16))).to_dict()
    assert narrow["layer"][0]["encoding"]["x"]["scale"]["domain"][1] == {"year": 2020, "month": 8, "date": 17}


def test_colour_is_the_map_s_and_a_dash_and_shape_say_the_standing_again(frame):
    spec = timeline.timeline_chart(frame, WINDOW).to_dict()
    bars, points = spec["layer"]
    colours = standing_colours()
    assert bars["encoding"]["color"]["scale"] == {"domain": list(colours), "range": list(colours.values())}
    dashes = dict(zip(*(bars["encoding"]["strokeDash"]["scale"][key] for key in ("domain", "range")), strict=True))
    assert dashes["contested"] == [12, 6] and dashes["confirmed"] == [1, 0]
    assert len(set(points["encoding"]["shape"]["scale"]["range"])) == len(colours)


def test_the_legend_draws_its_shapes_without_the_outline_that_would_carry_the_bars_dashes(frame):
    # The colour legend merges with the bars' stroke dashes; drawn with an outline, each shape wore its dash
    # and read as a blot at legend size (seen in docs/screenshot-timeline.png).
    bars, points = timeline.timeline_chart(frame, WINDOW).to_dict()["layer"]
    legends = [bars["encoding"]["color"]["legend"], points["encoding"]["shape"]["legend"]]
    assert [legend.get("symbolStrokeWidth") for legend in legends] == [0, 0]


def test_the_click_selection_names_the_value_field(frame):
    spec = timeline.timeline_chart(frame, WINDOW).to_dict()
    # Altair lifts a layer's selection to the top; a click on either layer's marks sets it (one view scope).
    params = spec["params"]
    assert [param["name"] for param in params] == [timeline.PICK]
    assert params[0]["select"] == {"type": "point", "fields": [table.VALUE], "on": "click"}


def test_undated_rows_are_counted_and_left_out(frame):
    undated = frame.copy()
    undated.loc[0, ["From", table.UNTIL]] = None
    assert timeline.undated_count(frame) == 0 and timeline.undated_count(undated) == 1
    assert len(timeline.timeline_rows(undated, WINDOW)) == len(frame) - 1


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"selection": {"pick": [{"value": "nato-statement-brussels"}]}}, "nato-statement-brussels"),
        ({"selection": {"pick": []}}, None),
        ({"selection": {}}, None),
        ({"selection": {"pick": [{"value": 3}]}}, None),
        (None, None),
    ],
)
def test_a_selection_event_gives_the_clicked_value(event, expected):
    assert timeline.picked_value(event) == expected


def timeline_script(window, undated):
    import streamlit as st

    from geo.app import table, timeline
    from geo.model import filters
    from geo.store.case import load_case

    case = load_case()
    frame = table.claims_frame(case.layers(), filters.Filters(), case.sources)
    frame.loc[: undated - 1, ["From", table.UNTIL]] = None
    st.session_state["picked"] = timeline.show_timeline(frame, window)


def test_clicking_an_entry_returns_its_value_once():
    app = AppTest.from_function(timeline_script, args=(WINDOW, 0), default_timeout=60).run()
    assert not app.exception and app.session_state["picked"] is None
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    app.session_state[timeline.TIMELINE_KEY] = {"selection": {"pick": [{"value": "nato-statement-brussels"}]}}
    app.run()
    assert not app.exception and app.session_state["picked"] == "nato-statement-brussels"
    app.run()
    assert app.session_state["picked"] is None


def test_a_caption_says_how_many_entries_are_undated():
    app = AppTest.from_function(timeline_script, args=(WINDOW, 2), default_timeout=60).run()
    assert not app.exception
    assert [caption.value for caption in app.caption] == ["2 undated entries are not on the timeline."]


def test_the_chart_spec_is_written_once_per_rows_window_and_language(frame, monkeypatch):
    from geo.render.i18n import use_language

    written = []
    real = timeline.timeline_chart
    monkeypatch.setattr(timeline, "timeline_chart", lambda *args: written.append(args) or real(*args))
    timeline._spec.clear()
    spec = timeline.chart_spec(frame, WINDOW)
    assert spec == real(frame, WINDOW).to_dict()
    assert timeline.chart_spec(frame.copy(), WINDOW) == spec and len(written) == 1
    changed = frame.copy()
    dated = changed.index[changed["From"].notna()][0]
    changed.loc[dated, "Title"] = "Another title"
    rows = next(iter(timeline.chart_spec(changed, WINDOW)["datasets"].values()))
    assert "Another title" in {row["title"] for row in rows} and len(written) == 2
    timeline.chart_spec(frame, None)
    with use_language("de"):
        german = timeline.chart_spec(frame, WINDOW)
    assert len(written) == 4 and german["layer"] != spec["layer"]
