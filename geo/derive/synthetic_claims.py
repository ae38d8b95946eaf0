"""The made-up properties of synthetic claims: kinds, standings, grades, dates, answers and generated sources.

Every random choice is drawn at once, as numpy arrays, from the Generator given; turning them into feature
properties draws nothing more, so the same seed gives the same features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.model.citation import format_citation
from geo.model.claims import CREDIBILITY, KINDS_WITH_STANDING, STANDINGS, grade, origins
from geo.model.schema import FIELDS, LIST_FIELDS

NOTE = "Generated test source for Claim Map's synthetic cases: it does not exist, and nothing it says is real."
UNGRADED = "Generated test source: its grade is made up, not earned on any record."
#: Generated sources: origins relay nothing; the others relay (``via``) the sources their chains start from.
SOURCES = (
    {"id": "synthetic-eyewitnesses", "type": "post", "title": "[Synthetic test source: generated eyewitness posts]"},
    {"id": "synthetic-ministry", "type": "speech", "title": "[Synthetic test source: a generated ministry briefing]"},
    {"id": "synthetic-monitor", "type": "report", "title": "[Synthetic test source: a generated monitoring report]"},
    {
        "id": "synthetic-daily",
        "type": "article-newspaper",
        "title": "[Synthetic test source: a generated daily newspaper's report]",
        "container-title": "Synthetic Daily (generated)",
        "via": ["synthetic-eyewitnesses"],
    },
    {
        "id": "synthetic-agency",
        "type": "article-newspaper",
        "title": "[Synthetic test source: a generated news agency wire]",
        "via": ["synthetic-ministry", "synthetic-eyewitnesses"],
    },
    {
        "id": "synthetic-broadcaster",
        "type": "broadcast",
        "title": "[Synthetic test source: a generated German-language broadcast]",
        "via": ["synthetic-ministry"],
    },
)
_GRADES = {"synthetic-eyewitnesses": "F", "synthetic-ministry": "D", "synthetic-monitor": "B"}
_GRADES |= {"synthetic-daily": "C", "synthetic-agency": "B", "synthetic-broadcaster": "C"}
SOURCES = tuple(
    {
        **item,
        "language": "de" if item["id"] == "synthetic-broadcaster" else "en",
        "issued": {"date-parts": [[2020, 8, 16]]},
        "note": NOTE,
        "reliability": _GRADES[item["id"]],
        "reliability_note": UNGRADED,
    }
    for item in SOURCES
)
#: Chains of sources, origin first; each step lists the one before in its ``via``.
CHAINS = (
    ("synthetic-eyewitnesses", "synthetic-daily"),
    ("synthetic-ministry", "synthetic-agency"),
    ("synthetic-eyewitnesses", "synthetic-agency"),
    ("synthetic-monitor",),
    ("synthetic-ministry", "synthetic-broadcaster"),
)
KINDS = ("claim", "report", "denial", "statement")
KIND_SHARES = (0.42, 0.3, 0.16, 0.12)
STANDING_SHARES = (0.3, 0.2, 0.15, 0.1, 0.15, 0.1)
DAYS = ("2020-08-15", "2020-08-16", "2020-08-17", "2020-08-18")
#: How an event is dated: one day, a span of days, or on or before a day (an open start).
SPANS = ("day", "interval", "open")
SPAN_SHARES = (0.75, 0.15, 0.1)
DATE_BASIS = {
    "day": "Generated date (test data): one day within 15–18 August 2020.",
    "interval": "Generated date (test data): a span of days within 15–18 August 2020.",
    "open": "Generated date (test data): on or before a day within 15–18 August 2020.",
}
STANDING_BASIS = {name: f"Generated standing (test data): {name}." for name in STANDINGS}
CLAIMANTS = tuple(f"Synthetic party {letter} (generated)" for letter in "ABCDEFGHJKLM")
THINGS = ("trucks", "armoured vehicles", "soldiers", "tents", "helicopters", "fuel tankers")
WHERE = {"Point": "seen at a place", "LineString": "moving along a route", "Polygon": "gathered in an area"}
UNCERTAINTY_KM = (1, 2, 5, 10)
#: Shares of: inferred placements, exact points, quoted features, unverified claims met with no comment,
#: and denials in the first layer whose source gives no place.
INFERRED, EXACT, QUOTED, NO_COMMENT, UNPLACED = 0.3, 0.2, 0.6, 0.3, 0.1


def draw_attributes(rng: np.random.Generator, count: int, first_unplaceable: int) -> dict[str, list[Any]]:
    """Draw every random choice of ``count`` features at once; each value is a list indexed by feature.

    Parameters
    ----------
    rng : numpy.random.Generator
        The source of randomness.
    count : int
        How many features.
    first_unplaceable : int
        Only denials before this index may lack a place (those of the point layer).
    """
    kind = rng.choice(len(KINDS), count, p=KIND_SHARES)
    unplaced = (rng.random(count) < UNPLACED) & (np.arange(count) < first_unplaceable) & (kind == KINDS.index("denial"))
    drawn = {
        "kind": kind,
        "standing": rng.choice(len(STANDINGS), count, p=STANDING_SHARES),
        "credibility": rng.integers(1, 7, count),
        "chain": rng.integers(len(CHAINS), size=count),
        "claimant": rng.integers(len(CLAIMANTS), size=count),
        "day": rng.integers(len(DAYS), size=count),
        "span": rng.choice(len(SPANS), count, p=SPAN_SHARES),
        "days": rng.integers(1, len(DAYS), count),
        "inferred": rng.random(count) < INFERRED,
        "exact": rng.random(count) < EXACT,
        "quoted": rng.random(count) < QUOTED,
        "no_comment": rng.random(count) < NO_COMMENT,
        "units": rng.integers(2, 120, count),
        "thing": rng.integers(len(THINGS), size=count),
        "uncertainty": rng.integers(len(UNCERTAINTY_KM), size=count),
        "answers": rng.integers(1, 3, count),
        "unplaced": unplaced,
    }
    return {name: values.tolist() for name, values in drawn.items()}


@dataclass(frozen=True)
class Links:
    """Which features each denial answers, and which denials answer each claim or report (by feature index)."""

    answers: dict[int, list[int]] = field(default_factory=dict)
    denied_by: dict[int, list[int]] = field(default_factory=dict)


def link_denials(rng: np.random.Generator, attributes: dict[str, list[Any]]) -> Links:
    """Let each denial answer one or two claims or reports drawn at random; without any, denials become statements."""
    kinds = np.asarray(attributes["kind"])
    targets = np.flatnonzero(np.isin(kinds, [KINDS.index(kind) for kind in KINDS_WITH_STANDING]))
    denials = np.flatnonzero(kinds == KINDS.index("denial"))
    if not len(targets):
        for index in denials.tolist():
            attributes["kind"][index] = KINDS.index("statement")
        return Links()
    counts = np.asarray(attributes["answers"], dtype=int)[denials]
    picks = targets[rng.integers(len(targets), size=int(counts.sum()))]
    links = Links()
    for denial, chosen in zip(denials.tolist(), np.split(picks, np.cumsum(counts)[:-1]), strict=True):
        links.answers[denial] = list(dict.fromkeys(chosen.tolist()))
        for target in links.answers[denial]:
            links.denied_by.setdefault(target, []).append(denial)
    return links


class FeatureMaker:
    """Turn drawn attributes into GeoJSON features with every property of the claim model."""

    def __init__(self, attributes: dict[str, list[Any]], links: Links, sources: dict[str, Any], ids: list[str]):
        self.drawn, self.links, self.sources, self.ids = attributes, links, sources, ids
        self.citations = {source_id: format_citation(item) for source_id, item in sources.items()}
        self.independent = {chain[-1]: self._independent_of(chain[-1]) for chain in CHAINS}

    def _independent_of(self, source_id: str) -> str:
        """Return the first generated source that shares no origin with ``source_id``: a second, independent one."""
        roots = origins(source_id, self.sources)
        return next(item["id"] for item in SOURCES if origins(item["id"], self.sources).isdisjoint(roots))

    def feature(self, index: int, layer_id: str, geometry: dict[str, Any], measures: dict[str, Any]) -> dict[str, Any]:
        """Return feature ``index`` of layer ``layer_id`` with ``geometry`` (dropped if its source gives no place)."""
        kind = KINDS[self.drawn["kind"][index]]
        if kind == "denial" and self.drawn["unplaced"][index]:
            geometry, measures = None, {}
        properties = {name: [] if name in LIST_FIELDS else "" for name in FIELDS}
        properties.update(self._statement(index, layer_id, kind, geometry))
        properties.update(self._dates(index, kind))
        properties.update(self._place(index, geometry, measures))
        if kind in KINDS_WITH_STANDING:
            properties.update(self._standing(index, properties))
        elif kind == "denial":
            properties["answers"] = [self.ids[target] for target in self.links.answers[index]]
        properties.update(measures)
        return {"type": "Feature", "id": self.ids[index], "properties": properties, "geometry": geometry}

    def _statement(self, index: int, layer_id: str, kind: str, geometry: dict[str, Any] | None) -> dict[str, Any]:
        drawn, number = self.drawn, self.ids[index].rsplit("-", 1)[-1]
        chain = CHAINS[drawn["chain"][index]]
        claimant = CLAIMANTS[drawn["claimant"][index]]
        if kind == "denial":
            answered = len(self.links.answers[index])
            title, claim = f"Synthetic denial {number}: {answered} claim(s) denied", "The answered claims are untrue."
        elif kind == "statement":
            title, claim = f"Synthetic statement {number} by {claimant}", "A remark on the situation."
        else:
            what = f"{drawn['units'][index]} {THINGS[drawn['thing'][index]]} {WHERE[geometry['type']]}"
            title, claim = f"Synthetic {kind} {number}: {what}", f"{what[:1].upper()}{what[1:]}."
        statement = {
            "id": self.ids[index],
            "layer": layer_id,
            "title": title,
            "kind": kind,
            "claim": f"{claim} (Generated test data, not real reporting.)",
            "claimant": claimant,
            "source_chain": list(chain),
            "source_id": chain[-1],
            "source": self.citations[chain[-1]],
        }
        if drawn["quoted"][index]:
            statement.update(self._quote(chain[-1], number))
        return statement

    def _quote(self, source_id: str, number: str) -> dict[str, str]:
        english = f"Generated test quote {number}."
        if str(self.sources[source_id].get("language", "en")).startswith("en"):
            return {"quote": english}
        return {"quote": f"Erzeugtes Testzitat {number}.", "quote_en": english}

    def _dates(self, index: int, kind: str) -> dict[str, str]:
        first = self.drawn["day"][index]
        span = SPANS[self.drawn["span"][index]] if kind in KINDS_WITH_STANDING else "day"
        last = min(first + self.drawn["days"][index], len(DAYS) - 1) if span == "interval" else first
        if span == "interval" and last == first:
            span = "day"
        event = {"day": DAYS[first], "interval": f"{DAYS[first]}/{DAYS[last]}", "open": f"../{DAYS[first]}"}[span]
        return {"event_date": event, "report_date": DAYS[last], "date_basis": DATE_BASIS[span]}

    def _place(self, index: int, geometry: dict[str, Any] | None, measures: dict[str, Any]) -> dict[str, Any]:
        if geometry is None:
            method = "The synthetic source gives no place: the denial is listed, not drawn (generated test data)."
            return {"precision": "unknown", "uncertainty_km": "", "placement": "stated", "method": method}
        shape = geometry["type"]
        exact = shape == "Point" and self.drawn["exact"][index]
        precision = "exact" if exact else {"Point": "place", "LineString": "route", "Polygon": "region"}[shape]
        uncertainty = 0.1 if exact else UNCERTAINTY_KM[self.drawn["uncertainty"][index]]
        described = {
            "Point": "a random point on land in the case's region",
            "LineString": f"a random path of {len(geometry['coordinates'])} vertices, {measures.get('length_km')} km",
            "Polygon": f"a random polygon of {measures.get('area_km2')} km²",
        }[shape]
        inferred = self.drawn["inferred"][index]
        how = "the generator infers this place; the source does not state it" if inferred else "the source states it"
        return {
            "precision": precision,
            "uncertainty_km": uncertainty,
            "placement": "inferred" if inferred else "stated",
            "method": f"Generated test geometry: {described} ({how}).",
        }

    def _standing(self, index: int, properties: dict[str, Any]) -> dict[str, Any]:
        drawn, denials = self.drawn, self.links.denied_by.get(index, [])
        standing = STANDINGS[drawn["standing"][index]]
        if standing == "unverified" and denials:
            standing = "contested"
        chain = properties["source_chain"]
        reliability = str(self.sources[chain[0]].get("reliability") or "")
        credibility = drawn["credibility"][index]
        responses = [self._denial_response(denial) for denial in denials]
        responses += self._other_responses(index, standing, properties, bool(denials))
        return {
            "standing": standing,
            "standing_basis": STANDING_BASIS[standing],
            "reliability": reliability,
            "credibility": credibility,
            "grade": grade({"reliability": reliability, "credibility": credibility}),
            "credibility_note": f"Generated grade (test data): {CREDIBILITY[str(credibility)].lower()}.",
            "responses": responses,
            "also_reported_by": [self.independent[chain[-1]]] if standing == "corroborated" else [],
        }

    def _denial_response(self, denial: int) -> dict[str, str]:
        return {
            "type": "denial",
            "by": CLAIMANTS[self.drawn["claimant"][denial]],
            "date": DAYS[self.drawn["day"][denial]],
            "source": CHAINS[self.drawn["chain"][denial]][-1],
            "feature": self.ids[denial],
        }

    def _other_responses(
        self, index: int, standing: str, properties: dict[str, Any], denied: bool
    ) -> list[dict[str, str]]:
        """Answers not drawn on the map: an unplaced denial, a retraction, a confirmation, a refusal to comment."""
        own = {"date": properties["report_date"], "source": properties["source_id"]}
        other = CLAIMANTS[(self.drawn["claimant"][index] + 1) % len(CLAIMANTS)]
        if standing == "contested" and not denied:
            return [{"type": "denial", "by": other, **own, "summary": "Generated denial (test data), not mapped."}]
        if standing == "retracted":
            return [{"type": "retraction", "by": properties["claimant"], **own, "summary": "Generated retraction."}]
        if standing == "confirmed":
            confirmed = {"date": properties["report_date"], "source": "synthetic-monitor"}
            return [{"type": "confirmation", "by": "Synthetic monitor (generated)", **confirmed}]
        if standing == "unverified" and self.drawn["no_comment"][index]:
            return [{"type": "no-comment", "by": other, **own, "summary": "Generated refusal to comment."}]
        return []
