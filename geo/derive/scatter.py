"""Scatter random points, short paths and small polygons over the land of a case's region, from a numpy Generator.

Positions are uniform by area over the land inside the region box (the case's ``region``): latitudes are drawn
uniform in sine of latitude, and candidates off the land are drawn again. Distances and bearings go through
pyproj's geodesic (WGS84), vectorised over all shapes at once. Every vertex of a kept shape lies on land and
inside the box; coordinates are rounded to ``DECIMALS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo.validate.problems import Region

DECIMALS = 6
#: A path has 2 to this many vertices and is at most ``MAX_PATH_KM`` long.
MAX_PATH_VERTICES = 6
MIN_PATH_KM, MAX_PATH_KM = 2.0, 50.0
#: A polygon has 5 to this many vertices, each 1 to ``MAX_RADIUS_KM`` from its centre: at most 10 km across.
MAX_POLYGON_VERTICES = 8
MIN_RADIUS_KM, MAX_RADIUS_KM = 1.0, 5.0
#: Standard deviation of the turn between two legs of a path, in degrees.
TURN_SD = 30.0
#: Rounds of drawing before a region is declared too small or too wet for the shapes asked for.
MAX_ROUNDS = 200
GEOD = Geod(ellps="WGS84")
#: Shapes keep this far (degrees) inside the region box, so that rounding cannot push a vertex out of it.
EDGE = 1e-5


@dataclass(frozen=True)
class Land:
    """Where shapes may fall: the land (a prepared shapely geometry, WGS84) and the region box."""

    geometry: shapely.Geometry
    region: Region

    def holds(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Return, for each position, whether it is inside the region box and on land."""
        west, south, east, north = np.add(self.region, (EDGE, EDGE, -EDGE, -EDGE))
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        return inside & shapely.contains_xy(self.geometry, lon, lat)


def land_of(outlines: dict[str, Any], region: Region) -> Land:
    """Return the land of a case: the union of its offline basemap's outlines, clipped to its region.

    Parameters
    ----------
    outlines : dict
        A GeoJSON FeatureCollection of (multi)polygons in WGS84, e.g. ``base/offline.geojson``.
    region : tuple of 4 float
        West, south, east, north in degrees.

    Raises
    ------
    ValueError
        If no outline overlaps the region.
    """
    shapes = [shape(item["geometry"]) for item in outlines.get("features", []) if item.get("geometry")]
    land = shapely.intersection(shapely.union_all(shapes), shapely.box(*region)) if shapes else None
    if land is None or land.is_empty or land.area == 0:
        raise ValueError(f"no land of the base outlines lies in the region {list(region)}")
    shapely.prepare(land)
    return Land(land, region)


def sample_positions(rng: np.random.Generator, land: Land, count: int) -> np.ndarray:
    """Return ``count`` positions (lon, lat), uniform by area over the land; an array of shape (count, 2)."""
    positions = _draw_until(rng, land, count, lambda anchors: (anchors[:, None, :], np.ones((len(anchors), 1), bool)))
    return np.round(positions[0][:, 0, :], DECIMALS)


def sample_paths(rng: np.random.Generator, land: Land, count: int) -> tuple[list[list[list[float]]], np.ndarray]:
    """Return ``count`` paths of 2–6 vertices, at most 50 km long, and each path's length in km.

    Each path starts at a position uniform over the land, heads in a uniform bearing and turns by a normal
    angle at each vertex; its legs are equal, summing to a length uniform in 2–50 km.
    """

    def build(anchors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(anchors)
        vertices = rng.integers(2, MAX_PATH_VERTICES + 1, n)
        length = rng.uniform(MIN_PATH_KM, MAX_PATH_KM, n)
        leg = length / (vertices - 1) * 1000.0
        bearing = rng.uniform(-180.0, 180.0, n)
        turns = rng.normal(0.0, TURN_SD, (n, MAX_PATH_VERTICES - 2))
        positions = np.empty((n, MAX_PATH_VERTICES, 2))
        positions[:, 0] = anchors
        for step in range(1, MAX_PATH_VERTICES):
            lon, lat, _ = GEOD.fwd(positions[:, step - 1, 0], positions[:, step - 1, 1], bearing, leg)
            positions[:, step] = np.column_stack([lon, lat])
            if step < MAX_PATH_VERTICES - 1:
                bearing = bearing + turns[:, step - 1]
        used = np.arange(MAX_PATH_VERTICES)[None, :] < vertices[:, None]
        return positions, used, length

    positions, used, length = _draw_until(rng, land, count, build)
    return [_rounded(row[mask]) for row, mask in zip(positions, used, strict=True)], np.round(length, 3)


def sample_polygons(rng: np.random.Generator, land: Land, count: int) -> tuple[list[list[list[float]]], np.ndarray]:
    """Return ``count`` closed exterior rings (counterclockwise, 5–8 vertices, ≤ 10 km across) and their km².

    Each polygon is star-shaped around a centre uniform over the land: its vertices lie at bearings evenly
    spaced with a jitter of under half a step, each 1–5 km from the centre, so its ring never crosses itself.
    """

    def build(anchors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(anchors)
        vertices = rng.integers(5, MAX_POLYGON_VERTICES + 1, n)
        step = 360.0 / vertices
        jitter = rng.uniform(-0.3, 0.3, (n, MAX_POLYGON_VERTICES)) * step[:, None]
        # Bearings run clockwise from north: decreasing bearings trace the ring counterclockwise.
        bearing = rng.uniform(-180.0, 180.0, n)[:, None] - np.arange(MAX_POLYGON_VERTICES) * step[:, None] + jitter
        radius = rng.uniform(MIN_RADIUS_KM, MAX_RADIUS_KM, (n, MAX_POLYGON_VERTICES)) * 1000.0
        centres = np.repeat(anchors[:, None, :], MAX_POLYGON_VERTICES, axis=1)
        lon, lat, _ = GEOD.fwd(centres[..., 0].ravel(), centres[..., 1].ravel(), bearing.ravel(), radius.ravel())
        positions = np.stack([lon, lat], axis=-1).reshape(n, MAX_POLYGON_VERTICES, 2)
        used = np.arange(MAX_POLYGON_VERTICES)[None, :] < vertices[:, None]
        return positions, used

    positions, used = _draw_until(rng, land, count, build)
    rings = [_closed(_rounded(row[mask])) for row, mask in zip(positions, used, strict=True)]
    areas = [abs(GEOD.polygon_area_perimeter([x for x, _ in ring], [y for _, y in ring])[0]) / 1e6 for ring in rings]
    return rings, np.round(np.asarray(areas, dtype=float), 3)


def _draw_until(
    rng: np.random.Generator, land: Land, count: int, build: Callable[[np.ndarray], tuple[np.ndarray, ...]]
) -> tuple[np.ndarray, ...]:
    """Draw anchors on land, build shapes from them, keep those wholly on land, until ``count`` are kept.

    ``build(anchors)`` returns ``(positions, used, *extra)``: positions of shape (n, k, 2), which of the k
    vertices each shape uses, and any per-shape arrays. Returns the same, for the ``count`` shapes kept.
    """
    kept: list[tuple[np.ndarray, ...]] = []
    found = 0
    for _ in range(MAX_ROUNDS):
        if found >= count:
            break
        anchors = _anchors(rng, land, max(2 * (count - found), 64))
        positions, used, *extra = build(anchors)
        on_land = land.holds(positions[..., 0], positions[..., 1]) | ~used
        keep = on_land.all(axis=1)
        kept.append((positions[keep], used[keep], *(item[keep] for item in extra)))
        found += int(keep.sum())
    if found < count:
        raise ValueError(f"the region {list(land.region)} holds too little land to place {count} shapes")
    return tuple(np.concatenate(parts)[:count] for parts in zip(*kept, strict=True))


def _anchors(rng: np.random.Generator, land: Land, count: int) -> np.ndarray:
    """Draw ``count`` positions uniform by area over the region box, and return those on land."""
    west, south, east, north = land.region
    lon = rng.uniform(west, east, count)
    low, high = np.sin(np.radians([south, north]))
    lat = np.degrees(np.arcsin(rng.uniform(low, high, count)))
    keep = land.holds(lon, lat)
    return np.column_stack([lon[keep], lat[keep]])


def _rounded(positions: np.ndarray) -> list[list[float]]:
    return np.round(positions, DECIMALS).tolist()


def _closed(ring: list[list[float]]) -> list[list[float]]:
    return [*ring, ring[0]]
