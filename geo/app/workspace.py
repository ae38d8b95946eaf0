"""The analyst's tools around the map: the claims table, the timeline, and the link that restores the view.

The table and the timeline show exactly what the map shows (the same layers and filters, the search too); a
row or an entry chosen selects that feature, as a click on the map does. The link holds the whole view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from geo.app import linkcodec, mapframe, permalink, selection, table, timeline
from geo.app.cachekeys import digest
from geo.model import filters
from geo.model.layers import CONTEXT, Layers
from geo.render.i18n import current_language, format_number
from geo.render.i18n import gettext as _
from geo.store import case

#: The open tab of the claims table and the timeline (its label, in the interface language).
TAB_KEY = "tools:tab"
#: The table lists at most this many rows, the timeline this many entries: the first in layer order.
TABLE_MAX = 500
TIMELINE_MAX = 300
#: Session state: true once the map was sent the linked centre and zoom (the first run only).
LINKED_VIEW_KEY = "permalink:view-sent"


@dataclass(frozen=True)
class LinkContext:
    """What a link may name in this case, and the widget keys it seeds."""

    known: linkcodec.Known
    keys: permalink.Keys


def link_context(loaded: case.Case, options: dict[str, selection.Choice]) -> LinkContext:
    """Return the case's link vocabulary: its layers (imports never reach a link), days and selections."""
    case_layers = loaded.layers()
    ids = [layer.id for layer, _ in case_layers]
    days = days_of(loaded, case_layers)
    known = linkcodec.Known(
        layers=tuple(ids),
        default_layers=tuple(layer.id for layer, _ in case_layers if layer.default_visible),
        days=tuple(days),
        selections=frozenset(options),
    )
    return LinkContext(known=known, keys=permalink.keys_for(ids, days))


def restore_link(context: LinkContext, lit_key: str) -> permalink.Link:
    """Seed the widgets from the URL on a session's first run; light the linked feature unless a centre is linked."""
    first = not st.session_state.get(permalink.SEEDED_KEY)
    link = permalink.restore(st.query_params, st.session_state, context.keys, context.known)
    if first and link.state.selected and link.state.center is None:
        st.session_state[lit_key] = link.state.selected
    return link


def linked_view(link: permalink.Link | None) -> tuple[tuple[float, float] | None, int | None]:
    """Return the linked map centre and zoom, once: the map is sent them on the first run only."""
    if link is None or st.session_state.get(LINKED_VIEW_KEY):
        return None, None
    st.session_state[LINKED_VIEW_KEY] = True
    return link.state.center, link.state.zoom


def sync_link(context: LinkContext, result: dict[str, Any] | None, box: Any) -> None:
    """Write the view into the URL and offer it in ``box`` as a link to copy (after every widget is drawn)."""
    view = permalink.map_view(result, st.session_state)
    state = permalink.current_state(st.session_state, context.keys, context.known, view)
    permalink.sync_query_params(state, st.query_params, context.known.default)
    with box:
        permalink.show_copy_link(linkcodec.encode(state, context.known.default))


@st.cache_resource(show_spinner=False, max_entries=16)
def _case_days(data_dir: str, layer_ids: tuple[str, ...], _layers: Layers) -> list:
    return filters.dates_in(_layers)


def days_of(loaded: case.Case, layers: Layers) -> list:
    """Return the event days of the layers (``filters.dates_in``), once per case for the case's own layers."""
    if all(loaded.collections.get(layer.id) is collection for layer, collection in layers):
        ids = tuple(layer.id for layer, _ in layers)
        return _case_days(data_dir=str(case.default_data_dir()), layer_ids=ids, _layers=layers)
    return filters.dates_in(layers)


@dataclass(frozen=True)
class Rows:
    """The table's rows of a view: the frame (``table.claims_frame``) and the grid it shows (``table.grid_table``)."""

    frame: Any
    grid: Any = None


def _rows_of(loaded: case.Case, claims: Layers, keep: filters.Filters, options: Any) -> Rows:
    frame = table.claims_frame(claims, keep, loaded.sources, options, limit=TABLE_MAX)
    return Rows(frame=frame, grid=table.grid_table(frame))


# The rows, at most TABLE_MAX, of a view of the case in one language: 32 hold every layer toggled under a few
# filters.
@st.cache_resource(show_spinner=False, max_entries=32)
def _case_rows(view: str, _loaded: case.Case, _claims: Layers, _keep: filters.Filters, _options: Any) -> Rows:
    return _rows_of(_loaded, _claims, _keep, _options)


def claim_rows(
    loaded: case.Case, view_layers: Layers, keep: filters.Filters, options, own_options: bool = False
) -> Rows:
    """Return the table's rows of the visible claims and answers, filtered like the map, ``TABLE_MAX`` at most.

    If ``options`` are the case's own (``own_options``: nothing imported), the rows and their grid are made once
    per view, for every run and session; imports change the selection values, and their frame is made on each
    run, its grid only if the table is shown (``grid`` is ``None``).
    """
    claims = [(layer, fc) for layer, fc in view_layers if layer.group != CONTEXT]
    if not own_options:
        return Rows(frame=table.claims_frame(claims, keep, loaded.sources, options, limit=TABLE_MAX), grid=None)
    sources = mapframe.LayerSources(str(case.default_data_dir()), loaded.collections)
    drawn = [(layer.id, sources.key(layer, fc)) for layer, fc in claims]
    view = digest((sources.case_key, drawn, filters.as_key(keep), current_language()))
    return _case_rows(view=view, _loaded=loaded, _claims=claims, _keep=keep, _options=options)


def show_tools(
    loaded: case.Case,
    visible: Layers,
    keep: filters.Filters,
    options: dict[str, selection.Choice],
    selected: str | None,
    choose: Callable[[str], None],
    own_options: bool = False,
) -> None:
    """Draw the table and the timeline in tabs; a row or an entry chosen is selected with ``choose``.

    ``own_options``: ``options`` are the case's own, nothing imported (see ``claim_rows``).
    """
    rows = claim_rows(loaded, visible, keep, options, own_options)
    frame = rows.frame
    days = days_of(loaded, visible)
    window = keep.dates or ((days[0], days[-1]) if days else None)
    # Only the open tab is drawn: the timeline's chart library loads in the browser once it is asked for.
    table_tab, timeline_tab = st.tabs([_("Claims table"), _("Timeline")], key=TAB_KEY, on_change="rerun")
    picked = None
    if table_tab.open:
        with table_tab:
            if len(frame) >= TABLE_MAX:
                st.caption(
                    _("The first {count} rows the filters keep: search or filter to narrow.").format(
                        count=format_number(TABLE_MAX)
                    )
                )
            picked = table.show_table(frame, selected=selected, reason=table.empty_reason(keep), grid=rows.grid)
    if timeline_tab.open:
        with timeline_tab:
            if len(frame) > TIMELINE_MAX:
                count = format_number(TIMELINE_MAX)
                st.caption(_("The first {count} entries: search or filter to narrow.").format(count=count))
            picked = timeline.show_timeline(frame.head(TIMELINE_MAX), window)
    if picked and picked != selected and picked in options:
        choose(picked)
        st.rerun()
