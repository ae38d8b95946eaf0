"""Permalinks: a view survives the URL, stale or malformed links open with a notice, the widgets follow the link."""

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.app import linkcodec, permalink
from geo.model import filters
from geo.render.escape import MARKDOWN_SPECIAL
from geo.render.mapview import BASEMAPS
from tests import permalink_page as page
from tests.browser import ROOT

KNOWN = page.known
DAYS = page.DAYS
SCRIPT = str(ROOT / "tests" / "permalink_page.py")
#: Text a browser can put in a URL (lone surrogates cannot be encoded as UTF-8).
URL_TEXT = st.text(st.characters(exclude_categories=("Cs",)))


def is_markdown_inert(text):
    """True if every Markdown special character in ``text`` is backslash-escaped, and there is no line break."""
    if "\n" in text or "\r" in text:
        return False
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 == len(text) or text[position + 1] not in MARKDOWN_SPECIAL:
                return False
            position += 2
        elif char in MARKDOWN_SPECIAL:
            return False
        else:
            position += 1
    return True


def chosen(choices):
    """None (everything) or a proper subset of ``choices``."""
    every = frozenset(choices)
    return st.none() | st.frozensets(st.sampled_from(choices)).filter(lambda picked: picked != every)


@st.composite
def windows(draw):
    first, last = sorted(draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
    return None if (first, last) == (DAYS[0], DAYS[-1]) else (first, last)


def coordinate(limit):
    return st.floats(-limit, limit, allow_nan=False).map(lambda value: round(value, linkcodec.DECIMALS))


views = st.builds(
    linkcodec.ViewState,
    layers=st.sets(st.sampled_from(KNOWN.layers)).map(lambda ids: tuple(i for i in KNOWN.layers if i in ids)),
    standings=chosen(filters.STANDING_CHOICES),
    reliability=chosen(filters.RELIABILITY_CHOICES),
    credibility=chosen(filters.CREDIBILITY_CHOICES),
    dates=st.none() | windows(),
    text=URL_TEXT.filter(lambda text: len(text) <= linkcodec.MAX_TEXT),
    selected=st.none() | st.sampled_from(sorted(KNOWN.selections)),
    center=st.none() | st.tuples(coordinate(90), coordinate(180)),
    zoom=st.none() | st.integers(*linkcodec.ZOOM_RANGE),
    basemap=st.sampled_from(BASEMAPS),
    lang=st.sampled_from(linkcodec.LANGUAGES),
    depth=st.integers(*linkcodec.DEPTH_RANGE),
)


def through_url(params):
    """The parameters as a browser sends them back: URL-encoded by Streamlit, parsed into lists."""
    return parse_qs(urlencode(params), keep_blank_values=True)


def test_the_default_view_has_no_parameters_and_reads_back_as_default():
    assert linkcodec.encode(KNOWN.default, KNOWN.default) == {}
    assert linkcodec.decode({}, KNOWN) == (KNOWN.default, [])


@given(views)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_a_view_survives_its_url(view):
    state, notices = linkcodec.decode(through_url(linkcodec.encode(view, KNOWN.default)), KNOWN)
    assert notices == []
    assert state == view


def test_a_link_is_short_and_readable():
    view = linkcodec.ViewState(
        layers=("drills", "borders"),
        standings=frozenset({"refuted", "contested"}),
        center=(54.6872149, 25.2796514),
        zoom=7,
        basemap=linkcodec.BASEMAPS[-1],
    )
    query = urlencode(linkcodec.encode(view, KNOWN.default))
    assert query == (
        "layers=drills~borders&standing=contested~refuted&lat=54.68721&lon=25.27965&z=7&basemap=offline-no-tiles"
    )


#: A link, the field it spoils, what the field reads instead, and the setting the notice names.
STALE = [
    ({"sel": "a-claim-that-was-removed"}, "selected", None, "sel=a-claim-that-was-removed"),
    ({"layers": "drills~gone-layer"}, "layers", ("drills",), "layers=gone-layer"),
    ({"layers": "gone-layer"}, "layers", KNOWN.default.layers, "layers=gone-layer"),
    ({"standing": "contested~rumoured"}, "standings", frozenset({"contested"}), "standing=rumoured"),
    ({"rel": "Z"}, "reliability", None, "rel=Z"),
    ({"from": "2020-02-30"}, "dates", None, "from=2020-02-30"),
    ({"to": "yesterday"}, "dates", None, "to=yesterday"),
    ({"from": "1999-01-01", "to": "2020-08-16"}, "dates", (DAYS[0], dt.date(2020, 8, 16)), "from=1999-01-01"),
    ({"from": "2020-08-17", "to": "2020-08-15"}, "dates", None, "from=2020-08-17"),
    ({"lat": "54", "lon": "25", "z": "0"}, "zoom", None, "z=0"),
    ({"lat": "54", "lon": "25", "z": "19"}, "zoom", None, "z=19"),
    ({"lat": "54", "lon": "25", "z": "seven"}, "zoom", None, "z=seven"),
    ({"lat": "91", "lon": "25"}, "center", None, "lat=91"),
    ({"lat": "54", "lon": "-180.5"}, "center", None, "lon=-180.5"),
    ({"lat": "nan", "lon": "25"}, "center", None, "lat=nan"),
    ({"lat": "54"}, "center", None, "lat=54"),
    ({"basemap": "satellite"}, "basemap", KNOWN.default.basemap, "basemap=satellite"),
    ({"lang": "fr"}, "lang", KNOWN.default.lang, "lang=fr"),
    ({"depth": "500"}, "depth", KNOWN.default_depth, "depth=500"),
    ({"depth": "4.5"}, "depth", KNOWN.default_depth, "depth=4.5"),
    ({"q": "x" * (linkcodec.MAX_TEXT + 1)}, "text", "", "q=" + "x" * (linkcodec.SHOWN_VALUE - 1) + "…"),
]


@pytest.mark.parametrize(("params", "field", "expected", "named"), STALE)
def test_a_stale_or_malformed_value_is_dropped_with_one_notice_naming_it(params, field, expected, named):
    state, notices = linkcodec.decode(params, KNOWN)
    assert getattr(state, field) == expected
    assert [notice.split(" from the link")[0] for notice in notices] == [f"Ignored {named}"]


def test_a_notice_shows_a_long_hostile_value_shortened_and_escaped():
    value = "[click](javascript:alert(1)) **now** " + "x" * 100
    (notice,) = linkcodec.decode({"sel": value}, KNOWN)[1]
    assert "\\[click\\](javascript:alert(1)) \\*\\*now\\*\\*" in notice
    assert "x" * (linkcodec.SHOWN_VALUE - 1) not in notice
    assert "…" in notice and is_markdown_inert(notice)


def test_notices_are_capped_with_a_count_of_the_rest():
    layers = "~".join(f"gone-{n}" for n in range(20))
    notices = linkcodec.decode({"layers": layers}, KNOWN)[1]
    assert len(notices) == linkcodec.MAX_NOTICES + 1
    assert notices[-1].startswith(f"And {20 - linkcodec.MAX_NOTICES} more")


def test_unknown_parameter_names_are_left_alone():
    assert linkcodec.decode({"utm_source": "newsletter", "fbclid": "x"}, KNOWN) == (KNOWN.default, [])


def test_names_and_grades_match_in_any_case_and_repeated_keys_add_up():
    state, notices = linkcodec.decode(
        {"layers": ["DRILLS", "borders"], "rel": "a,b", "basemap": "Offline (no tiles)"}, KNOWN
    )
    assert notices == []
    assert (state.layers, state.reliability, state.basemap) == (("drills", "borders"), {"A", "B"}, BASEMAPS[-1])


params_strategy = st.dictionaries(
    st.sampled_from(linkcodec.PARAMS) | st.text(max_size=8),
    st.text() | st.lists(st.text(), max_size=3) | st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,6})?", fullmatch=True),
)


@given(params_strategy)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_any_link_reads_as_a_sane_view_with_inert_notices(params):
    state, notices = linkcodec.decode(params, KNOWN)
    assert len(notices) <= linkcodec.MAX_NOTICES + 1
    assert all(is_markdown_inert(notice) for notice in notices)
    # What was read is itself a clean link: every value in it exists and is in range.
    assert linkcodec.decode(through_url(linkcodec.encode(state, KNOWN.default)), KNOWN) == (state, [])


def test_seed_session_seeds_the_changed_widgets_once():
    keys = page.keys
    view = linkcodec.ViewState(
        layers=("drills", "borders"),
        reliability=frozenset({"B", "A"}),
        dates=(DAYS[1], DAYS[2]),
        selected="drills/0",
        basemap=BASEMAPS[-1],
        lang="de",
    )
    session = {}
    assert permalink.seed_session(view, session, keys, KNOWN) is True
    assert session == {
        permalink.SEEDED_KEY: True,
        "layer:convoy-route": False,
        "layer:denials": False,
        "layer:borders": True,
        "filter:reliability": ["A", "B"],
        f"filter:dates:{DAYS[0]}:{DAYS[-1]}": (DAYS[1], DAYS[2]),
        "selected": "drills/0",
        "basemap": BASEMAPS[-1],
        "lang": "de",
    }
    seeded = dict(session)
    assert permalink.seed_session(KNOWN.default, session, keys, KNOWN) is False
    assert session == seeded


def test_the_default_view_seeds_no_widget():
    session = {}
    permalink.seed_session(KNOWN.default, session, page.keys, KNOWN)
    assert session == {permalink.SEEDED_KEY: True}


def test_the_map_view_is_left_out_while_the_map_stays_where_it_opened():
    session = {}
    permalink.restore({}, session, page.keys, KNOWN)
    assert permalink.map_view(None, session) == (None, None)
    home = {"center": {"lat": 54.0, "lng": 26.0}, "zoom": 6}
    assert permalink.map_view(home, session) == (None, None)
    moved = {"center": {"lat": 54.6872149, "lng": 385.2796514}, "zoom": 9}
    assert permalink.map_view(moved, session) == ((54.68721, 25.27965), 9)
    assert permalink.map_view(home, session) == (None, None)


def test_the_linked_map_view_holds_until_the_map_reports():
    session = {}
    permalink.restore({"lat": "54.1", "lon": "25.3", "z": "8"}, session, page.keys, KNOWN)
    assert permalink.map_view({"zoom": 5}, session) == ((54.1, 25.3), 8)
    assert permalink.map_view({"center": {"lat": 54.1, "lng": 25.3}, "zoom": 8}, session) == ((54.1, 25.3), 8)


def test_sync_writes_only_changes_and_keeps_other_parameters():
    url = {"utm_source": "newsletter", "z": "5", "lat": "1", "lon": "2"}
    view = linkcodec.ViewState(layers=("drills",), basemap=BASEMAPS[0], lang="en")
    assert permalink.sync_query_params(view, url, KNOWN.default) is True
    assert url == {"utm_source": "newsletter", "layers": "drills"}
    assert permalink.sync_query_params(view, url, KNOWN.default) is False


def test_share_link_joins_the_page_address_and_the_query():
    params = {"layers": "drills", "q": "NATO Kräfte"}
    assert permalink.share_link("http://host:8501/", params) == "http://host:8501/?layers=drills&q=NATO+Kr%C3%A4fte"
    assert permalink.share_link(None, params) == "?layers=drills&q=NATO+Kr%C3%A4fte"
    assert permalink.share_link("http://host:8501/", {}) == "http://host:8501/"


def run_page(params=None, url="http://host:8501/"):
    app = AppTest.from_file(SCRIPT, default_timeout=60)
    app.query_params.update(params or {})
    app.context = {"url": url}
    return app.run()


def widget_values(app):
    return {
        "layers": tuple(box.key.removeprefix("layer:") for box in app.checkbox if box.value),
        "filters": [box.value for box in app.multiselect],
        "dates": app.select_slider[0].value,
        "radios": [radio.value for radio in app.radio],
        "text": app.text_input[0].value,
        "depth": app.slider[0].value,
        "selected": app.selectbox[0].value,
    }


def test_the_page_opens_on_a_clean_url():
    app = run_page()
    assert not app.exception
    assert app.query_params == {}
    assert app.code[0].value == "http://host:8501/"


def test_a_link_sets_every_widget_and_later_changes_win():
    link = {
        "layers": "drills~borders",
        "standing": "contested~confirmed",
        "from": "2020-08-15",
        "to": "2020-08-16",
        "q": "nato",
        "sel": "drills/0",
        "basemap": "offline-no-tiles",
        "lang": "de",
        "depth": "55",
    }
    app = run_page(link)
    assert not app.exception and not app.warning
    assert widget_values(app) == {
        "layers": ("drills", "borders"),
        "filters": [["contested", "confirmed"], list(filters.RELIABILITY_CHOICES), list(filters.CREDIBILITY_CHOICES)],
        "dates": (dt.date(2020, 8, 15), dt.date(2020, 8, 16)),
        "radios": [BASEMAPS[-1], "de"],
        "text": "nato",
        "depth": 55,
        "selected": "drills/0",
    }
    assert app.query_params == link
    in_order = {name: link[name] for name in linkcodec.PARAMS if name in link}
    assert app.code[0].value == "http://host:8501/?" + urlencode(in_order)
    app.checkbox(key="layer:borders").uncheck()
    app.radio(key="basemap").set_value(BASEMAPS[0])
    app.run()
    assert widget_values(app)["layers"] == ("drills",) and widget_values(app)["radios"][0] == BASEMAPS[0]
    assert app.query_params["layers"] == "drills" and "basemap" not in app.query_params


def test_a_stale_link_opens_with_notices_and_a_clean_url():
    app = run_page({"sel": "removed-claim", "layers": "drills~old-layer", "z": "40", "ref": "mail"})
    assert not app.exception
    (warning,) = app.warning
    assert "sel=removed-claim" in warning.value and "layers=old-layer" in warning.value and "z=40" in warning.value
    assert app.query_params == {"layers": "drills", "ref": "mail"}
    app.button(key=permalink.DISMISS_KEY).click().run()
    assert not app.warning
    app.checkbox(key="layer:borders").check().run()
    assert not app.warning


def test_a_home_view_nudged_by_a_few_pixels_stays_out_of_the_url():
    session = {}
    home = {"center": {"lat": 55.65726, "lng": 20.9833}, "zoom": 4}
    assert permalink.map_view(home, session) == (None, None)
    pixel = 360.0 / (256 * 2**4)
    nudged = {"center": {"lat": 55.65726 + 3 * pixel, "lng": 20.9833 - 3 * pixel}, "zoom": 4}
    assert permalink.map_view(nudged, session) == (None, None)
    moved = {"center": {"lat": 55.65726 + 50 * pixel, "lng": 20.9833}, "zoom": 4}
    assert permalink.map_view(moved, session) == ((round(55.65726 + 50 * pixel, 5), 20.9833), 4)
    assert permalink.map_view({**home, "zoom": 5}, session) == ((55.65726, 20.9833), 5)
