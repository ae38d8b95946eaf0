"""Geometry at display weight: what the map sends, simplified and rounded to what a zoom level can show.

The map draws these copies; exports, measurements and validation keep reading the full-resolution data.
Sizes follow Web Mercator as Leaflet draws it: the world is ``TILE_SIZE · 2**zoom`` pixels wide, on a sphere
of the WGS84 equatorial radius (``pyproj.Geod(ellps="WGS84").a``), as in EPSG:3857. Everything here is
deterministic: callers may cache the result by (case version, layer id, zoom).
"""

import copy
import functools
import gzip
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from geo.render.rounding import family, round_together, settle

#: Leaflet's default tile size in CSS pixels (``L.GridLayer`` option ``tileSize``); zoom z spans 256·2**z pixels.
TILE_SIZE = 256
#: The latitude where Web Mercator's square world ends, atan(sinh(π)) ≈ 85.0511°.
MAX_LATITUDE = math.degrees(math.atan(math.sinh(math.pi)))
#: A hole smaller than this many square pixels (4 × 4) reads as a speck, not as a shape, and is dropped.
MIN_HOLE_PX = 16.0
#: The share of the tolerance given to ``shapely.coverage_simplify``, whose Visvalingam-Whyatt tolerance is the
#: square root of a triangle's area: narrow spikes go further than it (3 tolerances on the shipped borders at 1).
COVERAGE_TOLERANCE = 0.7
#: The properties the map's script needs to key, name and style a feature: all the floor keeps.
FLOOR_PROPERTIES = ("_key", "title", "kind", "standing")


@functools.cache
def earth_radius() -> float:
    """Return the radius of Web Mercator's sphere in metres: the WGS84 equatorial radius."""
    return Geod(ellps="WGS84").a


def metres_per_pixel(zoom: float, latitude: float) -> float:
    """Return the ground size of one map pixel in Web Mercator.

    Parameters
    ----------
    zoom : float
        The Leaflet zoom level.
    latitude : float
        Where on the map, in degrees; a pixel covers less ground away from the equator.

    Returns
    -------
    float
        Metres on the ground per pixel, ``cos(latitude) · 2πa / (256 · 2**zoom)``.
    """
    if not math.isfinite(zoom):
        raise ValueError(f"zoom must be a finite number, got {zoom!r}")
    if not -MAX_LATITUDE <= latitude <= MAX_LATITUDE:
        raise ValueError(f"latitude {latitude!r} is outside Web Mercator's ±{MAX_LATITUDE:.4f}°")
    return math.cos(math.radians(latitude)) * 2 * math.pi * earth_radius() / (TILE_SIZE * 2.0**zoom)


def degrees_per_pixel(zoom: float, latitude: float) -> float:
    """Return the degrees of latitude a pixel spans there (``cos(latitude)`` times its degrees of longitude)."""
    return metres_per_pixel(zoom, latitude) / (earth_radius() * math.pi / 180)


def decimals_for(zoom: float, latitude: float) -> int:
    """Return the fewest decimal places of a degree that keep rounding under half a pixel.

    Rounding to ``d`` places moves each coordinate by up to ``10**-d / 2`` degrees; with both coordinates
    moved at once the shift in pixels is that times ``hypot(1 / lon_px, 1 / lat_px)``, where ``lon_px`` and
    ``lat_px`` are the degrees a pixel spans each way.

    Parameters
    ----------
    zoom : float
        The Leaflet zoom level.
    latitude : float
        Where on the map, in degrees.

    Returns
    -------
    int
        The smallest ``d >= 0`` with a worst-case rounding shift under half a pixel.
    """
    lat_px = degrees_per_pixel(zoom, latitude)
    lon_px = 360 / (TILE_SIZE * 2.0**zoom)
    step = 1 / math.hypot(1 / lon_px, 1 / lat_px)
    return max(0, math.floor(-math.log10(step)) + 1)


def tolerance_for(zoom: float, latitude: float) -> float:
    """Return the simplification tolerance in degrees: one pixel along the meridian, its short side."""
    return degrees_per_pixel(zoom, latitude)


def hole_pixels(ring: shapely.LinearRing, zoom: float) -> float:
    """Return the area a ring encloses, in square pixels at ``zoom``, measured at the ring's own latitude."""
    polygon = shapely.Polygon(ring)
    latitude = min(max(polygon.centroid.y, -MAX_LATITUDE), MAX_LATITUDE)
    lon_px = 360 / (TILE_SIZE * 2.0**zoom)
    return polygon.area / (lon_px * lon_px * math.cos(math.radians(latitude)))


def drop_holes(geometry: shapely.Geometry, is_dropped: Callable[[shapely.LinearRing], bool]) -> shapely.Geometry:
    """Return the geometry without the interior rings for which ``is_dropped`` is true (others untouched)."""
    if geometry.geom_type == "Polygon":
        return shapely.Polygon(geometry.exterior, [ring for ring in geometry.interiors if not is_dropped(ring)])
    if geometry.geom_type in ("MultiPolygon", "GeometryCollection"):
        return type(geometry)([drop_holes(part, is_dropped) for part in geometry.geoms])
    return geometry


def _holes(geometry: shapely.Geometry) -> np.ndarray:
    parts = shapely.get_parts(geometry)
    rings = [ring for part in parts if part.geom_type == "Polygon" for ring in part.interiors]
    return shapely.polygons(np.array(rings, dtype=object)) if rings else np.array([], dtype=object)


def drop_small_holes(
    geometries: list[shapely.Geometry],
    zoom: float,
    min_hole_px: float,
    sources: list[shapely.Geometry] | None = None,
) -> list[shapely.Geometry]:
    """Return the geometries without holes under ``min_hole_px`` square pixels at ``zoom``.

    A hole another geometry of the list fills (an enclave) is kept, so a coverage stays a coverage. With
    ``sources`` (one per geometry), a hole that overlaps a hole of its source was judged there and is kept:
    only holes new to the geometry (an inlet that rounding closed) are measured again.
    """
    tree = shapely.STRtree(geometries)
    source_holes = [_holes(source) for source in sources] if sources is not None else None

    def is_kept(ring: shapely.LinearRing, owner: int) -> bool:
        hole = shapely.Polygon(ring)
        if source_holes is not None and _overlaps_any(hole, source_holes[owner]):
            return True
        return any(
            other != owner and not shapely.touches(hole, geometries[other])
            for other in tree.query(hole, predicate="intersects")
        )

    return [
        drop_holes(geometry, lambda ring, i=i: hole_pixels(ring, zoom) < min_hole_px and not is_kept(ring, i))
        for i, geometry in enumerate(geometries)
    ]


def _overlaps_any(polygon: shapely.Polygon, others: np.ndarray) -> bool:
    """Return whether the polygon's interior meets the interior of any of ``others``."""
    return bool(np.any(shapely.intersects(polygon, others) & ~shapely.touches(polygon, others)))


def coverage_members(geometries: list[shapely.Geometry]) -> list[int]:
    """Return the positions of the polygonal geometries if they form a valid coverage, else none."""
    polygonal = [i for i, geometry in enumerate(geometries) if family(geometry) == "polygon"]
    polygons = np.array([geometries[i] for i in polygonal], dtype=object)
    is_coverage = polygonal and shapely.is_valid(polygons).all() and shapely.coverage_is_valid(polygons)
    return polygonal if is_coverage else []


def simplify_together(
    geometries: list[shapely.Geometry], tolerance: float, coverage: list[int] | None = None
) -> list[shapely.Geometry]:
    """Return the geometries simplified within about ``tolerance``, the polygons of a coverage together.

    The polygons at ``coverage`` (by default ``coverage_members``) are simplified as one with
    ``shapely.coverage_simplify`` so shared edges stay shared; its Visvalingam-Whyatt tolerance is the square
    root of the largest triangle area removed, hence the ``COVERAGE_TOLERANCE`` share. Other polygons, lines
    and collections are simplified each on its own with topology kept (Douglas-Peucker distance). Points
    stay as they are.
    """
    coverage = coverage_members(geometries) if coverage is None else coverage
    others = [i for i, geometry in enumerate(geometries) if i not in set(coverage) and family(geometry) != "point"]
    simplified = list(geometries)
    if coverage:
        polygons = shapely.coverage_simplify([geometries[i] for i in coverage], tolerance * COVERAGE_TOLERANCE)
        simplified = _put(simplified, coverage, polygons)
    if others:
        lines = shapely.simplify([geometries[i] for i in others], tolerance, preserve_topology=True)
        simplified = _put(simplified, others, lines)
    return simplified


def _put(geometries: list[shapely.Geometry], positions: list[int], values: np.ndarray) -> list[shapely.Geometry]:
    return [dict(zip(positions, values, strict=True)).get(i, geometry) for i, geometry in enumerate(geometries)]


def _read(feature: dict[str, Any], index: int) -> shapely.Geometry:
    try:
        return shapely.from_geojson(json.dumps(feature["geometry"]))
    except (TypeError, ValueError, shapely.errors.GEOSException) as error:
        raise ValueError(f"feature {index} has a geometry that cannot be read: {error}") from error


def weigh_collection(
    collection: dict[str, Any], zoom: int, latitude: float, min_hole_px: float = MIN_HOLE_PX
) -> dict[str, Any]:
    """Return a new FeatureCollection whose geometries weigh what the map can show at ``zoom``.

    Holes under ``min_hole_px`` square pixels are dropped (unless another feature fills them), geometries
    are simplified within about a pixel (``simplify_together``) and rounded to ``decimals_for`` places. A
    geometry that simplification or rounding would empty or break falls back to the unsimplified one, then
    to the original. Properties are the same objects; features without geometry stay without.

    Parameters
    ----------
    collection : dict
        A GeoJSON FeatureCollection in longitude/latitude; it is not changed.
    zoom : int
        The Leaflet zoom level the map shows it at.
    latitude : float
        The latitude the map is centred on, in degrees; it sets the size of a pixel in degrees.
    min_hole_px : float
        The smallest hole kept, in square pixels at ``zoom``.

    Returns
    -------
    dict
        The same collection members with new feature dicts and GeoJSON geometries (lists, rounded floats).
    """
    tolerance, decimals = tolerance_for(zoom, latitude), decimals_for(zoom, latitude)
    features = collection.get("features", [])
    originals = {i: _read(feature, i) for i, feature in enumerate(features) if feature.get("geometry")}
    drawn = [i for i, geometry in originals.items() if not geometry.is_empty]
    holed = drop_small_holes([originals[i] for i in drawn], zoom, min_hole_px)
    coverage = coverage_members(holed)
    simplified = simplify_together(holed, tolerance, coverage)
    rounded = round_together([simplified[i] for i in coverage], decimals, tolerance) or [None] * len(coverage)
    together = {i: geometry for i, geometry in zip(coverage, rounded, strict=True) if geometry is not None}
    settled = [
        together[k] if k in together else settle([simplified[k], holed[k], originals[i]], decimals, tolerance)
        for k, i in enumerate(drawn)
    ]
    # Rounding pinches narrow inlets into new holes: they go by the same rule.
    final = drop_small_holes(settled, zoom, min_hole_px, holed)
    weighed = {i: json.loads(shapely.to_geojson(geometry)) for i, geometry in zip(drawn, final, strict=True)}
    return {
        **collection,
        "features": [
            {**feature, "geometry": weighed[i] if i in weighed else copy.deepcopy(feature.get("geometry"))}
            for i, feature in enumerate(features)
        ],
    }


def round_coordinates(geometry: dict[str, Any], decimals: int) -> dict[str, Any]:
    """Return a copy of a GeoJSON geometry with its coordinates rounded to ``decimals`` places."""

    def rounded(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [rounded(item) for item in value]
        return round(float(value), decimals)

    if geometry.get("type") == "GeometryCollection":
        return {**geometry, "geometries": [round_coordinates(part, decimals) for part in geometry["geometries"]]}
    return {**geometry, "coordinates": rounded(geometry["coordinates"])}


def _floor_feature(feature: dict[str, Any], decimals: int) -> dict[str, Any]:
    properties = feature.get("properties") or {}
    return {
        "type": "Feature",
        "geometry": round_coordinates(feature["geometry"], decimals),
        "properties": {name: properties[name] for name in FLOOR_PROPERTIES if name in properties},
    }


def floor_bytes(collection: dict[str, Any], decimals: int) -> int:
    """Return the floor of what a map must send to draw a collection: its gzipped minimal GeoJSON, in bytes.

    The floor holds the drawn features only (those with geometry), each with its geometry at ``decimals``
    places and no properties but ``_key``, ``title``, ``kind`` and ``standing`` where present, written as
    compact JSON and gzipped at level 9.

    Parameters
    ----------
    collection : dict
        The displayed FeatureCollection.
    decimals : int
        Decimal places of a degree kept (see ``decimals_for``).

    Returns
    -------
    int
        The gzipped size in bytes.
    """
    text = json.dumps(floor_collection(collection, decimals), separators=(",", ":"), ensure_ascii=False)
    return len(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def floor_collection(collection: dict[str, Any], decimals: int) -> dict[str, Any]:
    """Return the features ``floor_bytes`` weighs: the drawn ones, minimal, at ``decimals`` places."""
    drawn = [feature for feature in collection.get("features", []) if feature.get("geometry")]
    return {"type": "FeatureCollection", "features": [_floor_feature(feature, decimals) for feature in drawn]}


def weigh_parts(collection: dict[str, Any], zoom: int, latitude: float, field: str = "part") -> dict[str, Any]:
    """Weigh each group of features sharing a ``field`` value on its own (``weigh_collection``), order kept.

    The offline basemap holds countries (a coverage) beside fade frames that overlap them on purpose: weighed
    together they are no coverage, and neighbouring countries would be simplified apart.
    """
    features = collection.get("features", [])
    groups: dict[Any, list[int]] = {}
    for index, feature in enumerate(features):
        groups.setdefault((feature.get("properties") or {}).get(field), []).append(index)
    weighed: dict[int, dict[str, Any]] = {}
    for members in groups.values():
        part = weigh_collection(
            {"type": "FeatureCollection", "features": [features[i] for i in members]}, zoom, latitude
        )
        weighed.update(zip(members, part["features"], strict=True))
    return {**collection, "features": [weighed[index] for index in range(len(features))]}
