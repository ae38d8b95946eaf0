"""The claim model's helpers: EDTF spans, overlap, grades, origins of sources, shown kind and standing."""

import datetime as dt

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.model.claims import (
    SHOWN_STANDINGS,
    event_span,
    grade,
    grade_words,
    independent_sources,
    origins,
    overlaps,
    parse_date,
    shown_kind,
    shown_standing,
)

AUG = dt.date(2020, 8, 1)


def day(n):
    return AUG.replace(day=n)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-08-17", (day(17), day(17))),
        ("2020-08-17/2020-08-20", (day(17), day(20))),
        ("../2020-08-16", (None, day(16))),
        ("2020-08-16/..", (day(16), None)),
        ("2020-08", (day(1), day(31))),
        ("/2020-08-16", (None, day(16))),
        ("2020-08-16/", (day(16), None)),
        ("2020-08-1X", None),  # valid EDTF, but edtf 5.0.2 cannot bound it: refused, not crashed
        ("2020-02-30", None),
        ("17.08.2020", None),
        ("", None),
        (None, None),
        (20200817, None),
    ],
)
def test_event_span_reads_edtf_days_intervals_open_ends_and_months(value, expected):
    assert event_span(value) == expected


@pytest.mark.parametrize(
    ("span", "window", "expected"),
    [
        ((day(17), day(20)), (day(18), day(18)), True),
        ((day(17), day(20)), (day(15), day(16)), False),
        ((None, day(16)), (day(1), day(2)), True),
        ((None, day(16)), (day(17), day(18)), False),
        ((day(16), None), (day(30), day(31)), True),
    ],
)
def test_a_span_overlaps_a_window_when_they_share_a_day(span, window, expected):
    assert overlaps(span, window) is expected


def test_grade_joins_reliability_and_credibility_only_when_both_are_valid():
    assert grade({"reliability": "F", "credibility": 5}) == "F5"
    assert grade({"reliability": "F", "credibility": ""}) == ""
    assert grade({"reliability": "G", "credibility": 5}) == ""
    assert grade_words("F5") == "reliability cannot be judged, improbable"
    assert grade_words("X9") == ""


SOURCES = {
    "video": {},
    "relay-a": {"via": ["video"]},
    "relay-b": {"via": ["relay-a"]},
    "other": {},
    "loop-a": {"via": ["loop-b"]},
    "loop-b": {"via": ["loop-a"]},
}


def test_origins_follow_via_to_the_sources_that_relay_nothing_and_stop_at_cycles():
    assert origins("relay-b", SOURCES) == {"video"}
    assert origins("other", SOURCES) == {"other"}
    assert origins("loop-a", SOURCES) == frozenset()
    assert origins("unknown", SOURCES) == {"unknown"}


def test_independent_sources_count_a_relay_once():
    claim = {"source_chain": ["video", "relay-a"], "also_reported_by": ["relay-b", "other"]}
    assert independent_sources(claim, SOURCES) == ["relay-a", "other"]


@pytest.mark.parametrize(
    ("properties", "kind", "standing"),
    [
        ({"kind": "claim", "standing": "contested"}, "claim", "contested"),
        ({"kind": "report", "standing": "rumoured"}, "report", "unsourced"),
        ({"kind": "denial"}, "denial", "on-record"),
        ({"kind": "statement", "standing": "confirmed"}, "statement", "on-record"),
        ({"kind": "context"}, "context", "context"),
        ({"status": "claimed"}, "unsourced", "unsourced"),
    ],
)
def test_shown_kind_and_standing(properties, kind, standing):
    feature = {"type": "Feature", "properties": properties, "geometry": None}
    assert (shown_kind(feature), shown_standing(feature)) == (kind, standing)
    assert standing in SHOWN_STANDINGS


def test_an_import_marked_unsourced_shows_as_unsourced_whatever_it_says():
    feature = {"type": "Feature", "properties": {"kind": "claim", "standing": "confirmed"}, "unsourced": ["no id"]}
    assert (shown_kind(feature), shown_standing(feature)) == ("unsourced", "unsourced")


# Examples of each EDTF level from the Library of Congress specification, and strings that are no EDTF.
EDTF_EXAMPLES = (
    "1985-04-12",
    "1985-04",
    "1985",
    "1985-04-12T23:20:30Z",
    "1964/2008",
    "2004-06/2006-08",
    "2004-02-01/2005-02-08",
    "Y170000002",
    "2001-21",
    "1984?",
    "2004-06~",
    "2004-06-11%",
    "201X",
    "1985-04-XX",
    "../1985-04-12",
    "1985-04-12/..",
    "/1985-04-12",
    "1985-04-12/",
    "1985-04-12/2020-08?",
    "-1985",
    "2004-06-~11",
    "?2004-06-~11",
    "[1667,1668,1670..1672]",
    "{1960,1961-12}",
    "156X-12-25",
    "2001-34",
    "Y-17E7",
    "1950S2",
    "2020-08-15/2020-08-18",
    "2020-13-01",
    "2020-02-30",
    "15 August 2020",
    "2020/08/15",
    "2020-08-15 to 2020-08-18",
    "nonsense",
)


def _parsed_or_error(parse, text):
    try:
        return repr(parse(text))
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return type(exc).__name__


@pytest.mark.parametrize("text", EDTF_EXAMPLES)
def test_parse_date_gives_what_parse_edtf_gives(text):
    assert _parsed_or_error(parse_date, text) == _parsed_or_error(parse_edtf, text)


_QUALIFIERS = st.sampled_from(["", "", "?", "~", "%"])
_YEARS = st.sampled_from(["2020", "1985", "201X", "19XX", "-0100", "Y170000002"])
_MONTHS = st.sampled_from(["", "-08", "-12", "-21", "-XX", "-13", "-~08"])
_DAYS = st.sampled_from(["", "-15", "-31", "-XX", "-00", "-?11"])
#: One EDTF date, often valid at some level and sometimes not (a 13th month, a day 0).
_DATES = st.tuples(_YEARS, _MONTHS, _DAYS, _QUALIFIERS).map("".join)
_ENDS = st.one_of(_DATES, st.sampled_from(["..", ""]))


@settings(max_examples=100, deadline=None)
@given(st.one_of(_DATES, st.tuples(_ENDS, _ENDS).map("/".join)))
def test_parse_date_agrees_with_parse_edtf_on_generated_dates_and_intervals(text):
    assert _parsed_or_error(parse_date, text) == _parsed_or_error(parse_edtf, text)
