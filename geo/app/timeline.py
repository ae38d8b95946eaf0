"""The timeline: each dated claim and answer as a bar over the days it may cover, or a point on its one day.

Date runs across, claimant down; colour is the standing in the map's colours, and a dash (bars) or a shape
(points) says it again for greyscale. The x axis spans the date filter's window, so the two stay in step.
Clicking an entry selects its feature (a Vega-Lite point selection on the ``value`` field, drawn with
``st.vega_lite_chart``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from geo.app.table import UNTIL, VALUE
from geo.model.claims import SHOWN_STANDINGS
from geo.render.i18n import N_, current_language, ngettext
from geo.render.i18n import gettext as _
from geo.render.patterns import DASHES
from geo.render.style import standing_colours
from geo.render.vocabulary import short_kind_names, short_standing_names

if TYPE_CHECKING:
    import altair as alt

TIMELINE_KEY = "timeline"
#: The point selection's name: Streamlit reports clicks under it.
PICK = "pick"
NO_CLAIMANT = N_("(no claimant named)")
#: One solid point shape per shown standing, in legend order (Vega-Lite's own symbol names: a custom path drew
#: garbled in the legend).
SHAPES = (
    *("circle", "triangle-up", "diamond", "triangle-down", "cross"),
    *("triangle-left", "square", "triangle-right", "wedge"),
)
ROW_HEIGHT = 26
LABEL_LIMIT = 260
LABEL = N_("Timeline of the claims and answers shown: date across, claimant down; select an entry to show it")


def timeline_rows(
    frame: pd.DataFrame | Iterable[Mapping[str, Any]], window: tuple[dt.date, dt.date] | None
) -> pd.DataFrame:
    """Return the entries the timeline draws: one per dated row of ``claims_frame``, with where it starts and ends.

    An open end (``../2020-08-16``) runs to the window's edge (else to the last known day); an entry covering
    one day is a point (``is_interval`` false) at noon; an interval ends at the end of its last day. Rows
    with neither day are left out (``undated_count``).
    """
    rows = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
    first, last = pd.to_datetime(rows["From"]), pd.to_datetime(rows[UNTIL])
    dated = first.notna() | last.notna()
    known = pd.concat([first, last]).dropna()
    low = pd.Timestamp(window[0]) if window else (known.min() if len(known) else pd.NaT)
    high = pd.Timestamp(window[1]) if window else (known.max() if len(known) else pd.NaT)
    start, end = first.fillna(low), last.fillna(high)
    start = start.where(~(first.isna() & (start > last)), last)  # an open start after the known last day
    end = end.where(~(last.isna() & (end < first)), first)
    start, end = start.fillna(end), end.fillna(start)
    is_interval = end > start
    kinds, standings = short_kind_names(), short_standing_names()
    entries = pd.DataFrame(
        {
            "title": rows["Title"],
            "claimant": rows["Claimant"].where(rows["Claimant"].astype(bool), _(NO_CLAIMANT)),
            "standing": rows["Standing"],
            "kind": rows["Kind"],
            "standing_name": rows["Standing"].map(lambda standing: standings.get(standing, standing)),
            "kind_name": rows["Kind"].map(lambda kind: kinds.get(kind, kind)),
            "dates": rows["Dates"],
            VALUE: rows[VALUE],
            "start": start.where(is_interval, start + pd.Timedelta(hours=12)),
            "end": end + pd.Timedelta(days=1),
            "is_interval": is_interval,
        }
    )
    return entries[dated].reset_index(drop=True)


def undated_count(frame: pd.DataFrame) -> int:
    """Return how many rows of ``claims_frame`` have no event date the timeline can place."""
    return int((pd.to_datetime(frame["From"]).isna() & pd.to_datetime(frame[UNTIL]).isna()).sum())


def x_domain(window: tuple[dt.date, dt.date]) -> list[alt.DateTime]:
    """Return the x axis domain for a window: from the start of its first day to the end of its last."""
    import altair as alt

    last = window[1] + dt.timedelta(days=1)
    return [alt.DateTime(year=day.year, month=day.month, date=day.day) for day in (window[0], last)]


def timeline_chart(
    frame_or_rows: pd.DataFrame | Iterable[Mapping[str, Any]], window: tuple[dt.date, dt.date] | None = None
) -> alt.LayerChart:
    """Return the timeline of the dated rows of ``claims_frame``: bars for intervals, points for single days.

    Parameters
    ----------
    frame_or_rows : pandas.DataFrame or iterable of dict
        ``claims_frame``, or its rows.
    window : tuple of date, optional
        The date filter's window: the x axis spans exactly its days. Else the data's days.

    Returns
    -------
    altair.LayerChart
        Two layers over one data set; the point selection ``PICK`` on ``value`` spans both.
    """
    # Altair takes about 0.4 s to import: a page run imports it here, when the timeline is first drawn.
    import altair as alt

    entries = timeline_rows(frame_or_rows, window)
    colours = standing_colours()
    standing = alt.Scale(domain=list(colours), range=list(colours.values()))
    x_scale = alt.Scale(domain=x_domain(window)) if window else alt.Undefined
    pick = alt.selection_point(name=PICK, fields=[VALUE], on="click", empty=False)
    # The bars' dashes would outline the legend's shapes too, which garbles them at legend size.
    legend = alt.Legend(title=_("Standing"), labelExpr=standing_label_expr(), symbolStrokeWidth=0)
    base = alt.Chart(entries).encode(
        y=alt.Y("claimant:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("standing:N", scale=standing, legend=legend),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.75)),
        tooltip=[
            alt.Tooltip("title:N", title=_("Title")),
            alt.Tooltip("dates:N", title=_("Dates")),
            alt.Tooltip("standing_name:N", title=_("Standing")),
            alt.Tooltip("kind_name:N", title=_("Kind")),
        ],
    )
    # A d3 time format: German writes days as 16.08.2020.
    x = alt.X("start:T", title=None, scale=x_scale, axis=alt.Axis(format=_("%-d %b %Y")))
    bars = (
        base.transform_filter(alt.datum.is_interval)
        .mark_bar(height=10, strokeWidth=2, fillOpacity=0.3, clip=True)
        .encode(x=x, x2="end:T", stroke=alt.Stroke("standing:N", scale=standing, legend=None))
        .encode(strokeDash=alt.StrokeDash("standing:N", scale=_dash_scale(), legend=None))
    )
    points = (
        base.transform_filter(~alt.datum.is_interval)
        .mark_point(filled=True, size=90, clip=True)
        .encode(
            x=x,
            shape=alt.Shape("standing:N", scale=alt.Scale(domain=list(SHOWN_STANDINGS), range=SHAPES), legend=legend),
        )
    )
    height = ROW_HEIGHT * max(1, entries["claimant"].nunique())
    return alt.layer(bars.add_params(pick), points).properties(height=height, width="container", description=_(LABEL))


# Altair checks a chart against the Vega-Lite schema as it writes it out, about 0.2 s: each page run that leaves
# the timeline's rows alone (every pan and zoom of the map) takes the spec written before. Keyed by a digest of
# every row: Streamlit's own hash of a frame reads only a sample of one with 100,000 rows or more.
@st.cache_data(show_spinner=False, max_entries=32)
def _spec(digest: str, window: tuple[dt.date, dt.date] | None, language: str, _frame: pd.DataFrame) -> dict[str, Any]:
    return timeline_chart(_frame, window).to_dict()


def chart_spec(frame: pd.DataFrame, window: tuple[dt.date, dt.date] | None = None) -> dict[str, Any]:
    """Return ``timeline_chart`` as its Vega-Lite spec, checked against the schema, made once per rows and window.

    Another interface language is another spec: the labels are written in it.
    """
    rows = pd.util.hash_pandas_object(frame.astype(str), index=True).to_numpy().tobytes()
    digest = hashlib.blake2b(rows + repr(list(frame.columns)).encode(), digest_size=16).hexdigest()
    return _spec(digest, window, current_language(), frame)


def standing_label_expr() -> str:
    """Return the Vega expression that names each standing in the legend in the interface language.

    The data and the scales keep the model's standings (the colours are keyed by them); only the labels change.
    """
    names = short_standing_names()
    expression = "datum.label"
    for standing in reversed(SHOWN_STANDINGS):
        literal, name = json.dumps(standing), json.dumps(names.get(standing, standing), ensure_ascii=False)
        expression = f"datum.label == {literal} ? {name} : {expression}"
    return expression


def _dash_scale() -> alt.Scale:
    """Return the map's dash per standing as Vega-Lite dash arrays (a solid line is ``[1, 0]``)."""
    import altair as alt

    dashes = [[int(part) for part in (DASHES[standing] or "1 0").split()] for standing in SHOWN_STANDINGS]
    return alt.Scale(domain=list(SHOWN_STANDINGS), range=dashes)


def picked_value(event: Any) -> str | None:
    """Return the selection value of the entry a chart selection event names, or ``None``.

    ``event`` is what ``st.altair_chart(..., on_select="rerun")`` returns, or its session state:
    ``{"selection": {"pick": [{"value": "nato-statement-brussels"}]}}``.
    """
    chosen = event.get("selection", {}) if isinstance(event, Mapping) else {}
    points = chosen.get(PICK) if isinstance(chosen, Mapping) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], Mapping):
        return None
    value = points[0].get(VALUE)
    return value if isinstance(value, str) and value else None


def show_timeline(
    frame: pd.DataFrame, window: tuple[dt.date, dt.date] | None = None, key: str = TIMELINE_KEY
) -> str | None:
    """Draw the timeline of ``claims_frame``'s dated rows; return the entry clicked on this run, if any.

    A click is returned once: the chart keeps reporting its selection, and ``<key>:taken`` remembers the
    last one returned. Undated rows are left out and a caption says how many.
    """
    undated = undated_count(frame)
    if undated == len(frame):
        st.caption(_("No dated claim or answer to draw on the timeline."))
        return None
    spec = chart_spec(frame, window)
    event = st.vega_lite_chart(spec, key=key, on_select="rerun", selection_mode=PICK)
    if undated:
        st.caption(
            ngettext(
                "{count} undated entry is not on the timeline.",
                "{count} undated entries are not on the timeline.",
                undated,
            ).format(count=undated)
        )
    value = picked_value(event)
    taken_key = f"{key}:taken"
    if value == st.session_state.get(taken_key):
        return None
    st.session_state[taken_key] = value
    return value
