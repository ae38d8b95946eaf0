"""The Streamlit page: sidebar toggles, the map, the source panel, downloads and sources."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from geo import assets, case, downloads, filters, layout, mapview, panel
from geo.catalog import Layer
from geo.escape import escape_text
from geo.schema import STATUSES
from geo.style import legend_html

MAP_KEY = "map"
BASEMAP_KEY = "basemap"
STATUS_FILTER_KEY = "filter:status"
DATE_FILTER_KEY = "filter:dates"
MAP_HEIGHT = 560


def layer_key(layer_id: str) -> str:
    """Return the widget key of a layer's sidebar checkbox."""
    return f"layer:{layer_id}"


@st.cache_resource(show_spinner=False)
def _install_assets() -> str:
    return str(assets.install_leaflet())


@st.cache_data(show_spinner="Loading the case…")
def _case() -> case.Case:
    return case.load_case()


@st.cache_data(show_spinner=False)
def _offline_basemap() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return case.offline_basemap()


@st.cache_data(show_spinner=False)
def _display(layer: Layer, collection: dict[str, Any], keep: filters.Filters) -> dict[str, Any]:
    return mapview.display_collection(layer, collection, keep=keep.keeps)


def sidebar(loaded: case.Case) -> tuple[list[tuple[Layer, dict[str, Any]]], str]:
    """Draw the layer checkboxes, basemap choice and legend; return the visible layers and basemap."""
    st.sidebar.header("Layers")
    visible = []
    for group, heading in (("claims", "Claims"), ("context", "Context")):
        st.sidebar.caption(heading)
        for layer, collection in loaded.layers():
            if layer.group != group:
                continue
            count = len(collection["features"])
            label = f"{layer.title} ({count})"
            if st.sidebar.checkbox(label, value=layer.default_visible, key=layer_key(layer.id)):
                visible.append((layer, collection))
    basemap = st.sidebar.radio("Basemap", mapview.BASEMAPS, key=BASEMAP_KEY)
    return visible, basemap


def legend() -> None:
    """Draw the legend of statuses in the sidebar."""
    st.sidebar.header("Legend")
    st.sidebar.html(str(panel.PANEL_CSS + legend_html(list(STATUSES))))


def filter_controls(loaded: case.Case) -> filters.Filters:
    """Draw the status and date filters; return what they keep (``None`` where nothing is filtered)."""
    st.sidebar.header("Filters")
    present = sorted(
        {f["properties"]["status"] for _, fc in loaded.layers() for f in fc["features"]}, key=STATUSES.index
    )
    chosen = st.sidebar.multiselect("Status", present, default=present, key=STATUS_FILTER_KEY)
    days = filters.dates_in(loaded.layers())
    window = None
    if len(days) > 1:
        window = st.sidebar.select_slider(
            "Event date", options=days, value=(days[0], days[-1]), format_func=str, key=DATE_FILTER_KEY
        )
    statuses = None if set(chosen) == set(present) else frozenset(chosen)
    dates = None if window is None or tuple(window) == (days[0], days[-1]) else tuple(window)
    return filters.Filters(statuses=statuses, dates=dates)


def show_map(
    loaded: case.Case, visible: list[tuple[Layer, dict[str, Any]]], basemap: str, keep: filters.Filters
) -> dict[str, Any] | None:
    """Draw the map of the visible layers, filtered, and return the feature last clicked, if any."""
    shown = [(layer, _display(layer, collection, keep)) for layer, collection in visible]
    offline = _offline_basemap() if basemap == mapview.OFFLINE else None
    fmap = mapview.build_map(shown, loaded.catalog.case, basemap, offline)
    result = st_folium(
        fmap,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    return (result or {}).get("last_active_drawing")


def selected_feature(
    clicked: dict[str, Any] | None, visible: list[tuple[Layer, dict[str, Any]]]
) -> tuple[Layer, dict[str, Any]] | None:
    """Find the original feature behind a clicked (escaped) map feature among the visible layers."""
    key = ((clicked or {}).get("properties") or {}).get(mapview.KEY_FIELD)
    if not key:
        return None
    for layer, collection in visible:
        for index, feature in enumerate(collection["features"]):
            if str(escape_text(mapview.feature_key(layer.id, index))) == key:
                return layer, feature
    return None


def show_panel(
    loaded: case.Case, selection: tuple[Layer, dict[str, Any]] | None, visible: list[tuple[Layer, dict[str, Any]]]
) -> None:
    """Show the clicked feature's claim and source, or say how to pick one."""
    st.subheader("Claim and source")
    if selection is None:
        st.info("Click a line, area or point on the map to see who claims it, the quote and the source.")
        return
    layer, feature = selection
    st.caption(f"Layer: {layer.title}")
    st.html(str(panel.claim_panel(feature["properties"], loaded.sources, loaded.titles())))
    for other_layer, other in colocated(feature, visible):
        with st.expander(f"Also at this place: {other['properties'].get('title', 'feature')}"):
            st.caption(f"Layer: {other_layer.title}")
            st.html(str(panel.claim_panel(other["properties"], loaded.sources, loaded.titles())))


def colocated(
    feature: dict[str, Any], visible: list[tuple[Layer, dict[str, Any]]]
) -> list[tuple[Layer, dict[str, Any]]]:
    """Return the other visible point features drawn at exactly the same place (markers hide each other)."""
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        return []
    return [
        (layer, other)
        for layer, collection in visible
        for other in collection["features"]
        if other is not feature and other.get("geometry") == geometry
    ]


def show_downloads(loaded: case.Case, visible: list[tuple[Layer, dict[str, Any]]], keep: filters.Filters) -> None:
    """Offer the current view (visible layers, filtered) and each visible layer as GeoJSON."""
    st.subheader("Download GeoJSON")
    if not visible:
        st.info("No layer is switched on. Tick a layer in the sidebar to download it.")
        return
    case_id = loaded.catalog.case["id"]
    everything = downloads.export_collection(filters.apply(visible, keep), f"{case_id} view")
    label = "Current view" if keep.is_active else "All visible layers"
    st.download_button(
        f"{label} ({len(everything['features'])} features)",
        data=downloads.to_bytes(everything),
        file_name=downloads.download_name(case_id, "view"),
        mime=downloads.MEDIA_TYPE,
        key="download:view",
        type="primary",
    )
    columns = st.columns(min(len(visible), 3))
    for index, (layer, collection) in enumerate(visible):
        data = downloads.to_bytes(downloads.export_collection([(layer, collection)], layer.id))
        columns[index % len(columns)].download_button(
            f"{layer.title} ({len(collection['features'])})",
            data=data,
            file_name=downloads.download_name(case_id, layer.id),
            mime=downloads.MEDIA_TYPE,
            key=f"download:{layer.id}",
        )


def show_sources(loaded: case.Case) -> None:
    """List every cited source: the article, the reports it relies on and the data sets."""
    st.subheader("Sources")
    st.html(str(panel.sources_list(loaded.sources.values())))


def main() -> None:
    """Render the whole page."""
    st.set_page_config(page_title="Claim Map", page_icon="🗺️", layout="wide")
    _install_assets()
    st.html(layout.PAGE_CSS)
    loaded = _case()
    visible, basemap = sidebar(loaded)
    keep = filter_controls(loaded)
    legend()
    st.title("Claim Map")
    st.markdown(f"**{escape_text(loaded.catalog.case['title'])}.** {escape_text(loaded.catalog.case['summary'])}")
    map_column, panel_column = st.columns([3, 2], gap="medium")
    with map_column:
        if not visible:
            st.warning("Every layer is switched off: tick one in the sidebar.")
        clicked = show_map(loaded, visible, basemap, keep)
    with panel_column:
        show_panel(loaded, selected_feature(clicked, visible), visible)
    show_downloads(loaded, visible, keep)
    show_sources(loaded)
