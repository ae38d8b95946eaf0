"""Which feature the panel shows: every feature of the case and the imports, keyed for the selector.

A feature's selection value is its ``id`` when that id is unique among the loaded layers, else its map key
``<layer>/<position>`` (features without an id, or an import that repeats a shipped id). Nothing here draws.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape

from geo.model.claims import answered_ids, responses
from geo.model.layers import Layer, Layers
from geo.render.i18n import N_, _
from geo.render.mapview import feature_key

#: The label prefix of a related feature, by the direction of the link (English: ``related`` translates it).
DENIED_BY = N_("Denied by")
ANSWERED_BY = N_("Answered by")
DENIES = N_("Denies")
ANSWERS = N_("Answers")


@dataclass(frozen=True)
class Choice:
    """A feature the panel can show: its layer, its position in the layer and the feature itself."""

    layer: Layer
    index: int
    feature: dict[str, Any]

    @property
    def properties(self) -> dict[str, Any]:
        """The feature's properties (empty if it has none)."""
        return self.feature.get("properties") or {}

    @property
    def title(self) -> str:
        """The feature's title, else its id, else its layer and position."""
        properties = self.properties
        return str(properties.get("title") or properties.get("id") or feature_key(self.layer.title, self.index))

    def has_place(self) -> bool:
        """True if the feature is drawn on the map (it has a geometry)."""
        return bool(self.feature.get("geometry"))


def feature_id(feature: dict[str, Any]) -> str:
    """Return a feature's ``id`` property (else its GeoJSON id) as text; ``""`` if it has none."""
    value = (feature.get("properties") or {}).get("id", feature.get("id"))
    return value if isinstance(value, str) else "" if value is None else str(value)


def choices(layers: Layers) -> dict[str, Choice]:
    """Return every feature of the layers by selection value, in layer order.

    Parameters
    ----------
    layers : list of (Layer, FeatureCollection)
        Every loaded layer (shown or not), imports included.

    Returns
    -------
    dict
        Selection value (unique id, else ``<layer>/<position>``) to ``Choice``.
    """
    counts = Counter(feature_id(feature) for _, collection in layers for feature in collection["features"])
    found: dict[str, Choice] = {}
    for layer, collection in layers:
        for index, feature in enumerate(collection["features"]):
            own = feature_id(feature)
            value = own if own and counts[own] == 1 else feature_key(layer.id, index)
            found[value] = Choice(layer, index, feature)
    return found


def value_of(options: dict[str, Choice], target_id: str) -> str | None:
    """Return the selection value of the first feature whose id is ``target_id``; ``None`` if none is."""
    if target_id in options:
        return target_id
    return next((value for value, choice in options.items() if feature_id(choice.feature) == target_id), None)


def value_at(options: dict[str, Choice], layer_id: str, index: int) -> str | None:
    """Return the selection value of the feature at a position of a layer (a map click)."""
    return next((value for value, c in options.items() if (c.layer.id, c.index) == (layer_id, index)), None)


def related(choice: Choice, options: dict[str, Choice]) -> list[tuple[str, str]]:
    """Return the features the panel names as linked to a feature, as (label, selection value) pairs.

    Labels are in the interface language.

    A claim or report names the features that answered it (``Denied by: …`` for a denial, ``Answered
    by: …`` otherwise), in date order; a denial names what it denies (``Denies: …``), another kind what it
    answers. Targets that are not loaded are left out; each target is named once.
    """
    properties = choice.properties
    links: list[tuple[str, str]] = []
    for item in responses(properties):
        target = item.get("feature")
        if isinstance(target, str) and target:
            links.append((DENIED_BY if item.get("type") == "denial" else ANSWERED_BY, target))
    verb = DENIES if properties.get("kind") == "denial" else ANSWERS
    links += [(verb, target) for target in answered_ids(properties)]
    found: dict[str, str] = {}
    for verb, target in links:
        value = value_of(options, target)
        if value is not None and value not in found:
            found[value] = _("{relation}: {title}").format(relation=_(verb), title=options[value].title)
    return [(label, value) for value, label in found.items()]


def centre(feature: dict[str, Any]) -> tuple[float, float] | None:
    """Return the centre of a feature's bounds as (latitude, longitude); ``None`` without a usable geometry."""
    try:
        west, south, east, north = shape(feature["geometry"]).bounds
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if any(value != value for value in (west, south, east, north)):  # NaN: an empty geometry
        return None
    return ((south + north) / 2, (west + east) / 2)
