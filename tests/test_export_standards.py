"""Exports in the standards other tools read, with features in the claim model (docs/claim-model.md).

The features and sources are built here, field by field as the model page describes them: a contested claim
placed by inference over a region, a report of a sighting on or before a day, and a denial that names no place.
"""

import datetime as dt
import json
import math
import warnings

import pyogrio
import pytest
from lxml import etree
from prov.identifier import Identifier
from prov.model import ProvDocument, ProvEntity
from pyld import jsonld

from geo.app.downloads import FORMAT_LABELS, SOURCE_FORMATS
from geo.export import FORMATS, export
from geo.export.linkedplaces import CERTAINTIES, timespan
from geo.export.provenance import name_id
from geo.model.layers import Layer
from tests.test_template_injection import MARKER, PAYLOADS, assert_not_evaluated

DAY = dt.date(2020, 8, 18)
CASE = {"id": "test-case", "title": "Test case", "summary": "Built in the test.", "center": [54.0, 26.0], "zoom": 6}
KML = "{http://www.opengis.net/kml/2.2}"
SCHEMA = "https://schema.org/"
TABLE_FORMATS = ("gpkg", "csv", "kml")
LIST_FIELDS = ("source_chain", "answers", "also_reported_by", "see_also", "responses")
CARRIED = ("grade", "reliability", "credibility", "event_date", "report_date")

SOURCES = {
    "lukashenko-remarks": {
        "id": "lukashenko-remarks",
        "type": "speech",
        "title": "Remarks at a meeting in Grodno",
        "language": "ru",
        "issued": {"date-parts": [[2020, 8, 15]]},
        "reliability": "F",
    },
    "belta-2020-08-15": {
        "id": "belta-2020-08-15",
        "type": "article-newspaper",
        "title": "Lukashenko on NATO forces",
        "container-title": "BelTA",
        "language": "ru",
        "issued": {"date-parts": [[2020, 8, 15]]},
        "URL": "https://example.org/belta?id=1&lang=ru",
        "via": ["lukashenko-remarks"],
        "reliability": "D",
    },
    "fontanka-2020-08-16": {
        "id": "fontanka-2020-08-16",
        "type": "article-newspaper",
        "title": "Convoy seen near Smolensk",
        "container-title": "Fontanka",
        "language": "ru",
        "issued": {"date-parts": [[2020, 8, 16]]},
        "reliability": "C",
    },
    "seed-article": {
        "id": "seed-article",
        "type": "article-newspaper",
        "title": "German news article on the Belarus crisis",
        "language": "de",
        "via": ["belta-2020-08-15", "fontanka-2020-08-16"],
        "reliability": "C",
    },
    "nato-statement": {
        "id": "nato-statement",
        "type": "webpage",
        "title": "NATO statement on Belarus",
        "language": "en",
        "issued": {"date-parts": [[2020, 8, 16]]},
        "URL": "https://example.org/nato",
        "reliability": "B",
    },
}
REGION = {"type": "Polygon", "coordinates": [[[25.0, 54.0], [26.0, 54.0], [26.0, 55.0], [25.0, 54.0]]]}
CLAIM = {
    "type": "Feature",
    "id": "nato-forces-border",
    "properties": {
        "id": "nato-forces-border",
        "title": "NATO forces at the Lithuanian border",
        "kind": "claim",
        "standing": "contested",
        "standing_basis": "NATO denied it on record on 16 August.",
        "claim": "NATO forces are massing at the border.",
        "claimant": "Alexander Lukashenko, President of Belarus",
        "event_date": "2020-08-15/2020-08-16",
        "report_date": "2020-08-15",
        "date_basis": "Said on 15 August about the days before.",
        "source_chain": ["lukashenko-remarks", "belta-2020-08-15", "seed-article"],
        "source_id": "seed-article",
        "source": "German news article on the Belarus crisis",
        "also_reported_by": [],
        "see_also": ["fontanka-2020-08-16"],
        "quote": "NATO-Truppen stehen an der Grenze.",
        "quote_en": "NATO troops stand at the border.",
        "responses": [
            {
                "type": "denial",
                "by": "NATO spokesperson",
                "date": "2020-08-16",
                "source": "nato-statement",
                "quote": "There is no NATO buildup in the region.",
                "quote_en": "",
                "feature": "nato-denial",
            }
        ],
        "reliability": "F",
        "credibility": 5,
        "credibility_note": "No other source saw it.",
        "grade": "F5",
        "precision": "region",
        "uncertainty_km": 30,
        "placement": "inferred",
        "method": "The border districts the remarks name.",
    },
    "geometry": REGION,
}
REPORT = {
    "type": "Feature",
    "id": "convoy-sighting",
    "properties": {
        "id": "convoy-sighting",
        "title": "Convoy near Smolensk",
        "kind": "report",
        "standing": "unverified",
        "claim": "A convoy without insignia drove west.",
        "claimant": "Readers of Fontanka (eyewitnesses)",
        "event_date": "../2020-08-16",
        "report_date": "2020-08-16",
        "source_chain": ["fontanka-2020-08-16", "seed-article"],
        "source_id": "fontanka-2020-08-16",
        "source": "Convoy seen near Smolensk",
        "also_reported_by": ["belta-2020-08-15"],
        "see_also": [],
        "quote": "Колонна без опознавательных знаков.",
        "quote_en": "A convoy without insignia.",
        "responses": [],
        "reliability": "C",
        "credibility": 3,
        "precision": "exact",
        "uncertainty_km": 1,
        "placement": "stated",
    },
    "geometry": {"type": "Point", "coordinates": [32.05, 54.78]},
}
DENIAL = {
    "type": "Feature",
    "id": "nato-denial",
    "properties": {
        "id": "nato-denial",
        "title": "NATO denies a buildup",
        "kind": "denial",
        "answers": ["nato-forces-border"],
        "claimant": "NATO spokesperson",
        "event_date": "2020-08-16",
        "report_date": "2020-08-16",
        "source_chain": ["nato-statement"],
        "source_id": "nato-statement",
        "source": "NATO statement on Belarus",
        "quote": "There is no NATO buildup in the region.",
        "reliability": "B",
    },
    "geometry": None,
}
BORDER = Layer(id="border-areas", title="Border areas", group="claims", file="none.geojson")
CONVOYS = Layer(id="convoys", title="Convoys", group="claims", file="none.geojson")
LAYERS = [
    (BORDER, {"type": "FeatureCollection", "features": [CLAIM, DENIAL]}),
    (CONVOYS, {"type": "FeatureCollection", "features": [REPORT]}),
]
FEATURES = {feature["id"]: feature for _, collection in LAYERS for feature in collection["features"]}


def run(fmt, layers=LAYERS, scope="view"):
    return export(layers, fmt, CASE, SOURCES, scope, day=DAY)


def read_back(fmt, tmp_path, layers=LAYERS):
    result = run(fmt, layers)
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    frames = [pyogrio.read_dataframe(path, layer=name) for name, _ in pyogrio.list_layers(path)]
    return {row["id"]: row for frame in frames for row in frame.to_dict("records")}


def text(value):
    """A cell as text: KML leaves an empty value out, and GDAL reads the gap back as NaN."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def iso_day(value):
    """A date as ISO text, whether GDAL typed the column as a date (GeoJSON) or kept it as text."""
    return value.date().isoformat() if hasattr(value, "date") else str(value)


def geojson():
    return {feature["id"]: feature for feature in json.loads(run("geojson").data)["features"]}


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_table_formats_keep_list_and_object_values_as_json_text_that_parses_back(fmt, tmp_path):
    rows = read_back(fmt, tmp_path)
    checked = set()
    for feature_id, feature in FEATURES.items():
        for name in LIST_FIELDS:
            if name in feature["properties"]:
                assert json.loads(rows[feature_id][name]) == feature["properties"][name], (fmt, feature_id, name)
                checked.add(name)
    assert checked == set(LIST_FIELDS)


@pytest.mark.parametrize("fmt", ("geojson", *TABLE_FORMATS))
def test_every_format_records_kind_and_standing_and_carries_grading_and_dates(fmt, tmp_path):
    rows = read_back(fmt, tmp_path)
    shown = {feature_id: (row["kind"], text(row["standing"])) for feature_id, row in rows.items()}
    wanted = {
        "nato-forces-border": ("claim", "contested"),
        "nato-denial": ("denial", ""),  # shown "on record"; its file keeps no standing, so it reads back as written
        "convoy-sighting": ("report", "unverified"),
    }
    assert shown == wanted
    for feature_id in FEATURES:
        for name in CARRIED:
            assert name in rows[feature_id], (fmt, feature_id, name)
    assert str(rows["nato-forces-border"]["grade"]) == "F5"
    assert str(rows["convoy-sighting"]["grade"]) == "C3"  # worked out from its reliability and credibility
    assert int(float(rows["convoy-sighting"]["credibility"])) == 3
    assert iso_day(rows["nato-denial"]["report_date"]) == "2020-08-16"


@pytest.mark.parametrize("fmt", ("geojson", *TABLE_FORMATS))
def test_a_denial_without_a_place_is_a_row_without_geometry_in_every_format(fmt, tmp_path):
    rows = read_back(fmt, tmp_path)
    assert set(rows) == set(FEATURES)
    assert rows["nato-denial"]["geometry"] is None
    assert rows["convoy-sighting"]["geometry"] is not None


def test_geojson_keeps_a_null_geometry_and_lists_as_json():
    features = geojson()
    assert features["nato-denial"]["geometry"] is None
    assert features["nato-denial"]["properties"]["answers"] == ["nato-forces-border"]
    assert features["nato-forces-border"]["properties"]["responses"] == CLAIM["properties"]["responses"]


def test_a_layer_of_placeless_denials_alone_still_exports_as_table_rows(tmp_path):
    rows = read_back("gpkg", tmp_path, [(BORDER, {"type": "FeatureCollection", "features": [DENIAL]})])
    assert list(rows) == ["nato-denial"] and rows["nato-denial"]["geometry"] is None


@pytest.mark.parametrize("none", ["", None], ids=["empty text", "null"])
def test_a_geopackage_keeps_whole_numbers_whole_where_a_feature_has_none(none, tmp_path):
    # The claim schema writes "none" as empty text: a denial has no credibility and no uncertainty.
    denial = {**DENIAL, "properties": {**DENIAL["properties"], "credibility": none, "uncertainty_km": none}}
    layers = [(BORDER, {"type": "FeatureCollection", "features": [CLAIM, denial]})]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = read_back("gpkg", tmp_path, layers)
    info = pyogrio.read_info(tmp_path / run("gpkg", layers).file_name, layer=BORDER.id)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["credibility"].startswith("int") and types["uncertainty_km"].startswith("int"), types
    claim = rows["nato-forces-border"]
    assert (claim["credibility"], claim["uncertainty_km"]) == (5, 30)
    assert math.isnan(rows["nato-denial"]["credibility"]) and math.isnan(rows["nato-denial"]["uncertainty_km"])


def test_an_own_kind_and_standing_unlike_the_shown_ones_are_kept_as_original(tmp_path):
    unsourced = {**REPORT, "id": "marked", "unsourced": ["no source_chain"]}
    unsourced["properties"] = {**REPORT["properties"], "id": "marked"}
    rows = read_back("gpkg", tmp_path, [(CONVOYS, {"type": "FeatureCollection", "features": [unsourced]})])
    row = rows["marked"]
    assert (row["kind"], row["standing"]) == ("unsourced", "unsourced")
    assert (row["original_kind"], row["original_standing"]) == ("report", "unverified")


def test_geojson_when_survives_a_json_round_trip_for_an_interval_a_day_and_an_open_start():
    features = geojson()
    assert features["nato-forces-border"]["when"] == {
        "timespans": [{"start": {"in": "2020-08-15"}, "end": {"in": "2020-08-16"}}]
    }
    assert features["nato-denial"]["when"] == {
        "timespans": [{"start": {"in": "2020-08-16"}, "end": {"in": "2020-08-16"}}]
    }
    assert features["convoy-sighting"]["when"] == {
        "timespans": [{"start": {"latest": "2020-08-16"}, "end": {"in": "2020-08-16"}}]
    }
    flat = {key: (f["properties"]["date_start"], f["properties"]["date_end"]) for key, f in features.items()}
    assert flat == {
        "nato-forces-border": ("2020-08-15", "2020-08-16"),
        "nato-denial": ("2020-08-16", "2020-08-16"),
        "convoy-sighting": ("", "2020-08-16"),
    }


@pytest.mark.parametrize(
    ("event_date", "span"),
    [
        ("2020-08-17/..", {"start": {"in": "2020-08-17"}, "end": {"earliest": "2020-08-17"}}),
        (
            "2020-08",
            {
                "start": {"earliest": "2020-08-01", "latest": "2020-08-31"},
                "end": {"earliest": "2020-08-01", "latest": "2020-08-31"},
            },
        ),
        ("not a date", None),
        ("../..", None),
    ],
)
def test_timespan_bounds_open_and_imprecise_ends(event_date, span):
    assert timespan(event_date) == span


def test_geojson_geometry_certainty_follows_placement_and_precision():
    features = geojson()
    assert features["nato-forces-border"]["geometry"]["certainty"] == "uncertain"  # inferred region
    assert features["convoy-sighting"]["geometry"]["certainty"] == "certain"  # stated exact point
    assert features["nato-denial"]["geometry"] is None
    assert sorted(set(CERTAINTIES.values())) == ["certain", "less-certain", "uncertain"]


def test_gdal_still_reads_the_geojson_with_when_and_certainty(tmp_path):
    rows = read_back("geojson", tmp_path)
    assert set(rows) == set(FEATURES)
    assert rows["nato-forces-border"]["geometry"].geom_type == "Polygon"
    assert rows["convoy-sighting"]["geometry"].coords[0] == (32.05, 54.78)
    row = rows["convoy-sighting"]
    assert (row["date_start"], iso_day(row["date_end"])) == ("", "2020-08-16")


def test_kml_placemarks_have_time_spans_with_open_ends_left_out():
    root = etree.fromstring(run("kml").data)
    spans = {}
    for placemark in root.iter(f"{KML}Placemark"):
        span = placemark.find(f"{KML}TimeSpan")
        spans[placemark.get("id")] = (span.findtext(f"{KML}begin"), span.findtext(f"{KML}end"))
    assert spans == {
        "nato-forces-border": ("2020-08-15", "2020-08-16"),
        "nato-denial": ("2020-08-16", "2020-08-16"),
        "convoy-sighting": (None, "2020-08-16"),
    }


def test_kml_undated_placemark_has_no_time_span():
    undated = {**REPORT, "properties": {**REPORT["properties"], "event_date": ""}}
    root = etree.fromstring(run("kml", [(CONVOYS, {"type": "FeatureCollection", "features": [undated]})]).data)
    placemarks = list(root.iter(f"{KML}Placemark"))
    assert len(placemarks) == 1 and placemarks[0].find(f"{KML}TimeSpan") is None


def test_kml_denial_without_a_place_is_a_placemark_without_geometry():
    root = etree.fromstring(run("kml").data)
    placemarks = {placemark.get("id"): placemark for placemark in root.iter(f"{KML}Placemark")}
    shapes = ("Point", "LineString", "Polygon", "MultiGeometry")
    assert [name for name in shapes if placemarks["nato-denial"].find(f"{KML}{name}") is not None] == []
    assert placemarks["nato-forces-border"].find(f"{KML}Polygon") is not None


def no_fetch(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


def expanded_reviews():
    document = json.loads(run("claimreview").data)
    expanded = jsonld.expand(document, {"documentLoader": no_fetch})
    return {item[SCHEMA + "identifier"][0]["@value"]: item for item in expanded}


def value(node, term):
    return node[SCHEMA + term][0].get("@value", node[SCHEMA + term][0].get("@id"))


def test_claimreview_expands_offline_with_one_review_per_claim_or_report():
    reviews = expanded_reviews()
    assert set(reviews) == {"nato-forces-border", "convoy-sighting"}  # the denial is no claim to review
    assert all(review["@type"] == [SCHEMA + "ClaimReview"] for review in reviews.values())


def test_claimreview_names_the_quote_the_claim_its_chain_and_the_standing():
    review = expanded_reviews()["nato-forces-border"]
    assert value(review, "claimReviewed") == "NATO-Truppen stehen an der Grenze."
    claim = review[SCHEMA + "itemReviewed"][0]
    assert claim["@type"] == [SCHEMA + "Claim"]
    assert value(claim[SCHEMA + "author"][0], "name") == "Alexander Lukashenko, President of Belarus"
    assert value(claim, "datePublished") == "2020-08-15"
    first = claim[SCHEMA + "firstAppearance"][0]
    assert value(first, "name") == "Remarks at a meeting in Grodno"
    appearances = [value(work, "identifier") for work in claim[SCHEMA + "appearance"]]
    assert appearances == CLAIM["properties"]["source_chain"]
    belta = claim[SCHEMA + "appearance"][1]
    assert (value(belta, "url"), belta["@type"]) == ("https://example.org/belta?id=1&lang=ru", [SCHEMA + "NewsArticle"])
    rating = review[SCHEMA + "reviewRating"][0]
    assert (rating["@type"], value(rating, "alternateName")) == ([SCHEMA + "Rating"], "contested")
    assert "Admiralty grade F5" in value(rating, "ratingExplanation")
    assert value(review[SCHEMA + "author"][0], "name") == "Claim Map"


def prov_document():
    return ProvDocument.deserialize(content=run("prov-json").data.decode("utf-8"), format="json")


def test_prov_json_reads_back_with_every_chain_step_and_via_as_a_derivation():
    document = prov_document()
    derivations = {
        (name_id(record.formal_attributes[0][1]), name_id(record.formal_attributes[1][1]))
        for record in document.get_records()
        if record.get_type().localpart == "Derivation"
    }
    assert derivations == {
        ("belta-2020-08-15", "lukashenko-remarks"),
        ("seed-article", "belta-2020-08-15"),
        ("seed-article", "fontanka-2020-08-16"),
        ("nato-forces-border", "seed-article"),
        ("convoy-sighting", "seed-article"),
        ("nato-denial", "nato-statement"),
    }


def test_prov_json_entities_carry_title_url_date_and_the_feature_fields():
    entities = {name_id(record.identifier): record for record in prov_document().get_records(ProvEntity)}
    assert set(entities) == {*FEATURES, *SOURCES}
    belta = {name.localpart: value for name, value in entities["belta-2020-08-15"].attributes}
    assert belta["title"] == "Lukashenko on NATO forces"
    assert belta["url"] == Identifier("https://example.org/belta?id=1&lang=ru")
    assert (belta["issued"], belta["reliability"]) == ("2020-08-15", "D")
    claim = {name.localpart: value for name, value in entities["nato-forces-border"].attributes}
    assert (claim["kind"], claim["standing"], claim["grade"]) == ("claim", "contested", "F5")


def test_prov_json_round_trip_is_the_same_document():
    document = prov_document()
    again = ProvDocument.deserialize(content=document.serialize(format="json"), format="json")
    assert again == document


@pytest.mark.parametrize(
    ("fmt", "ending", "mime"),
    [
        ("claimreview", "view_2020-08-18.claimreview.jsonld", "application/ld+json"),
        ("prov-json", "view_2020-08-18.prov.json", "application/json"),
    ],
)
def test_new_formats_are_named_like_the_others(fmt, ending, mime):
    result = run(fmt)
    assert (result.file_name, result.mime) == (f"claim-map_test-case_{ending}", mime)


def test_the_download_section_offers_every_format():
    assert [*FORMAT_LABELS, *SOURCE_FORMATS] == list(FORMATS)


def literal_texts(node):
    """Every string in a JSON value, keys and values alike."""
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (key, *literal_texts(value))]
    if isinstance(node, list):
        return [text for item in node for text in literal_texts(item)]
    return [node] if isinstance(node, str) else []


def hostile_claims():
    """A claim per template payload, the payload in its id, title, quote, claimant and its source's title."""
    features = []
    for number, payload in enumerate(PAYLOADS):
        properties = {**CLAIM["properties"], "id": payload, "title": payload, "quote": payload, "claimant": payload}
        features.append({**CLAIM, "id": payload, "properties": {**properties, "source_chain": [f"s{number}"]}})
    sources = {f"s{n}": {"id": f"s{n}", "type": "webpage", "title": payload} for n, payload in enumerate(PAYLOADS)}
    return [(BORDER, {"type": "FeatureCollection", "features": features})], sources


def read_texts(fmt, data):
    if fmt == "claimreview":
        return literal_texts(jsonld.expand(json.loads(data), {"documentLoader": no_fetch}))
    records = ProvDocument.deserialize(content=data.decode("utf-8"), format="json").get_records(ProvEntity)
    return [str(value) for record in records for _, value in record.attributes] + [
        name_id(record.identifier) for record in records
    ]


@pytest.mark.parametrize("fmt", ("claimreview", "prov-json"))
def test_template_payloads_in_claims_come_back_literally_and_run_nothing(fmt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    layers, sources = hostile_claims()
    texts = read_texts(fmt, export(layers, fmt, CASE, sources, "view", day=DAY).data)
    assert_not_evaluated("\n".join(texts))
    assert set(PAYLOADS) <= set(texts)
    assert not (tmp_path / MARKER).exists()
