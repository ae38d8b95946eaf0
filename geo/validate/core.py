"""Validate GeoJSON documents and claim features, naming each problem in plain words."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import shapely
from jsonschema import ValidationError
from shapely.geometry import shape

from geo.model.schema import (
    GEOMETRY_TYPES,
    claim_validator,
    collection_validator,
    feature_validator,
    geometry_validator,
)

#: The region of the shipped case (west, south, east, north), used to spot swapped lat/lon.
REGION = (14.0, 49.0, 41.0, 61.0)
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
UTF8_BOM = b"\xef\xbb\xbf"
#: Leading bytes of files that are often uploaded by mistake, and what they are.
NOT_TEXT = (
    (b"\xff\xfe", "UTF-16 text; GeoJSON must be UTF-8: re-save it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text; GeoJSON must be UTF-8: re-save it as UTF-8"),
    (b"PK\x03\x04", "a ZIP archive (a zipped shapefile or KMZ?), not GeoJSON: unzip it or export GeoJSON"),
    (b"\x1f\x8b", "a gzip-compressed file, not GeoJSON: decompress it first"),
    (b"SQLite format 3\x00", "an SQLite database (a GeoPackage?), not GeoJSON: export the layer as GeoJSON"),
    (b"\x00\x00\x27\x0a", "an ESRI shapefile (.shp), not GeoJSON: export the layer as GeoJSON"),
    (b"%PDF", "a PDF document, not GeoJSON"),
    (b"\x89PNG", "a PNG image, not GeoJSON"),
    (b"\xff\xd8\xff", "a JPEG image, not GeoJSON"),
)
#: Python's JSON error messages in plain words.
JSON_ERRORS = {
    "Expecting value": 'expected a value (a number, "text", true, false, null, a [list] or an {object})',
    "Expecting property name enclosed in double quotes": (
        "expected a name in double quotes (JSON allows no trailing comma, no comment and no 'single quotes')"
    ),
    "Expecting ',' delimiter": "expected a comma between two items",
    "Expecting ':' delimiter": "expected a colon after a name",
    "Extra data": "there is more text after the end of the JSON value",
    "Invalid control character at": "a text value contains a raw line break, tab or control character",
    "Invalid \\escape": "a backslash in a text value starts no valid escape (write \\\\ for a backslash)",
    "Invalid \\uXXXX escape": "a \\u escape in a text value needs 4 hexadecimal digits",
}
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


@dataclass(frozen=True)
class Limits:
    """Hard limits on an input document: bytes, features and nesting depth."""

    max_bytes: int = 10 * 1024 * 1024
    max_features: int = 10_000
    max_depth: int = 64


@dataclass(frozen=True)
class Problem:
    """One problem in a document.

    ``feature`` is the feature's id, else its 0-based position, and ``None`` for the whole file;
    ``index`` is always the position (``None`` for the whole file); ``field`` is where in the feature
    (``geometry.coordinates[0]``, ``properties.status``), empty when the problem has no one place.
    """

    path: str
    message: str
    feature: str | int | None = None
    warning: bool = False
    field: str = ""
    index: int | None = None

    def __str__(self) -> str:
        where = "" if self.feature is None else f"feature {self.feature}: "
        kind = "warning: " if self.warning else ""
        return f"{self.path}: {where}{kind}{self.message}"


class HasProblems:
    """Split a ``problems`` list into errors and warnings (for reports and import results)."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that reject a feature or the file."""
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that keep the feature but deserve a look."""
        return [problem for problem in self.problems if problem.warning]


@dataclass
class Report(HasProblems):
    """What validating one document found: the accepted features and every problem.

    ``unsourced`` maps the position of an accepted feature in ``features`` to the reasons it
    lacks a citation (``Mode.IMPORT`` only); ``total`` counts the features the file holds.
    """

    path: str
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unsourced: dict[int, list[str]] = field(default_factory=dict)
    total: int = 0

    @property
    def is_clean(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


class Note(NamedTuple):
    """A problem inside one feature: where (``field``) and the whole sentence (``message``)."""

    field: str
    message: str


class Unreadable(Enum):
    """The type of ``UNREADABLE``, the one value that is no JSON value."""

    UNREADABLE = "unreadable"


#: What ``parse_json`` and ``read_document`` return when the input holds no JSON value at all.
#: ``None`` is the JSON value ``null``, which the document checks reject like any other non-object.
UNREADABLE: Final = Unreadable.UNREADABLE


class _InputError(Exception):
    """The document cannot be read or used at all; the message says why."""


# --- reading -----------------------------------------------------------------------------


def parse_json(data: bytes, path: str, limits: Limits = Limits()) -> tuple[Any, list[Problem]]:
    """Decode and parse a JSON document, refusing what RFC 8259 and the limits refuse.

    Parameters
    ----------
    data : bytes
        The raw file contents.
    path : str
        Name used in messages.
    limits : Limits
        Size and nesting caps.

    Returns
    -------
    tuple
        The parsed value (``UNREADABLE`` if there is none) and the problems found; never raises.

    """
    warnings: list[Problem] = []
    duplicates: Counter[str] = Counter()
    try:
        text = _decode(data, limits, warnings, path)
        value = _loads(text, duplicates, limits)
        _check_depth(value, limits)
    except _InputError as exc:
        return UNREADABLE, [*warnings, *_duplicate_warnings(duplicates, path), Problem(path, str(exc))]
    return value, [*warnings, *_duplicate_warnings(duplicates, path)]


def _decode(data: bytes, limits: Limits, warnings: list[Problem], path: str) -> str:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _InputError(f"the input is {type(data).__name__}, not the bytes of a file")
    data = bytes(data)
    if len(data) > limits.max_bytes:
        raise _InputError(_too_big(len(data), limits))
    for magic, what in NOT_TEXT:
        if data.startswith(magic):
            raise _InputError(f"the file is {what}")
    if data.startswith(UTF8_BOM):
        message = "the file starts with a UTF-8 byte order mark (BOM), which GeoJSON does not use; it was ignored"
        warnings.append(Problem(path, message, warning=True))
        data = data[len(UTF8_BOM) :]
    return _text(data)


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _InputError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, byte {exc.start}): "
            "GeoJSON must be UTF-8, so re-save the file as UTF-8"
        ) from None
    if not text.strip():
        raise _InputError("the file is empty" if not text else "the file is empty (only spaces or line breaks)")
    if text.lstrip().startswith("<"):
        raise _InputError("the file looks like XML or HTML (KML or GML?), not GeoJSON: export it as GeoJSON")
    return text


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{size} bytes"


def _too_big(size: int, limits: Limits, more: str = "") -> str:
    """Say that a file of ``size`` bytes (or more than it, with ``more="more than "``) is over the limit."""
    found, limit = _size(size), _size(limits.max_bytes)
    if found == limit:
        found, limit = f"{size:,} bytes", f"{limits.max_bytes:,} bytes"
    return f"the file is {more}{found}; the size limit is {limit}"


def _loads(text: str, duplicates: Counter[str], limits: Limits) -> Any:
    hooks = {"object_pairs_hook": _pairs_hook(duplicates), "parse_constant": _reject_constant}
    try:
        return json.loads(text, parse_float=_parse_float, **hooks)
    except json.JSONDecodeError as exc:
        raise _InputError(_loads_error(exc, text)) from None
    except RecursionError:
        raise _InputError(_too_deep(limits)) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise _InputError("the file holds a number with thousands of digits, too long to read") from None


def _pairs_hook(duplicates: Counter[str]):
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates[key] += 1
            result[key] = value
        return result

    return hook


def _duplicate_warnings(duplicates: Counter[str], path: str) -> list[Problem]:
    problems = []
    for key, count in duplicates.items():
        times = "" if count == 1 else f" ({count} times in the file)"
        message = f"the name {_short(key)} appears twice in one object{times}; the last value was kept"
        problems.append(Problem(path, message, warning=True, field=key))
    return problems


def _reject_constant(name: str) -> Any:
    raise _InputError(f"the file contains {name}, which JSON does not allow: use a number or null")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _InputError(f"the file contains the number {_short(text, 30)}, which is too large to use")
    return value


def _too_deep(limits: Limits) -> str:
    depth = limits.max_depth
    return f"the file nests lists and objects more than {depth} levels deep; the nesting limit is {depth}"


def _check_depth(value: Any, limits: Limits) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.max_depth:
            raise _InputError(_too_deep(limits))
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _loads_error(exc: json.JSONDecodeError, text: str) -> str:
    where = f"line {exc.lineno}, column {exc.colno}"
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"the file ends too early (at {where}): it looks truncated, as if the download or copy was cut off"
    plain = JSON_ERRORS.get(exc.msg, exc.msg)
    return f"the file is not valid JSON: {plain} at {where}, found {_short(text[exc.pos : exc.pos + 20], 30)}"


def read_document(path: Path, limits: Limits = Limits()) -> tuple[Any, list[Problem]]:
    """Read and parse a file, reading no more than the size limit.

    Parameters
    ----------
    path : Path
        The file.
    limits : Limits
        Size and nesting caps.

    Returns
    -------
    tuple
        The parsed value (``UNREADABLE`` if there is none) and the problems found; never raises.

    """
    name = str(path)
    try:
        data = _read_bounded(Path(path), limits)
    except _InputError as exc:
        return UNREADABLE, [Problem(name, str(exc))]
    return parse_json(data, name, limits)


def _read_bounded(path: Path, limits: Limits) -> bytes:
    try:
        if path.is_dir():
            raise _InputError("is a folder, not a file")
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise _InputError(_too_big(size, limits))
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise _InputError("file not found") from None
    except OSError as exc:
        raise _InputError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise _InputError(_too_big(limits.max_bytes, limits, "more than "))
    return data


# --- documents ---------------------------------------------------------------------------


class Mode(StrEnum):
    """How strictly ``validate_document`` checks a document.

    ``CLAIMS``: full claim properties, the right-hand rule and at most six decimals demanded (the
    project's own data). ``IMPORT``: features without claim properties are kept and listed in
    ``Report.unsourced``; duplicate ids and the right-hand rule are only warnings. ``STRUCTURE``:
    GeoJSON and geometry only, for base data; the right-hand rule is a warning.
    """

    CLAIMS = "claims"
    IMPORT = "import"
    STRUCTURE = "structure"


@dataclass(frozen=True)
class Context:
    """What a check needs beyond the document itself; ``mode`` may be given by its name."""

    path: str
    mode: Mode = Mode.CLAIMS
    sources: frozenset[str] | None = None
    layer: str | None = None
    limits: Limits = Limits()

    def __post_init__(self) -> None:
        try:
            mode = Mode(self.mode)
        except ValueError:
            raise ValueError(f"unknown validation mode {self.mode!r}: use one of {', '.join(Mode)}") from None
        object.__setattr__(self, "mode", mode)


def validate_document(document: Any, context: Context) -> Report:
    """Validate a parsed GeoJSON document feature by feature.

    Parameters
    ----------
    document : Any
        A parsed JSON value: a FeatureCollection, a Feature or a bare geometry.
    context : Context
        Where the document comes from and how strictly to check it (see ``Mode``).

    Returns
    -------
    Report
        Never raises: whatever the document, its problems are in the report.

    """
    report = Report(context.path)
    try:
        _check_depth(document, context.limits)
        features = _features_of(document, context, report)
    except _InputError as exc:
        report.problems.append(Problem(context.path, str(exc)))
        return report
    report.total = len(features)
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        _check_feature(feature, index, context, report, seen)
    return report


def _features_of(document: Any, context: Context, report: Report) -> list[Any]:
    if not isinstance(document, dict):
        raise _InputError(f"the top level must be a GeoJSON object, not {_json_type(document)}")
    if "crs" in document:
        report.problems.append(Problem(context.path, _crs_message(document["crs"]), warning=True, field="crs"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        return _collection_features(document, context, report)
    if kind == "Feature":
        return [document]
    if isinstance(kind, str) and kind in GEOMETRY_TYPES:
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    if kind is None:
        raise _InputError("the top level has no 'type': expected FeatureCollection, Feature or a geometry")
    raise _InputError(f"type {_short(kind)} is not a GeoJSON type: expected FeatureCollection, Feature or a geometry")


def _crs_message(crs: Any) -> str:
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    naming = f" (naming {_short(name)})" if isinstance(name, str) else ""
    return f"has a legacy 'crs' member{naming}: RFC 7946 GeoJSON is always WGS84 longitude/latitude, so it was ignored"


def _collection_features(document: dict[str, Any], context: Context, report: Report) -> list[Any]:
    features = document.get("features")
    if not isinstance(features, list):
        found = "no 'features'" if features is None else f"'features' as {_json_type(features)}"
        raise _InputError(f"the FeatureCollection has {found}: it needs a 'features' list")
    if len(features) > context.limits.max_features:
        raise _InputError(f"the file has {len(features)} features; the feature limit is {context.limits.max_features}")
    notes = _messages(collection_validator().iter_errors(document)) or _bbox_notes(document, "")
    if notes:
        report.problems.extend(Problem(context.path, note.message, field=note.field) for note in notes)
        return []
    if not features:
        report.problems.append(Problem(context.path, "the FeatureCollection has no features", warning=True))
    return features


def _feature_key(feature: Any, index: int) -> str | int:
    if isinstance(feature, dict):
        properties = feature.get("properties")
        for candidate in ((properties or {}).get("id") if isinstance(properties, dict) else None, feature.get("id")):
            text = _id_text(candidate)
            if text:
                return text
    return index


def _id_text(candidate: Any) -> str:
    if not isinstance(candidate, str | int) or isinstance(candidate, bool):
        return ""
    try:
        return str(candidate)
    except ValueError:  # an integer too long to print
        return ""


def _check_feature(feature: Any, index: int, context: Context, report: Report, seen: dict[str, int]) -> None:
    key = _feature_key(feature, index)
    errors, warnings = _feature_notes(feature, context)
    if isinstance(key, str) and key in seen:
        note = Note("id", f"the id {_short(key)} is used by an earlier feature too: ids must be unique")
        if context.mode is Mode.IMPORT:
            warnings.append(Note("id", note.message + "; both features were kept"))
        else:
            errors.append(note)
    _add(report, context, key, index, errors, warning=False)
    _add(report, context, key, index, warnings, warning=True)
    if errors:
        return
    if isinstance(key, str):
        seen.setdefault(key, index)
    report.features.append(_accepted(feature))
    if context.mode is Mode.IMPORT:
        _mark_unsourced(report, context, key, index)


def _add(report: Report, context: Context, key: str | int, index: int, notes: list[Note], warning: bool) -> None:
    report.problems.extend(
        Problem(context.path, note.message, key, warning=warning, field=note.field, index=index) for note in notes
    )


def _accepted(feature: dict[str, Any]) -> dict[str, Any]:
    accepted: dict[str, Any] = {"type": "Feature"}
    if "id" in feature:
        accepted["id"] = feature["id"]
    accepted["geometry"] = feature["geometry"]
    accepted["properties"] = dict(feature.get("properties") or {})
    return accepted


def _mark_unsourced(report: Report, context: Context, key: str | int, index: int) -> None:
    reasons = [note.message for note in _claim_notes(report.features[-1]["properties"], context)]
    if not reasons:
        return
    report.unsourced[len(report.features) - 1] = reasons
    message = "shown as unsourced: " + "; ".join(reasons)
    report.problems.append(Problem(context.path, message, key, warning=True, field="properties", index=index))


def _feature_notes(feature: Any, context: Context) -> tuple[list[Note], list[Note]]:
    if not isinstance(feature, dict):
        return [Note("", f"is {_kind_and_value(feature)}, not a GeoJSON Feature object")], []
    errors = _messages(feature_validator().iter_errors(feature)) or _bbox_notes(feature, "")
    warnings: list[Note] = []
    if "properties" not in feature:
        warnings.append(Note("properties", "has no 'properties' member; treated as empty"))
    if errors:
        return errors, warnings
    if feature["geometry"] is None:
        warnings.append(Note("geometry", "has no shape (geometry is null): it is kept but not drawn"))
    else:
        errors, geometry_warnings = _geometry_notes(feature["geometry"], strict=context.mode is Mode.CLAIMS)
        warnings += geometry_warnings
    if context.mode is Mode.CLAIMS:
        errors += _claim_notes(feature.get("properties") or {}, context)
    return errors, warnings


# --- geometry ----------------------------------------------------------------------------


def check_geometry(geometry: dict[str, Any], strict: bool = True) -> tuple[list[str], list[str]]:
    """Check a GeoJSON geometry object: structure, ranges, closed rings and validity.

    Parameters
    ----------
    geometry : dict
        A GeoJSON geometry object.
    strict : bool
        Also demand the right-hand rule and at most six decimals (the project's own data);
        otherwise a break of the right-hand rule is only a warning.

    Returns
    -------
    tuple of list of str
        Errors (the geometry is rejected) and warnings.

    """
    errors, warnings = _geometry_notes(geometry, strict)
    return [note.message for note in errors], [note.message for note in warnings]


def _geometry_notes(geometry: Any, strict: bool) -> tuple[list[Note], list[Note]]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    errors = _messages(geometry_validator(kind if isinstance(kind, str) else None).iter_errors(geometry), "geometry")
    if errors:
        return _capped(errors), []
    positions = _position_array(geometry)
    if positions is None:
        return [Note("geometry.coordinates", "geometry.coordinates holds a number too large to be a coordinate")], []
    if not positions.size:
        return [], [Note("geometry", "has an empty shape (no positions): it is kept but not drawn")]
    errors = _mixed_dimension_notes(geometry) or _range_notes(geometry, positions) + _ring_notes(geometry)
    errors += [note for path, item in _objects(geometry) for note in _bbox_notes(item, path)]
    if errors:
        return errors, []
    geom = shape(geometry)
    if not geom.is_valid:
        return [_explain_invalid(geom)], []
    warnings = _swap_notes(positions) + _collection_notes(geometry)
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
                    f"the polygon ring {ring_path} is not closed: it starts at {_short(ring[0])} "
                    f"but ends at {_short(ring[-1])}; the last position must repeat the first"
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


def _swap_notes(positions: np.ndarray) -> list[Note]:
    west, south, east, north = REGION
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


def _bbox_notes(item: dict[str, Any], path: str) -> list[Note]:
    """Check a well-formed ``bbox`` of ``item`` (at ``path``) against RFC 7946 §5; west may exceed east (§5.2)."""
    box = item.get("bbox")
    if box is None:
        return []
    where = f"{path}.bbox" if path else "bbox"
    half = len(box) // 2
    notes = [
        Note(where, f"{where} has {name} {_short(value)}, outside -{bound}..{bound}{hint}")
        for axis, (name, bound, hint) in enumerate(AXES)
        for value in (box[axis], box[half + axis])
        if not -bound <= value <= bound
    ]
    if box[1] > box[half + 1]:
        edges = f"its south edge ({_short(box[1])}) north of its north edge ({_short(box[half + 1])})"
        notes.append(Note(where, f"{where} has {edges}: a bbox lists the south-west corner first (RFC 7946 §5)"))
    if half == 3 and box[2] > box[5]:
        heights = f"its lowest height ({_short(box[2])}) above its highest ({_short(box[5])})"
        notes.append(Note(where, f"{where} has {heights}: a bbox lists the lowest height first (RFC 7946 §5)"))
    return notes


# --- properties --------------------------------------------------------------------------


def _claim_notes(properties: dict[str, Any], context: Context) -> list[Note]:
    notes = _messages(claim_validator().iter_errors(properties), "properties")
    source_id = properties.get("source_id")
    if context.sources is not None and isinstance(source_id, str) and source_id not in context.sources:
        notes.append(Note("properties.source_id", f"properties.source_id {_short(source_id)} is not in sources.json"))
    layer = properties.get("layer")
    if context.layer is not None and layer is not None and layer != context.layer:
        message = f"properties.layer is {_short(layer)} but the feature is in the file of layer {context.layer!r}"
        notes.append(Note("properties.layer", message))
    return notes


# --- messages ----------------------------------------------------------------------------


def _messages(errors: Iterator[ValidationError], prefix: str | None = None) -> list[Note]:
    """Plain-words notes, one per place: all missing names of one object in one note, first."""
    missing: dict[str, list[str]] = {}
    notes = []
    for error in sorted(errors, key=lambda error: [str(part) for part in error.absolute_path]):
        where = _where(error, prefix)
        if error.validator == "required":
            names = missing.setdefault(where, [])
            names += [name for name in error.validator_value if name not in error.instance and name not in names]
        else:
            notes.append(Note(where, _describe(error, prefix)))
    notes[:0] = [Note(where, _missing(where, names)) for where, names in missing.items()]
    return list(dict.fromkeys(notes))


def _missing(where: str, names: list[str]) -> str:
    return f"{where or 'the feature'} is missing {', '.join(repr(name) for name in names)}" + _hint(names)


def _where(error: ValidationError, prefix: str | None = None) -> str:
    parts = ([prefix] if prefix else []) + list(error.absolute_path)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: ValidationError, prefix: str | None = None) -> str:
    where = _where(error, prefix) or "the feature"
    value, expected = error.instance, error.validator_value
    if error.validator == "type":
        hint = _quoted_hint(value)
        return f"{where} is {_kind_and_value(value)}, but must be {_expected_type(expected)}{hint}"
    if error.validator in ("minItems", "maxItems", "anyOf") and isinstance(value, list):
        items = f"{len(value)} item{'' if len(value) == 1 else 's'}"
        return f"{where} has {items}: {error.schema.get('description', error.message)}"
    if error.validator == "not" and "description" in error.schema:
        return f"{where} is {error.schema['description']}"
    if error.validator == "enum":
        return f"{where} is {_short(value)}; allowed: {', '.join(map(str, expected))}"
    if error.validator == "const":
        return f"{where} is {_short(value)}, but must be {_short(expected)}"
    if error.validator == "minLength":
        return f"{where} is empty"
    if error.validator == "pattern":
        return f"{where} {_short(value)} is not in the expected form{_pattern_hint(where)}"
    if error.validator == "minimum":
        return f"{where} is {_short(value)}; it must be at least {expected}"
    return f"{where}: {error.message[:200]}"


def _hint(missing: list[str]) -> str:
    if "geometry" in missing:
        return ' (a feature without a shape needs "geometry": null)'
    return ""


def _quoted_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        float(value)
    except ValueError:
        return ""
    return " (write the number without quotes)"


def _pattern_hint(where: str) -> str:
    hints = {
        "event_date": ": an ISO 8601 date YYYY-MM-DD or interval YYYY-MM-DD/YYYY-MM-DD",
        "id": ": a slug of lower-case letters, digits and hyphens",
        "counter_claims": ": feature ids separated by commas",
    }
    return hints.get(where.rsplit(".", 1)[-1], "")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _kind_and_value(value: Any) -> str:
    """Name a value with its kind (``a number 42``); ``null``, ``true`` and ``false`` name themselves."""
    if value is None or isinstance(value, bool):
        return _short(value)
    return f"{_json_type(value)} {_short(value)}"


def _expected_type(expected: Any) -> str:
    names = {"object": "an object", "array": "a list", "string": "text", "number": "a number", "null": "null"}
    items = expected if isinstance(expected, list) else [expected]
    return " or ".join(names.get(item, item) for item in items)


def _short(value: Any, limit: int = 60) -> str:
    """Return ``value`` as JSON text cut to ``limit`` characters, encoding no more than it shows."""
    chunks, size = [], 0
    encoder = json.JSONEncoder(ensure_ascii=False)
    try:
        for chunk in encoder.iterencode(value[: limit + 1] if isinstance(value, str) else value):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
    except (ValueError, TypeError, RecursionError):
        return f"({_json_type(value)})"
    text = "".join(chunks)
    return text if len(text) <= limit else text[: limit - 3] + "..."
