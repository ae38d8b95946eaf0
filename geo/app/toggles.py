"""The sidebar's layer switches, and the sections a switch reruns alone.

Switching a layer on or off changes the map, the claim panel (which lists what is drawn at the same place), the
claims table and the downloads; nothing else on the page. So a switch reruns those four sections alone, each an
``st.fragment`` keyed by one of ``FRAGMENT_KEYS``, and not the sidebar, the case description or the sources.

On such a rerun a fragment is called with the arguments of the page's last whole run: ``current`` gives it the
layers switched on now.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from geo.app.language import chosen_language
from geo.model.layers import Layers

#: The sections a layer switch changes, by fragment key: the map, the claim panel, the table and the downloads.
MAP_FRAGMENT = "map-section"
PANEL_FRAGMENT = "claim-panel"
TOOLS_FRAGMENT = "claim-tools"
DOWNLOADS_FRAGMENT = "downloads"
FRAGMENT_KEYS = (MAP_FRAGMENT, PANEL_FRAGMENT, TOOLS_FRAGMENT, DOWNLOADS_FRAGMENT)
log = logging.getLogger(__name__)


def layer_key(layer_id: str) -> str:
    """Return the widget key of a layer's sidebar checkbox."""
    return f"layer:{layer_id}"


def rerun_dependents() -> None:
    """Rerun the sections a layer switch changes, alone: a callback of each layer's checkbox.

    If one of them was not drawn on the last run (a section that failed before its fragment), the whole page
    reruns instead, as it would without this callback.
    """
    try:
        st.rerun(list(FRAGMENT_KEYS))
    except StreamlitAPIException:
        log.info("a layer switch reruns the whole page: not every section it changes is on it")


def switched_on(layers: Layers) -> Layers:
    """Return the layers whose checkbox is ticked now; a layer without one (none drawn yet) as it opens."""
    state = st.session_state
    return [(layer, fc) for layer, fc in layers if state.get(layer_key(layer.id), layer.default_visible)]


def current(view: Any) -> Any:
    """Return the page's ``View`` with the layers switched on now, in the reader's language.

    Call it first in each fragment of ``FRAGMENT_KEYS``: on a rerun of the fragments alone, ``view`` is the
    one of the page's last whole run, and the run has not chosen the language.
    """
    chosen_language()
    return dataclasses.replace(view, visible=switched_on(view.layers))
