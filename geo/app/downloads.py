"""The page's download section: the current view, all layers or one layer, in every export format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import streamlit as st

from geo.app.cachekeys import digest, fingerprint
from geo.export import FORMATS, export, geojson
from geo.export.naming import download_name
from geo.export.request import collection_name
from geo.model import filters
from geo.model.layers import Layers
from geo.render.escape import escape_markdown
from geo.render.i18n import N_, _, current_language, ngettext, use_language
from geo.store import case

FORMAT_KEY = "export:format"
#: Each format's name in English; shown through ``_`` in the interface language.
FORMAT_LABELS = {
    "geojson": N_("GeoJSON (geojson.io, GitHub, any GIS; Linked Places time spans)"),
    "kml": N_("KML (Google Earth, with its time slider)"),
    "gpkg": N_("GeoPackage (QGIS)"),
    "csv": N_("CSV (spreadsheet, geometry as WKT)"),
    "html": N_("Standalone HTML map (opens offline)"),
    "claimreview": N_("Fact checks as schema.org ClaimReview (JSON-LD)"),
    "prov-json": N_("Source chains as W3C PROV-JSON"),
}
#: Buttons of single layers side by side.
LAYER_COLUMNS = 3
#: The format chosen when the page opens (and when its choice cannot be drawn).
DEFAULT_FORMAT = next(iter(FORMAT_LABELS))
SOURCE_FORMATS = {"csl-json": N_("Sources as CSL-JSON (Zotero, Pandoc)"), "bibtex": N_("Sources as BibTeX")}
#: Files of layers that pickle to at most this many bytes come with the page, so a click finds its file even
#: when a rerun replaced the button meanwhile (Streamlit keeps a replaced file for one more rerun). Larger ones
#: are built when clicked, which a rerun can race: the page then asks to click again.
EAGER_MAX_BYTES = 2 * 1024 * 1024
#: Formats always built when clicked: the standalone map derives its offline basemap on every export (seconds).
DEFERRED_FORMATS = frozenset({"html"})
RETRY_HINT = N_("Large files and standalone maps are built when you click: if a download does not start, click again.")


def _build(loaded: case.Case, layers: Layers, fmt: str, scope: str, day: dt.date | None = None) -> bytes:
    return export(layers, fmt, loaded.catalog.case, loaded.sources, scope, day).data


def _build_in(language: str, *args: Any) -> bytes:
    with use_language(language):
        return _build(*args)


def _deferred(
    loaded: case.Case, layers: Layers, fmt: str, scope: str, day: dt.date | None = None
) -> Callable[[], bytes]:
    """Return a callable that builds the file only when its button is clicked, in this run's language.

    Streamlit calls it from a server thread, outside the script run whose language was set.
    """
    return partial(_build_in, current_language(), loaded, tuple(layers), fmt, scope, day)


# Keyed by a digest of what a file holds, not by the data (hashing that costs more than the export). The shipped
# case's page offers about 5 MB of GeoJSON files; 32 files of at most EAGER_MAX_BYTES bound it to 64 MB. A resource,
# not data: the same bytes on every run, not a copy unpickled for each button. Its spinner is ``show_downloads``'s,
# in the interface language; the language is in the key, for files that carry words.
@st.cache_resource(show_spinner=False, max_entries=32, ttl="1h")
def _built(key: str, _make: Callable[[], bytes]) -> bytes:
    return _make()


# One layer's features as its GeoJSON files hold them, filtered: a new choice of layers joins these (a third of the
# time of a new view was writing the same features again). Keyed like ``_built``; 64 texts of layers that come with
# the page (EAGER_MAX_BYTES) bound it to 128 MB.
@st.cache_resource(show_spinner=False, max_entries=64, ttl="1h")
def _layer_text(key: str, _layer: Any, _collection: dict) -> str:
    return geojson.layer_features(_layer, _collection)


@st.cache_resource(show_spinner=False, max_entries=256)
def _case_layer_fingerprint(data_dir: str, layer_id: str, _layer: Any, _collection: dict) -> tuple[str, int]:
    return fingerprint((_layer, _collection))


def layer_fingerprint(loaded: case.Case, layer: Any, collection: dict) -> tuple[str, int]:
    """Return a layer's fingerprint, once per case for the case's own layers, on every run for the others.

    Pickling 100,000 claims takes seconds; imports and zones at a chosen depth are small.
    """
    if loaded.collections.get(layer.id) is collection:
        data_dir = str(case.default_data_dir())
        return _case_layer_fingerprint(data_dir=data_dir, layer_id=layer.id, _layer=layer, _collection=collection)
    return fingerprint((layer, collection))


@dataclass(frozen=True)
class Files:
    """Where this run's buttons get their files: the case, the format and the day, and each layer's fingerprint."""

    loaded: case.Case
    fmt: str
    day: dt.date
    base: str
    layers: dict[str, tuple[str, int]]

    @classmethod
    def of(cls, loaded: case.Case, layers: Layers, fmt: str) -> Files:
        """Fingerprint the case, its sources, today and every layer once for all of this run's buttons."""
        day = dt.datetime.now(dt.UTC).date()
        base = fingerprint((loaded.catalog.case, loaded.sources, day))[0]
        return cls(loaded, fmt, day, base, {layer.id: layer_fingerprint(loaded, layer, fc) for layer, fc in layers})

    def eager(self, layers: Layers) -> bool:
        """True if the file of ``layers`` comes with the page rather than being built when clicked."""
        size = sum(self.layers[layer.id][1] for layer, _ in layers)
        return self.fmt not in DEFERRED_FORMATS and size <= EAGER_MAX_BYTES

    def data(self, layers: Layers, scope: str, keep: filters.Filters | None = None) -> bytes | Callable[[], bytes]:
        """Return the file of ``layers`` (filtered by ``keep``, if given), or a callable that builds it."""
        if not self.eager(layers):
            return _deferred(self.loaded, layers, self.fmt, scope, self.day)
        keep = keep or filters.Filters()
        held = [self.layers[layer.id][0] for layer, _ in layers]
        key = fingerprint((self.fmt, scope, self.base, held, filters.as_key(keep), current_language()))[0]
        if self.fmt == "geojson":
            return _built(key=key, _make=partial(self._joined, layers, scope, keep))
        return _built(key=key, _make=partial(_build, self.loaded, tuple(layers), self.fmt, scope, self.day))

    def _joined(self, layers: Layers, scope: str, keep: filters.Filters) -> bytes:
        """Return the GeoJSON file of ``layers``, joined from each layer's text (kept across views)."""
        texts = []
        for layer, collection in layers:
            key = digest((self.layers[layer.id][0], filters.as_key(keep), current_language()))
            texts.append(_layer_text(key=key, _layer=layer, _collection=collection))
        return geojson.join_layers(collection_name(self.loaded.catalog.case, scope), texts)


def _button(files: Files, layers: Layers, scope: str, label: str, keep: filters.Filters | None = None, **options: Any):
    chosen = FORMATS[files.fmt]
    st.download_button(
        label,
        data=files.data(layers, scope, keep),
        file_name=download_name(files.loaded.catalog.case["id"], scope, files.day, chosen.extension),
        mime=chosen.mime,
        key=f"download:{scope}:{files.fmt}",
        on_click="ignore",
        **options,
    )


def _count(layers: Layers) -> int:
    return sum(len(collection["features"]) for _, collection in layers)


def show_format_choice(loaded: case.Case, layers: Layers) -> Files:
    """Draw the section's heading and format choice, with the retry hint where files are built on click.

    A choice reruns the whole page: every download button follows it.

    Returns
    -------
    Files
        Where the buttons of ``layers`` get their files, in the chosen format (``Files.fmt``).
    """
    st.subheader(_("Download"))
    fmt = st.selectbox(_("Format"), list(FORMAT_LABELS), format_func=_format_label, key=FORMAT_KEY)
    files = Files.of(loaded, layers, fmt)
    if not files.eager(layers):
        st.caption(_(RETRY_HINT))
    return files


def show_view_download(loaded: case.Case, visible: Layers, keep: filters.Filters, fmt: str) -> None:
    """Offer the current view, the visible layers filtered, in ``fmt``; say why not if no layer is switched on."""
    if not visible:
        st.info(_("No layer is switched on. Tick a layer in the sidebar to download the view."))
        return
    with st.spinner(_("Preparing the downloads…")):
        view = filters.apply(visible, keep)
        count = _count(view)
        label = (
            ngettext("Current view ({count} feature)", "Current view ({count} features)", count)
            if keep.is_active
            else ngettext("All visible layers ({count} feature)", "All visible layers ({count} features)", count)
        )
        _button(Files.of(loaded, visible, fmt), view, "view", label.format(count=count), keep, type="primary")


def show_whole_downloads(files: Files, layers: Layers) -> None:
    """Offer every layer together, each layer whole, switched on or not, and the sources cited, from ``files``."""
    with st.spinner(_("Preparing the downloads…")):
        count = _count(layers)
        label = ngettext("All layers ({count} feature)", "All layers ({count} features)", count)
        _button(files, layers, "all", label.format(count=count))
        if layers:
            st.caption(_("One layer, whole (filters not applied):"))
            # Rows of three, so that a phone, which stacks the columns, lists the layers in the catalogue's order.
            for start in range(0, len(layers), LAYER_COLUMNS):
                row = layers[start : start + LAYER_COLUMNS]
                for column, (layer, collection) in zip(st.columns(LAYER_COLUMNS), row, strict=False):
                    with column:
                        label = f"{escape_markdown(layer.title)} ({len(collection['features'])})"
                        _button(files, [(layer, collection)], layer.id, label)
        st.caption(_("Sources cited by the case:"))
        source_columns = st.columns(len(SOURCE_FORMATS))
        for column, (source_format, label) in zip(source_columns, SOURCE_FORMATS.items(), strict=True):
            with column:
                _button(replace(files, fmt=source_format), layers, "sources", _(label))


def _format_label(fmt: str) -> str:
    return _(FORMAT_LABELS[fmt])
