"""The Streamlit page: sidebar toggles and filters, the map, the claim panel with its selector, and the sources."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from geo.app import downloads as ui_downloads
from geo.app import imports as ui_imports
from geo.app import mapsection, permalink, selection, toggles, upstream, workspace
from geo.app import measurements as ui_measurements
from geo.app.claimpanel import (
    LIT_KEY,
    choose_later,
    selected_id,
    show_panel,
    show_sources,
    take_map_click,
    take_pending_selection,
)
from geo.app.guard import guarded
from geo.app.language import chosen_language, language_switch
from geo.model import filters
from geo.model.layers import CLAIMS, CONTEXT, IMPORTS, Layers
from geo.render import layout, mapview
from geo.render.dates import day_in_words
from geo.render.escape import escape_markdown
from geo.render.i18n import N_, format_number
from geo.render.i18n import gettext as _
from geo.render.style import chip_css
from geo.render.vocabulary import credibility_labels, reliability_labels, short_standing_names
from geo.store import case

BASEMAP_KEY = mapsection.BASEMAP_KEY
layer_key = toggles.layer_key
STANDING_FILTER_KEY = toggles.STANDING_FILTER_KEY
RELIABILITY_FILTER_KEY = toggles.RELIABILITY_FILTER_KEY
CREDIBILITY_FILTER_KEY = toggles.CREDIBILITY_FILTER_KEY
DATE_FILTER_KEY = toggles.DATE_FILTER_KEY
SEARCH_KEY = toggles.SEARCH_KEY
#: Widgets whose options show words of the interface language (besides the date filter, keyed by its span).
WORDED_KEYS = (STANDING_FILTER_KEY, ui_downloads.FORMAT_KEY, ui_measurements.DEPTH_KEY)
log = logging.getLogger(__name__)
GROUPS = ((CLAIMS, N_("Claims")), (CONTEXT, N_("Context")), (IMPORTS, N_("Imported (this session only)")))


@dataclass
class View:
    """What the page shows this run: every layer, the visible ones, filters and imported-feature notes."""

    layers: Layers
    visible: Layers = field(default_factory=list)
    unsourced: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    keep: filters.Filters = filters.Filters()
    basemap: str = mapview.BASEMAPS[0]
    imports: list[ui_imports.ImportResult] = field(default_factory=list)
    depth_km: float | None = None
    days: list = field(default_factory=list)
    titles: dict[str, str] | None = None


# A resource, not data: a case of 100,000 claims would be unpickled on every run as a copy. Nothing changes it
# in place; forget_stale_data drops it once its files change.
@st.cache_resource(show_spinner=False, max_entries=2)
def _case_at(data_dir: str) -> case.Case:
    loaded = case.load_case(Path(data_dir))
    # The case lives as long as the server: out of the collector's sight, 100,000 claims no longer make every
    # full collection rescan their millions of objects (a cold first run took 11.6 s, now 8.3 s).
    gc.freeze()
    return loaded


def _case() -> case.Case:
    data_dir = case.default_data_dir()
    forget_stale_data(data_dir)
    # The decorator's spinner text would be fixed at import, in English: this one is in the reader's language.
    with st.spinner(_("Loading the case…")):
        return _case_at(data_dir=str(data_dir))


@st.cache_resource(show_spinner=False, max_entries=1)
def _data_versions() -> dict[str, tuple]:
    """The version (``case.data_version``) of each data folder the caches were filled from, for this server."""
    return {}


def forget_stale_data(data_dir: Path) -> bool:
    """Empty every cache of the server if the files in ``data_dir`` changed since the caches were filled.

    Every cache of the case is keyed by its folder, not by its contents (hashing 100,000 claims costs seconds):
    without this, a case rebuilt or edited while the server runs would be shown as it was until a restart.

    Returns
    -------
    bool
        True if the caches were emptied.
    """
    version, versions = case.data_version(data_dir), _data_versions()
    if versions.setdefault(str(data_dir), version) == version:
        return False
    log.info("the files in %s changed: the caches are emptied", data_dir)
    st.cache_data.clear()
    st.cache_resource.clear()
    gc.unfreeze()  # the old case was frozen out of the collector's sight (_case_at): let it be collected
    _data_versions()[str(data_dir)] = version
    return True


_case.clear = _case_at.clear  # type: ignore[attr-defined]


@st.cache_resource(show_spinner=False, max_entries=2)
def _source_titles(data_dir: str, _loaded: case.Case) -> dict[str, str]:
    # One object per case: the search's texts are made once per case, keyed by it.
    return filters.source_titles(_loaded.sources)


@st.cache_resource(show_spinner=False, max_entries=2)
def _case_choices(data_dir: str, _loaded: case.Case) -> dict[str, selection.Choice]:
    return selection.choices(_loaded.layers())


def layer_toggles(view: View) -> None:
    """Draw one checkbox per layer, grouped; set ``view.visible`` to the ticked ones (``toggles.switched_on``)."""
    st.header(_("Layers"))
    for group, heading in GROUPS:
        members = [(layer, fc) for layer, fc in view.layers if layer.group == group]
        if members:
            st.caption(_(heading))
        for layer, collection in members:
            label = f"{escape_markdown(layer.title)} ({format_number(len(collection['features']))})"
            st.checkbox(label, value=layer.default_visible, key=layer_key(layer.id), on_change=toggles.rerun_dependents)
    # Read as the fragments read it on a rerun of their own: one rule for what is switched on.
    view.visible = toggles.switched_on(view.layers)


def filter_controls(days: list, titles: dict[str, str] | None = None) -> filters.Filters:
    """Draw the search, standing, grade and date filters; return what they keep (``None`` where nothing is filtered).

    ``days`` are the date filter's options (``workspace.days_of``); ``titles`` the sources' titles by id
    (``filters.source_titles``), which the search reads too. A change reruns the sections that show the filtered
    claims alone (``toggles.rerun_dependents``).
    """
    st.header(_("Filters"))
    st.text_input(
        _("Search titles, claims, claimants, quotes and sources"),
        key=SEARCH_KEY,
        placeholder=_("e.g. Lukaschenko NATO"),
        help=_("Every word must occur; case and accents do not matter. The map, the table and the downloads follow."),
        on_change=toggles.rerun_dependents,
    )
    names = short_standing_names()
    # The chips show the standings' names in the reader's language: the colours are keyed by those names.
    st.html(str(chip_css(names)))
    _chosen(_("Standing"), filters.STANDING_CHOICES, STANDING_FILTER_KEY, names)
    _chosen(
        _("Source reliability (A–F)"),
        filters.RELIABILITY_CHOICES,
        RELIABILITY_FILTER_KEY,
        help=_scale(reliability_labels()),
    )
    _chosen(
        _("Credibility (1–6)"), filters.CREDIBILITY_CHOICES, CREDIBILITY_FILTER_KEY, help=_scale(credibility_labels())
    )
    if len(days) > 1:
        st.select_slider(
            _("Event date"),
            options=days,
            value=(days[0], days[-1]),
            format_func=day_in_words,
            key=toggles.date_key(days),
            on_change=toggles.rerun_dependents,
        )
    return toggles.chosen_filters(days, titles)


def _chosen(
    label: str, choices: tuple[str, ...], key: str, names: dict[str, str] | None = None, help: str | None = None
) -> None:
    """Draw one multiselect of ``choices``, all chosen at first.

    The values stay the model's codes (the link and the filters read them); ``names`` is what each shows.
    """
    shown = names or {}
    st.multiselect(
        label,
        list(choices),
        default=list(choices),
        key=key,
        format_func=lambda c: shown.get(c, c),
        help=help,
        on_change=toggles.rerun_dependents,
    )


def _scale(labels: dict[str, str]) -> str:
    """Return a grade scale as a help text, one code a line: ``A: Completely reliable``."""
    return "\n".join(f"- {code}: {escape_markdown(label)}" for code, label in labels.items())


def sidebar(loaded: case.Case) -> View:
    """Draw the whole sidebar and return what the page shows this run."""
    language_box, toggles_box, depth_box, imports_box = (st.sidebar.container() for _ in range(4))
    with language_box:
        language_switch()
    region = ui_imports.case_region(loaded.catalog.case)
    imports = ui_imports.upload_controls({layer.id for layer in loaded.catalog.layers}, imports_box, region)
    view = View(layers=loaded.layers() + ui_imports.imported_layers(imports), imports=imports)
    view.unsourced = {result.layer.id: result.unsourced for result in imports if result.accepted}
    with depth_box:
        view.depth_km = ui_measurements.depth_slider()
    view.layers = ui_measurements.apply_depth(view.layers, view.depth_km)
    with toggles_box:
        controls_section(loaded, view)
    return view


# A fragment, so that a change here reruns the sections it changes without a whole run starting first: the start
# of a whole run drops every download file of the session, and the whole layers' files are not redrawn by a switch
# (``downloads_section``). Every widget here reruns other sections from its callback, never this one.
@st.fragment(key=toggles.CONTROLS_FRAGMENT)
def controls_section(loaded: case.Case, view: View) -> None:
    """Draw the layer switches, the filters and the basemap choice; set what they choose on ``view``."""
    layer_toggles(view)
    view.titles = _source_titles(data_dir=str(case.default_data_dir()), _loaded=loaded)
    view.days = workspace.days_of(loaded, view.layers)
    view.keep = filter_controls(view.days, view.titles)
    view.basemap = st.radio(_("Basemap"), mapview.BASEMAPS, key=BASEMAP_KEY, on_change=mapsection.rerun_alone)


def is_worded(key: str) -> bool:
    """True for the key of a widget whose options show words of the interface language (``language``)."""
    return key in WORDED_KEYS or key.startswith(f"{DATE_FILTER_KEY}:")


def fallback_view(loaded: case.Case) -> View:
    """Return the view of the case's default layers, unfiltered: what the page shows if the sidebar fails."""
    layers = loaded.layers()
    return View(layers=layers, visible=[(layer, fc) for layer, fc in layers if layer.default_visible])


def show_case(loaded: case.Case) -> None:
    """Show the case's title and summary, and one notice for each data file that could not be used."""
    if loaded.has_catalog:
        title, summary = (escape_markdown(loaded.catalog.case[key]) for key in ("title", "summary"))
        st.markdown(f"**{title}.** {summary}")
    for problem in loaded.problems:
        st.warning(escape_markdown(problem.notice()))
    if not loaded.has_catalog:
        st.info(_("There is no case to show. You can still import your own GeoJSON files in the sidebar."))


def main() -> None:
    """Render the whole page, each section on its own: a section that fails leaves the others standing."""
    st.set_page_config(page_title="Claim Map", page_icon="🗺️", layout="wide")
    upstream.keep_upload_answers()
    chosen_language(is_worded)
    mapsection.leaflet_url()
    st.html(layout.PAGE_CSS)
    take_pending_selection()
    loaded = guarded(N_("case data"), _case) or case.no_case()
    case_options = _case_choices(data_dir=str(case.default_data_dir()), _loaded=loaded)
    context = guarded(N_("link"), workspace.link_context, loaded, case_options)
    link = guarded(N_("link"), workspace.restore_link, context, LIT_KEY) if context else None
    view = guarded(N_("sidebar"), sidebar, loaded) or fallback_view(loaded)
    st.title("Claim Map")
    guarded(N_("case description"), show_case, loaded)
    guarded(N_("link notices"), permalink.show_notices, st.session_state)
    options = selection.choices(view.layers) if view.imports else case_options
    take_map_click(view, options)
    map_column, panel_column = st.columns([2, 1], gap="medium")
    with panel_column:
        link_box = st.container()
    with map_column:
        mapsection.show_map_section(loaded, view, options, link, context, link_box)
    with panel_column:
        panel_section(loaded, view, options)
    tools_section(loaded, view, options)
    guarded(N_("measurements"), ui_measurements.show_measurements, None, view.depth_km)
    guarded(N_("import report"), ui_imports.show_reports, view.imports)
    files = guarded(N_("downloads"), ui_downloads.show_format_choice, loaded, view.layers)
    downloads_section(loaded, view, files.fmt if files else ui_downloads.DEFAULT_FORMAT)
    if files:
        guarded(N_("downloads"), ui_downloads.show_whole_downloads, files, view.layers)
    guarded(N_("sources"), show_sources, loaded)


# The sections a layer switch reruns alone, with the map section (geo.app.toggles).
@st.fragment(key=toggles.PANEL_FRAGMENT)
def panel_section(loaded: case.Case, view: View, options: dict[str, selection.Choice]) -> None:
    """Draw the claim panel of the layers switched on now."""
    guarded(N_("claim panel"), show_panel, loaded, toggles.current(view), options)


@st.fragment(key=toggles.TOOLS_FRAGMENT)
def tools_section(loaded: case.Case, view: View, options: dict[str, selection.Choice]) -> None:
    """Draw the claims table and the timeline of the layers switched on now."""
    view = toggles.current(view)
    own = not view.imports
    args = (loaded, view.visible, view.keep, options, selected_id(), choose_later, own)
    guarded(N_("claims table"), workspace.show_tools, *args)


# The view's file alone: the whole layers' files and the sources' follow no switch and stay as the last whole run
# drew them. Their buttons keep their files only as long as no whole run starts without drawing them again, which
# is why the switches and filters are a fragment of their own (``controls_section``; tests/e2e/test_download_race.py).
@st.fragment(key=toggles.DOWNLOADS_FRAGMENT)
def downloads_section(loaded: case.Case, view: View, fmt: str) -> None:
    """Offer the current view's download: the layers switched on now, filtered, in the format ``fmt``."""
    view = toggles.current(view)
    guarded(N_("downloads"), ui_downloads.show_view_download, loaded, view.visible, view.keep, fmt)
