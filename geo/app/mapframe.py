"""The map on the page: a base mounted once per basemap, and the claims group swapped into it in place.

Each run rebuilds the base the same way (so streamlit-folium keeps the iframe, and the reader's zoom and pan)
and sends only the claims group anew. What the group holds comes from ``geo.render.viewport``: the features the
filters keep in the map's view, or counts per cell where more than ``viewport.MAX_DRAWN`` are in view. Every
cache here is keyed by small ids (the data folder, a layer id, an upload's digest), never by the data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from geo.app import cachekeys, groupscript, mount
from geo.model import filters
from geo.model.layers import Layer, Layers
from geo.render import mapview, viewport
from geo.render.escape import escape_text
from geo.render.i18n import gettext as _

MAP_KEY = "map"
MAP_HEIGHT = 560
#: What the map reports back: its zoom (geometry is weighed for it) and centre (the link holds them) always, its
#: bounds in a large case (they decide what is drawn). Each report reruns the page, which resends the same group.
ZOOM_OBJECTS = ("zoom", "center")
VIEW_OBJECTS = ("bounds", "zoom", "center")
#: The offline basemap is weighed this many zoom levels finer than the case opens at: it stays mounted.
BASEMAP_ZOOM_AHEAD = 2


@st.cache_resource(show_spinner=False, max_entries=64)
def _index(source: str, layer_id: str, _layer: Layer, _collection: dict[str, Any]) -> viewport.LayerIndex:
    return viewport.index_layer(_layer, _collection)


@dataclass(frozen=True)
class LayerSources:
    """What the layers' cached indexes and display forms are keyed by, with the layer id.

    A collection the case loaded is keyed by the case folder, once and for all. Any other collection, an import
    or a case layer recomputed (the border zones at another depth), is keyed by a digest of its features: a
    case layer's id alone would serve the case's own geometry for it.
    """

    case_key: str
    own: Mapping[str, dict[str, Any]]

    def key(self, layer: Layer, collection: dict[str, Any]) -> str:
        """Return the cache key of ``layer`` drawn with ``collection``."""
        if self.own.get(layer.id) is collection:
            return self.case_key
        return cachekeys.digest(collection)


def indexes(visible: Layers, sources: LayerSources, keys: Sequence[str] | None = None) -> list[viewport.LayerIndex]:
    """Return the index of each visible layer, built once per layer source and kept across runs and sessions.

    ``keys`` are the layers' ``sources.key``, if already computed.
    """
    keys = keys or [sources.key(layer, fc) for layer, fc in visible]
    # The cache's own spinner text would be fixed at import, in English.
    with st.spinner(_("Indexing the claims…")):
        return [
            _index(source=key, layer_id=layer.id, _layer=layer, _collection=fc)
            for key, (layer, fc) in zip(keys, visible, strict=True)
        ]


@dataclass(frozen=True)
class Window:
    """The map's view as the browser last reported it: bounds (west, south, east, north) and zoom."""

    bounds: tuple[float, float, float, float] | None
    zoom: float | None


def reported_window() -> Window:
    """Return the view the map reported on its last pan or zoom (``None`` parts before the first report)."""
    state = st.session_state.get(MAP_KEY) or {}
    box, zoom = state.get("bounds") or {}, state.get("zoom")
    try:
        south_west, north_east = box["_southWest"], box["_northEast"]
        bounds = (south_west["lng"], south_west["lat"], north_east["lng"], north_east["lat"])
        bounds = tuple(float(value) for value in bounds)
    except (KeyError, TypeError, ValueError):
        bounds = None
    return Window(bounds=bounds, zoom=float(zoom) if isinstance(zoom, int | float) else None)


def is_large(layer_indexes: Sequence[viewport.LayerIndex]) -> bool:
    """True if the visible layers hold more features than the map draws at once: the view then decides."""
    claims = sum(len(index) for index in layer_indexes if index.layer.group != "context")
    return claims > viewport.MAX_DRAWN


@st.cache_resource(show_spinner=False, max_entries=2)
def _claim_bounds(case_key: str, _claims: Layers, _sources: LayerSources) -> tuple[float, float, float, float] | None:
    return data_bounds(indexes(_claims, _sources))


def claim_bounds(claims: Layers, sources: LayerSources) -> tuple[float, float, float, float] | None:
    """Return the bounds of the case's own claim layers (``data_bounds``), once per case.

    ``claims`` are the case's claim layers as it loaded them: their bounds change only with its files, and the
    caches are emptied then (``geo.app.page.forget_stale_data``).
    """
    return _claim_bounds(case_key=sources.case_key, _claims=claims, _sources=sources)


def data_bounds(layer_indexes: Sequence[viewport.LayerIndex]) -> tuple[float, float, float, float] | None:
    """Return the bounds of the claim layers' features (west, south, east, north); ``None`` if there are none."""
    boxes = [index.bounds for index in layer_indexes if index.layer.group != "context" and len(index)]
    if not boxes:
        return None
    stacked = np.concatenate(boxes)
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 2].max()),
        float(stacked[:, 3].max()),
    )


def clicked_key(clicked: dict[str, Any] | None, visible: Layers) -> tuple[Layer, int] | None:
    """Return the layer and position behind a clicked map feature's escaped ``_key``; ``None`` if none matches."""
    key = ((clicked or {}).get("properties") or {}).get(mapview.KEY_FIELD)
    if not isinstance(key, str) or "/" not in key:
        return None
    prefix, _slash, position = key.rpartition("/")
    for layer, collection in visible:
        if str(escape_text(layer.id)) == prefix and position.isdigit() and int(position) < len(collection["features"]):
            return layer, int(position)
    return None


@dataclass
class Drawn:
    """What this run's map shows: the plan (drawn features or counts) and what the map reported back."""

    plan: viewport.Drawn
    clicked: dict[str, Any] | None
    result: dict[str, Any] | None = None


def draw(
    visible: Layers,
    keep: filters.Filters,
    base: mount.Base,
    sources: LayerSources,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    selected: str | None = None,
    pinned: dict[str, list[int]] | None = None,
) -> Drawn:
    """Draw the map: the mounted base, and the claims group for the current view swapped in.

    Parameters
    ----------
    visible : list of (Layer, FeatureCollection)
        The ticked layers, unfiltered.
    keep : Filters
    base : mount.Base
        The base map (``geo.render.mapview.build_base``): built once, then mounted in place.
    sources : LayerSources
        What the layers' indexes and display forms are cached by.
    center, zoom : optional
        Pan (and zoom) the mounted map there; the browser moves only when the value changes.
    selected : str, optional
        The ``id`` of the feature to light with its answers.
    pinned : dict, optional
        Positions by layer id drawn even where counts stand for the rest (the selected feature).

    Returns
    -------
    Drawn
    """
    keys = [sources.key(layer, fc) for layer, fc in visible]
    layer_indexes = indexes(visible, sources, keys)
    large = is_large(layer_indexes)
    window = reported_window()
    zoom_now = round(window.zoom or zoom or base.zoom or 5)
    plan = viewport.draw_plan(layer_indexes, keep, window.bounds if large else None, zoom_now, pinned=pinned)
    claims = groupscript.scripted_claims(visible, keys, plan.positions, plan.cells, (zoom_now, base.latitude), selected)
    returned = ["last_active_drawing", *(VIEW_OBJECTS if large else ZOOM_OBJECTS)]
    result = mount.show(
        base, claims, key=MAP_KEY, height=MAP_HEIGHT, returned_objects=returned, center=center, zoom=zoom
    )
    return Drawn(plan=plan, clicked=(result or {}).get("last_active_drawing"), result=result)
