"""Filter features by standing, grade, event date and text, the same way for the map, table and downloads."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.model.claims import (
    CONTEXT,
    CREDIBILITY,
    RELIABILITY,
    SHOWN_STANDINGS,
    cited_source_ids,
    event_span,
    overlaps,
    shown_kind,
    shown_standing,
)
from geo.model.layers import LayerData

#: The standings a user can filter by: every standing a feature can be shown with.
STANDING_CHOICES = SHOWN_STANDINGS
#: The halves of a grade a user can filter by.
RELIABILITY_CHOICES = tuple(RELIABILITY)
CREDIBILITY_CHOICES = tuple(CREDIBILITY)
#: The properties the text search reads, besides the feature's sources.
SEARCHED_FIELDS = ("title", "claim", "claimant", "quote", "quote_en", "source")
#: What joins the searched texts of one feature, so that no term matches across two of them.
SEPARATOR = "\n"


@dataclass(frozen=True)
class Filters:
    """What the user keeps; ``None`` keeps everything on that count.

    ``standings``: shown standings. ``reliability`` and ``credibility``: the halves of a grade
    (features without a grade, such as denials and context, pass). ``dates``: an inclusive window
    that keeps every feature whose EDTF ``event_date`` overlaps it (undated features pass). ``text``: a
    search (see ``matches``) over each feature's title, claim, claimant, quote, translation and sources
    (context features, geography, pass). ``source_titles``: source id to the words a source is found by
    (see ``source_titles``); not something the user chose, so equal filters need not share it.
    """

    standings: frozenset[str] | None = None
    reliability: frozenset[str] | None = None
    credibility: frozenset[str] | None = None
    dates: tuple[dt.date, dt.date] | None = None
    text: str | None = None
    source_titles: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    def keeps(self, feature: dict[str, Any], source_titles: Mapping[str, str] | None = None) -> bool:
        """True if the feature passes every filter.

        ``source_titles`` (source id to title) lets the search find a feature by its sources' titles; it
        defaults to the filters' own ``source_titles``.
        """
        properties = feature.get("properties") or {}
        if self.standings is not None and shown_standing(feature) not in self.standings:
            return False
        if not _grade_passes(properties.get("reliability"), self.reliability):
            return False
        if not _grade_passes(properties.get("credibility"), self.credibility):
            return False
        span = event_span(properties.get("event_date"))
        if self.dates is not None and span is not None and not overlaps(span, self.dates):
            return False
        terms = self.terms
        if not terms:
            return True
        text = feature_text(feature, self.source_titles if source_titles is None else source_titles)
        return text is None or all(term in text for term in terms)

    @property
    def terms(self) -> tuple[str, ...]:
        """The search terms, normalised (see ``search_terms``); empty without a search."""
        return search_terms(self.text)

    @property
    def is_active(self) -> bool:
        """True if the filters could hide anything."""
        chosen = (self.standings, self.reliability, self.credibility, self.dates)
        return any(value is not None for value in chosen) or bool(self.terms)


def as_key(kept: Filters) -> tuple[Any, ...]:
    """Return the filters as a tuple of sorted lists, dates and search terms, the same for equal filters."""
    sets = (kept.standings, kept.reliability, kept.credibility)
    return (*(None if chosen is None else sorted(chosen) for chosen in sets), kept.dates, kept.terms)


def normalise(text: str) -> str:
    """Return text as the search compares it: Unicode NFKC, then case-folded (``Straße`` gives ``strasse``)."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_terms(query: str | None) -> tuple[str, ...]:
    """Return the distinct whitespace-separated terms of a search, normalised, longest first; ``()`` for none.

    Every term must occur, so their order does not change what is kept; the longest is usually the rarest,
    and testing it first rules most features out soonest.
    """
    if not isinstance(query, str):
        return ()
    return tuple(sorted(set(normalise(query).split()), key=lambda term: (-len(term), term)))


def source_titles(sources: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Return the words each CSL-JSON source is found by: its title, outlet, publisher and authors.

    Parameters
    ----------
    sources : Mapping
        Source id to CSL-JSON item, as the case loads them.

    Returns
    -------
    dict
        Source id to those words, one per line.
    """
    found = {}
    for source_id, item in sources.items():
        names = [_author_name(author) for author in item.get("author") or [] if isinstance(author, Mapping)]
        parts = [item.get("title"), item.get("container-title"), item.get("publisher"), *names]
        found[source_id] = SEPARATOR.join(part for part in parts if isinstance(part, str) and part)
    return found


def _author_name(author: Mapping[str, Any]) -> str:
    return str(author.get("literal") or " ".join(str(author.get(key) or "") for key in ("given", "family")).strip())


def feature_text(feature: Mapping[str, Any], source_titles: Mapping[str, str] | None = None) -> str | None:
    """Return the normalised text the search reads in a feature; ``None`` for context, which it never hides.

    Parameters
    ----------
    feature : Mapping
        A GeoJSON Feature.
    source_titles : Mapping, optional
        Source id to title (``source_titles``); each source the feature cites is found by its id and title.

    Returns
    -------
    str or None
        Title, claim, claimant, quote, translation, citation, then every cited source's id and title, one
        per line, normalised (``normalise``).
    """
    if shown_kind(feature) == CONTEXT:
        return None
    properties = feature.get("properties") or {}
    parts = [properties.get(name) for name in SEARCHED_FIELDS]
    for source_id in cited_source_ids(properties):
        parts += [source_id, (source_titles or {}).get(source_id)]
    return normalise(SEPARATOR.join(part for part in parts if isinstance(part, str) and part))


def search_mask(texts: Sequence[str | None], query: str | None) -> np.ndarray:
    """Return which features a search keeps, for texts made once per case by ``feature_text``.

    Parameters
    ----------
    texts : sequence of str or None
        Each feature's ``feature_text``; ``None`` (context) is always kept.
    query : str or None
        The search; every term must occur in a text for it to be kept.

    Returns
    -------
    numpy.ndarray
        Booleans, one per text, the same as ``Filters(text=query).keeps`` gives feature by feature.
    """
    terms = search_terms(query)
    if not terms:
        return np.ones(len(texts), dtype=bool)
    return np.fromiter((text is None or all(term in text for term in terms) for text in texts), bool, len(texts))


def _grade_passes(value: Any, kept: frozenset[str] | None) -> bool:
    if kept is None or value in (None, ""):
        return True
    return str(value) in kept


def apply(
    layers: Sequence[LayerData], filters: Filters, source_titles: Mapping[str, str] | None = None
) -> list[LayerData]:
    """Return the layers with only the features the filters keep.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
    filters : Filters
    source_titles : Mapping, optional
        Source id to title, for the search (defaults to the filters' own).

    Returns
    -------
    list of (Layer, FeatureCollection)
    """
    if not filters.is_active:
        return list(layers)
    return [
        (layer, {**collection, "features": [f for f in collection["features"] if filters.keeps(f, source_titles)]})
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
