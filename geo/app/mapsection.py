"""The map section: the map of the visible layers with its caption, rerun on its own when the map reports a view.

The map reports every pan and zoom back to the server (its weight and, for a large case, which features are in
view, follow the zoom and the bounds). Such a report reruns this section alone, an ``st.fragment``: the map, its
caption and the link to the view, not the sidebar, the panel, the table or the downloads. So does a choice of
basemap in the sidebar (``rerun_alone``). A layer switched on or off reruns it with the panel, the table and the
downloads (``geo.app.toggles``). A click on a feature
changes the selection, which the panel and the table show too: it reruns the whole page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.app import mapframe, mount, selection, toggles, workspace
from geo.app.cachekeys import digest
from geo.app.claimpanel import lit_choice, map_center, take_map_click
from geo.app.guard import guarded
from geo.model.layers import CONTEXT
from geo.render import assets, mapview, viewport, weight
from geo.render.i18n import N_, current_language, format_number, ngettext
from geo.render.i18n import gettext as _
from geo.store import case

#: The section's fragment key (``st.rerun(FRAGMENT_KEY)`` from a callback reruns it alone).
FRAGMENT_KEY = toggles.MAP_FRAGMENT
#: The sidebar's basemap choice: it changes the map alone.
BASEMAP_KEY = "basemap"


def rerun_alone() -> None:
    """Rerun the map section alone: a widget callback for a choice that changes only the map (the basemap)."""
    st.rerun(FRAGMENT_KEY)


def chosen_basemap(view: Any) -> str:
    """Return the basemap chosen in the sidebar, read now: a rerun of the section alone keeps the page's old view."""
    chosen = st.session_state.get(BASEMAP_KEY)
    return chosen if chosen in mapview.BASEMAPS else view.basemap


@st.cache_resource(show_spinner=False, max_entries=1)
def leaflet_url() -> str | None:
    """Serve Leaflet from ``static/`` where it can be copied there, else carry it inside the map."""
    return mapview.LEAFLET_URL if assets.try_install_leaflet() is not None else None


@st.cache_data(show_spinner=False, max_entries=1)
def _offline_basemap(zoom: int = 5, latitude: float = 0.0) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    outlines, places, credit = case.offline_basemap()
    return weight.weigh_parts(outlines, zoom + mapframe.BASEMAP_ZOOM_AHEAD, latitude), places, credit


def show_map(
    loaded: case.Case,
    view: Any,
    options: dict[str, selection.Choice],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> mapframe.Drawn:
    """Draw the map of the visible layers, filtered, lighting the chosen feature; return what it drew.

    ``view`` is the page's ``View``; ``center`` (latitude, longitude) pans the mounted map there (the selected
    feature).
    """
    where, basemap = loaded.catalog.case, chosen_basemap(view)
    offline = _offline_basemap(zoom=where["zoom"], latitude=where["center"][0]) if basemap == mapview.OFFLINE else None
    claim_layers = [(layer, fc) for layer, fc in loaded.layers() if layer.group != CONTEXT]
    sources = mapframe.LayerSources(str(case.default_data_dir()), loaded.collections)
    bounds = mapframe.claim_bounds(claim_layers, sources)
    url, language = leaflet_url(), current_language()
    base = mount.Base(
        key=digest((sources.case_key, where, basemap, url, bounds, language)),
        build=lambda: mapview.build_base(where, basemap, offline, url, bounds=bounds),
        zoom=where["zoom"],
        latitude=where["center"][0],
    )
    chosen = lit_choice(options)
    feature_id = chosen.properties.get("id") if chosen else None
    pinned = {chosen.layer.id: [chosen.index]} if chosen and chosen.has_place() else None
    return mapframe.draw(
        view.visible,
        view.keep,
        base,
        sources,
        center=center,
        zoom=zoom,
        selected=feature_id if isinstance(feature_id, str) else None,
        pinned=pinned,
    )


def show_map_column(
    loaded: case.Case, view: Any, options: dict[str, selection.Choice], link: Any = None
) -> mapframe.Drawn:
    """Draw the map, or say why it is empty, panned to the selection, and say how much of the layers it shows."""
    if not view.layers:
        st.info(_("No layer to draw: import a GeoJSON file in the sidebar."))
    elif not view.visible:
        st.warning(_("Every layer is switched off: tick one in the sidebar."))
    linked_center, linked_zoom = workspace.linked_view(link)
    drawn = show_map(loaded, view, options, map_center(options) or linked_center, linked_zoom)
    st.caption(shown_caption(drawn.plan))
    if view.visible and drawn.plan.total and not drawn.plan.shown:
        st.info(
            _(
                "The filters hide every feature of the layers switched on: widen the standing, grade or date "
                "filters, or clear the search, in the sidebar."
            )
        )
    return drawn


def shown_caption(plan: viewport.Drawn) -> str:
    """Say how many of the visible layers' placed claims the map shows (context aside), and how, under the filters."""
    text = ngettext(
        "{shown} of {total} claim with a place shown", "{shown} of {total} claims with a place shown", plan.total
    ).format(shown=format_number(plan.shown), total=format_number(plan.total))
    if not plan.is_aggregated:
        return text + "."
    counts = _("{count} counts stand for them here: zoom in, or narrow the filters, to see each").format(
        count=format_number(len(plan.cells))
    )
    return f"{text} · {counts}."


@st.fragment(key=FRAGMENT_KEY)
def show_map_section(
    loaded: case.Case,
    view: Any,
    options: dict[str, selection.Choice],
    link: Any = None,
    context: workspace.LinkContext | None = None,
    link_box: Any = None,
) -> None:
    """Draw the map column and the link to the view into ``link_box``; rerun alone when the map reports a view.

    Call ``claimpanel.take_map_click`` before it on a run of the whole page: a click this section takes on a rerun
    of its own selects a feature, and the whole page reruns to show it.

    Parameters
    ----------
    loaded : Case
    view : View
        What the page shows (``geo.app.page.View``), as of the page's last whole run.
    options : dict
        The selection's choices (``geo.app.selection.choices``).
    link, context, link_box : optional
        The link restored on this run, the case's link vocabulary, and the container of the "Copy link" box.
    """
    view = toggles.current(view)
    if take_map_click(view, options):
        st.rerun()
    drawn = guarded(N_("map"), show_map_column, loaded, view, options, link)
    if context is not None:
        guarded(N_("link"), workspace.sync_link, context, drawn.result if drawn else None, link_box)
