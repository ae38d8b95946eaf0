"""The claim panel and the sources list, read from the shipped case: who claims, who answered, how sure, from where."""

import datetime as dt

import lxml.html
import pytest

from geo.model.claims import RESPONSE_LABELS, answered_ids, event_span, grade_words, responses
from geo.render import panel
from geo.render.dates import csl_date_in_words, edtf_in_words, span_in_words
from geo.render.sources import ASSESSMENT_NOTE, source_anchor
from geo.render.uncertainty import PLACEMENT_WORDS, PRECISION_WORDS

CLAIM = "nato-forces-lithuania-border"
SPOKESPERSON = "nato-spokesperson-denial"


def feature(case, feature_id):
    return next(
        f
        for collection in case.collections.values()
        for f in collection["features"]
        if f["properties"]["id"] == feature_id
    )


def rendered(case, feature_id):
    properties = feature(case, feature_id)["properties"]
    return properties, lxml.html.fromstring(str(panel.claim_panel(properties, case.sources, case.titles())))


def row(tree, label):
    """The ``dd`` of the panel row whose ``dt`` reads ``label``."""
    (dd,) = tree.xpath("//dt[normalize-space()=$label]/following-sibling::dd[1]", label=label)
    return dd


def text(element):
    return " ".join(element.text_content().split())


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2020-08-15/2020-08-16", "15–16 Aug 2020"),
        ("../2020-08-16", "on or before 16 Aug 2020"),
        ("2020-08-17/..", "on or after 17 Aug 2020"),
        ("2020-08-16", "16 Aug 2020"),
        ("2020-08", "Aug 2020"),
        ("2020-08-30/2020-09-02", "30 Aug – 2 Sept 2020"),
        ("not a date", ""),
    ],
)
def test_edtf_dates_read_in_words(value, words):
    assert " ".join(edtf_in_words(value).replace("\u2009", " ").split()) == words


def test_an_open_interval_with_no_end_reads_as_nothing():
    assert span_in_words((None, None)) == ""
    assert csl_date_in_words({"issued": {"date-parts": [[2020, 8]]}}) == "Aug 2020"
    assert csl_date_in_words({"issued": {"date-parts": [["x"]]}}) == ""


def test_panel_reads_title_kind_standing_grade_claim_and_claimant_in_that_order(case):
    properties, tree = rendered(case, CLAIM)
    assert text(tree.xpath("//h3")[0]) == properties["title"]
    labels = [text(dt_) for dt_ in tree.xpath("//dl/dt")]
    order = ["Standing and grade", "Why this standing", "Claim", "Claimant", "Date"]
    assert [label for label in labels if label in order] == order
    assert labels.index("Responses") < labels.index("Source chain (origin first)") < labels.index("Geometry")
    standing = row(tree, "Standing and grade")
    assert text(standing.xpath(".//span[@class='standing']")[0]) == properties["standing"]
    (grade,) = standing.xpath(".//abbr[@class='grade']")
    assert text(grade) == properties["grade"] and grade.get("title") == grade_words(properties["grade"])
    assert panel.GRADE_NOTE in text(standing)
    assert text(row(tree, "Why this standing")) == properties["standing_basis"]
    assert text(row(tree, "Claimant")) == properties["claimant"]


def test_panel_dates_the_event_in_words_with_its_basis_and_the_report_date(case):
    properties, tree = rendered(case, CLAIM)
    date = text(row(tree, "Date"))
    assert date.startswith(edtf_in_words(properties["event_date"]))
    assert properties["date_basis"] in date
    assert f"First reported: {edtf_in_words(properties['report_date'])}" in date


def test_quote_is_labelled_with_its_source_language_and_translated(case):
    properties, tree = rendered(case, CLAIM)
    language = case.sources[properties["source_id"]]["language"]
    (quote,) = row(tree, panel.quote_label(language)).xpath("./blockquote[@lang=$lang]", lang=language)
    assert panel.quote_label(language) == "Quote (German, verbatim)"
    assert text(quote) == properties["quote"]
    assert text(row(tree, "Translation")) == properties["quote_en"]


def test_responses_are_a_dated_timeline_each_with_who_what_and_the_source(case):
    properties, tree = rendered(case, CLAIM)
    items = row(tree, "Responses").xpath("./ol[@class='timeline']/li")
    expected = responses(properties)
    assert len(items) == len(expected) > 0
    for item, response in zip(items, expected, strict=True):
        words = text(item)
        assert text(item.xpath("./time")[0]) == edtf_in_words(response["date"])
        assert f"{response['by']} {RESPONSE_LABELS[response['type']]}" in words
        assert (response.get("quote") or response["summary"]) in words
        if response.get("quote_en"):
            assert response["quote_en"] in words
        assert item.xpath(".//a/@href") == [f"#{source_anchor(response['source'])}"]
        assert f"Mapped as: {case.titles()[response['feature']]}" in words
    days = [event_span(response["date"])[0] for response in expected]
    assert days == sorted(days)


def test_a_denial_names_what_it_denies_and_a_claim_is_never_said_to_be_answered_by(case):
    properties, tree = rendered(case, SPOKESPERSON)
    denied = [text(li) for li in row(tree, "Denies").xpath("./ul/li")]
    assert denied == [case.titles()[target] for target in answered_ids(properties)]
    assert text(row(tree, "Standing and grade")) == "on-record"
    _, claim = rendered(case, CLAIM)
    labels = [text(dt_) for dt_ in claim.xpath("//dl/dt")]
    assert "Denies" not in labels and "Answered by" not in labels and "Answers" not in labels


def test_the_source_chain_links_each_step_to_its_entry_in_the_sources_list(case):
    properties, tree = rendered(case, CLAIM)
    steps = row(tree, "Source chain (origin first)").xpath("./ol/li")
    chain = properties["source_chain"]
    assert [li.xpath("./a/@href")[0] for li in steps] == [f"#{source_anchor(item)}" for item in chain]
    assert text(steps[0]).startswith("origin") and text(steps[-1]).startswith("source read")
    entries = lxml.html.fromstring(str(panel.sources_list(case.sources.values())))
    anchors = set(entries.xpath("//li/@id"))
    for li, source_id in zip(steps, chain, strict=True):
        source = case.sources[source_id]
        assert source_anchor(source_id) in anchors
        assert f"reliability {source['reliability']}" in text(li) and source["reliability_note"] in text(li)
        assert csl_date_in_words(source) in text(li)
    also = row(tree, "Also reported by").xpath(".//a/@href")
    assert also == [f"#{source_anchor(item)}" for item in properties["also_reported_by"]]


def test_geometry_note_gives_precision_uncertainty_placement_and_method(case):
    properties, tree = rendered(case, CLAIM)
    note = text(row(tree, "Geometry"))
    assert f"give or take {properties['uncertainty_km']} km" in note  # the tooltip's words, the same here
    assert PLACEMENT_WORDS[properties["placement"]] in note and properties["method"] in note
    assert PRECISION_WORDS[properties["precision"]].split(",")[0] in note


def test_sources_list_anchors_every_source_with_grade_and_what_it_relays(case):
    tree = lxml.html.fromstring(str(panel.sources_list(case.sources.values())))
    entries = {li.get("id"): li for li in tree.xpath("//ol[@class='sources-list']/li")}
    assert set(entries) == {source_anchor(source_id) for source_id in case.sources}
    for source_id, source in case.sources.items():
        entry = entries[source_anchor(source_id)]
        if source.get("reliability"):
            assert f"reliability {source['reliability']}" in text(entry) and ASSESSMENT_NOTE in text(entry)
        relayed = [href for href in entry.xpath(".//a/@href") if href.startswith("#")]
        assert relayed == [f"#{source_anchor(item)}" for item in source.get("via", [])]
        links = [href for href in entry.xpath(".//a/@href") if not href.startswith("#")]
        assert links == ([source["URL"]] if source.get("URL", "").startswith(("http://", "https://")) else [])


def test_a_response_in_a_foreign_language_is_labelled_and_translated():
    sources = {"s": {"id": "s", "title": "t", "language": "de", "reliability": "B", "reliability_note": "n"}}
    properties = {
        "kind": "claim",
        "standing": "contested",
        "responses": [
            {
                "type": "no-comment",
                "by": "X",
                "date": "../2020-08-16",
                "source": "s",
                "quote": "Nein.",
                "quote_en": "No.",
            }
        ],
    }
    tree = lxml.html.fromstring(str(panel.claim_panel(properties, sources)))
    (item,) = row(tree, "Responses").xpath("./ol/li")
    assert text(item).startswith("on or before 16 Aug 2020: X refused to comment (German, verbatim)")
    assert item.xpath(".//blockquote/@lang") == ["de", "en"]
    assert dt.date(2020, 8, 16) == event_span("../2020-08-16")[1]
