"""Where marks go: layers in draw order, points at one place spread apart, the links of a selected claim.

Everything here reads display features (``geo.render.mapview.display_collection``): escaped properties with
``_key``, ``id``, ``kind`` and ``ANSWERS_FIELD``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape

from geo.model.layers import Layer
from geo.render.escape import escape_text
from geo.render.symbols import stack_offset

KEY_FIELD = "_key"
#: The ids of the features a display feature is linked to: a claim's denials, a denial's claims.
ANSWERS_FIELD = "_answers"
#: How ids are joined in ``ANSWERS_FIELD`` (feature ids are slugs: they hold no space).
ANSWERS_SEPARATOR = " "
POINT_TYPES = ("Point", "MultiPoint")


def stacked_offsets(features: Iterable[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """Return pixel offsets for point features that share a place with an earlier one, by ``_key``.

    The first point at a place stays on it; each later one gets the next of
    ``geo.render.symbols.STACK_OFFSETS``, so every marker can be seen and clicked.
    """
    seen: dict[tuple[float, ...], int] = {}
    offsets: dict[str, tuple[int, int]] = {}
    for feature in features:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            continue
        place = tuple(round(float(value), 6) for value in geometry["coordinates"][:2])
        position = seen.get(place, 0)
        seen[place] = position + 1
        if position:
            offsets[feature["properties"][KEY_FIELD]] = stack_offset(position)
    return offsets


@dataclass
class Selection:
    """The selected feature, the features linked to it, and a connector from each answering denial."""

    selected: set[str] = field(default_factory=set)
    answers: set[str] = field(default_factory=set)
    connectors: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)

    def role(self, key: str) -> str:
        """Return ``selected``, ``answer`` or ``""`` for a feature's ``_key``."""
        if key in self.selected:
            return "selected"
        return "answer" if key in self.answers else ""


def representative_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """Return a point on a geometry (``shapely.point_on_surface``) as (latitude, longitude)."""
    point = shapely.point_on_surface(shape(geometry))
    return point.y, point.x


def select(features: Sequence[Mapping[str, Any]], selected: str | None) -> Selection:
    """Return what to highlight and connect when the feature with id ``selected`` is chosen.

    Parameters
    ----------
    features : sequence of dict
        Every display feature on the map.
    selected : str or None
        The chosen feature's ``id`` (its own, unescaped); ``None`` selects nothing.

    Returns
    -------
    Selection
        For a claim or report: its denials as answers, each connected from its place to the claim's
        representative point. For a denial: the features it answers, each connected the same way. Features
        not on the map (no geometry, filtered out) get no highlight and no connector.
    """
    if not selected:
        return Selection()
    by_id = {feature["properties"].get("id"): feature for feature in features}
    chosen = by_id.get(str(escape_text(selected)))
    if chosen is None:
        return Selection()
    linked_ids = str(chosen["properties"].get(ANSWERS_FIELD) or "").split(ANSWERS_SEPARATOR)
    linked = [by_id[item] for item in linked_ids if item in by_id]
    result = Selection({chosen["properties"][KEY_FIELD]}, {item["properties"][KEY_FIELD] for item in linked})
    is_denial = chosen["properties"].get("kind") == "denial"
    for other in linked:
        denial, claim = (chosen, other) if is_denial else (other, chosen)
        result.connectors.append((representative_point(denial["geometry"]), representative_point(claim["geometry"])))
    return result


def draw_order(layers: Sequence[tuple[Layer, dict[str, Any]]]) -> list[tuple[Layer, dict[str, Any]]]:
    """Order layers bottom to top: context, then areas, then lines, then points."""

    def rank(item: tuple[Layer, dict[str, Any]]) -> tuple[int, int]:
        layer, collection = item
        dimensions = [shapely.get_dimensions(shape(f["geometry"])) for f in collection["features"] if f["geometry"]]
        return (layer.group != "context", -max(dimensions, default=0))

    return sorted(layers, key=rank)


@dataclass(frozen=True)
class Arrangement:
    """What the layers of one view share: their draw order, the selection lit across them, stacked points.

    Attributes
    ----------
    layers : list of (Layer, FeatureCollection)
        Bottom to top (``draw_order``).
    features : list of dict
        Every feature of ``layers``, in that order.
    selection : Selection
        The selected feature and its answers, from any layer (``geo.render.arrange.select``).
    offsets : dict
        Pixel offsets of points sharing a place, by ``_key`` (``geo.render.arrange.stacked_offsets``).
    """

    layers: list[tuple[Layer, dict[str, Any]]]
    features: list[dict[str, Any]]
    selection: Selection
    offsets: dict[str, tuple[int, int]]

    def marks_of(self, collection: dict[str, Any]) -> tuple:
        """Return what of the view a layer's drawing depends on: its features' roles and offsets, by ``_key``."""
        keys = [feature["properties"][KEY_FIELD] for feature in collection["features"]]
        roles = tuple((key, role) for key in keys if (role := self.selection.role(key)))
        return roles, tuple((key, self.offsets[key]) for key in keys if key in self.offsets)


def arrange(layers: Sequence[tuple[Layer, dict[str, Any]]], selected: str | None = None) -> Arrangement:
    """Return the view's ``Arrangement``: its layers in draw order, the selection and the stacked points."""
    ordered = draw_order(layers)
    features = [feature for _, collection in ordered for feature in collection["features"]]
    return Arrangement(ordered, features, select(features, selected), stacked_offsets(features))
