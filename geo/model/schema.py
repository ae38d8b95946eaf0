"""JSON Schemas for GeoJSON structure and claim properties, and the claim vocabularies."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from geo.model.claims import (
    KINDS,
    KINDS_WITH_STANDING,
    PLACEMENTS,
    RELIABILITY,
    RESPONSE_TYPES,
    STANDINGS,
    is_edtf,
)

PRECISIONS = ("exact", "place", "route", "region", "unknown")
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)

#: Property names in the order a downloaded file lists them.
FIELDS = (
    "id",
    "layer",
    "title",
    "kind",
    "standing",
    "standing_basis",
    "grade",
    "reliability",
    "credibility",
    "credibility_note",
    "claim",
    "claimant",
    "answers",
    "responses",
    "event_date",
    "report_date",
    "date_basis",
    "source_chain",
    "source_id",
    "source",
    "geometry_source",
    "also_reported_by",
    "see_also",
    "quote",
    "quote_en",
    "precision",
    "uncertainty_km",
    "placement",
    "method",
)
#: The fields that hold lists; every other field holds text or a number.
LIST_FIELDS = ("answers", "responses", "source_chain", "also_reported_by", "see_also")
BASE_REQUIRED = ("id", "layer", "title", "kind", "source_id", "source", "precision", "placement", "method")
STATEMENT_REQUIRED = ("claim", "claimant", "event_date", "report_date", "date_basis", "source_chain")
STANDING_REQUIRED = ("standing", "standing_basis", "credibility", "credibility_note", "responses")
_TEXT = {"type": "string", "minLength": 1}
#: Each ``description`` is the plain-words rule that a message quotes when a list is too short or long.
_POSITION = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 3,
    "description": "a position needs 2 or 3 numbers: longitude, latitude and an optional height",
}
_LINE = {"type": "array", "items": _POSITION, "minItems": 2, "description": "a line needs at least 2 positions"}
_RING = {
    "type": "array",
    "items": _POSITION,
    "minItems": 4,
    "description": "a polygon ring needs at least 4 positions, the last equal to the first",
}
_POLYGON = {"type": "array", "items": _RING, "minItems": 1, "description": "a polygon needs at least one ring"}
_BBOX = {
    "type": "array",
    "items": {"type": "number"},
    "anyOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
    "description": "a bbox needs 4 numbers (west, south, east, north) "
    "or 6 with heights (west, south, lowest, east, north, highest)",
}


def _not_allowed(names: tuple[str, ...], kind: str, reason: str) -> dict[str, Any]:
    """Return schemas refusing members that would change what an object of ``kind`` means (RFC 7946 §7.1)."""
    refused = {"not": {}, "description": f"not allowed in a {kind}: {reason} (RFC 7946 §7.1)"}
    return dict.fromkeys(names, refused)


_FEATURES_ONLY = "only a FeatureCollection holds features"
#: Members a geometry may have besides ``type`` and its own ``coordinates`` or ``geometries``.
_GEOMETRY_MEMBERS = {
    "bbox": _BBOX,
    **_not_allowed(("geometry", "properties"), "geometry", "it belongs to the Feature around the geometry"),
    **_not_allowed(("features",), "geometry", _FEATURES_ONLY),
}
COORDINATES = {
    "Point": _POSITION,
    "MultiPoint": {"type": "array", "items": _POSITION},
    "LineString": _LINE,
    "MultiLineString": {"type": "array", "items": _LINE},
    "Polygon": _POLYGON,
    "MultiPolygon": {"type": "array", "items": _POLYGON},
}


def _members(kind: str) -> dict[str, Any]:
    """Return the required members and their schemas of one geometry type."""
    if kind == "GeometryCollection":
        return {"geometries": {"type": "array", "items": {"$ref": "#/$defs/geometry"}}}
    return {"coordinates": COORDINATES[kind]}


def _geometry_schema() -> dict[str, Any]:
    branches = [
        {"if": {"properties": {"type": {"const": kind}}}, "then": {"required": list(members), "properties": members}}
        for kind in GEOMETRY_TYPES
        for members in [_members(kind)]
    ]
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(GEOMETRY_TYPES)}, **_GEOMETRY_MEMBERS},
        "allOf": branches,
    }


FEATURE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "geometry"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": ["string", "number"]},
        "geometry": {"type": ["object", "null"]},
        "properties": {"type": ["object", "null"]},
        "bbox": _BBOX,
        **_not_allowed(("coordinates", "geometries"), "Feature", "its shape belongs in 'geometry'"),
        **_not_allowed(("features",), "Feature", _FEATURES_ONLY),
    },
}

#: The members of a FeatureCollection beside ``features``, whose own messages come from the validator.
COLLECTION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "bbox": _BBOX,
        **_not_allowed(
            ("coordinates", "geometries"), "FeatureCollection", "shapes belong in each feature's 'geometry'"
        ),
        **_not_allowed(("geometry", "properties"), "FeatureCollection", "each feature has its own"),
    },
}

_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_IDS = {"type": "array", "items": _ID}
_SOURCE_IDS = {"type": "array", "items": _TEXT}
_EDTF = {"type": "string", "format": "edtf"}
_RESPONSE = {
    "type": "object",
    "required": ["type", "by", "date", "source"],
    "properties": {
        "type": {"enum": list(RESPONSE_TYPES)},
        "by": _TEXT,
        "date": _EDTF,
        "source": _TEXT,
        "quote": {"type": "string"},
        "quote_en": {"type": "string"},
        "summary": {"type": "string"},
        "feature": _ID,
    },
    "additionalProperties": False,
}


def _required_when(condition: dict[str, Any], names: tuple[str, ...], texts: bool = True) -> dict[str, Any]:
    then: dict[str, Any] = {"required": list(names)}
    if texts:
        then["properties"] = {name: _TEXT for name in names}
    return {"if": condition, "then": then}


CLAIM_PROPERTIES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": list(BASE_REQUIRED),
    "properties": {
        "id": _ID,
        "layer": _TEXT,
        "title": _TEXT,
        "kind": {"enum": list(KINDS)},
        "standing": {"enum": ["", *STANDINGS]},
        "standing_basis": {"type": "string"},
        "claim": {"type": "string"},
        "claimant": {"type": "string"},
        "answers": _IDS,
        "responses": {"type": "array", "items": _RESPONSE},
        "event_date": _EDTF,
        "report_date": _EDTF,
        "source_chain": {**_SOURCE_IDS, "minItems": 1},
        "source_id": _TEXT,
        "source": _TEXT,
        "geometry_source": {"type": "string"},
        "also_reported_by": _SOURCE_IDS,
        "see_also": _SOURCE_IDS,
        "quote": {"type": "string"},
        "quote_en": {"type": "string"},
        "reliability": {"enum": ["", *RELIABILITY]},
        "credibility": {"enum": ["", 1, 2, 3, 4, 5, 6]},
        "credibility_note": {"type": "string"},
        "grade": {"type": "string"},
        "precision": {"enum": list(PRECISIONS)},
        "uncertainty_km": {"type": ["number", "string"], "minimum": 0, "maxLength": 0},
        "placement": {"enum": list(PLACEMENTS)},
        "method": _TEXT,
    },
    "allOf": [
        _required_when({"properties": {"kind": {"not": {"const": "context"}}}}, STATEMENT_REQUIRED[:-1]),
        _required_when({"properties": {"kind": {"not": {"const": "context"}}}}, ("source_chain",), texts=False),
        _required_when({"properties": {"kind": {"enum": list(KINDS_WITH_STANDING)}}}, STANDING_REQUIRED[:2]),
        _required_when({"properties": {"kind": {"enum": list(KINDS_WITH_STANDING)}}}, STANDING_REQUIRED[2:], False),
        _required_when({"properties": {"kind": {"const": "denial"}}}, ("answers",), texts=False),
        {
            "if": {"properties": {"kind": {"const": "denial"}}, "required": ["kind"]},
            "then": {"properties": {"answers": {"minItems": 1}}},
        },
        {
            "if": {"properties": {"kind": {"not": {"enum": list(KINDS_WITH_STANDING)}}}},
            "then": {"properties": {"standing": {"const": ""}}},
        },
        _required_when({"properties": {"precision": {"not": {"const": "unknown"}}}}, ("uncertainty_km",), False),
    ],
}


@cache
def feature_validator() -> Draft202012Validator:
    """Return the validator for the GeoJSON structure of one Feature."""
    return Draft202012Validator(FEATURE_SCHEMA)


@cache
def collection_validator() -> Draft202012Validator:
    """Return the validator for the members of a FeatureCollection other than its features."""
    return Draft202012Validator(COLLECTION_SCHEMA)


GEOMETRY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {"geometry": _geometry_schema()},
    "$ref": "#/$defs/geometry",
}


def geometry_validator(kind: str | None = None) -> Draft202012Validator:
    """Return the validator for the GeoJSON structure of one geometry.

    Parameters
    ----------
    kind : str, optional
        The geometry's ``type``. A known type gets a validator for that type alone, which skips the
        other types' branches (about 3 times faster on large uploads); anything else the general one.
        Unknown types all share it, so an upload's junk types cannot fill the cache.

    Returns
    -------
    jsonschema.Draft202012Validator
    """
    return _geometry_validator(kind if kind in GEOMETRY_TYPES else None)


@lru_cache(maxsize=len(GEOMETRY_TYPES) + 1)
def _geometry_validator(kind: str | None) -> Draft202012Validator:
    if kind is None:
        return Draft202012Validator(GEOMETRY_SCHEMA)
    members = _members(kind)
    typed = {
        "$schema": GEOMETRY_SCHEMA["$schema"],
        "$defs": GEOMETRY_SCHEMA["$defs"],
        "type": "object",
        "required": ["type", *members],
        "properties": {"type": {"const": kind}, **members, **_GEOMETRY_MEMBERS},
    }
    return Draft202012Validator(typed)


FORMATS = FormatChecker(formats=())


@FORMATS.checks("edtf")
def _is_edtf_text(value: object) -> bool:
    return not isinstance(value, str) or value == "" or is_edtf(value)


@cache
def claim_validator() -> Draft202012Validator:
    """Return the validator for a claim feature's properties (dates checked as EDTF by PyPI ``edtf``)."""
    return Draft202012Validator(CLAIM_PROPERTIES_SCHEMA, format_checker=FORMATS)
