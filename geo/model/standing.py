"""A feature's standing: the one status it is shown with on the map, in the filter, the legend and every export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from geo.model.schema import STATUSES

UNSOURCED = "unsourced"
#: Every status a feature can be shown with: the vocabulary, then ``unsourced``.
SHOWN_STATUSES = (*STATUSES, UNSOURCED)
#: The member an import adds to a feature without our claim fields: why it counts as unsourced.
#: It is not a property, and the import keeps no member of an uploaded feature but its type, id,
#: geometry and properties, so no file can set it.
UNSOURCED_MEMBER = "unsourced"


def shown_status(feature: Mapping[str, Any]) -> str:
    """Return the status a feature is shown with everywhere.

    Parameters
    ----------
    feature : Mapping
        A GeoJSON Feature as read from disk or imported.

    Returns
    -------
    str
        ``unsourced`` if the import marked the feature so (see ``mark_unsourced``) or its own
        ``status`` is not in the vocabulary; else its own ``status``.
    """
    status = (feature.get("properties") or {}).get("status")
    if feature.get(UNSOURCED_MEMBER) or not isinstance(status, str) or status not in STATUSES:
        return UNSOURCED
    return status


def unsourced_reasons(feature: Mapping[str, Any]) -> list[str]:
    """Return why the import marked a feature unsourced; empty if it did not."""
    return list(feature.get(UNSOURCED_MEMBER) or [])


def mark_unsourced(features: Iterable[dict[str, Any]], reasons: Mapping[int, list[str]]) -> list[dict[str, Any]]:
    """Return the features, those at a position in ``reasons`` as copies marked unsourced for those reasons.

    Parameters
    ----------
    features : iterable of dict
        Accepted features, in order.
    reasons : Mapping
        Position in ``features`` to the reasons the feature counts as unsourced (missing claim fields).

    Returns
    -------
    list of dict
    """
    return [
        {**feature, UNSOURCED_MEMBER: list(reasons[index])} if reasons.get(index) else feature
        for index, feature in enumerate(features)
    ]
