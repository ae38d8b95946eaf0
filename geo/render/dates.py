"""Dates in words, as the page reads them: ``15–16 Aug 2020``, ``on or before 16 Aug 2020``, ``Aug 2020``.

Babel writes the words (month names, interval patterns) in the interface language's locale
(``geo.render.i18n.current_locale``); nothing here names a month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel.dates import format_interval, format_skeleton

from geo.model.claims import Span, event_span
from geo.render.i18n import _, current_language, current_locale


def day_in_words(day: dt.date) -> str:
    """Return one day in words, e.g. ``16 Aug 2020`` (``16. Aug. 2020`` in German)."""
    return format_skeleton("yMMMd", day, locale=current_locale())


def _is_whole_month(first: dt.date, last: dt.date) -> bool:
    return first.day == 1 and (first.year, first.month) == (last.year, last.month) and (last + dt.timedelta(1)).day == 1


def _is_whole_year(first: dt.date, last: dt.date) -> bool:
    return (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year


def span_in_words(span: Span) -> str:
    """Return the days a date may cover in words.

    Parameters
    ----------
    span : tuple
        ``(first, last)`` as ``geo.model.claims.event_span`` gives it, ``None`` at an open end.

    Returns
    -------
    str
        ``16 Aug 2020``, ``15–16 Aug 2020``, ``Aug 2020`` (a whole month), ``2020`` (a whole year),
        ``on or before 16 Aug 2020``, ``on or after 17 Aug 2020``; ``""`` if both ends are open.
    """
    first, last = span
    if first is None and last is None:
        return ""
    if first is None:
        return _("on or before {day}").format(day=day_in_words(last))
    if last is None:
        return _("on or after {day}").format(day=day_in_words(first))
    if first == last:
        return day_in_words(first)
    if _is_whole_year(first, last):
        return format_skeleton("y", first, locale=current_locale())
    if _is_whole_month(first, last):
        return format_skeleton("yMMM", first, locale=current_locale())
    return format_interval(first, last, "yMMMd", locale=current_locale())


def edtf_in_words(value: Any) -> str:
    """Return an EDTF date or interval in words (see ``span_in_words``); ``""`` if it is no EDTF date."""
    return _edtf_in_words(value, current_language()) if isinstance(value, str) else ""


# A table of a thousand claims names a few dozen dates, each formatted by Babel in about 0.3 ms.
@lru_cache(maxsize=2048)
def _edtf_in_words(value: str, language: str) -> str:
    span = event_span(value)
    return "" if span is None else span_in_words(span)


def csl_date_in_words(item: Mapping[str, Any], key: str = "issued") -> str:
    """Return a CSL-JSON date (``{"date-parts": [[2020, 8, 16]]}``) in words: a day, a month or a year."""
    date = item.get(key)
    parts = date.get("date-parts") if isinstance(date, Mapping) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    try:
        numbers = [int(part) for part in first[:3]]
        if len(numbers) == 3:
            return day_in_words(dt.date(*numbers))
        if len(numbers) == 2:
            return format_skeleton("yMMM", dt.date(numbers[0], numbers[1], 1), locale=current_locale())
        if len(numbers) == 1:
            return format_skeleton("y", dt.date(numbers[0], 1, 1), locale=current_locale())
    except (TypeError, ValueError, OverflowError):
        return ""
    return ""
