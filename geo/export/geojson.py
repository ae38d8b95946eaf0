"""GeoJSON exports: one layer or every visible layer, citations and map styles inside."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geo.export.linkedplaces import date_range, with_linked_places
from geo.model.claims import grade, recorded_standing, shown_kind
from geo.model.layers import Layer, LayerData
from geo.model.names import free_name
from geo.render.style import feature_style

if TYPE_CHECKING:
    from geo.export.request import Request

MEDIA_TYPE = "application/geo+json"
#: A feature's own value of a property the export sets (e.g. ``standing``) is kept under this prefix.
ORIGINAL = "original_"
#: Properties every export carries, ``null`` where a feature has none (a denial has no grade).
CARRIED = ("grade", "reliability", "credibility", "event_date", "report_date")
#: simplestyle-spec property names and the Leaflet path options of ``geo.render.style.feature_style`` they come from.
SIMPLESTYLE = {
    "stroke": "color",
    "stroke-width": "weight",
    "stroke-opacity": "opacity",
    "fill": "fillColor",
    "fill-opacity": "fillOpacity",
    "marker-color": "color",
}


def simplestyle(feature: dict[str, Any], layer_style: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the simplestyle-spec properties that draw a feature as the map draws it.

    Parameters
    ----------
    feature : dict
        A GeoJSON Feature: its shown status picks the colour, as on the map, and an inferred line
        is drawn fainter.
    layer_style : dict, optional
        The layer's ``style`` from the catalog.

    Returns
    -------
    dict
        ``stroke``, ``stroke-width``, ``stroke-opacity``, ``fill``, ``fill-opacity`` and ``marker-color``.
    """
    style = feature_style(feature, layer_style)
    return {name: style[option] for name, option in SIMPLESTYLE.items()}


def export_collection(layers: Sequence[LayerData], name: str) -> dict[str, Any]:
    """Merge layers into one FeatureCollection; every feature keeps its ``id``, citation and properties.

    Each feature's ``layer`` is the layer it is drawn in, its ``kind`` and ``standing`` the ones it is shown
    with (``geo.model.claims.shown_kind`` / ``shown_standing``), and it gets the simplestyle-spec properties
    of its map style, so the file renders as the map does on geojson.io and GitHub. A feature's own differing
    values of these are kept under other names (see ``export_properties``). A feature without a place keeps
    ``"geometry": null``.
    """
    features = []
    for layer, collection in layers:
        for feature in collection.get("features", []):
            exported = {"type": "Feature", **({"id": feature["id"]} if "id" in feature else {})}
            exported.update(properties=export_properties(feature, layer), geometry=feature.get("geometry"))
            features.append(exported)
    return {"type": "FeatureCollection", "name": name, "features": features}


def export_properties(feature: dict[str, Any], layer: Layer) -> dict[str, Any]:
    """Return a feature's properties as exported: its own, with its layer, shown standing, dates and style set.

    Parameters
    ----------
    feature : dict
        A GeoJSON Feature of ``layer``.
    layer : Layer
        The layer the feature is drawn in.

    Returns
    -------
    dict
        The feature's own properties; ``layer`` (the id of the layer it is drawn in), the shown ``kind``
        and ``standing``, ``date_start`` and ``date_end`` (the ISO days its ``event_date`` may cover,
        ``""`` at an open end) and the simplestyle-spec properties set as the map shows them. Where the
        feature's own value of one of these differs, it is kept as ``original_<name>``
        (``original_standing``...), numbered ``_2``, ``_3``... if that name is taken. Every name of
        ``CARRIED`` is present; a missing ``grade`` is worked out from ``reliability`` and ``credibility``.
    """
    own = feature.get("properties") or {}
    properties = {"layer": layer.id, **own}
    start, end = date_range(own.get("event_date"))
    derived = {"layer": layer.id, "kind": shown_kind(feature), "standing": recorded_standing(feature)}
    derived.update(date_start=start, date_end=end, **simplestyle(feature, layer.style))
    for key, value in derived.items():
        if key in own and own[key] != value:
            properties[free_name(ORIGINAL + key, properties)] = own[key]
        properties[key] = value
    if not own.get("grade") and grade(own):
        properties["grade"] = grade(own)
    for name in CARRIED:
        properties.setdefault(name, None)
    return properties


def to_bytes(collection: dict[str, Any]) -> bytes:
    """Serialise a FeatureCollection as UTF-8 GeoJSON, one member and one feature a line, as GDAL writes it.

    A text editor shows one claim a line. Each piece is written by ``json``'s C encoder: with ``indent`` it
    falls back to Python, which took 0.13 s for the shipped case's view and wrote each coordinate on a line.
    """
    members = {key: value for key, value in collection.items() if key != "features"}
    return _assemble(members, [_compact(feature) for feature in collection.get("features", [])])


def layer_features(layer: Layer, collection: dict[str, Any]) -> str:
    """Return one layer's features as ``write_geojson`` writes them: one compact feature a line.

    ``join_layers`` makes a file of such texts; the page keeps each layer's text, so a new choice of layers
    joins texts written before instead of writing every feature again.
    """
    exported = with_linked_places(export_collection([(layer, collection)], ""))
    return ",\n".join(_compact(feature) for feature in exported["features"])


def join_layers(name: str, texts: Sequence[str]) -> bytes:
    """Return the GeoJSON file named ``name`` of layers' features written by ``layer_features``, in order.

    The bytes equal ``write_geojson``'s for the same layers and name.
    """
    return _assemble({"type": "FeatureCollection", "name": name}, texts)


def _assemble(members: dict[str, Any], features: Sequence[str]) -> bytes:
    lines = [f"{_compact(key)}: {_compact(value)}" for key, value in members.items()]
    body = ",\n".join(text for text in features if text)
    lines.append(f'"features": [\n{body}\n]' if body else '"features": []')
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_geojson(request: Request) -> bytes:
    """Return the request's layers as one GeoJSON FeatureCollection with Linked Places ``when`` and ``certainty``."""
    return join_layers(request.name, [layer_features(layer, collection) for layer, collection in request.layers])
