"""Validation of GeoJSON documents, claim properties, the case folder and imports, in plain words."""

from geo.validate.document import validate_document
from geo.validate.geometry import check_geometry
from geo.validate.problems import (
    UNREADABLE,
    Context,
    HasProblems,
    Limits,
    Mode,
    Note,
    Problem,
    Region,
    Report,
    Unreadable,
    as_region,
)
from geo.validate.reading import parse_json, read_document

__all__ = [
    "UNREADABLE",
    "Context",
    "HasProblems",
    "Limits",
    "Mode",
    "Note",
    "Problem",
    "Region",
    "Report",
    "Unreadable",
    "as_region",
    "check_geometry",
    "parse_json",
    "read_document",
    "validate_document",
]
