"""P3's floor: the features a default view displays, as minimal GeoJSON at display precision, gzipped."""

from __future__ import annotations

import gzip
import json
from typing import Any

from bench.cases import Case

#: What the bare page's map reports (``bench/apps/bare.py``).
RETURNED = ("last_active_drawing",)
#: Decimals of a coordinate when the engine does not say what its default zoom can show (about 1 m).
DEFAULT_DECIMALS = 5


def _engine():
    """Return ``geo.render.weight`` where this checkout has it (the display-weight engine), else ``None``."""
    try:
        from geo.render import weight
    except ImportError:
        return None
    needed = ("floor_bytes", "floor_collection", "decimals_for", "weigh_collection")
    return weight if all(hasattr(weight, name) for name in needed) else None


def rounded(value: Any, decimals: int) -> Any:
    """Return GeoJSON coordinates (nested lists of numbers) rounded to ``decimals``."""
    if isinstance(value, list):
        return [rounded(item, decimals) for item in value]
    return round(value, decimals)


def minimal_geojson(collection: dict[str, Any], decimals: int) -> bytes:
    """Return the drawn features of ``collection`` as GeoJSON with geometry only, rounded, without spaces."""
    features = []
    for feature in collection["features"]:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        if geometry["type"] == "GeometryCollection":
            parts = [{**part, "coordinates": rounded(part["coordinates"], decimals)} for part in geometry["geometries"]]
            drawn = {"type": "GeometryCollection", "geometries": parts}
        else:
            drawn = {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"], decimals)}
        features.append({"type": "Feature", "geometry": drawn})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def _is_drawn():
    """Return the map's own test of a drawn feature where this checkout has it, else: has a geometry."""
    try:
        from geo.render.mapview import is_drawn
    except ImportError:
        return lambda feature: bool(feature.get("geometry"))
    return is_drawn


def default_view(case: Case) -> list[dict[str, Any]]:
    """Return each layer shown by default as a FeatureCollection of the features the map draws."""
    drawn = _is_drawn()
    layers = []
    for layer in case.default_layers():
        features = json.loads((case.data / layer["file"]).read_text(encoding="utf-8"))["features"]
        layers.append({"type": "FeatureCollection", "features": [f for f in features if drawn(f)]})
    return layers


def floor(case: Case) -> tuple[int, int, str]:
    """Return the floor of ``case``'s default view in gzipped bytes, the decimals used and who computed it.

    The default view is every layer shown by default, every feature with a geometry (no filter is on), at the
    case's zoom. Where this checkout has the display-weight engine, each layer's geometry is weighed for that
    zoom on its own, as the map weighs it (a layer's polygons are simplified as one coverage, never together
    with another layer's), and the engine computes the floor; else the full-resolution geometry is rounded to
    ``DEFAULT_DECIMALS``.
    """
    engine = _engine()
    if engine is None:
        layers = default_view(case)
        collection = {"type": "FeatureCollection", "features": [f for layer in layers for f in layer["features"]]}
        return len(gzip.compress(minimal_geojson(collection, DEFAULT_DECIMALS))), DEFAULT_DECIMALS, "bench"
    collection, decimals = _floor_view(engine, case)
    return engine.floor_bytes(collection, decimals), decimals, "geo.render.weight"


def _floor_view(engine, case: Case) -> tuple[dict[str, Any], int]:
    """Return the default view weighed for the case's zoom, and the decimals of that zoom."""
    where = case.catalog()["case"]
    zoom, latitude = where["zoom"], where["center"][0]
    return weighed(engine, default_view(case), zoom, latitude), engine.decimals_for(zoom, latitude)


def floor_map(case: Case) -> int | None:
    """Return the gzipped size of ``floor_map_arguments``, as Streamlit serialises them (``None`` without them)."""
    arguments = floor_map_arguments(case)
    return None if arguments is None else len(gzip.compress(json.dumps(arguments).encode()))


def floor_map_arguments(case: Case) -> dict[str, Any] | None:
    """Return the map arguments of the bare page's map drawing the floor's features and nothing else.

    The least a Streamlit-Folium page sends for the default view: the floor's features (``floor``) as one
    unstyled ``folium.GeoJson`` without tooltip, on the bare page's map at the case's centre and zoom, with
    the arguments ``st_folium`` sends (``geo.app.mount.captured_arguments``). ``None`` where this checkout
    has no display-weight engine.
    """
    engine = _engine()
    if engine is None:
        return None
    import folium

    from bench.apps.common import MAP_HEIGHT, local_map
    from geo.app.mount import captured_arguments

    collection, decimals = _floor_view(engine, case)
    where = case.catalog()["case"]
    fmap = local_map(where["center"], where["zoom"])
    folium.GeoJson(engine.floor_collection(collection, decimals)).add_to(fmap)
    arguments = captured_arguments(fmap, None, "map", MAP_HEIGHT)
    arguments["default"] = {name: value for name, value in arguments["default"].items() if name in RETURNED}
    arguments["returned_objects"] = list(RETURNED)
    return arguments


def weighed(engine, layers: list[dict[str, Any]], zoom: int, latitude: float) -> dict[str, Any]:
    """Return the layers' features in one FeatureCollection, each layer weighed on its own for ``zoom``."""
    features = [feature for layer in layers for feature in engine.weigh_collection(layer, zoom, latitude)["features"]]
    return {"type": "FeatureCollection", "features": features}
