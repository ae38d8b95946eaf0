"""The page's download section: the current view, all layers or one layer, in every export format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from geo import case, downloads, export, filters
from geo.catalog import Layers
from geo.escape import escape_markdown

FORMAT_KEY = "export:format"
FORMAT_LABELS = {
    "geojson": "GeoJSON (geojson.io, GitHub, any GIS)",
    "kml": "KML (Google Earth)",
    "gpkg": "GeoPackage (QGIS)",
    "csv": "CSV (spreadsheet, geometry as WKT)",
    "html": "Standalone HTML map (opens offline)",
}
SOURCE_FORMATS = {"csl-json": "Sources as CSL-JSON (Zotero, Pandoc)", "bibtex": "Sources as BibTeX"}


def _deferred(loaded: case.Case, layers: Layers, fmt: str, scope: str) -> Callable[[], bytes]:
    """Return a callable that builds the file only when its button is clicked."""
    frozen = tuple(layers)

    def build() -> bytes:
        return export.export(frozen, fmt, loaded.catalog.case, loaded.sources, scope).data

    return build


def _button(loaded: case.Case, layers: Layers, fmt: str, scope: str, label: str, **options: Any) -> None:
    chosen = export.FORMATS[fmt]
    st.download_button(
        label,
        data=_deferred(loaded, layers, fmt, scope),
        file_name=downloads.download_name(loaded.catalog.case["id"], scope, extension=chosen.extension),
        mime=chosen.mime,
        key=f"download:{scope}:{fmt}",
        on_click="ignore",
        **options,
    )


def _count(layers: Layers) -> int:
    return sum(len(collection["features"]) for _, collection in layers)


def show_downloads(loaded: case.Case, layers: Layers, visible: Layers, keep: filters.Filters) -> None:
    """Offer the current view (visible layers, filtered), all layers, each visible layer and the sources."""
    st.subheader("Download")
    fmt = st.selectbox("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.get, key=FORMAT_KEY)
    view = filters.apply(visible, keep)
    scope_columns = st.columns(2)
    with scope_columns[0]:
        if visible:
            label = "Current view" if keep.is_active else "All visible layers"
            _button(loaded, view, fmt, "view", f"{label} ({_count(view)} features)", type="primary")
        else:
            st.info("No layer is switched on. Tick a layer in the sidebar to download the view.")
    with scope_columns[1]:
        _button(loaded, layers, fmt, "all", f"All layers ({_count(layers)} features)")
    if visible:
        st.caption("One layer, whole (filters not applied):")
        columns = st.columns(min(len(visible), 3))
        for index, (layer, collection) in enumerate(visible):
            with columns[index % len(columns)]:
                label = f"{escape_markdown(layer.title)} ({len(collection['features'])})"
                _button(loaded, [(layer, collection)], fmt, layer.id, label)
    st.caption("Sources cited by the case:")
    source_columns = st.columns(len(SOURCE_FORMATS))
    for column, (source_format, label) in zip(source_columns, SOURCE_FORMATS.items(), strict=True):
        with column:
            _button(loaded, layers, source_format, "sources", label)
