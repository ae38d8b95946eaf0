"""The sidebar's layer switches and filters, and the sections they rerun alone.

Switching a layer on or off, or changing a filter, changes the map, the claim panel (which lists what is drawn at
the same place), the claims table and the downloads; nothing else on the page. So it reruns those four sections
alone, each an ``st.fragment`` keyed by one of ``FRAGMENT_KEYS``, and not the sidebar, the case description or
the sources.

On such a rerun a fragment is called with the arguments of the page's last whole run: ``current`` gives it the
layers switched on and the filters as they are now.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from geo.app.language import chosen_language
from geo.model import filters
from geo.model.layers import Layers

#: The sections a layer switch changes, by fragment key: the map, the claim panel, the table and the downloads.
MAP_FRAGMENT = "map-section"
PANEL_FRAGMENT = "claim-panel"
TOOLS_FRAGMENT = "claim-tools"
DOWNLOADS_FRAGMENT = "downloads"
FRAGMENT_KEYS = (MAP_FRAGMENT, PANEL_FRAGMENT, TOOLS_FRAGMENT, DOWNLOADS_FRAGMENT)
#: The sidebar's switches, filters and basemap choice, a fragment whose widgets rerun the sections above.
CONTROLS_FRAGMENT = "controls"
#: The filters' widget keys; the date filter's ends with its span (``date_key``).
STANDING_FILTER_KEY = "filter:standing"
RELIABILITY_FILTER_KEY = "filter:reliability"
CREDIBILITY_FILTER_KEY = "filter:credibility"
DATE_FILTER_KEY = "filter:dates"
SEARCH_KEY = "filter:text"
log = logging.getLogger(__name__)


def layer_key(layer_id: str) -> str:
    """Return the widget key of a layer's sidebar checkbox."""
    return f"layer:{layer_id}"


def date_key(days: list) -> str:
    """Return the date filter's widget key for its options ``days``: a new span (an import) gets a new slider."""
    return f"{DATE_FILTER_KEY}:{days[0]}:{days[-1]}"


def rerun_dependents() -> None:
    """Rerun the sections a layer switch or a filter changes, alone: the callback of those widgets.

    If one of them was not drawn on the last run (a section that failed before its fragment), the whole page
    reruns instead.
    """
    try:
        st.rerun(list(FRAGMENT_KEYS))
    except StreamlitAPIException:
        log.info("a layer switch reruns the whole page: not every section it changes is on it")
        st.rerun()


def switched_on(layers: Layers) -> Layers:
    """Return the layers whose checkbox is ticked now; a layer without one (none drawn yet) as it opens."""
    state = st.session_state
    return [(layer, fc) for layer, fc in layers if state.get(layer_key(layer.id), layer.default_visible)]


def chosen_filters(days: list, titles: dict[str, str] | None = None) -> filters.Filters:
    """Return the filters as the sidebar's widgets hold them now; ``None`` where one keeps everything.

    Parameters
    ----------
    days : list of date
        The date filter's options; with fewer than two there is no date filter.
    titles : dict, optional
        The sources' titles by id, which the search reads too (``filters.source_titles``).
    """
    state = st.session_state
    window = state.get(date_key(days)) if len(days) > 1 else None
    dates = None if window is None or tuple(window) == (days[0], days[-1]) else tuple(window)
    return filters.Filters(
        standings=_chosen(STANDING_FILTER_KEY, filters.STANDING_CHOICES),
        reliability=_chosen(RELIABILITY_FILTER_KEY, filters.RELIABILITY_CHOICES),
        credibility=_chosen(CREDIBILITY_FILTER_KEY, filters.CREDIBILITY_CHOICES),
        dates=dates,
        text=(state.get(SEARCH_KEY) or "").strip() or None,
        source_titles=titles,
    )


def _chosen(key: str, choices: tuple[str, ...]) -> frozenset[str] | None:
    chosen = st.session_state.get(key)
    return None if chosen is None or set(chosen) == set(choices) else frozenset(chosen)


def current(view: Any) -> Any:
    """Return the page's ``View`` with the layers switched on and the filters as they are now, in the reader's language.

    Call it first in each fragment of ``FRAGMENT_KEYS``: on a rerun of the fragments alone, ``view`` is the
    one of the page's last whole run, and the run has not chosen the language.
    """
    chosen_language()
    return dataclasses.replace(view, visible=switched_on(view.layers), keep=chosen_filters(view.days, view.titles))
