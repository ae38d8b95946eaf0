"""Check a GeoJSON geometry: structure, coordinate ranges, rings, validity, bbox and RFC 7946 advice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from geo.model.schema import geometry_validator
from geo.validate.problems import Note, Region
from geo.validate.wording import messages, short

MAX_COORDINATE_DECIMALS = 6
#: Larger absolute coordinates cannot be degrees: they are read as projected metres.
PROJECTED_BEYOND = 1000.0
#: Name, largest absolute value and hint of each axis of a position.
AXES = (("longitude", 180, ""), ("latitude", 90, " (are longitude and latitude swapped?)"))
AVOID = "which RFC 7946 says to avoid"
WINDING = (
    "a polygon ring does not follow the right-hand rule (RFC 7946: exterior rings counterclockwise, holes clockwise)"
)
#: Structural errors listed per geometry before the rest are summed up.
MAX_LISTED = 5
INVALID_SHAPES = {
    "Self-intersection": "the shape crosses itself",
    "Ring Self-intersection": "a polygon ring touches itself",
    "Hole lies outside shell": "a hole lies outside its polygon",
    "Holes are nested": "a hole lies inside another hole",
    "Interior is disconnected": "the holes cut the polygon in pieces",
    "Nested shells": "one polygon of the multipolygon lies inside another",
    "Duplicate Rings": "a polygon repeats a ring",
    "Too few points in geometry component": "a part of the shape has too few distinct positions",
    "Invalid Coordinate": "a coordinate is not a number",
}


def check_geometry(
    geometry: dict[str, Any], strict: bool = True, region: Region | None = None
) -> tuple[list[str], list[str]]:
    """Check a GeoJSON geometry object: structure, ranges, closed rings and validity.

    Parameters
    ----------
    geometry : dict
        A GeoJSON geometry object.
    strict : bool
        Also demand the right-hand rule and at most six decimals (the project's own data);
        otherwise a break of the right-hand rule is only a warning.
    region : tuple of 4 float, optional
        The case's region (west, south, east, north): positions inside it only once swapped get a
        warning. ``None`` (the default) gives no such warning.

    Returns
    -------
    tuple of list of str
        Errors (the geometry is rejected) and warnings.

    """
    errors, warnings = geometry_notes(geometry, strict, region)
    return [note.message for note in errors], [note.message for note in warnings]


def geometry_notes(geometry: Any, strict: bool, region: Region | None = None) -> tuple[list[Note], list[Note]]:
    """Return the errors and warnings of a geometry as notes (see ``check_geometry``)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    errors = messages(geometry_validator(kind if isinstance(kind, str) else None).iter_errors(geometry), "geometry")
    if errors:
        return _capped(errors), []
    positions = _position_array(geometry)
    if positions is None:
        return [Note("geometry.coordinates", "geometry.coordinates holds a number too large to be a coordinate")], []
    if not positions.size:
        return [], [Note("geometry", "has an empty shape (no positions): it is kept but not drawn")]
    errors = _mixed_dimension_notes(geometry) or _range_notes(geometry, positions) + _ring_notes(geometry)
    errors += [note for path, item in _objects(geometry) for note in bbox_notes(item, path)]
    if errors:
        return errors, []
    geom = shape(geometry)
    if not geom.is_valid:
        return [_explain_invalid(geom)], []
    warnings = _swap_notes(positions, region) + _collection_notes(geometry)
    if strict:
        return _winding_notes(geom) + _decimal_notes(positions), warnings
    return [], warnings + _winding_notes(geom)


def _capped(notes: list[Note]) -> list[Note]:
    if len(notes) <= MAX_LISTED:
        return notes
    more = len(notes) - MAX_LISTED
    return [*notes[:MAX_LISTED], Note("geometry", f"the geometry has {more} more problems like these")]


def _objects(geometry: dict[str, Any], path: str = "geometry") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, geometry)`` for a geometry and, in a GeometryCollection, every member, in file order."""
    yield path, geometry
    if geometry["type"] == "GeometryCollection":
        for number, member in enumerate(geometry["geometries"]):
            yield from _objects(member, f"{path}.geometries[{number}]")


def _parts(geometry: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, geometry)`` for every geometry that is not a GeometryCollection, in file order."""
    return ((path, item) for path, item in _objects(geometry) if item["type"] != "GeometryCollection")


def _positions(coordinates: list[Any], path: str) -> Iterator[tuple[str, list[float]]]:
    """Yield ``(path, position)`` for every position of a coordinates array, in file order."""
    if coordinates and not isinstance(coordinates[0], list):
        yield path, coordinates
        return
    for number, item in enumerate(coordinates):
        yield from _positions(item, f"{path}[{number}]")


def _all_positions(geometry: dict[str, Any]) -> Iterator[tuple[str, list[float]]]:
    for path, part in _parts(geometry):
        yield from _positions(part["coordinates"], f"{path}.coordinates")


def _position_array(geometry: dict[str, Any]) -> np.ndarray | None:
    try:
        return np.array([position[:2] for _, position in _all_positions(geometry)], dtype=float).reshape(-1, 2)
    except OverflowError:
        return None


def _position_path(geometry: dict[str, Any], number: int) -> str:
    for count, (path, _) in enumerate(_all_positions(geometry)):
        if count == number:
            return path
    return "geometry.coordinates"


def _mixed_dimension_notes(geometry: dict[str, Any]) -> list[Note]:
    notes = []
    for path, part in _parts(geometry):
        sizes = {len(position) for _, position in _positions(part["coordinates"], "")}
        if len(sizes) > 1:
            notes.append(
                Note(
                    f"{path}.coordinates",
                    f"{path}.coordinates mixes positions with and without height (2 and 3 numbers): "
                    "use one kind throughout a shape",
                )
            )
    return notes


def _range_notes(geometry: dict[str, Any], positions: np.ndarray) -> list[Note]:
    if not np.isfinite(positions).all():
        number = int((~np.isfinite(positions)).any(axis=1).argmax())
        where = _position_path(geometry, number)
        return [Note(where, f"{where} has a coordinate that is not a finite number")]
    magnitude = np.abs(positions)
    if magnitude.max() > PROJECTED_BEYOND:
        number = int(magnitude.max(axis=1).argmax())
        x, y = positions[number]
        message = (
            f"coordinates look like projected metres, not degrees (x={x:.10g}, y={y:.10g}, as in EPSG:3857 "
            "Web Mercator): RFC 7946 GeoJSON needs longitude/latitude in WGS84 degrees (EPSG:4326), "
            "so reproject the file to EPSG:4326"
        )
        return [Note(_position_path(geometry, number), message)]
    notes = []
    for axis, (name, bound, hint) in enumerate(AXES):
        if (magnitude[:, axis] > bound).any():
            number = int(magnitude[:, axis].argmax())
            where = _position_path(geometry, number)
            notes.append(
                Note(where, f"{where} has {name} {positions[number, axis]:g}, outside -{bound}..{bound}{hint}")
            )
    return notes


def _ring_notes(geometry: dict[str, Any]) -> list[Note]:
    notes = []
    for path, part in _parts(geometry):
        for ring_path, ring in _rings(part, f"{path}.coordinates"):
            if list(ring[0]) != list(ring[-1]):
                message = (
                    f"the polygon ring {ring_path} is not closed: it starts at {short(ring[0])} "
                    f"but ends at {short(ring[-1])}; the last position must repeat the first"
                )
                notes.append(Note(ring_path, message))
    return notes


def _rings(part: dict[str, Any], path: str) -> Iterator[tuple[str, list[Any]]]:
    if part["type"] == "Polygon":
        polygons = [(path, part["coordinates"])]
    elif part["type"] == "MultiPolygon":
        polygons = [(f"{path}[{number}]", polygon) for number, polygon in enumerate(part["coordinates"])]
    else:
        polygons = []
    for polygon_path, polygon in polygons:
        for number, ring in enumerate(polygon):
            yield f"{polygon_path}[{number}]", ring


def _explain_invalid(geom: shapely.Geometry) -> Note:
    reason = shapely.is_valid_reason(geom)
    match = re.match(r"(.+?)\[([-\d.eE+]+) ([-\d.eE+]+)", reason)
    if not match:
        return Note("geometry", f"the shape is not valid (shapely: {reason})")
    what, x, y = match.group(1), float(match.group(2)), float(match.group(3))
    plain = INVALID_SHAPES.get(what, "the shape is not valid")
    return Note("geometry", f"{plain} near longitude {x:.6g}, latitude {y:.6g} (shapely: {what})")


def _swap_notes(positions: np.ndarray, region: Region | None) -> list[Note]:
    if region is None:
        return []
    west, south, east, north = region
    lon, lat = positions[:, 0], positions[:, 1]
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    swapped = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
    if not swapped.all() or inside.any():
        return []
    message = (
        "latitude and longitude look swapped: RFC 7946 positions are [longitude, latitude], "
        f"and swapped these would fall in this case's region ({west:g}–{east:g}°E, {south:g}–{north:g}°N)"
    )
    return [Note("geometry.coordinates", message)]


def _winding_notes(geom: shapely.Geometry) -> list[Note]:
    if shapely.equals_exact(shapely.orient_polygons(geom), geom, tolerance=0):
        return []
    return [Note("geometry", WINDING)]


def _decimal_notes(positions: np.ndarray) -> list[Note]:
    if np.array_equal(np.round(positions, MAX_COORDINATE_DECIMALS), positions):
        return []
    return [Note("geometry.coordinates", f"coordinates have more than {MAX_COORDINATE_DECIMALS} decimals")]


def _collection_notes(geometry: dict[str, Any]) -> list[Note]:
    """Warn of the GeometryCollections that RFC 7946 §3.1.8 says to avoid: nested, single or of one type."""
    notes = []
    for path, item in _objects(geometry):
        members = item["geometries"] if item["type"] == "GeometryCollection" else []
        kinds = [member["type"] for member in members]
        if "GeometryCollection" in kinds:
            nested = f"{path}.geometries[{kinds.index('GeometryCollection')}]"
            advice = f"nests a GeometryCollection ({nested}), {AVOID}: list all its shapes in one GeometryCollection"
        elif len(kinds) == 1:
            advice = f"is a GeometryCollection of a single {kinds[0]}, {AVOID}: use the {kinds[0]} itself"
        elif len(set(kinds)) == 1:
            multi = kinds[0] if kinds[0].startswith("Multi") else f"Multi{kinds[0]}"
            advice = f"is a GeometryCollection of {kinds[0]} shapes only, {AVOID}: use one {multi}"
        else:
            continue
        notes.append(Note(path, f"{path} {advice}"))
    return notes


def bbox_notes(item: dict[str, Any], path: str) -> list[Note]:
    """Check a well-formed ``bbox`` of ``item`` (at ``path``) against RFC 7946 §5; west may exceed east (§5.2)."""
    box = item.get("bbox")
    if box is None:
        return []
    where = f"{path}.bbox" if path else "bbox"
    half = len(box) // 2
    notes = [
        Note(where, f"{where} has {name} {short(value)}, outside -{bound}..{bound}{hint}")
        for axis, (name, bound, hint) in enumerate(AXES)
        for value in (box[axis], box[half + axis])
        if not -bound <= value <= bound
    ]
    if box[1] > box[half + 1]:
        edges = f"its south edge ({short(box[1])}) north of its north edge ({short(box[half + 1])})"
        notes.append(Note(where, f"{where} has {edges}: a bbox lists the south-west corner first (RFC 7946 §5)"))
    if half == 3 and box[2] > box[5]:
        heights = f"its lowest height ({short(box[2])}) above its highest ({short(box[5])})"
        notes.append(Note(where, f"{where} has {heights}: a bbox lists the lowest height first (RFC 7946 §5)"))
    return notes
