"""What the bare and the naive page share: Leaflet served by this server, never from a CDN."""

from __future__ import annotations

from pathlib import Path

import folium

from geo.render.assets import install_leaflet

APPS_DIR = Path(__file__).resolve().parent
ROOT = APPS_DIR.parents[1]
#: Streamlit serves ``static/`` beside the page's script at ``/app/static/`` (``server.enableStaticServing``).
LEAFLET_DIR = APPS_DIR / "static" / "vendor" / "leaflet"
LEAFLET_URL = "/app/static/vendor/leaflet"
MAP_HEIGHT = 560


def local_map(center: list[float], zoom: int) -> folium.Map:
    """Return a Folium map with OpenStreetMap tiles whose Leaflet comes from this server (copied from PyPI)."""
    install_leaflet(LEAFLET_DIR)
    fmap = folium.Map(location=center, zoom_start=zoom, tiles="OpenStreetMap")
    fmap.default_js = [("leaflet", f"{LEAFLET_URL}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET_URL}/leaflet.css")]
    return fmap
