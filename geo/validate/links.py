"""Check what ties features to each other and to their sources: answers both ways, chains, standing, quotes.

These checks read every feature of a case at once; each returns ``(feature id, field, message)`` triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from geo.model.claims import (
    KINDS_WITH_STANDING,
    answered_ids,
    as_list,
    cited_source_ids,
    has_denial,
    independent_sources,
    origins,
    responses,
)

Finding = tuple[str, str, str]
Properties = Mapping[str, Any]


def link_findings(
    features: Iterable[Properties],
    sources: Mapping[str, Mapping[str, Any]] | None,
    rejected: Iterable[str] = (),
) -> list[Finding]:
    """Return every broken link between the features of a case and to its sources.

    Parameters
    ----------
    features : iterable of Mapping
        The properties of every feature of the case.
    sources : Mapping or None
        CSL-JSON items by id; ``None`` skips the checks that need them (``sources.json`` unreadable).
    rejected : iterable of str
        Ids of features that exist but failed other checks: links to them are not reported again.

    Returns
    -------
    list of (str, str, str)
        The feature's id, the field at fault and what is wrong, in plain words.
    """
    by_id = {str(item.get("id")): item for item in features}
    skipped = set(rejected) - set(by_id)
    findings = []
    for properties in by_id.values():
        findings += [item for item in answer_findings(properties, by_id) if not _names_any(item[2], skipped)]
        findings += standing_findings(properties, sources)
        if sources is not None:
            findings += source_findings(properties, sources)
    return findings


def _names_any(message: str, ids: set[str]) -> bool:
    return any(repr(item) in message for item in ids)


def answer_findings(properties: Properties, by_id: Mapping[str, Properties]) -> list[Finding]:
    """Check that a denial's ``answers`` and a claim's ``responses`` name each other."""
    own = str(properties.get("id"))
    findings = []
    for target in answered_ids(properties):
        other = by_id.get(target)
        if other is None:
            findings.append((own, "answers", f"answers {target!r}, which is no feature of the case"))
        elif own not in [item.get("feature") for item in responses(other)]:
            message = f"answers {target!r}, but {target!r} lists no response whose feature is {own!r}"
            findings.append((own, "answers", message))
    for item in responses(properties):
        target = item.get("feature")
        if not isinstance(target, str) or not target:
            continue
        other = by_id.get(target)
        if other is None:
            findings.append((own, "responses", f"a response names feature {target!r}, which is no feature of the case"))
        elif own not in answered_ids(other):
            findings.append((own, "responses", f"a response names {target!r}, whose answers do not list {own!r}"))
        elif item.get("type") == "denial" and other.get("kind") != "denial":
            findings.append(
                (own, "responses", f"a denial names {target!r}, which is a {other.get('kind')}, not a denial")
            )
    return findings


def standing_findings(properties: Properties, sources: Mapping[str, Mapping[str, Any]] | None) -> list[Finding]:
    """Check that a claim's standing agrees with its answers and, if corroborated, with its sources."""
    if properties.get("kind") not in KINDS_WITH_STANDING:
        return []
    own, standing = str(properties.get("id")), properties.get("standing")
    if standing == "unverified" and has_denial(properties):
        return [(own, "standing", "is 'unverified' but was denied on record: make it 'contested' or settle it")]
    if standing != "corroborated" or sources is None:
        return []
    independent = independent_sources(properties, sources)
    if len(independent) >= 2:
        return []
    roots = sorted(origins(independent[0], sources)) if independent else []
    named = f": every source descends from {', '.join(roots)}" if roots else ""
    message = f"is 'corroborated' but has fewer than two independent sources{named} (a relay is not a second source)"
    return [(own, "standing", message)]


def source_findings(properties: Properties, sources: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """Check that every cited source exists, each chain step relays the one before, and quotes are translated."""
    own = str(properties.get("id"))
    findings = [
        (own, "sources", f"cites source {source_id!r}, which is not in sources.json")
        for source_id in cited_source_ids(properties)
        if source_id not in sources
    ]
    chain = [item for item in as_list(properties.get("source_chain")) if isinstance(item, str)]
    for before, after in zip(chain, chain[1:], strict=False):
        if after in sources and before not in as_list(sources[after].get("via")):
            message = f"chain step {after!r} does not list {before!r} in its 'via', so the chain cannot be followed"
            findings.append((own, "source_chain", message))
    findings += _untranslated(own, properties, sources)
    return findings


def _untranslated(own: str, properties: Properties, sources: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    quoted = [("quote_en", properties.get("source_id"), properties)]
    quoted += [("responses", item.get("source"), item) for item in responses(properties)]
    findings = []
    for field, source_id, holder in quoted:
        language = str((sources.get(source_id) or {}).get("language") or "") if isinstance(source_id, str) else ""
        if holder.get("quote") and language and not language.startswith("en") and not holder.get("quote_en"):
            findings.append((own, field, f"a quote in {language!r} ({source_id}) has no English translation"))
    return findings
