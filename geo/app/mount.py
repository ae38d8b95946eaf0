"""The map component's arguments, made once per base and view, and sent again on every run that shows them.

``st_folium`` renders the whole map on every call: Leaflet, the styles, the basemap, the fit to the data, each
element's output compiled a second time as a Jinja2 template by branca. That is most of a rerun's time, and on a
rerun that changes nothing on the map (a pan, a toggle back) it makes the same text again. Here ``st_folium``
runs once per base, with its component function swapped for one that keeps the arguments, and once per view
streamlit-folium's own function writes the claims group's script into them; every run then hands those to the
component itself. streamlit-folium's own code writes every argument, so the map is what ``st_folium`` would
send.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_folium
from streamlit_folium import _get_feature_group_string, st_folium

from geo.app.cachekeys import digest
from geo.render.scripted import empty_map

#: The component ``st_folium`` calls at its end, taken once: a capture in progress swaps the module's name only.
_COMPONENT = streamlit_folium._component_func
#: One capture at a time: it swaps the name in streamlit-folium's module.
_CAPTURING = threading.Lock()
#: What ``st_folium`` returns until the map reports, per returned object (``returned_objects=None`` keeps all).
DEFAULT_ARGUMENT = "default"


@dataclass(frozen=True)
class Base:
    """The base map as the page knows it: a key for all it depends on, how to build it, and where it opens.

    Attributes
    ----------
    key : str
        Everything ``build`` depends on (the case, the basemap, the data's bounds, the language…), digested.
    build : callable
        Makes the ``folium.Map``; called once per base and view.
    zoom : int
        The zoom it opens at, before the map reports one.
    latitude : float
        Its centre's latitude (geometry is weighed for it).
    """

    key: str
    build: Callable[[], Any]
    zoom: int
    latitude: float


def captured_arguments(fig: Any, group: Any, key: str, height: int) -> dict[str, Any]:
    """Return the arguments ``st_folium`` sends to its component for ``fig`` with ``group`` added in place.

    ``fig`` is a ``folium.Map``, ``group`` a ``folium.FeatureGroup`` or ``None``.

    Every returned object is kept in ``default``; the centre and zoom are left unset (``None``), and the
    ``on_change`` callback out (a closure cannot be cached).
    """
    kept: dict[str, Any] = {}
    with _CAPTURING:
        streamlit_folium._component_func = lambda **arguments: kept.update(arguments)
        try:
            st_folium(fig, key=key, height=height, use_container_width=True, feature_group_to_add=group)
        finally:
            streamlit_folium._component_func = _COMPONENT
    kept.pop("on_change", None)
    return kept


# The base's arguments are a few KB; one per base, height and key.
@st.cache_data(show_spinner=False, max_entries=16)
def _base_arguments(base: str, key: str, height: int, _build: Callable[[], Any]) -> dict[str, Any]:
    return captured_arguments(_build(), None, key, height)


def group_arguments(base_arguments: dict[str, Any], group: Any) -> dict[str, Any]:
    """Return the arguments ``st_folium`` sends with ``group`` added in place, from those it sends without.

    A group changes only its script (``feature_group``) and the files its elements load, listed after the
    base's; everything else (the map's script, header, bounds, hash key) is the base's own. ``group`` is a
    ``folium.FeatureGroup``: streamlit-folium's own function writes its script, on a map of its own.
    """
    script = _get_feature_group_string(group, map=empty_map())
    css = [href for _, href in getattr(group, "default_css", [])]
    js = [src for _, src in getattr(group, "default_js", [])]
    return {
        **base_arguments,
        "feature_group": script,
        "css_links": list(dict.fromkeys([*base_arguments["css_links"], *css])),
        "js_links": list(dict.fromkeys([*base_arguments["js_links"], *js])),
    }


# A view's arguments are about 100 KB in the shipped case and a few MB where counts stand for features.
@st.cache_data(show_spinner=False, max_entries=64, max_size="160MB")
def _arguments(base: str, view: str, key: str, height: int, _build: Callable[[], Any], _group: Any) -> dict[str, Any]:
    return group_arguments(_base_arguments(base=base, key=key, height=height, _build=_build), _group)


def _keep_report(key: str, hash_key: str) -> None:
    """Copy the map's report to ``key``, as ``st_folium``'s own ``on_change`` does."""
    st.session_state[key] = st.session_state.get(hash_key, {})


def show(
    base: Base,
    group: Any,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict[str, Any] | None:
    """Draw the map ``base`` builds with ``group`` in it, as ``st_folium`` would; return what the map reports.

    Parameters
    ----------
    base : Base
    group : geo.render.scripted.ScriptedGroup
        The group added in place (``feature_group_to_add``); its script is what tells views apart.
    key, height, returned_objects, center, zoom
        As ``st_folium``'s.
    """
    view = digest(group.script_text)
    arguments = dict(_arguments(base=base.key, view=view, key=key, height=height, _build=base.build, _group=group))
    kept = arguments[DEFAULT_ARGUMENT]
    arguments[DEFAULT_ARGUMENT] = {name: value for name, value in kept.items() if name in returned_objects}
    arguments.update(returned_objects=list(returned_objects), center=center, zoom=zoom)
    hash_key = arguments["key"]
    return _COMPONENT(**arguments, on_change=lambda: _keep_report(key, hash_key))
