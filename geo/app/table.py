"""The claims table: every visible claim, report, denial and statement, filtered like the map, one row each.

The table is the keyboard and screen-reader route to every feature, those without a place included; choosing
a row selects the feature. Cells are plain text: ``st.dataframe`` draws them on a canvas and interprets no
Markdown or HTML, so nothing here is escaped (escaping would show ``&lt;`` to the reader).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import islice
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from geo.app import selection
from geo.model import filters
from geo.model.claims import CONTEXT, event_span, grade, shown_kind, shown_standing
from geo.model.layers import Layers
from geo.render.dates import edtf_in_words
from geo.render.escape import escape_markdown
from geo.render.i18n import N_
from geo.render.i18n import gettext as _
from geo.render.uncertainty import precision_words
from geo.render.vocabulary import short_kind_names, short_standing_names

TABLE_KEY = "claims-table"
#: The visible columns, in order; ``From`` is the first day the event may fall on (sortable, unlike words).
#: These names are the frame's, in English; the reader sees ``column_labels()``.
COLUMNS = ("Title", "Kind", "Standing", "Grade", "Claimant", "Dates", "From", "Precision", "Source")
#: Hidden columns: the selection value (``geo.app.selection``) and the last day the event may fall on.
VALUE, UNTIL = "value", "until"
#: The table's accessible name, and the sentence above it (English; shown through ``_``).
LABEL = N_("Claims, reports and answers shown on the map, one row each")
CAPTION = N_("Every claim and answer the filters keep, those without a place too. Choose a row to select it.")
EMPTY_FILTERED = N_("No claim or answer passes the filters: widen the dates, choose more standings or grades.")
EMPTY_SEARCHED = N_(
    "No claim or answer passes the filters and the search “{search}”: widen the dates, choose more standings "
    "or grades, or clear the search."
)
EMPTY_LAYERS = N_("No claim or answer in the layers switched on: tick a claims layer in the sidebar.")


def column_labels() -> dict[str, str]:
    """Return each visible column's heading in the interface language, by its name in the frame."""
    return {
        "Title": _("Title"),
        "Kind": _("Kind"),
        "Standing": _("Standing"),
        "Grade": _("Grade"),
        "Claimant": _("Claimant"),
        "Dates": _("Dates"),
        "From": _("From"),
        "Precision": _("Precision"),
        "Source": _("Source"),
    }


def column_config() -> dict[str, Any]:
    """Return the grid's column settings: headings and help in the interface language, hidden columns hidden."""
    label = column_labels()
    text = st.column_config.TextColumn
    return {
        **{name: text(label[name]) for name in COLUMNS if name != "From"},
        "Title": text(label["Title"], width="large"),
        "Grade": text(label["Grade"], help=_("Source reliability A–F and credibility 1–6 (Admiralty code)")),
        "Dates": text(label["Dates"], help=_("When the event happened, as the sources allow")),
        # The day's format is a moment.js pattern: German writes days as 16.08.2020.
        "From": st.column_config.DateColumn(
            label["From"], format=_("D MMM YYYY"), help=_("The first day it may fall on")
        ),
        "Source": text(label["Source"], help=_("The first source of its chain")),
        VALUE: None,
        UNTIL: None,
    }


def claims_frame(
    layers: Layers,
    keep: filters.Filters,
    sources: Mapping[str, Mapping[str, Any]],
    options: Mapping[str, selection.Choice] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Return one row per feature of the layers that the filters keep, context left out, placed or not.

    Parameters
    ----------
    layers : list of (Layer, FeatureCollection)
        The visible layers.
    keep : Filters
        The filters the map uses; ``keep.keeps`` decides every row.
    sources : Mapping
        Source id to CSL-JSON item, for the Source column.
    options : Mapping, optional
        ``selection.choices`` of every loaded layer (the selection values depend on all of them);
        defaults to the choices of ``layers``.
    limit : int, optional
        At most this many rows, the first in layer order (a case of 100,000 claims would take seconds).

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS`` plus the hidden ``value`` and ``until``, in layer order.
    """
    options = selection.choices(layers) if options is None else options
    values = {(choice.layer.id, choice.index): value for value, choice in options.items()}
    kept = (
        (layer, index, feature)
        for layer, collection in layers
        for index, feature in enumerate(collection["features"])
        if shown_kind(feature) != CONTEXT and keep.keeps(feature)
    )
    rows = [_row(feature, sources, values.get((layer.id, index))) for layer, index, feature in islice(kept, limit)]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, VALUE, UNTIL])
    for column in ("From", UNTIL):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _row(feature: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]], value: str | None) -> dict[str, Any]:
    properties = feature.get("properties") or {}
    when = properties.get("event_date")
    first, last = event_span(when) or (None, None)
    return {
        "Title": _text(properties.get("title") or properties.get("id") or value),
        "Kind": shown_kind(feature),
        "Standing": shown_standing(feature),
        "Grade": grade(properties) or _text(properties.get("grade")),
        "Claimant": _text(properties.get("claimant")),
        "Dates": edtf_in_words(when) or _text(when),
        "From": first,
        "Precision": precision_words(properties),
        "Source": first_source_title(properties, sources),
        VALUE: value,
        UNTIL: last,
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def first_source_title(properties: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the title of a feature's first source (its chain's first step, else ``source_id``), else its id."""
    chain = [item for item in properties.get("source_chain") or [] if isinstance(item, str) and item]
    first = chain[0] if chain else properties.get("source_id")
    if not isinstance(first, str) or not first:
        return ""
    return _text((sources.get(first) or {}).get("title") or first)


def empty_reason(keep: filters.Filters) -> str:
    """Return the sentence an empty table shows instead of an empty grid: what hides everything, and what to do."""
    if not keep.is_active:
        return _(EMPTY_LAYERS)
    if keep.terms and keep.text:
        return _(EMPTY_SEARCHED).format(search=escape_markdown(keep.text.strip()))
    return _(EMPTY_FILTERED)


def shown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as the grid shows it: kinds and standings named in the interface language."""
    kinds, standings = short_kind_names(), short_standing_names()
    return frame.assign(
        Kind=frame["Kind"].map(lambda kind: kinds.get(kind, kind)),
        Standing=frame["Standing"].map(lambda standing: standings.get(standing, standing)),
    )


def grid_table(frame: pd.DataFrame) -> pa.Table:
    """Return ``frame`` as the grid shows it (``shown_frame``), as the Arrow table Streamlit sends to the browser.

    A frame made once per view is shown on many runs: converted once too, a run only sends it.
    """
    return pa.Table.from_pandas(shown_frame(frame), preserve_index=False)


def _rows(state: Any) -> list[int]:
    """Return the selected row positions of a dataframe's selection state (``[]`` if none or malformed)."""
    chosen = state.get("selection", {}) if isinstance(state, Mapping) else {}
    rows = chosen.get("rows", []) if isinstance(chosen, Mapping) else []
    return [row for row in rows if isinstance(row, int)] if isinstance(rows, list) else []


def picked_value(state: Any, shown: Sequence[int] | None, values: Sequence[str]) -> str | None:
    """Return the value of the row the reader chose since the last run; ``None`` if the selection is as left.

    Parameters
    ----------
    state : Any
        The table's selection state, ``{"selection": {"rows": [2], ...}}``.
    shown : sequence of int or None
        The rows the table was left selecting on the last run.
    values : sequence of str
        The selection value of each row, by position.
    """
    rows = _rows(state)
    if not rows or rows == list(shown or []) or not 0 <= rows[0] < len(values):
        return None
    return values[rows[0]]


def widget_key(key: str = TABLE_KEY) -> str:
    """Return the table's widget key: ``<key>:<generation>``, new each time the page moves its selection."""
    return f"{key}:{st.session_state.get(_generation_key(key), 0)}"


def _generation_key(key: str) -> str:
    return f"{key}:generation"


def show_table(
    frame: pd.DataFrame,
    key: str = TABLE_KEY,
    selected: str | None = None,
    reason: str | None = None,
    grid: pa.Table | None = None,
) -> str | None:
    """Draw the sortable claims table with the selected feature's row chosen; return a row the reader chose.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``claims_frame``.
    key : str
        The key of the table's container; the table's own is ``widget_key(key)``, and ``<key>:shown``
        remembers which row the table was left selecting.
    selected : str, optional
        The selection value of the feature selected elsewhere (map, selector): its row is chosen.
    reason : str, optional
        What an empty table says instead (``empty_reason``); a default sentence otherwise.
    grid : pyarrow.Table, optional
        ``grid_table(frame)``, if already made; made here otherwise.

    Returns
    -------
    str or None
        The selection value of the row the reader chose on this run, if it is not ``selected``.
    """
    if frame.empty:
        st.info(reason or _(EMPTY_LAYERS))
        return None
    values = frame[VALUE].tolist()
    shown_key = f"{key}:shown"
    current = widget_key(key)
    picked = picked_value(st.session_state.get(current), st.session_state.get(shown_key), values)
    target = picked or selected
    rows = [values.index(target)] if target in values else []
    if _rows(st.session_state.get(current)) != rows:
        # The page moves the table's selection (a choice made elsewhere): into a new table, so that a rerun the
        # browser sent before it saw the move, carrying the old table's rows, cannot move it back.
        st.session_state[_generation_key(key)] = st.session_state.get(_generation_key(key), 0) + 1
        current = widget_key(key)
        st.session_state[current] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    st.session_state[shown_key] = rows
    st.caption(_(CAPTION))
    with st.container(key=key):
        st.dataframe(
            grid_table(frame) if grid is None else grid,
            key=current,
            on_select="rerun",
            selection_mode="single-row",
            hide_index=True,
            column_order=COLUMNS,
            column_config=column_config(),
            alt=_(LABEL),
        )
    return picked if picked != selected else None
