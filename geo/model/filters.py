"""Filter features by standing, grade and event date, the same way for the map and the current-view download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from geo.model.claims import CREDIBILITY, RELIABILITY, SHOWN_STANDINGS, event_span, overlaps, shown_standing
from geo.model.layers import LayerData

#: The standings a user can filter by: every standing a feature can be shown with.
STANDING_CHOICES = SHOWN_STANDINGS
#: The halves of a grade a user can filter by.
RELIABILITY_CHOICES = tuple(RELIABILITY)
CREDIBILITY_CHOICES = tuple(CREDIBILITY)


@dataclass(frozen=True)
class Filters:
    """What the user keeps; ``None`` keeps everything on that count.

    ``standings``: shown standings. ``reliability`` and ``credibility``: the halves of a grade
    (features without a grade, such as denials and context, pass). ``dates``: an inclusive window
    that keeps every feature whose EDTF ``event_date`` overlaps it (undated features pass).
    """

    standings: frozenset[str] | None = None
    reliability: frozenset[str] | None = None
    credibility: frozenset[str] | None = None
    dates: tuple[dt.date, dt.date] | None = None

    def keeps(self, feature: dict[str, Any]) -> bool:
        """True if the feature passes every filter."""
        properties = feature.get("properties") or {}
        if self.standings is not None and shown_standing(feature) not in self.standings:
            return False
        if not _grade_passes(properties.get("reliability"), self.reliability):
            return False
        if not _grade_passes(properties.get("credibility"), self.credibility):
            return False
        span = event_span(properties.get("event_date"))
        return self.dates is None or span is None or overlaps(span, self.dates)

    @property
    def is_active(self) -> bool:
        """True if the filters could hide anything."""
        return any(value is not None for value in (self.standings, self.reliability, self.credibility, self.dates))


def as_key(kept: Filters) -> tuple[Any, ...]:
    """Return the filters as a tuple of sorted lists and dates, the same for equal filters (a cache key)."""
    sets = (kept.standings, kept.reliability, kept.credibility)
    return (*(None if chosen is None else sorted(chosen) for chosen in sets), kept.dates)


def _grade_passes(value: Any, kept: frozenset[str] | None) -> bool:
    if kept is None or value in (None, ""):
        return True
    return str(value) in kept


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
    """Return every day between the bounds of the features' event dates, sorted (open ends add no day)."""
    days = set()
    for _, collection in layers:
        for feature in collection["features"]:
            span = event_span((feature.get("properties") or {}).get("event_date"))
            if span is None:
                continue
            first, last = span[0] or span[1], span[1] or span[0]
            days.update(first + dt.timedelta(n) for n in range((last - first).days + 1))
    return sorted(days)
