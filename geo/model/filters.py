"""Filter features by status and event date, the same way for the map and the current-view download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from geo.model.layers import LayerData
from geo.model.standing import SHOWN_STATUSES, shown_status

#: The statuses a user can filter by: every status a feature can be shown with.
STATUS_CHOICES = SHOWN_STATUSES


def date_range(value: Any) -> tuple[dt.date, dt.date] | None:
    """Return the (start, end) of an ISO date or ``start/end`` interval, or ``None`` if there is none."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parts = [dt.date.fromisoformat(part) for part in value.split("/", 1)]
    except ValueError:
        return None
    return parts[0], parts[-1]


@dataclass(frozen=True)
class Filters:
    """What the user keeps: statuses (``None``: all) and an inclusive date window (``None``: any)."""

    statuses: frozenset[str] | None = None
    dates: tuple[dt.date, dt.date] | None = None

    def keeps(self, feature: dict[str, Any]) -> bool:
        """True if the feature passes both filters: its shown status is kept; undated features pass the dates."""
        if self.statuses is not None and shown_status(feature) not in self.statuses:
            return False
        span = date_range((feature.get("properties") or {}).get("event_date"))
        if self.dates is None or span is None:
            return True
        return span[0] <= self.dates[1] and span[1] >= self.dates[0]

    @property
    def is_active(self) -> bool:
        """True if the filters could hide anything."""
        return self.statuses is not None or self.dates is not None


def apply(layers: Sequence[LayerData], filters: Filters) -> list[LayerData]:
    """Return the layers with only the features the filters keep.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
    filters : Filters

    Returns
    -------
    list of (Layer, FeatureCollection)
    """
    if not filters.is_active:
        return list(layers)
    return [
        (layer, {**collection, "features": [f for f in collection["features"] if filters.keeps(f)]})
        for layer, collection in layers
    ]


def dates_in(layers: Iterable[LayerData]) -> list[dt.date]:
    """Return every day covered by a feature's event date, sorted."""
    days = set()
    for _, collection in layers:
        for feature in collection["features"]:
            span = date_range((feature.get("properties") or {}).get("event_date"))
            if span:
                days.update(span[0] + dt.timedelta(n) for n in range((span[1] - span[0]).days + 1))
    return sorted(days)
