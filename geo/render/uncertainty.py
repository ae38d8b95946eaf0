"""Draw the doubt about a place: a corridor around a route, a soft area for a region, a circle for a place.

Distances are measured in an azimuthal equidistant projection centred on each feature (pyproj), so
``uncertainty_km`` means kilometres on the ground wherever the feature is; shapely buffers there and the
result goes back to longitude and latitude.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import shapely
from babel.numbers import format_decimal
from pyproj import CRS, Transformer
from shapely.geometry import mapping, shape

from geo.render.i18n import N_, _, current_locale

#: What each precision draws, and the words the tooltip uses for it (``{km}`` is the radius of doubt), in
#: English: ``precision_words`` translates them. Without a radius, the words before the first comma are said.
DOUBT_KINDS = {"route": "corridor", "region": "halo", "place": "circle"}
PRECISION_WORDS = {
    "exact": N_("At this exact spot"),
    "place": N_("At a place, within {km} km"),
    "route": N_("Along a route, give or take {km} km"),
    "region": N_("Somewhere in this region, give or take {km} km"),
    "unknown": N_("No place: the source gives none, so it is not on the map"),
}
PLACEMENT_WORDS = {
    "stated": N_("placed as the source states"),
    "inferred": N_("placed by the project (inference)"),
}
#: A region's soft edge: nested buffers at these fractions of the doubt, each faint, so the edge fades out.
HALO_STEPS = (1.0, 0.66, 0.33)
#: Vertices per quarter circle, and coordinate decimals (about a metre): enough for a faint shape.
QUAD_SEGMENTS = 8
DECIMALS = 5


def doubt_km(properties: Mapping[str, Any]) -> float:
    """Return a feature's ``uncertainty_km`` as a positive number of kilometres, or 0 if it has none."""
    value = properties.get("uncertainty_km")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return 0.0
    return float(value) if value > 0 else 0.0


def precision_words(properties: Mapping[str, Any]) -> str:
    """Return a feature's precision and placement in words, in the interface language, for its tooltip.

    ``{"precision": "route", "uncertainty_km": 5, "placement": "inferred"}`` gives ``Along a route, give or
    take 5 km · placed by the project (inference)``. Missing parts are left out; ``""`` if there are none.
    """
    precision = properties.get("precision")
    words = PRECISION_WORDS.get(precision) if isinstance(precision, str) else None
    parts = []
    if words:
        km = doubt_km(properties)
        shown = _(words)
        if km or "{km}" not in shown:
            parts.append(shown.format(km=format_decimal(km, locale=current_locale(), group_separator=False)))
        else:
            parts.append(shown.split(",")[0])
    placement = properties.get("placement")
    if isinstance(placement, str) and placement in PLACEMENT_WORDS:
        parts.append(_(PLACEMENT_WORDS[placement]))
    return " \u00b7 ".join(parts)


def is_inferred(properties: Mapping[str, Any]) -> bool:
    """True if the project, not a source, placed the feature (``placement`` is ``inferred``)."""
    return properties.get("placement") == "inferred"


@lru_cache(maxsize=256)
def _transformers(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    there = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    return there, back


def buffer_km(geometry: shapely.Geometry, km: float) -> shapely.Geometry:
    """Return ``geometry`` (longitude, latitude) grown by ``km`` kilometres on the ground.

    Buffers in an azimuthal equidistant projection centred on the geometry's centroid, then projects back.
    """
    centre = geometry.centroid
    there, back = _transformers(round(centre.x, 4), round(centre.y, 4))
    local = shapely.transform(geometry, there.transform, interleaved=False)
    grown = local.buffer(km * 1000, quad_segs=QUAD_SEGMENTS).simplify(km * 10)
    return shapely.set_precision(shapely.transform(grown, back.transform, interleaved=False), 10**-DECIMALS)


def doubt_shapes(feature: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return the shapes that draw a feature's doubt, outermost first, each as (what, GeoJSON geometry).

    Parameters
    ----------
    feature : Mapping
        A GeoJSON Feature with ``precision`` and ``uncertainty_km`` among its properties.

    Returns
    -------
    list of (str, dict)
        ``corridor`` around a route, one ``halo`` per step of ``HALO_STEPS`` for a region, a ``circle``
        around a place; nothing for an exact place, no radius of doubt, or no geometry.
    """
    properties = feature.get("properties") or {}
    what = DOUBT_KINDS.get(properties.get("precision"))
    km = doubt_km(properties)
    if what is None or not km or not feature.get("geometry"):
        return []
    try:
        geometry = shape(feature["geometry"])
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
        return []
    if geometry.is_empty:
        return []
    steps = HALO_STEPS if what == "halo" else (1.0,)
    return [(what, mapping(buffer_km(geometry, km * step))) for step in steps]
