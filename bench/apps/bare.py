"""The floor: a bare Streamlit page with one small Folium map and one checkbox. Run by ``python -m bench``."""

import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

# Streamlit runs this file as a script: make the repository importable whatever the working folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.apps.common import MAP_HEIGHT, local_map  # noqa: E402

#: The widget key of the one checkbox (what the benchmark toggles).
TOGGLE_KEY = "bare:shape"
#: A small triangle near Vilnius and a point: one path and one marker.
SHAPE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "area"},
            "geometry": {"type": "Polygon", "coordinates": [[[25.0, 54.5], [25.6, 54.5], [25.3, 54.9], [25.0, 54.5]]]},
        },
        {
            "type": "Feature",
            "properties": {"name": "place"},
            "geometry": {"type": "Point", "coordinates": [27.56, 53.9]},
        },
    ],
}

st.set_page_config(page_title="Bare map", layout="wide")
shown = st.sidebar.checkbox("Shape", value=True, key=TOGGLE_KEY)
fmap = local_map([55.5, 27.0], 5)
if shown:
    tooltip = folium.GeoJsonTooltip(fields=["name"])
    folium.GeoJson(SHAPE, name="shape", tooltip=tooltip, marker=folium.CircleMarker(radius=6)).add_to(fmap)
st_folium(fmap, key="map", height=MAP_HEIGHT, use_container_width=True, returned_objects=["last_active_drawing"])
