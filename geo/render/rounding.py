"""Rounding geometry to a grid of decimal places without breaking it, for the display weight (``geo.render.weight``).

Rounding vertex by vertex keeps shared vertices shared; what it collapses (repeated vertices, rings without
area) goes, and where narrow parts then cross, the rings are mended. A grid too coarse for a part gives way to a
finer one, up to ``EXTRA_DECIMALS`` more places.
"""

import numpy as np
import shapely

#: How many more decimal places than ``decimals_for`` rounding may take where fewer would collapse a part.
EXTRA_DECIMALS = 2
#: How far, in tolerances (pixels), a part that rounding collapses may reach before a finer grid is used.
COLLAPSE_PX = 1.5

FAMILIES = {
    **dict.fromkeys(("Point", "MultiPoint"), "point"),
    **dict.fromkeys(("LineString", "LinearRing", "MultiLineString"), "line"),
    **dict.fromkeys(("Polygon", "MultiPolygon"), "polygon"),
    "GeometryCollection": "collection",
}


def family(geometry: shapely.Geometry) -> str:
    """Return the type family of a geometry: ``point``, ``line``, ``polygon`` or ``collection``."""
    return FAMILIES[geometry.geom_type]


def round_geometry(geometry: shapely.Geometry, decimals: int) -> shapely.Geometry:
    """Return the geometry with every coordinate rounded to ``decimals`` places, vertex by vertex."""
    return shapely.transform(geometry, lambda coordinates: np.round(coordinates, decimals), include_z=None)


def _is_drawable(geometry: shapely.Geometry, kind: str) -> bool:
    return not geometry.is_empty and geometry.is_valid and family(geometry) == kind


def _distinct(ring: shapely.Geometry) -> np.ndarray:
    coordinates = shapely.get_coordinates(ring)
    if len(coordinates) == 0:
        return coordinates
    moved = np.any(np.diff(coordinates, axis=0) != 0, axis=1)
    return coordinates[np.concatenate([[True], moved])]


def _encloses(ring: np.ndarray) -> bool:
    return len(ring) >= 4 and shapely.Polygon(ring).area > 0


def _polygon_without_collapsed(polygon: shapely.Polygon) -> shapely.Polygon:
    shell, *holes = [_distinct(ring) for ring in [polygon.exterior, *polygon.interiors]]
    if not _encloses(shell):
        return shapely.Polygon()
    return shapely.Polygon(shell, [hole for hole in holes if _encloses(hole)])


def without_collapsed(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return the geometry without the repeated vertices, lines and rings that rounding collapsed."""
    kind = geometry.geom_type
    if kind == "Polygon":
        return _polygon_without_collapsed(geometry)
    if kind == "LineString":
        coordinates = _distinct(geometry)
        return shapely.LineString(coordinates) if len(coordinates) >= 2 else shapely.LineString()
    if kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        parts = [part for part in map(without_collapsed, geometry.geoms) if not part.is_empty]
        return type(geometry)(parts)
    return geometry


def rounded_valid(geometry: shapely.Geometry, decimals: int) -> shapely.Geometry | None:
    """Return the geometry rounded to ``decimals`` places, valid and of the same family, or None if it cannot be.

    Rounding vertex by vertex keeps shared vertices shared. What it collapses (repeated vertices, rings
    without area) goes; where narrow parts then cross or touch, ``shapely.make_valid`` (``structure``) mends
    the rings without dropping area, and the mended geometry is rounded again.
    """
    kind = family(geometry)
    rounded = without_collapsed(round_geometry(geometry, decimals))
    if not rounded.is_empty and not rounded.is_valid:
        try:
            mended = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
        except shapely.errors.GEOSException:
            return None
        rounded = without_collapsed(round_geometry(mended, decimals))
    return rounded if _is_drawable(rounded, kind) else None


def _outline(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = shapely.get_parts(geometry)
    return shapely.GeometryCollection(
        [ring for part in parts for ring in (shapely.get_rings(part) if part.geom_type == "Polygon" else [part])]
    )


def collapse_distance(before: shapely.Geometry, after: shapely.Geometry, decimals: int) -> float:
    """Return how far the vertices rounding took away lie from the rounded outline.

    A vertex of ``before`` whose rounded position is still a vertex of ``after`` moved by half a grid step
    at most; the others went with a part, ring or spike that rounding collapsed.
    """
    kept = shapely.get_coordinates(after)
    rounded = np.round(shapely.get_coordinates(before), decimals)
    lost = rounded[~np.isin(rounded[:, 0] + 1j * rounded[:, 1], kept[:, 0] + 1j * kept[:, 1])]
    if len(lost) == 0:
        return 0.0
    return float(shapely.distance(shapely.points(lost), _outline(after)).max())


def round_together(
    geometries: list[shapely.Geometry], decimals: int, tolerance: float
) -> list[shapely.Geometry] | None:
    """Return the geometries rounded on one grid, or None if no grid keeps them all valid and faithful.

    The grid is the coarsest of ``decimals`` to ``decimals + EXTRA_DECIMALS`` places where every geometry
    stays valid and what rounding collapses lies within ``COLLAPSE_PX`` tolerances of the rounded outline.
    One grid for a whole coverage keeps its shared vertices shared.
    """
    for places in range(decimals, decimals + EXTRA_DECIMALS + 1):
        rounded = [rounded_valid(geometry, places) for geometry in geometries]
        if all(
            after is not None and collapse_distance(before, after, places) <= COLLAPSE_PX * tolerance
            for before, after in zip(geometries, rounded, strict=True)
        ):
            return rounded
    return None


def settle(candidates: list[shapely.Geometry], decimals: int, tolerance: float) -> shapely.Geometry:
    """Return the first candidate that rounds to a valid, faithful geometry, or else the last one unrounded."""
    for candidate in candidates:
        rounded = round_together([candidate], decimals, tolerance)
        if rounded is not None:
            return rounded[0]
    return candidates[-1]
