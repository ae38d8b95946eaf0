"""GeoJSON downloads: one layer or every visible layer, citations inside, with meaningful names."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from geo.catalog import Layer

MEDIA_TYPE = "application/geo+json"


def slug(text: str) -> str:
    """Return a file-name-safe slug of ``text`` (lower case, hyphens), never empty."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "layer"


def download_name(case_id: str, scope: str, day: dt.date | None = None, extension: str = "geojson") -> str:
    """Return ``claim-map_<case>_<layer or view>_<YYYY-MM-DD>.<extension>``.

    Parameters
    ----------
    case_id : str
        The case, e.g. ``belarus-2020-08``.
    scope : str
        A layer id, or ``view`` for every visible layer.
    day : datetime.date, optional
        The export date; today (UTC) by default.
    extension : str
        File extension without the dot.

    Returns
    -------
    str
    """
    day = day or dt.datetime.now(dt.UTC).date()
    return f"claim-map_{slug(case_id)}_{slug(scope)}_{day.isoformat()}.{extension}"


def export_collection(layers: Sequence[tuple[Layer, dict[str, Any]]], name: str) -> dict[str, Any]:
    """Merge layers into one FeatureCollection; every feature keeps its ``layer`` and citation.

    Features of imported layers that lack a ``layer`` property get the layer id.
    """
    features = []
    for layer, collection in layers:
        for feature in collection.get("features", []):
            properties = {"layer": layer.id, **(feature.get("properties") or {})}
            features.append({"type": "Feature", "properties": properties, "geometry": feature.get("geometry")})
    return {"type": "FeatureCollection", "name": name, "features": features}


def to_bytes(collection: dict[str, Any]) -> bytes:
    """Serialise a FeatureCollection as UTF-8 GeoJSON."""
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
