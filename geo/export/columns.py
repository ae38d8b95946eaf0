"""Features as the rows of a table (GeoPackage, CSV, KML data): the feature id kept, no two names alike.

A table cell holds text or a number, so a list or object value (``source_chain``, ``answers``, ``responses``...)
is written as JSON text, ``["lukashenko-remarks-2020-08", "seed-article"]``: readable as it stands, parsed back
with ``json.loads`` (or QGIS's ``from_json``) to the very same value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from geo.model.names import free_name

#: The column of a feature's top-level ``id`` when its own ``id`` property holds something else.
FEATURE_ID = "feature_id"


def table_collection(collection: dict[str, Any], reserved: Iterable[str] = ()) -> dict[str, Any]:
    """Return a FeatureCollection whose properties a GDAL table driver writes without losing a value.

    Parameters
    ----------
    collection : dict
        An export FeatureCollection (see ``geo.export.geojson.export_collection``).
    reserved : iterable of str
        The driver's own column names (GeoPackage: ``fid``, ``geom``): properties named so are numbered.

    Returns
    -------
    dict
        The same features with no top-level ``id``: it becomes the ``id`` property, or ``feature_id``
        (``feature_id_2``... if taken) where the feature's own ``id`` property differs from it.
        Property names are made unique regardless of case (see ``column_names``); list and object
        values become JSON text (see ``cell``). In a column of numbers, an empty text (the claim schema's
        "none", as in ``credibility``) becomes an empty cell, so the driver types the column as numbers.
    """
    rows = [row_properties(feature) for feature in collection.get("features", [])]
    names = column_names((name for properties in rows for name in properties), reserved)
    numeric = numeric_columns(rows)
    features = [
        {
            "type": "Feature",
            "properties": {
                names[name]: None if value == "" and name in numeric else cell(value)
                for name, value in properties.items()
            },
            "geometry": feature.get("geometry"),
        }
        for properties, feature in zip(rows, collection.get("features", []), strict=True)
    ]
    return {**collection, "features": features}


def numeric_columns(rows: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Return the names whose values are all numbers, empty text or null, with at least one number.

    Each name maps to ``int`` if all its numbers are whole (``int``), else ``float``.
    """
    kinds: dict[str, type | None] = {}
    for properties in rows:
        for name, value in properties.items():
            if value in ("", None) or kinds.get(name, int) is None:
                continue
            whole = isinstance(value, int) and kinds.get(name, int) is int
            kinds[name] = (int if whole else float) if is_number(value) else None
    return {name: kind for name, kind in kinds.items() if kind is not None}


def is_number(value: Any) -> bool:
    """True for an int or float (not a bool, which JSON and GDAL keep apart)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell(value: Any) -> Any:
    """Return a property value as a table cell: a list or object as JSON text, anything else as it is."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | tuple | dict) else value


def row_properties(feature: dict[str, Any]) -> dict[str, Any]:
    """Return a feature's properties with its top-level ``id`` folded in (see ``table_collection``)."""
    properties = dict(feature.get("properties") or {})
    if "id" not in feature:
        return properties
    if "id" not in properties:
        properties["id"] = feature["id"]
    elif properties["id"] != feature["id"]:
        properties[free_name(FEATURE_ID, properties)] = feature["id"]
    return properties


def column_names(names: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Return a column name for each property name, unique regardless of case (GeoPackage and CSV need it).

    The first spelling met keeps its name. Each later spelling that differs from it only by case
    gets the first number, ``_2``, ``_3``..., that makes it unlike every other name: ``Name`` and
    ``name`` give ``Name`` and ``name_2``, or ``name_3`` if the data has a ``name_2`` already.
    A reserved name counts as met before all others.

    Parameters
    ----------
    names : iterable of str
        Property names in the order met, repeats allowed.
    reserved : iterable of str
        Names the table uses itself.

    Returns
    -------
    dict
        Each distinct name to its column name.
    """
    reserved = list(reserved)
    distinct = list(dict.fromkeys(names))
    taken = {name.casefold() for name in reserved}
    columns = {}
    for name in distinct:
        if name.casefold() not in taken:
            columns[name] = name
            taken.add(name.casefold())
    for name in distinct:
        if name not in columns:
            columns[name] = free_name(name, [*reserved, *distinct, *columns.values()], fold=str.casefold)
    return columns
