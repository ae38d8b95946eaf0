"""Features as the rows of a table (GeoPackage, CSV, KML data): the feature id kept as a column."""

from __future__ import annotations

from typing import Any

from geo.downloads import free_name

#: The column of a feature's top-level ``id`` when its own ``id`` property holds something else.
FEATURE_ID = "feature_id"


def table_collection(collection: dict[str, Any]) -> dict[str, Any]:
    """Return a FeatureCollection whose properties a GDAL table driver writes without losing a value.

    Parameters
    ----------
    collection : dict
        An export FeatureCollection (see ``geo.downloads.export_collection``).

    Returns
    -------
    dict
        The same features with no top-level ``id``: it becomes the ``id`` property, or ``feature_id``
        (``feature_id_2``... if taken) where the feature's own ``id`` property differs from it.
    """
    features = [
        {"type": "Feature", "properties": row_properties(feature), "geometry": feature.get("geometry")}
        for feature in collection.get("features", [])
    ]
    return {**collection, "features": features}


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
