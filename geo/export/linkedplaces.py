"""Time and certainty for GeoJSON readers: Linked Places ``when`` timespans and geometry ``certainty``.

Linked Places Format (LPF) v1.2, the temporal GeoJSON of the World Historical Gazetteer and Peripleo, scopes a
feature in time with ``"when": {"timespans": [{"start": {...}, "end": {...}}]}``, each bound ``{"in": day}`` when
it is known to the day, or ``{"earliest": day, "latest": day}`` when it is not; and marks a geometry
``certain``, ``less-certain`` or ``uncertain``. Both are foreign members (RFC 7946, section 6.1): GeoJSON
readers that do not know them, GDAL and QGIS among them, ignore them. ``date_start`` / ``date_end`` carry the
same span as flat ISO properties for tools that read only properties.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from geo.model.claims import event_span

#: The feature member that holds an LPF ``when`` object.
WHEN = "when"
#: The geometry member that holds an LPF certainty.
CERTAINTY = "certainty"
#: Precisions that pin a feature to a place (a point or a named place), unlike a route or a region.
PINNED = frozenset({"exact", "place"})
#: LPF certainty of a geometry by (placement, pinned): a source's pinned place is certain; a stated route or
#: region, or the project's own pinned inference, less certain; an inferred route or region uncertain.
CERTAINTIES = {
    ("stated", True): "certain",
    ("stated", False): "less-certain",
    ("inferred", True): "less-certain",
    ("inferred", False): "uncertain",
}
#: EDTF spellings of an open or unknown end of an interval.
OPEN_ENDS = frozenset({"", ".."})


def date_range(event_date: Any) -> tuple[str, str]:
    """Return the first and last day an EDTF date may cover as ISO dates; ``""`` at an open end or if none.

    Parameters
    ----------
    event_date : Any
        An EDTF date or interval: ``2020-08-17``, ``2020-08-17/2020-08-20``, ``../2020-08-16``.

    Returns
    -------
    tuple of str
        ``("2020-08-17", "2020-08-20")``; ``("", "2020-08-16")`` for ``../2020-08-16``; ``("", "")`` if the
        value is no EDTF date.
    """
    span = event_span(event_date)
    if span is None:
        return "", ""
    return tuple(day.isoformat() if day else "" for day in span)


def _part_span(text: str) -> tuple[dt.date, dt.date] | None:
    span = None if text.strip() in OPEN_ENDS else event_span(text)
    return span if span and span[0] and span[1] else None


def _bound(span: tuple[dt.date, dt.date]) -> dict[str, str]:
    first, last = span
    if first == last:
        return {"in": first.isoformat()}
    return {"earliest": first.isoformat(), "latest": last.isoformat()}


def timespan(event_date: Any) -> dict[str, dict[str, str]] | None:
    """Return an EDTF date or interval as one LPF timespan.

    Each end known to the day is ``{"in": day}``; an end known less precisely (``2020-08``) gives the days it
    may fall on as ``{"earliest": ..., "latest": ...}``. A single date is both start and end. An open start
    is ``{"latest": <end's last day>}`` (LPF requires a start); an open end is ``{"earliest": <start's first
    day>}``.

    Parameters
    ----------
    event_date : Any
        An EDTF date or interval.

    Returns
    -------
    dict or None
        ``{"start": {...}, "end": {...}}``; ``None`` if the value is no EDTF date or both ends are open.
    """
    whole = event_span(event_date)
    if whole is None or whole == (None, None):
        return None
    first_text, slash, last_text = str(event_date).strip().partition("/")
    first, last = _part_span(first_text), _part_span(last_text if slash else first_text)
    start = _bound(first) if first else {"latest": whole[1].isoformat()}
    end = _bound(last) if last else {"earliest": whole[0].isoformat()}
    return {"start": start, "end": end}


def when(properties: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]] | None:
    """Return a feature's LPF ``when`` object from its ``event_date``; ``None`` if it has no date."""
    span = timespan(properties.get("event_date"))
    return {"timespans": [span]} if span else None


def certainty(properties: Mapping[str, Any]) -> str | None:
    """Return the LPF certainty of a feature's geometry from its ``placement`` and ``precision``.

    Returns
    -------
    str or None
        ``certain``, ``less-certain`` or ``uncertain`` (see ``CERTAINTIES``); ``None`` if either field is
        missing or not in the vocabulary.
    """
    placement, precision = properties.get("placement"), properties.get("precision")
    if precision not in (*PINNED, "route", "region"):
        return None
    return CERTAINTIES.get((placement, precision in PINNED))


def with_linked_places(collection: dict[str, Any]) -> dict[str, Any]:
    """Return an export FeatureCollection with LPF ``when`` on each dated feature and ``certainty`` on geometries.

    The input is not changed. A feature without geometry (a denial that names no place) keeps ``null``.
    """
    features = []
    for feature in collection.get("features", []):
        properties = feature.get("properties") or {}
        extended = dict(feature)
        scope, sure, geometry = when(properties), certainty(properties), feature.get("geometry")
        if scope:
            extended[WHEN] = scope
        if sure and geometry:
            extended["geometry"] = {**geometry, CERTAINTY: sure}
        features.append(extended)
    return {**collection, "features": features}
