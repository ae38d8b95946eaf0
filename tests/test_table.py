"""The claims table: the features the map's filters keep, one row each, placed or not; a row selects its feature."""

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.app import selection, table
from geo.model import filters
from geo.model.claims import CONTEXT, shown_kind

HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](http://example.com) {{ 7*7 }} | `code`"


def claims_kept(case, keep):
    return [f for _, fc in case.layers() for f in fc["features"] if shown_kind(f) != CONTEXT and keep.keeps(f)]


KEEPS = {
    "nothing filtered": filters.Filters(),
    "contested": filters.Filters(standings=frozenset({"contested"})),
    "on record": filters.Filters(standings=frozenset({"on-record"})),
    "17 Aug on": filters.Filters(dates=(dt.date(2020, 8, 17), dt.date(2020, 8, 31))),
    "credibility 5": filters.Filters(credibility=frozenset({"5"})),
    "search nato": filters.Filters(text="NATO"),
    "search fontanka title": filters.Filters(text="автозаков"),
}


@pytest.mark.parametrize("name", KEEPS)
def test_the_table_has_one_row_per_claim_or_answer_the_filters_keep(case, name):
    keep = filters.Filters(**{**KEEPS[name].__dict__, "source_titles": filters.source_titles(case.sources)})
    frame = table.claims_frame(case.layers(), keep, case.sources)
    kept = claims_kept(case, keep)
    assert len(frame) == len(kept)
    assert frame["Title"].tolist() == [f["properties"]["title"] for f in kept]


def test_denials_without_a_place_are_rows(case):
    frame = table.claims_frame(case.layers(), filters.Filters(), case.sources)
    unplaced = [f for _, fc in case.layers() for f in fc["features"] if f["geometry"] is None]
    assert unplaced and {f["properties"]["kind"] for f in unplaced} == {"denial"}
    assert {f["properties"]["id"] for f in unplaced} <= set(frame[table.VALUE])
    assert CONTEXT not in set(frame["Kind"])


def test_each_row_value_selects_its_own_feature(case):
    options = selection.choices(case.layers())
    frame = table.claims_frame(case.layers(), filters.Filters(), case.sources, options)
    assert frame[table.VALUE].is_unique
    for title, value, grade in frame[["Title", table.VALUE, "Grade"]].itertuples(index=False):
        properties = options[value].properties
        assert properties["title"] == title and properties.get("grade", "") == grade


def test_cells_say_dates_precision_and_the_first_source_in_words(case):
    frame = table.claims_frame(case.layers(), filters.Filters(), case.sources).set_index(table.VALUE)
    row = frame.loc["convoy-st-petersburg-pskov"]
    assert row["Dates"] == "on or before 16 Aug 2020" and row["From"] is pd.NaT
    assert row["until"] == dt.datetime(2020, 8, 16)
    assert row["Source"] == case.sources["fontanka-2020-08-16"]["title"]
    assert frame.loc["nato-spokesperson-denial", "Precision"].startswith("No place")


def test_an_empty_table_says_what_hides_everything():
    assert table.empty_reason(filters.Filters()) == table.EMPTY_LAYERS
    said = table.empty_reason(filters.Filters(text="*zzz*"))
    assert "search “\\*zzz\\*”" in said and "clear the search" in said
    assert "search" not in table.empty_reason(filters.Filters(standings=frozenset()))


@pytest.mark.parametrize(
    ("state", "shown", "expected"),
    [
        ({"selection": {"rows": [1], "columns": [], "cells": []}}, [], "b"),
        ({"selection": {"rows": [1], "columns": [], "cells": []}}, [1], None),
        ({"selection": {"rows": [], "columns": [], "cells": []}}, [1], None),
        ({"selection": {"rows": [7]}}, [], None),
        (None, None, None),
        ({"selection": "broken"}, [], None),
    ],
)
def test_a_row_counts_as_chosen_only_when_it_changed(state, shown, expected):
    assert table.picked_value(state, shown, ["a", "b", "c"]) == expected


def table_script(hostile: str, selected: str | None):
    import streamlit as st

    from geo.app import table
    from geo.model import filters
    from geo.store.case import load_case

    case = load_case()
    layers = case.layers()
    layer, collection = layers[0]
    first, *rest = collection["features"]
    retitled = {**first, "properties": {**first["properties"], "title": hostile}}
    layers[0] = (layer, {**collection, "features": [retitled, *rest]})
    frame = table.claims_frame(layers, filters.Filters(), case.sources)
    st.session_state["picked"] = table.show_table(frame, selected=selected)
    st.session_state["values"] = frame[table.VALUE].tolist()


def table_key(app):
    """Return the key of the table the page drew last (``table.widget_key``)."""
    try:
        generation = app.session_state[f"{table.TABLE_KEY}:generation"]
    except KeyError:
        generation = 0
    return f"{table.TABLE_KEY}:{generation}"


def run_table(selected=None):
    return AppTest.from_function(table_script, args=(HOSTILE, selected), default_timeout=60).run()


def test_choosing_a_row_returns_its_value_once():
    app = run_table()
    values = app.session_state["values"]
    assert app.session_state["picked"] is None
    drawn = table_key(app)
    app.session_state[drawn] = {"selection": {"rows": [2], "columns": [], "cells": []}}  # the reader's click
    app.run()
    assert not app.exception and app.session_state["picked"] == values[2]
    assert table_key(app) == drawn, "the reader's own pick replaced the table (and its sort order)"
    app.run()
    assert app.session_state["picked"] is None


def test_a_row_chosen_elsewhere_moves_into_a_new_table():
    app = run_table()
    drawn = table_key(app)
    selected = "nato-spokesperson-denial"
    app = AppTest.from_function(table_script, args=(HOSTILE, selected), default_timeout=60)
    app.session_state[drawn] = {"selection": {"rows": [], "columns": [], "cells": []}}
    app.run()
    assert table_key(app) != drawn
    assert app.session_state[table_key(app)]["selection"]["rows"] == [app.session_state["values"].index(selected)]


def test_the_selected_feature_s_row_is_chosen_in_the_table():
    app = run_table(selected="nato-spokesperson-denial")
    values = app.session_state["values"]
    state = app.session_state[table_key(app)]
    assert state["selection"]["rows"] == [values.index("nato-spokesperson-denial")]
    assert app.session_state["picked"] is None


def test_a_hostile_title_reaches_the_grid_as_plain_text_and_nowhere_else():
    app = run_table()
    grid = app.get("dataframe")[0]
    assert grid.value["Title"].iloc[0] == HOSTILE
    assert grid.proto.alt == table.LABEL
    shown = [*app.markdown, *app.caption, *app.get("html")]
    assert all("onerror" not in str(element.value) and "7*7" not in str(element.value) for element in shown)
    assert [element.value for element in app.caption] == [table.CAPTION]


def test_an_empty_frame_shows_the_reason_instead_of_a_grid():
    def script():
        import streamlit as st

        from geo.app import table
        from geo.model import filters

        keep = filters.Filters(text="zzz")
        frame = table.claims_frame([], keep, {})
        st.session_state["picked"] = table.show_table(frame, reason=table.empty_reason(keep))

    app = AppTest.from_function(script, default_timeout=60).run()
    assert not app.get("dataframe") and app.session_state["picked"] is None
    assert [info.value for info in app.info] == [table.empty_reason(filters.Filters(text="zzz"))]
