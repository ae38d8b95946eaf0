"""The naive page: plain folium + st_folium, no caching, every layer file at full resolution, one checkbox each.

It reads the case folder ``$CLAIM_MAP_DATA`` (else ``data/``) on every run, as a first version of the app would.
"""

import json
import os
import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

# Streamlit runs this file as a script: make the repository importable whatever the working folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.apps.common import MAP_HEIGHT, ROOT, local_map  # noqa: E402
from geo.render.escape import escape_feature_collection, escape_text  # noqa: E402

#: The tooltip shows these properties where the features have them.
TOOLTIP_FIELDS = ("title", "kind", "standing")


def toggle_key(layer_id: str) -> str:
    """Return the widget key of a layer's checkbox."""
    return f"naive:{layer_id}"


data_dir = Path(os.environ.get("CLAIM_MAP_DATA") or ROOT / "data")
catalog = json.loads((data_dir / "catalog.json").read_text(encoding="utf-8"))
st.set_page_config(page_title="Naive map", layout="wide")
fmap = local_map(catalog["case"]["center"], catalog["case"]["zoom"])
for layer in catalog["layers"]:
    title = str(escape_text(layer["title"]))
    if not st.sidebar.checkbox(title, value=layer.get("default_visible", True), key=toggle_key(layer["id"])):
        continue
    collection = json.loads((data_dir / layer["file"]).read_text(encoding="utf-8"))
    drawn = escape_feature_collection(
        {"type": "FeatureCollection", "features": [f for f in collection["features"] if f.get("geometry")]}
    )
    if not drawn["features"]:
        continue
    first = drawn["features"][0]["properties"]
    fields = [name for name in TOOLTIP_FIELDS if name in first] or None
    tooltip = folium.GeoJsonTooltip(fields=fields) if fields else None
    folium.GeoJson(drawn, name=title, tooltip=tooltip, marker=folium.CircleMarker(radius=6)).add_to(fmap)
st_folium(fmap, key="map", height=MAP_HEIGHT, use_container_width=True, returned_objects=["last_active_drawing"])
