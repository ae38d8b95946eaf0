"""The source chains as W3C PROV-JSON: where each feature's information came from, step by step.

Every source a chain names, and every source those relay (``via``), is a PROV entity with its title, outlet,
date, language, URL and reliability. Each step of a chain was derived from the step before it, each source from
the sources it took the information from (``via``), and each feature (itself an entity) from the last step of
its chain: the source we read. Written and read back with PyPI ``prov``.

Identifiers are local names, not web addresses: ``urn:claim-map:<case>:source:<id>`` and
``urn:claim-map:<case>:feature:<id>``, the id percent-encoded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from prov.identifier import Identifier
from prov.model import ProvDocument, QualifiedName

from geo.model.citation import format_date
from geo.model.claims import as_list
from geo.model.names import slug

if TYPE_CHECKING:
    from geo.export.request import Request

MEDIA_TYPE = "application/json"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
#: The prefixes of the document's own names and terms.
SOURCE, FEATURE, TERMS = "source", "feature", "claimmap"
#: Feature properties written as attributes of the feature's entity (``claimmap:<name>``).
FEATURE_TERMS = ("kind", "standing", "grade", "claimant", "claim", "event_date", "report_date", "layer")


def local_name(identifier: Any) -> str:
    """Return an id as the local part of a PROV qualified name (percent-encoded; ``unquote`` gives it back)."""
    return quote(str(identifier), safe="-._~")


def name_id(name: QualifiedName) -> str:
    """Return the source or feature id a qualified name of this document stands for."""
    return unquote(name.localpart)


def _document(case_id: str) -> ProvDocument:
    document = ProvDocument()
    base = f"urn:claim-map:{slug(case_id)}:"
    document.add_namespace(SOURCE, f"{base}source:")
    document.add_namespace(FEATURE, f"{base}feature:")
    document.add_namespace(TERMS, f"{base}terms#")
    document.add_namespace("dcterms", DCTERMS)
    document.add_namespace("schema", SCHEMA)
    return document


def source_attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return a CSL-JSON item's PROV attributes: label, title, outlet, date, language, URL, reliability."""
    attributes = {
        "prov:label": item.get("title"),
        "dcterms:title": item.get("title"),
        "dcterms:publisher": item.get("container-title"),
        "dcterms:issued": format_date(dict(item)),
        "dcterms:language": item.get("language"),
        "schema:url": Identifier(item["URL"]) if item.get("URL") else None,
        f"{TERMS}:reliability": item.get("reliability"),
    }
    return {key: value for key, value in attributes.items() if value}


def relayed(source_ids: Iterable[str], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return the sources and every source they relay (``via``, followed to the end), each once, in order met."""
    found: dict[str, None] = {}
    todo = list(source_ids)
    while todo:
        current = todo.pop(0)
        if current in found:
            continue
        found[current] = None
        todo.extend(item for item in as_list((sources.get(current) or {}).get("via")) if isinstance(item, str))
    return list(found)


def _chain(properties: Mapping[str, Any]) -> list[str]:
    return [item for item in as_list(properties.get("source_chain")) if isinstance(item, str) and item]


def derivations(features: Iterable[Mapping[str, Any]], sources: Mapping[str, Mapping[str, Any]]) -> list[tuple]:
    """Return each derivation once as ``(derived, prefix, used)``: a source or feature id, its prefix, a source id.

    Along every chain, each step from the step before it; each source from every source in its ``via``;
    each feature (its id) from the last step of its chain.
    """
    pairs: dict[tuple, None] = {}
    chains = [(feature_id(feature), _chain(feature.get("properties") or {})) for feature in features]
    for name, chain in chains:
        if chain:
            pairs[(name, FEATURE, chain[-1])] = None
        pairs.update({(later, SOURCE, earlier): None for earlier, later in zip(chain, chain[1:], strict=False)})
    for current in relayed((item for _, chain in chains for item in chain), sources):
        via = [item for item in as_list((sources.get(current) or {}).get("via")) if isinstance(item, str)]
        pairs.update({(current, SOURCE, item): None for item in via})
    return list(pairs)


def feature_id(feature: Mapping[str, Any]) -> str:
    """Return the id a feature is known by: its ``id`` property, else its top-level ``id``."""
    properties = feature.get("properties") or {}
    return str(properties.get("id", feature.get("id", "")))


def provenance(collection: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]], case_id: str) -> ProvDocument:
    """Return the provenance of an export's features as a PROV document.

    Parameters
    ----------
    collection : Mapping
        An export FeatureCollection (see ``geo.export.geojson.export_collection``); features without a
        ``source_chain`` or an id are left out.
    sources : Mapping
        CSL-JSON items by id, with ``via`` and ``reliability``.
    case_id : str
        The case: it names the document's namespaces.

    Returns
    -------
    prov.model.ProvDocument
        An entity per source met along the chains and their ``via``, an entity per feature, and a
        ``wasDerivedFrom`` per derivation (see ``derivations``).
    """
    document = _document(case_id)
    features = [item for item in collection.get("features", []) if _chain(item.get("properties") or {})]
    features = [item for item in features if feature_id(item)]
    kind = document.valid_qualified_name(f"{TERMS}:Feature")
    for current in relayed((item for feature in features for item in _chain(feature["properties"])), sources):
        document.entity(f"{SOURCE}:{local_name(current)}", source_attributes(sources.get(current) or {}))
    for feature in features:
        properties = feature["properties"]
        attributes = {f"{TERMS}:{name}": properties[name] for name in FEATURE_TERMS if properties.get(name)}
        if properties.get("title"):
            attributes["prov:label"] = properties["title"]
        document.entity(f"{FEATURE}:{local_name(feature_id(feature))}", {**attributes, "prov:type": kind})
    for derived, prefix, used in derivations(features, sources):
        document.wasDerivedFrom(f"{prefix}:{local_name(derived)}", f"{SOURCE}:{local_name(used)}")
    return document


def write_prov_json(request: Request) -> bytes:
    """Return the provenance of the request's features as PROV-JSON."""
    document = provenance(request.collection(), request.sources, request.case["id"])
    return document.serialize(format="json", indent=1, ensure_ascii=False).encode("utf-8")
