"""The claims group of a view rendered to script once, and kept across runs and sessions.

A view is what decides the group: the language, the zoom, the selection, the counts and, per visible layer,
the layer, its collection's cache key and the positions drawn. A rerun that changes none of them (the map
reporting a pan, a click in the table, a toggle back) and every session showing the same view reuse the text.
A new view is joined from pieces kept on their own: each layer's doubt and each layer, keyed by what each
depends on, so only the view's own marks (connectors, counts, legend and controls) are rendered for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import streamlit as st
from streamlit_folium import generate_leaflet_string, get_full_id

from geo.app.cachekeys import digest
from geo.model.layers import Layers
from geo.render import group, i18n, mapview, weight
from geo.render.arrange import arrange
from geo.render.scripted import GroupScript, ScriptedGroup, drawn_group, element_files, mount_alone
from geo.render.viewport import Cell

#: streamlit-folium names the first group handed to it (``feature_group_to_add``) so, and the mounted map so.
GROUP_ID = "feature_group_0"
MAP_VARIABLE = "map_div"


# Copies, not shared objects: Folium keeps what it is given. 128 entries hold every layer at a dozen zooms.
@st.cache_data(show_spinner=False, max_entries=128)
def _weighed(
    source: str,
    layer_id: str,
    zoom: int,
    drawn: str,
    latitude: float,
    language: str,
    _layer: Any,
    _collection: dict,
    _drawn: Any,
) -> dict[str, Any]:
    shown = mapview.display_collection(_layer, _collection, positions=_drawn)
    return weight.weigh_collection(shown, zoom, latitude)


def piece_script(draw: Callable[[Any], None], tag: str) -> GroupScript:
    """Return what ``draw`` adds to a claims group as script, its variables named apart by ``tag``.

    The text is what streamlit-folium writes of those elements in a group it adds, but for their names: each
    element is named ``<kind>_feature_group_0_<tag>_<n>``, so pieces of one view can be joined without clashes
    and a piece drawn once serves every view that holds it.
    """
    holder, drawn = drawn_group(draw)
    if not drawn:
        return GroupScript(text="")
    alone = mount_alone(holder, GROUP_ID)
    texts = [generate_leaflet_string(child, base_id=f"{GROUP_ID}_{tag}_{index}") for index, child in enumerate(drawn)]
    js, css = element_files(holder)
    return GroupScript(text="\n".join(texts).replace(get_full_id(alone), MAP_VARIABLE), js=js, css=css)


def joined(pieces: Sequence[GroupScript]) -> GroupScript:
    """Return the claims group made of ``pieces`` in order, as streamlit-folium writes a group it adds."""
    head, _drawn = drawn_group(lambda _group: None)
    alone = mount_alone(head, GROUP_ID)
    # Rendering adds the group's own "add to the map" to it, after the elements drawn in it.
    added = [
        generate_leaflet_string(child, base_id=f"{GROUP_ID}_{index}")
        for index, child in enumerate(head._children.values())
    ]
    texts = [piece.text for piece in pieces if piece.text]
    text = "\n".join([generate_leaflet_string(head, nested=False, base_id=GROUP_ID), *texts, *added])
    js = tuple(dict.fromkeys(pair for piece in pieces for pair in piece.js))
    css = tuple(dict.fromkeys(pair for piece in pieces for pair in piece.css))
    return GroupScript(text=text.replace(get_full_id(alone), MAP_VARIABLE), js=js, css=css)


# A layer's piece is at most the size of its view's script; 256 pieces hold a dozen layers at a dozen zooms.
@st.cache_data(show_spinner=False, max_entries=256, max_size="128MB")
def _piece(piece: str, tag: str, _draw: Callable[[Any], None]) -> GroupScript:
    return piece_script(_draw, tag)


def _kept(part: group.Part, known: dict[str, str], view: tuple[int, float] | None) -> GroupScript:
    """Return a layer's part as script, rendered once per what it depends on (``known``: the layer's data)."""
    tag = part.kind[0] + digest(part.layer.id)[:12]
    piece = digest((part.kind, known[part.layer.id], part.layer, view, i18n.current_language(), part.marks))
    return _piece(piece=piece, tag=tag, _draw=part.draw)


# A view's script is about 90 KB in the shipped case and at most a few MB where counts stand for features: 64
# views hold each layer toggled at several zooms, 128 MB bounds a large case.
@st.cache_data(show_spinner=False, max_entries=64, max_size="128MB")
def _script(
    view: str, _layers: Layers, _drawn: Sequence[tuple[str, str, np.ndarray]], _at: tuple, _cells
) -> GroupScript:
    zoom, latitude, selected, language = _at
    shown, known = [], {}
    for (layer, fc), (key, positions, drawn) in zip(_layers, _drawn, strict=True):
        shown.append((layer, _weighed(key, layer.id, zoom, positions, round(latitude, 1), language, layer, fc, drawn)))
        known[layer.id] = digest((key, positions))
    return view_script(shown, _cells, selected, (zoom, latitude), known)


def view_script(
    shown: Layers,
    cells: Sequence[Cell] = (),
    selected: str | None = None,
    view: tuple[int, float] | None = None,
    known: dict[str, str] | None = None,
) -> GroupScript:
    """Return the claims group of a view as script: ``geo.render.group.draw_claims``, joined from kept pieces.

    Parameters
    ----------
    shown : list of (Layer, FeatureCollection)
        The visible layers in display form.
    cells, selected, view
        As ``draw_claims``'s.
    known : dict, optional
        What each layer's collection is known by, per layer id (a cache key and the positions drawn); by
        default a digest of the collection.
    """
    known = known or {layer.id: digest((layer.id, collection)) for layer, collection in shown}
    drawn = group.parts(arrange(shown, selected), cells, view=view)
    return joined(
        [piece_script(part.draw, "view") if part.layer is None else _kept(part, known, view) for part in drawn]
    )


def scripted_claims(
    visible: Layers,
    keys: Sequence[str],
    positions: dict[str, Any],
    cells: Sequence[Cell],
    view: tuple[int, float],
    selected: str | None = None,
) -> ScriptedGroup:
    """Return the claims group of a view, its script rendered once per view (``geo.render.group.claims_group``).

    Parameters
    ----------
    visible : list of (Layer, FeatureCollection)
        The ticked layers, unfiltered.
    keys : sequence of str
        Each layer's cache key (``mapframe.LayerSources.key``): what its collection is known by.
    positions : dict
        Per layer id, the positions of the features drawn one by one (``viewport.Drawn.positions``).
    cells : sequence of Cell
        Counts drawn in place of features.
    view : (int, float)
        The zoom the geometry is weighed for, and the latitude of the map's centre.
    selected : str, optional
        The ``id`` of the feature to light with its answers.

    Returns
    -------
    ScriptedGroup
        For ``st_folium(feature_group_to_add=...)``: a new object on every run, around the view's kept script.
    """
    arrays = [np.asarray(positions.get(layer.id, ()), dtype=np.int64) for layer, _ in visible]
    drawn = [(key, digest(array), array) for key, array in zip(keys, arrays, strict=True)]
    at = (*view, selected, i18n.current_language())
    layers = [(layer, key, positions) for (layer, _), (key, positions, _) in zip(visible, drawn, strict=True)]
    return ScriptedGroup(
        _script(view=digest((at, list(cells), layers)), _layers=visible, _drawn=drawn, _at=at, _cells=list(cells))
    )
