"""A small Streamlit page with the Claim Map page's widget keys, restored from and synced to the URL.

Run by tests/test_permalink.py through AppTest: the widgets are those of geo/app/page.py (and the search,
depth and language the other helpers add), with the same keys, defaults and options.
"""

import datetime as dt

import streamlit as st

from geo.app import linkcodec, permalink
from geo.model import filters
from geo.render.mapview import BASEMAPS

LAYERS = {"convoy-route": True, "drills": True, "denials": True, "borders": False}
DAYS = tuple(dt.date(2020, 8, 14) + dt.timedelta(days=n) for n in range(5))
SELECTIONS = ("nato-forces-lithuania-border", "drills/0")

known = linkcodec.Known(
    layers=tuple(LAYERS),
    default_layers=tuple(layer for layer, shown in LAYERS.items() if shown),
    days=DAYS,
    selections=frozenset(SELECTIONS),
)
keys = permalink.keys_for(tuple(LAYERS), DAYS)
permalink.restore(st.query_params, st.session_state, keys, known)
permalink.show_notices(st.session_state)

with st.sidebar:
    for layer, shown in LAYERS.items():
        st.checkbox(layer, value=shown, key=keys.layers[layer])
    for label, choices, key in (
        ("Standing", filters.STANDING_CHOICES, keys.standings),
        ("Source reliability", filters.RELIABILITY_CHOICES, keys.reliability),
        ("Credibility", filters.CREDIBILITY_CHOICES, keys.credibility),
    ):
        st.multiselect(label, list(choices), default=list(choices), key=key)
    st.select_slider("Event date", options=DAYS, value=(DAYS[0], DAYS[-1]), format_func=str, key=keys.dates)
    st.radio("Basemap", BASEMAPS, key=keys.basemap)
    st.text_input("Search", key=keys.text)
    st.slider("Zone depth (km)", 5, 100, linkcodec.DEFAULT_DEPTH, key=keys.depth)
    st.radio("Language", linkcodec.LANGUAGES, key=keys.lang)
st.selectbox("Select a claim, report or denial", SELECTIONS, index=None, key=keys.selected)

# The map's report as st_folium gives it, when a test stands in for the browser.
report = st.session_state.get("test:map")
state = permalink.current_state(st.session_state, keys, known, permalink.map_view(report, st.session_state))
permalink.sync_query_params(state, st.query_params, known.default)
permalink.show_copy_link(linkcodec.encode(state, known.default))
