"""The claim model: what a feature is (kind), where it stands (standing), who answered it, and its grade.

Every function here reads plain feature properties and CSL-JSON source items; nothing reads a file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from edtf import parse_edtf
from edtf.parser import grammar as edtf_grammar
from edtf.parser.edtf_exceptions import EDTFParseException
from pyparsing import ParseException

#: What a feature is.
KINDS = ("claim", "report", "denial", "statement", "context")
KIND_LABELS = {
    "claim": "Claim: a party asserts something",
    "report": "Report: a media or eyewitness report",
    "denial": "Denial: an on-record rejection of another feature",
    "statement": "Statement: any other on-record statement",
    "context": "Context: geography, not a claim",
}
#: The kinds that have a standing of their own.
KINDS_WITH_STANDING = ("claim", "report")
#: Where a claim or report stands now.
STANDINGS = ("unverified", "contested", "corroborated", "confirmed", "refuted", "retracted")
STANDING_LABELS = {
    "unverified": "Unverified: nobody has confirmed or denied it on record",
    "contested": "Contested: denied on record, not settled",
    "corroborated": "Corroborated: independent sources agree",
    "confirmed": "Confirmed",
    "refuted": "Refuted: shown to be false",
    "retracted": "Retracted by whoever made it",
}
#: The standing shown for kinds without one of their own.
ON_RECORD = "on-record"
CONTEXT = "context"
UNSOURCED = "unsourced"
#: Every standing a feature can be shown with, in legend order.
SHOWN_STANDINGS = (*STANDINGS, ON_RECORD, CONTEXT, UNSOURCED)
SHOWN_STANDING_LABELS = {
    **STANDING_LABELS,
    ON_RECORD: "On record: a denial or statement, as made",
    CONTEXT: "Context: geography, not a claim",
    UNSOURCED: "Unsourced: imported, no citation",
}
#: How someone answered a claim. A refusal to comment is not a denial and leaves the standing alone.
RESPONSE_TYPES = ("denial", "no-comment", "confirmation", "retraction")
RESPONSE_LABELS = {
    "denial": "denied",
    "no-comment": "refused to comment",
    "confirmation": "confirmed",
    "retraction": "retracted",
}
#: Whether a geometry is where a source puts it, or where the project infers it.
PLACEMENTS = ("stated", "inferred")
#: Admiralty code (NATO STANAG 2511 / AJP-2.1): source reliability.
RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
#: Admiralty code: credibility of the information.
CREDIBILITY = {
    "1": "Confirmed by other sources",
    "2": "Probably true",
    "3": "Possibly true",
    "4": "Doubtful",
    "5": "Improbable",
    "6": "Truth cannot be judged",
}
#: The pre-2026 ``status`` field, as kind and standing: imports that still use it load with a warning.
LEGACY_STATUS = {
    "claimed": ("claim", "unverified"),
    "reported": ("report", "unverified"),
    "denied": ("denial", None),
    "confirmed": ("report", "confirmed"),
    "context": ("context", None),
}
#: The member an import adds to a feature without our claim fields: why it counts as unsourced. It is
#: not a property, and an import keeps no member of an uploaded feature but its type, id, geometry and
#: properties, so no file can set it.
UNSOURCED_MEMBER = "unsourced"


def _properties(feature: Mapping[str, Any]) -> Mapping[str, Any]:
    return feature.get("properties") or {}


def shown_kind(feature: Mapping[str, Any]) -> str:
    """Return the kind a feature is drawn as: its own ``kind``, or ``unsourced`` if unknown or marked so."""
    kind = _properties(feature).get("kind")
    if feature.get(UNSOURCED_MEMBER) or not isinstance(kind, str) or kind not in KINDS:
        return UNSOURCED
    return kind


def shown_standing(feature: Mapping[str, Any]) -> str:
    """Return the standing a feature is shown with on the map, in the filter, the legend and every export.

    Parameters
    ----------
    feature : Mapping
        A GeoJSON Feature as read from disk or imported.

    Returns
    -------
    str
        A claim's or report's own ``standing``; ``on-record`` for a denial or statement; ``context``
        for geography; ``unsourced`` if the import marked the feature so or its kind or standing is
        not in the vocabulary.
    """
    kind = shown_kind(feature)
    if kind == UNSOURCED:
        return UNSOURCED
    if kind == CONTEXT:
        return CONTEXT
    if kind not in KINDS_WITH_STANDING:
        return ON_RECORD
    standing = _properties(feature).get("standing")
    return standing if isinstance(standing, str) and standing in STANDINGS else UNSOURCED


def recorded_standing(feature: Mapping[str, Any]) -> str:
    """Return the standing an exported file records: the shown one, but empty for kinds without a standing.

    A denial, statement or context feature is *shown* as ``on-record`` or ``context``; its file keeps
    ``standing`` empty, so that it reads back exactly as it was written.
    """
    shown = shown_standing(feature)
    return "" if shown in (ON_RECORD, CONTEXT) else shown


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


def grade(properties: Mapping[str, Any]) -> str:
    """Return the Admiralty grade of a claim or report, e.g. ``F5``; ``""`` if either half is missing.

    The letter is the reliability of the source the information came from first (the first step of
    its chain, copied to ``reliability`` when the layer is built); the digit is the information's
    ``credibility``. Both are the project's assessment.
    """
    letter, digit = str(properties.get("reliability") or ""), str(properties.get("credibility") or "")
    return f"{letter}{digit}" if letter in RELIABILITY and digit in CREDIBILITY else ""


def grade_words(code: str) -> str:
    """Return a grade in words: ``F5`` gives ``reliability cannot be judged, improbable``."""
    if len(code) != 2 or code[0] not in RELIABILITY or code[1] not in CREDIBILITY:
        return ""
    return f"{RELIABILITY[code[0]].lower()}, {CREDIBILITY[code[1]].lower()}"


Span = tuple[dt.date | None, dt.date | None]


@lru_cache(maxsize=1024)
def event_span(value: Any) -> Span | None:
    """Return the first and last day an EDTF date or interval may cover; ``None`` at an open end.

    Parameters
    ----------
    value : Any
        An EDTF string: ``2020-08-17``, ``2020-08-17/2020-08-20``, ``../2020-08-16`` (on or before),
        ``2020-08`` (some day in August); an unknown end (``/2020-08-16``) counts as open.

    Returns
    -------
    tuple or None
        ``(first, last)``, either ``None`` where the interval is open; ``None`` if ``value`` is no
        EDTF date (the validator says why).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    return _span_of(value.strip())


#: EDTF's levels, simplest first: the grammars ``edtf.parse_edtf`` tries all at once.
EDTF_LEVELS = (edtf_grammar.level0Expression, edtf_grammar.level1Expression, edtf_grammar.level2Expression)


def parse_date(text: str) -> Any:
    """Return what ``edtf.parse_edtf`` returns for ``text``, trying one EDTF level at a time, simplest first.

    ``parse_edtf`` matches every level against every string and keeps the longest match, the first level on a
    tie: a plain day takes it about 12 ms, an interval 21 ms. A level that parses the whole string wins there,
    so the first level here that does gives the same date, at about 1 ms for a day and 2 ms for an interval.
    Where no level does, or one fails in its own code, ``parse_edtf`` itself answers, errors included.

    Raises
    ------
    EDTFParseException
        If ``text`` is no EDTF date.
    """
    for level in EDTF_LEVELS:
        try:
            return level.parse_string(text.strip(), parse_all=True)[0]
        except ParseException:
            continue
        except Exception:  # noqa: BLE001 - a level's own failure is for parse_edtf to report, as it would
            break
    return parse_edtf(text)


# A case of thousands of claims repeats its dates: each distinct one is parsed once.
@lru_cache(maxsize=4096)
def _span_of(text: str) -> Span | None:
    try:
        parsed = parse_date(text)
        first, last = _day(parsed.lower_strict()), _day(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError, AttributeError, IndexError, OverflowError):
        return None
    # An unknown end ("/2020-08-16") is as open as ".." here: edtf guesses ten years, the source does not.
    return (None if text.startswith("/") else first), (None if text.endswith("/") else last)


def _day(moment: Any) -> dt.date | None:
    if isinstance(moment, float) and math.isinf(moment):
        return None
    return dt.date(moment.tm_year, moment.tm_mon, moment.tm_mday)


def is_edtf(value: Any) -> bool:
    """True if ``value`` is an EDTF date or interval this project can place in time."""
    return event_span(value) is not None


def overlaps(span: Span, window: tuple[dt.date, dt.date]) -> bool:
    """True if a span (open ends allowed) shares at least one day with an inclusive window."""
    first, last = span
    return (first is None or first <= window[1]) and (last is None or last >= window[0])


def as_list(value: Any) -> list[Any]:
    """Return a list property as a list: a missing or empty value gives ``[]``, a lone value a list of one."""
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def responses(properties: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a claim's responses (objects only), sorted by date; undated ones last."""
    items = [item for item in as_list(properties.get("responses")) if isinstance(item, Mapping)]
    return sorted(items, key=lambda item: (event_span(item.get("date")) or (None, None))[0] or dt.date.max)


def denial_ids(properties: Mapping[str, Any]) -> list[str]:
    """Return the ids of the denial features that answer a claim (responses of type ``denial``)."""
    return [
        str(item["feature"])
        for item in responses(properties)
        if item.get("type") == "denial" and isinstance(item.get("feature"), str) and item["feature"]
    ]


def has_denial(properties: Mapping[str, Any]) -> bool:
    """True if anyone denied the claim on record (a response of type ``denial``)."""
    return any(item.get("type") == "denial" for item in responses(properties))


def answered_ids(properties: Mapping[str, Any]) -> list[str]:
    """Return the ids of the features a denial answers."""
    return [str(item) for item in as_list(properties.get("answers")) if isinstance(item, str) and item]


def cited_source_ids(properties: Mapping[str, Any]) -> list[str]:
    """Return every source id a feature cites, each once, in the order: chain, quote, place, others, responses."""
    ids = [
        *as_list(properties.get("source_chain")),
        properties.get("source_id"),
        properties.get("geometry_source"),
        *as_list(properties.get("also_reported_by")),
        *as_list(properties.get("see_also")),
        *(item.get("source") for item in responses(properties)),
    ]
    return list(dict.fromkeys(str(item) for item in ids if isinstance(item, str) and item))


def origins(source_id: str, sources: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """Return the sources a source ultimately relays: follow ``via`` until a source relays none.

    Parameters
    ----------
    source_id : str
        The source to start from.
    sources : Mapping
        CSL-JSON items by id, each with an optional ``via``: the ids of the sources it took the
        information from.

    Returns
    -------
    frozenset of str
        The origin ids; the source itself if it relays nothing. Unknown ids and cycles end the walk.
    """
    found, seen, todo = set(), set(), [source_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        via = [item for item in as_list((sources.get(current) or {}).get("via")) if isinstance(item, str)]
        todo.extend(via) if via else found.add(current)
    return frozenset(found)


def independent_sources(properties: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return one source per independent line of reporting behind a claim.

    The reporting sources are the last step of ``source_chain`` and every ``also_reported_by``. Two
    are independent when they share no origin (see ``origins``); a relay of the same report is not
    a second source.

    Returns
    -------
    list of str
        The first reporting source of each group that shares origins, in order met.
    """
    chain = as_list(properties.get("source_chain"))
    reporting = [*chain[-1:], *as_list(properties.get("also_reported_by"))]
    kept: list[tuple[str, frozenset[str]]] = []
    for source_id in dict.fromkeys(item for item in reporting if isinstance(item, str)):
        roots = origins(source_id, sources)
        if all(roots.isdisjoint(other) for _, other in kept):
            kept.append((source_id, roots))
    return [source_id for source_id, _ in kept]


def migrate_status(properties: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """Map a feature that still has the old ``status`` field onto ``kind`` and ``standing``.

    Returns
    -------
    tuple
        The properties with ``kind`` (and ``standing`` where the kind has one) in place of ``status``,
        and a warning that says what was mapped; unchanged properties and ``""`` if there was nothing to
        map (no ``status``, an unknown one, or ``kind`` already set).
    """
    status = properties.get("status")
    if "kind" in properties or not isinstance(status, str) or status not in LEGACY_STATUS:
        return dict(properties), ""
    kind, standing = LEGACY_STATUS[status]
    migrated = {key: value for key, value in properties.items() if key != "status"}
    migrated["kind"] = kind
    if standing is not None and "standing" not in migrated:
        migrated["standing"] = standing
    after = f"kind {kind!r}" + (f", standing {migrated['standing']!r}" if standing is not None else "")
    return migrated, f"uses the old field status {status!r}: read as {after}"
