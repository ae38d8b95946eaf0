"""Validate GeoJSON documents and claim features, naming each problem in plain words."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from jsonschema import ValidationError
from shapely.geometry import shape

from geo.schema import GEOMETRY_TYPES, claim_validator, feature_validator, geometry_validator

#: The region of the shipped case (west, south, east, north), used to spot swapped lat/lon.
REGION = (14.0, 49.0, 41.0, 61.0)
MAX_COORDINATE_DECIMALS = 6
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Limits:
    """Hard limits on an input document."""

    max_bytes: int = 10 * 1024 * 1024
    max_features: int = 10_000
    max_depth: int = 64


@dataclass(frozen=True)
class Problem:
    """One problem in a document; ``feature`` is its id or index, ``None`` for the whole file."""

    path: str
    message: str
    feature: str | int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = "" if self.feature is None else f"feature {self.feature}: "
        kind = "warning: " if self.warning else ""
        return f"{self.path}: {where}{kind}{self.message}"


@dataclass
class Report:
    """What validating one document found: the accepted features and every problem."""

    path: str
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unsourced: dict[str, list[str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Problems that reject a feature or the file."""
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that keep the feature but deserve a look."""
        return [problem for problem in self.problems if problem.warning]

    @property
    def is_clean(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


class _InputError(Exception):
    """The document cannot be read at all; the message says why."""


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
        The parsed value (``None`` if unreadable) and the problems found.

    """
    warnings: list[Problem] = []
    try:
        text = _decode(data, limits, warnings, path)
        value = _loads(text, _pairs_hook(warnings, path), limits)
        _check_depth(value, limits)
    except _InputError as exc:
        return None, [*warnings, Problem(path, str(exc))]
    return value, warnings


def _loads(text: str, hook: Any, limits: Limits) -> Any:
    try:
        return json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _InputError(_loads_error(exc, len(text))) from None
    except RecursionError:
        raise _InputError(f"the file is nested more than {limits.max_depth} levels deep (the nesting limit)") from None


def _decode(data: bytes, limits: Limits, warnings: list[Problem], path: str) -> str:
    if len(data) > limits.max_bytes:
        raise _InputError(f"the file is {_megabytes(len(data))}; the size limit is {_megabytes(limits.max_bytes)}")
    if data.startswith(UTF8_BOM):
        warnings.append(
            Problem(path, "the file starts with a UTF-8 byte order mark (BOM); it was ignored", warning=True)
        )
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _InputError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "GeoJSON must be UTF-8: re-save it as UTF-8"
        ) from None
    if not text.strip():
        raise _InputError("the file is empty")
    return text


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _pairs_hook(warnings: list[Problem], path: str):
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                message = f"the key {key!r} appears twice in one object; the last value was kept"
                warnings.append(Problem(path, message, warning=True))
            result[key] = value
        return result

    return hook


def _reject_constant(name: str) -> Any:
    raise _InputError(f"the file contains {name}, which JSON does not allow: use a number or null")


def _check_depth(value: Any, limits: Limits) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.max_depth:
            raise _InputError(f"the file is nested more than {limits.max_depth} levels deep (the nesting limit)")
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _loads_error(exc: json.JSONDecodeError, text_length: int) -> str:
    if exc.pos >= text_length - 1 and exc.msg.startswith(("Expecting", "Unterminated")):
        return f"the JSON ends too early at line {exc.lineno}, column {exc.colno}: the file looks truncated"
    return f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"


def read_document(path: Path, limits: Limits = Limits()) -> tuple[Any, list[Problem]]:
    """Read and parse a file with the size cap checked before reading it."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if Path(path).is_dir():
            return None, [Problem(name, "is a folder, not a file")]
        if size > limits.max_bytes:
            return None, [
                Problem(name, f"the file is {_megabytes(size)}; the size limit is {_megabytes(limits.max_bytes)}")
            ]
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "file not found")]
    except OSError as exc:
        return None, [Problem(name, f"cannot read the file: {exc.strerror or exc}")]
    return parse_json(data, name, limits)


# --- documents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a check needs beyond the document itself."""

    path: str
    mode: str = "claims"
    sources: frozenset[str] | None = None
    layer: str | None = None
    limits: Limits = Limits()


def validate_document(document: Any, context: Context) -> Report:
    """Validate a parsed GeoJSON document feature by feature.

    Parameters
    ----------
    document : Any
        A parsed JSON value: a FeatureCollection, a Feature or a bare geometry.
    context : Context
        ``mode`` is ``"claims"`` (full claim properties demanded: the project's own data),
        ``"import"`` (features without them are kept and listed in ``Report.unsourced``) or
        ``"structure"`` (GeoJSON and geometry only, for base data).

    Returns
    -------
    Report

    """
    report = Report(context.path)
    try:
        features = _features_of(document, context, report)
    except _InputError as exc:
        report.problems.append(Problem(context.path, str(exc)))
        return report
    seen: dict[str, int | str] = {}
    for index, feature in enumerate(features):
        _check_feature(feature, index, context, report, seen)
    return report


def _features_of(document: Any, context: Context, report: Report) -> list[Any]:
    if not isinstance(document, dict):
        raise _InputError(f"the top level must be a GeoJSON object, not {_json_type(document)}")
    if "crs" in document:
        message = "has a legacy 'crs' member: RFC 7946 GeoJSON is always WGS84 longitude/latitude, so it was ignored"
        report.problems.append(Problem(context.path, message, warning=True))
    kind = document.get("type")
    if kind == "FeatureCollection":
        return _collection_features(document, context, report)
    if kind == "Feature":
        return [document]
    if kind in GEOMETRY_TYPES:
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    if kind is None:
        raise _InputError("the top level has no 'type': expected FeatureCollection, Feature or a geometry")
    raise _InputError(f"type {kind!r} is not a GeoJSON type: expected FeatureCollection, Feature or a geometry")


def _collection_features(document: dict[str, Any], context: Context, report: Report) -> list[Any]:
    features = document.get("features")
    if not isinstance(features, list):
        raise _InputError("the FeatureCollection has no 'features' list")
    if len(features) > context.limits.max_features:
        raise _InputError(f"the file has {len(features)} features; the limit is {context.limits.max_features}")
    if not features:
        report.problems.append(Problem(context.path, "the FeatureCollection has no features", warning=True))
    return features


def _feature_key(feature: Any, index: int) -> str | int:
    if isinstance(feature, dict):
        properties = feature.get("properties")
        for candidate in ((properties or {}).get("id") if isinstance(properties, dict) else None, feature.get("id")):
            if isinstance(candidate, str | int) and not isinstance(candidate, bool) and str(candidate):
                return str(candidate)
    return index


def _check_feature(feature: Any, index: int, context: Context, report: Report, seen: dict) -> None:
    key = _feature_key(feature, index)
    errors, warnings = _feature_problems(feature, context)
    if isinstance(key, str) and key in seen:
        errors.append(f"the id {key!r} is already used by feature {seen[key]}: ids must be unique")
    report.problems.extend(Problem(context.path, message, key) for message in errors)
    report.problems.extend(Problem(context.path, message, key, warning=True) for message in warnings)
    if errors:
        return
    if isinstance(key, str):
        seen[key] = index
    accepted = {"type": "Feature", "geometry": feature["geometry"], "properties": dict(feature.get("properties") or {})}
    report.features.append(accepted)
    reasons = _claim_problems(accepted["properties"], context) if context.mode == "import" else []
    if reasons:
        report.unsourced[str(key)] = reasons
        report.problems.extend(Problem(context.path, f"unsourced: {reason}", key, warning=True) for reason in reasons)


def _feature_problems(feature: Any, context: Context) -> tuple[list[str], list[str]]:
    if not isinstance(feature, dict):
        return [f"is {_json_type(feature)}, not a GeoJSON Feature object"], []
    errors = _messages(feature_validator().iter_errors(feature))
    warnings: list[str] = []
    if "properties" not in feature:
        warnings.append("has no 'properties' member; treated as empty")
    if errors:
        return errors, warnings
    if feature["geometry"] is None:
        warnings.append("has no shape (geometry is null): it is kept but not drawn")
    else:
        errors, geometry_warnings = check_geometry(feature["geometry"], strict=context.mode == "claims")
        warnings += geometry_warnings
    if context.mode == "claims":
        errors += _claim_problems(feature.get("properties") or {}, context)
    return errors, warnings


# --- geometry ----------------------------------------------------------------------------


def check_geometry(geometry: dict[str, Any], strict: bool = True) -> tuple[list[str], list[str]]:
    """Check a GeoJSON geometry object: structure, ranges, closed rings and validity.

    Parameters
    ----------
    geometry : dict
        A GeoJSON geometry object.
    strict : bool
        Also demand the right-hand rule and at most six decimals (the project's own data).

    Returns
    -------
    tuple of list of str
        Errors (the geometry is rejected) and warnings.

    """
    errors = _messages(geometry_validator().iter_errors(geometry), "geometry")
    if errors:
        return errors[:5], []
    positions = np.array([position[:2] for position in _positions(geometry)], dtype=float).reshape(-1, 2)
    errors = _range_problems(positions) or _ring_problems(geometry)
    if errors:
        return errors, []
    geom = shape(geometry)
    if not geom.is_valid:
        return [_explain_invalid(geom)], []
    warnings = _swap_warnings(positions)
    if strict:
        errors += _strict_problems(geom, positions)
    return errors, warnings


def _positions(geometry: dict[str, Any]) -> Iterator[list[float]]:
    if geometry["type"] == "GeometryCollection":
        for member in geometry["geometries"]:
            yield from _positions(member)
        return
    stack = [geometry["coordinates"]]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], int | float):
            yield item
        else:
            stack.extend(item)


def _range_problems(positions: np.ndarray) -> list[str]:
    if not positions.size:
        return []
    if not np.isfinite(positions).all():
        return ["a coordinate is not a finite number"]
    lon, lat = positions[:, 0], positions[:, 1]
    if np.abs(positions).max() > 1000:
        x, y = positions[np.abs(positions).max(axis=1).argmax()]
        return [
            f"coordinates look like projected metres (e.g. x={x:.0f}, y={y:.0f}, as in EPSG:3857 Web Mercator): "
            "RFC 7946 GeoJSON needs longitude/latitude in WGS84 degrees; reproject the file to EPSG:4326"
        ]
    problems = []
    if (np.abs(lon) > 180).any():
        problems.append(f"longitude {lon[np.abs(lon).argmax()]:g} is outside -180..180")
    if (np.abs(lat) > 90).any():
        problems.append(
            f"latitude {lat[np.abs(lat).argmax()]:g} is outside -90..90 (are longitude and latitude swapped?)"
        )
    return problems


def _ring_problems(geometry: dict[str, Any]) -> list[str]:
    polygons = {"Polygon": [geometry.get("coordinates")], "MultiPolygon": geometry.get("coordinates")}
    if geometry["type"] == "GeometryCollection":
        return [problem for member in geometry["geometries"] for problem in _ring_problems(member)]
    problems = []
    for polygon in polygons.get(geometry["type"], []):
        for number, ring in enumerate(polygon, start=1):
            if list(ring[0]) != list(ring[-1]):
                problems.append(
                    f"ring {number} of a polygon is not closed: its first position {ring[0]} and last {ring[-1]} differ"
                )
    return problems


def _explain_invalid(geom: shapely.Geometry) -> str:
    reason = shapely.is_valid_reason(geom)
    match = re.match(r"(.+?)\[([-\d.eE+]+) ([-\d.eE+]+)", reason)
    if not match:
        return f"the shape is not valid: {reason}"
    what, x, y = match.group(1), float(match.group(2)), float(match.group(3))
    plain = {"Self-intersection": "the polygon crosses itself", "Ring Self-intersection": "a ring touches itself"}
    return f"{plain.get(what, 'the shape is not valid')} near lon {x:.6g}, lat {y:.6g} (shapely: {what})"


def _swap_warnings(positions: np.ndarray) -> list[str]:
    west, south, east, north = REGION
    lon, lat = positions[:, 0], positions[:, 1]
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    swapped = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
    if positions.size and swapped.all() and not inside.any():
        return [
            "latitude and longitude look swapped: RFC 7946 positions are [longitude, latitude], "
            f"and swapped these would fall in this case's region ({west:g}–{east:g}°E, {south:g}–{north:g}°N)"
        ]
    return []


def _strict_problems(geom: shapely.Geometry, positions: np.ndarray) -> list[str]:
    problems = []
    if not shapely.equals_exact(shapely.orient_polygons(geom), geom, tolerance=0):
        problems.append("a polygon ring does not follow the right-hand rule (exterior counterclockwise)")
    if positions.size and not np.array_equal(np.round(positions, MAX_COORDINATE_DECIMALS), positions):
        problems.append(f"coordinates have more than {MAX_COORDINATE_DECIMALS} decimals")
    return problems


# --- properties --------------------------------------------------------------------------


def _claim_problems(properties: dict[str, Any], context: Context) -> list[str]:
    problems = _messages(claim_validator().iter_errors(properties))
    source_id = properties.get("source_id")
    if context.sources is not None and isinstance(source_id, str) and source_id not in context.sources:
        problems.append(f"source_id {source_id!r} is not in sources.json")
    layer = properties.get("layer")
    if context.layer is not None and layer is not None and layer != context.layer:
        problems.append(f"layer is {layer!r} but the feature is in the file of layer {context.layer!r}")
    return problems


# --- messages ----------------------------------------------------------------------------


def _messages(errors: Iterator[ValidationError], prefix: str | None = None) -> list[str]:
    """Plain-words messages, one per place: all missing names of one object in one message."""
    ordered = sorted(errors, key=lambda error: [str(part) for part in error.absolute_path])
    messages = [_describe(error, prefix) for error in ordered]
    return list(dict.fromkeys(messages))


def _where(error: ValidationError, prefix: str | None = None) -> str:
    parts = ([prefix] if prefix else []) + list(error.absolute_path)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: ValidationError, prefix: str | None = None) -> str:
    where = _where(error, prefix) or "the feature"
    value, expected = error.instance, error.validator_value
    if error.validator == "required":
        missing = [name for name in expected if name not in value]
        return f"{where} is missing {', '.join(repr(name) for name in missing)}" + _hint(missing)
    if error.validator == "type":
        return f"{where} is {_json_type(value)} {_short(value)}, but must be {_expected_type(expected)}"
    if error.validator in ("minItems", "maxItems"):
        return f"{where} has {len(value)} items: {_items_hint(where, error)}"
    if error.validator in ("enum", "const"):
        allowed = expected if error.validator == "enum" else [expected]
        return f"{where} is {_short(value)}; allowed: {', '.join(map(str, allowed))}"
    if error.validator == "minLength":
        return f"{where} is empty"
    if error.validator == "pattern":
        return f"{where} {_short(value)} is not in the expected form{_pattern_hint(where)}"
    if error.validator == "minimum":
        return f"{where} is {value}; it must be at least {expected}"
    return f"{where}: {error.message}"


def _hint(missing: list[str]) -> str:
    if "geometry" in missing:
        return ' (a feature without a shape needs "geometry": null)'
    return ""


def _items_hint(where: str, error: ValidationError) -> str:
    depth_hint = {
        2: "a position needs 2 or 3 numbers: longitude, latitude[, height]",
        4: "a polygon ring needs at least 4 positions, the last equal to the first",
    }
    if (
        error.validator == "minItems"
        and error.validator_value == 2
        and all(isinstance(v, list) for v in error.instance)
    ):
        return "a line needs at least 2 positions"
    return depth_hint.get(error.validator_value, f"expected at least {error.validator_value}")


def _pattern_hint(where: str) -> str:
    hints = {
        "event_date": ": an ISO 8601 date YYYY-MM-DD or interval YYYY-MM-DD/YYYY-MM-DD",
        "id": ": a slug of lower-case letters, digits and hyphens",
        "counter_claims": ": feature ids separated by commas",
    }
    return hints.get(where, "")


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _expected_type(expected: Any) -> str:
    names = {"object": "an object", "array": "a list", "string": "text", "number": "a number", "null": "null"}
    items = expected if isinstance(expected, list) else [expected]
    return " or ".join(names.get(item, item) for item in items)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
