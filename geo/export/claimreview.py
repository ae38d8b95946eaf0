"""schema.org ClaimReview as JSON-LD: one review per claim or report, the markup fact-check aggregators read.

Each review names the claim as quoted (``claimReviewed``), the claim itself (``itemReviewed``: a ``Claim`` with
its claimant, the date it was first reported and where it appeared along its source chain) and the project's
verdict (``reviewRating``: the standing, explained with the Admiralty grade). The context is written inline
(``@vocab`` schema.org), so a JSON-LD processor expands the file without fetching anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from geo.model.citation import format_date
from geo.model.claims import (
    KINDS_WITH_STANDING,
    SHOWN_STANDING_LABELS,
    as_list,
    grade_words,
    shown_kind,
    shown_standing,
)

if TYPE_CHECKING:
    from geo.export.request import Request

MEDIA_TYPE = "application/ld+json"
SCHEMA = "https://schema.org/"
#: The inline JSON-LD context: schema.org terms, and ``url`` values as IRIs (as schema.org's own context has it).
CONTEXT = {"@vocab": SCHEMA, "url": {"@type": "@id"}}
#: Who reviews: the project, by name only (it has no URL of its own to give).
REVIEWER = {"@type": "Organization", "name": "Claim Map"}
#: CSL item types and the schema.org CreativeWork types they are (anything else is ``CreativeWork``).
WORK_TYPES = {
    "article-newspaper": "NewsArticle",
    "article-magazine": "Article",
    "article-journal": "ScholarlyArticle",
    "report": "Report",
    "book": "Book",
    "webpage": "WebPage",
    "post": "SocialMediaPosting",
    "dataset": "Dataset",
}


def creative_work(source_id: str, sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return a source as a schema.org CreativeWork: its title, outlet, date, language and URL where known.

    Parameters
    ----------
    source_id : str
        A source id.
    sources : Mapping
        CSL-JSON items by id. An id not among them gives a work named by the id alone.

    Returns
    -------
    dict
        ``@type`` (``NewsArticle`` for a newspaper article...), ``identifier``, ``name``, ``publisher``
        (the CSL ``container-title``), ``datePublished``, ``inLanguage`` and ``url``, each only if known.
    """
    item = sources.get(source_id) or {}
    outlet = item.get("container-title")
    work = {
        "@type": WORK_TYPES.get(item.get("type", ""), "CreativeWork"),
        "identifier": source_id,
        "name": item.get("title") or source_id,
        "publisher": {"@type": "Organization", "name": outlet} if outlet else None,
        "datePublished": format_date(dict(item)) or None,
        "inLanguage": item.get("language"),
        "url": item.get("URL"),
    }
    return {key: value for key, value in work.items() if value}


def is_reviewed(feature: Mapping[str, Any]) -> bool:
    """True if a feature is a claim or a report (the kinds with a standing), so it gets a ClaimReview."""
    return shown_kind(feature) in KINDS_WITH_STANDING


def rating(properties: Mapping[str, Any], standing: str) -> dict[str, Any]:
    """Return the review's ``Rating``: the standing as ``alternateName``, why and the grade as ``ratingExplanation``."""
    explanation = [SHOWN_STANDING_LABELS.get(standing, standing) + "."]
    if properties.get("standing_basis"):
        explanation.append(str(properties["standing_basis"]))
    code = str(properties.get("grade") or "")
    if grade_words(code):
        explanation.append(f"Admiralty grade {code}: {grade_words(code)}.")
    return {"@type": "Rating", "alternateName": standing, "ratingExplanation": " ".join(explanation)}


def claim_review(feature: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return one claim or report as a schema.org ClaimReview.

    Parameters
    ----------
    feature : Mapping
        An exported feature (see ``geo.export.geojson.export_collection``) of kind claim or report.
    sources : Mapping
        CSL-JSON items by id.

    Returns
    -------
    dict
        ``claimReviewed``: the quote as the source gives it (the project's ``claim`` if there is no quote);
        ``itemReviewed``: a ``Claim`` with ``author`` (the claimant, by name: the data does not say whether
        it is a person or an organisation), ``datePublished`` (``report_date``), ``firstAppearance`` (the
        first source of the chain) and ``appearance`` (every source of the chain); ``reviewRating`` (see
        ``rating``); ``author``: the project.
    """
    properties = feature.get("properties") or {}
    chain = [str(item) for item in as_list(properties.get("source_chain")) if isinstance(item, str) and item]
    works = [creative_work(source_id, sources) for source_id in chain]
    quoted = sources.get(str(properties.get("source_id") or ""), {}).get("language")
    claim = {
        "@type": "Claim",
        "name": properties.get("claim"),
        "author": {"name": properties["claimant"]} if properties.get("claimant") else None,
        "datePublished": properties.get("report_date"),
        "firstAppearance": works[0] if works else None,
        "appearance": works or None,
        "inLanguage": quoted if properties.get("quote") else None,
    }
    review = {
        "@type": "ClaimReview",
        "identifier": properties.get("id", feature.get("id")),
        "name": properties.get("title"),
        "claimReviewed": properties.get("quote") or properties.get("claim"),
        "itemReviewed": {key: value for key, value in claim.items() if value},
        "reviewRating": rating(properties, shown_standing(feature)),
        "author": REVIEWER,
    }
    return {key: value for key, value in review.items() if value not in (None, "")}


def claim_reviews(collection: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return a JSON-LD document with a ClaimReview for every claim and report of an export FeatureCollection."""
    reviews = [claim_review(feature, sources) for feature in collection.get("features", []) if is_reviewed(feature)]
    return {"@context": CONTEXT, "@graph": reviews}


def write_claimreview(request: Request) -> bytes:
    """Return the ClaimReviews of the request's claims and reports as one JSON-LD file."""
    document = claim_reviews(request.collection(), request.sources)
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
