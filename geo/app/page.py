"""The Streamlit page: sidebar toggles and filters, the map, the claim panel with its selector, and the sources."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from geo.app import downloads as ui_downloads
from geo.app import imports as ui_imports
from geo.app import mapframe, permalink, selection, workspace
from geo.model import filters
from geo.model.layers import CLAIMS, CONTEXT, IMPORTS, Layers
from geo.render import assets, layout, mapview, panel, viewport, weight
from geo.render.escape import escape_markdown
from geo.render.style import chip_css
from geo.store import case
from geo.store.catalog import DataError

MAP_KEY = mapframe.MAP_KEY
#: Session state: the selection value (see ``geo.app.selection``) of the feature the panel shows.
SELECTED_KEY = "selected"
#: Session state: the map key of the last map click already taken as a selection.
CLICKED_KEY = "map:clicked"
LIT_KEY = "map:lit"
#: Session state: (selection value, serial) of the last feature chosen outside the map: the map pans to it.
PAN_KEY = "map:pan"
#: Session state: true while the selection came from a map click (the map is already where it should be).
RELATED_KEY = "related"
BASEMAP_KEY = "basemap"
STANDING_FILTER_KEY = "filter:standing"
RELIABILITY_FILTER_KEY = "filter:reliability"
CREDIBILITY_FILTER_KEY = "filter:credibility"
DATE_FILTER_KEY = "filter:dates"
SEARCH_KEY = "filter:text"
#: Session state: a feature chosen in the table or timeline, selected at the start of the next run.
PENDING_KEY = "selected:pending"
GROUPS = ((CLAIMS, "Claims"), (CONTEXT, "Context"), (IMPORTS, "Imported (this session only)"))
T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass
class View:
    """What the page shows this run: every layer, the visible ones, filters and imported-feature notes."""

    layers: Layers
    visible: Layers = field(default_factory=list)
    unsourced: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    keep: filters.Filters = filters.Filters()
    basemap: str = mapview.BASEMAPS[0]
    imports: list[ui_imports.ImportResult] = field(default_factory=list)


def guarded(title: str, render: Callable[..., T], *args: Any) -> T | None:
    """Run one section of the page; if it fails, say so in plain words there and log the details.

    One failing section never takes the others down, and nobody sees a traceback or a server path.

    Parameters
    ----------
    title : str
        The section as a reader knows it, e.g. ``"map"``.
    render : callable
        Draws the section; called with ``args``.

    Returns
    -------
    object or None
        What ``render`` returned, or ``None`` if it failed.
    """
    # Streamlit's st.rerun and st.stop raise BaseException subclasses: they pass through untouched.
    try:
        return render(*args)
    except DataError as exc:
        log.exception("the %s section failed on a data file", title)
        detail = f": {exc.path.name}: {exc.reason}" if exc.path else " because a data file is broken"
        st.error(f"The {title} cannot be shown{escape_markdown(detail)}.")
    except Exception:
        log.exception("the %s section failed", title)
        st.error(f"The {title} cannot be shown because of an internal error. The details are in the server log.")
    return None


def layer_key(layer_id: str) -> str:
    """Return the widget key of a layer's sidebar checkbox."""
    return f"layer:{layer_id}"


@st.cache_resource(show_spinner=False, max_entries=1)
def _leaflet_url() -> str | None:
    """Serve Leaflet from ``static/`` where it can be copied there, else carry it inside the map."""
    return mapview.LEAFLET_URL if assets.try_install_leaflet() is not None else None


# A resource, not data: a case of 100,000 claims would be unpickled on every run as a copy. Nothing changes it.
@st.cache_resource(show_spinner="Loading the case…", max_entries=2)
def _case_at(data_dir: str) -> case.Case:
    return case.load_case(Path(data_dir))


def _case() -> case.Case:
    return _case_at(str(case.default_data_dir()))


_case.clear = _case_at.clear  # type: ignore[attr-defined]


@st.cache_data(show_spinner=False, max_entries=1)
def _offline_basemap(zoom: int = 5, latitude: float = 0.0) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    outlines, places, credit = case.offline_basemap()
    return weight.weigh_collection(outlines, zoom + mapframe.BASEMAP_ZOOM_AHEAD, latitude), places, credit


@st.cache_resource(show_spinner=False, max_entries=2)
def _source_titles(data_dir: str, _loaded: case.Case) -> dict[str, str]:
    # One object per case: the search's texts are made once per case, keyed by it.
    return filters.source_titles(_loaded.sources)


def layer_toggles(view: View) -> None:
    """Draw one checkbox per layer, grouped; fill ``view.visible`` with the ticked ones."""
    st.header("Layers")
    for group, heading in GROUPS:
        members = [(layer, fc) for layer, fc in view.layers if layer.group == group]
        if members:
            st.caption(heading)
        for layer, collection in members:
            label = f"{escape_markdown(layer.title)} ({len(collection['features'])})"
            if st.checkbox(label, value=layer.default_visible, key=layer_key(layer.id)):
                view.visible.append((layer, collection))


def filter_controls(layers: Layers, titles: dict[str, str] | None = None) -> filters.Filters:
    """Draw the search, standing, grade and date filters; return what they keep (``None`` where nothing is filtered).

    ``titles`` are the sources' titles by id (``filters.source_titles``): the search reads them too.
    """
    st.header("Filters")
    text = st.text_input(
        "Search titles, claims, claimants, quotes and sources",
        key=SEARCH_KEY,
        placeholder="e.g. Lukaschenko NATO",
        help="Every word must occur; case and accents do not matter. The map, the table and the downloads follow.",
    )
    st.html(str(chip_css()))
    standings = _chosen("Standing", filters.STANDING_CHOICES, STANDING_FILTER_KEY)
    reliability = _chosen("Source reliability (A–F)", filters.RELIABILITY_CHOICES, RELIABILITY_FILTER_KEY)
    credibility = _chosen("Credibility (1–6)", filters.CREDIBILITY_CHOICES, CREDIBILITY_FILTER_KEY)
    days = filters.dates_in(layers)
    window = None
    if len(days) > 1:
        # A new span of days (an import) gets a fresh slider, so new features are not hidden.
        key = f"{DATE_FILTER_KEY}:{days[0]}:{days[-1]}"
        window = st.select_slider("Event date", options=days, value=(days[0], days[-1]), format_func=str, key=key)
    dates = None if window is None or tuple(window) == (days[0], days[-1]) else tuple(window)
    return filters.Filters(
        standings=standings,
        reliability=reliability,
        credibility=credibility,
        dates=dates,
        text=text.strip() or None,
        source_titles=titles,
    )


def _chosen(label: str, choices: tuple[str, ...], key: str) -> frozenset[str] | None:
    """Draw one multiselect of ``choices``, all chosen at first; ``None`` while all are chosen."""
    chosen = st.multiselect(label, list(choices), default=list(choices), key=key)
    return None if set(chosen) == set(choices) else frozenset(chosen)


def show_map(
    loaded: case.Case,
    view: View,
    center: tuple[float, float] | None = None,
    selected: str | None = None,
    zoom: int | None = None,
) -> mapframe.Drawn:
    """Draw the map of the visible layers, filtered, and return what it drew and the feature last clicked.

    ``center`` (latitude, longitude) pans the mounted map there (the selected feature); ``selected`` is the id
    of the feature to light with its answers.
    """
    where = loaded.catalog.case
    offline = _offline_basemap(where["zoom"], where["center"][0]) if view.basemap == mapview.OFFLINE else None
    case_key = str(case.default_data_dir())
    claim_layers = [(layer, fc) for layer, fc in loaded.layers() if layer.group != CONTEXT]
    bounds = mapframe.data_bounds(mapframe.indexes(claim_layers, case_key))
    base = mapview.build_base(loaded.catalog.case, view.basemap, offline, _leaflet_url(), bounds=bounds)
    return mapframe.draw(view.visible, view.keep, base, case_key, center=center, zoom=zoom, selected=selected)


def selected_id() -> str | None:
    """Return the selection value of the feature the panel shows (its id if unique), or ``None``.

    The value is a feature's ``id`` when that id is unique among the loaded layers, else the feature's map
    key ``<layer>/<position>`` (see ``geo.app.selection.choices``).
    """
    value = st.session_state.get(SELECTED_KEY)
    return value if isinstance(value, str) else None


def select(value: str) -> None:
    """Select a feature from the panel (a widget callback): the map pans to it and lights it on the next run."""
    st.session_state[SELECTED_KEY] = value
    pan_to(value)


def pan_to(value: str | None) -> None:
    """Light the feature of selection value ``value`` and pan the map to it on the next run."""
    st.session_state[LIT_KEY] = value
    _, serial = st.session_state.get(PAN_KEY) or (None, 0)
    st.session_state[PAN_KEY] = (value, serial + 1)


def _chosen_in_selector() -> None:
    pan_to(st.session_state.get(SELECTED_KEY))


def lit_choice(options: dict[str, selection.Choice]) -> selection.Choice | None:
    """Return the feature the map lights: the last one chosen, on the map or in the panel."""
    value = st.session_state.get(LIT_KEY)
    return options.get(value) if isinstance(value, str) else None


def map_center(options: dict[str, selection.Choice]) -> tuple[float, float] | None:
    """Return where the map should pan: the centre of the feature last chosen outside the map, if it has a place.

    The mounted map pans only when this value changes, so each new choice moves the centre by a
    nanodegree (a millimetre): choosing the same feature again, after panning away, brings it back.
    """
    value, serial = st.session_state.get(PAN_KEY) or (None, 0)
    chosen = options.get(value) if isinstance(value, str) else None
    centre = selection.centre(chosen.feature) if chosen else None
    return None if centre is None else (centre[0] + serial * 1e-9, centre[1])


def take_map_click(clicked: dict[str, Any] | None, view: View, options: dict[str, selection.Choice]) -> None:
    """Select and light the feature clicked on the map, once per click (the map keeps reporting its last click)."""
    found = mapframe.clicked_key(clicked, view.visible)
    if found is None:
        return
    layer, index = found
    key = mapview.feature_key(layer.id, index)
    if st.session_state.get(CLICKED_KEY) == key:
        return
    st.session_state[CLICKED_KEY] = key
    value = selection.value_at(options, layer.id, index)
    if value is not None:
        st.session_state[SELECTED_KEY] = value
        st.session_state[LIT_KEY] = value


def selector(options: dict[str, selection.Choice]) -> selection.Choice | None:
    """Draw the selector of every feature (those without a place on the map too); return the chosen one."""
    if selected_id() not in options:
        st.session_state[SELECTED_KEY] = None

    def label(value: str) -> str:
        choice = options[value]
        return choice.title if choice.has_place() else f"{choice.title} (not on the map)"

    value = st.selectbox(
        "Select a claim, report or denial",
        list(options),
        index=None,
        format_func=label,
        key=SELECTED_KEY,
        placeholder="Choose a feature, or click one on the map",
        on_change=_chosen_in_selector,
    )
    return options.get(value) if value else None


def related_buttons(chosen: selection.Choice, options: dict[str, selection.Choice]) -> None:
    """Draw one button per feature the panel names as answering or answered (select it on click)."""
    links = selection.related(chosen, options)
    if not links:
        return
    st.caption("Related features: select one to show it here")
    for label, value in links:
        st.button(
            escape_markdown(label),
            key=f"{RELATED_KEY}:{value}",
            on_click=select,
            args=(value,),
            width="stretch",
            wrap=True,
        )


def show_panel(loaded: case.Case, view: View, options: dict[str, selection.Choice]) -> None:
    """Show the selector, then the selected feature's claim, answers and sources, and its related features."""
    st.subheader("Claim and source")
    chosen = selector(options)
    if chosen is None:
        st.info("Click a line, area or point on the map, or choose above: who claims it, who answered, and from where.")
        return
    titles = loaded.titles() | {selection.feature_id(c.feature): c.title for c in options.values()}
    where = "" if chosen.has_place() else " · not on the map: its source gives no place"
    st.caption(f"Layer: {escape_markdown(chosen.layer.title)}{where}")
    reasons = view.unsourced.get(chosen.layer.id, {}).get(chosen.index, [])
    st.html(str(panel.claim_panel(chosen.properties, loaded.sources, titles, reasons)))
    related_buttons(chosen, options)
    for other_layer, other in colocated(chosen.feature, view.visible):
        with st.expander(f"Also at this place: {escape_markdown(other['properties'].get('title', 'feature'))}"):
            st.caption(f"Layer: {escape_markdown(other_layer.title)}")
            st.html(str(panel.claim_panel(other["properties"], loaded.sources, titles)))


def colocated(feature: dict[str, Any], visible: Layers) -> Layers:
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


def show_sources(loaded: case.Case) -> None:
    """List every cited source: the article, the reports it relies on and the data sets."""
    st.subheader("Sources")
    if not loaded.sources:
        st.info("No sources to list: see the notice at the top of the page.")
        return
    st.html(str(panel.sources_list(loaded.sources.values())))


def sidebar(loaded: case.Case) -> View:
    """Draw the whole sidebar and return what the page shows this run."""
    toggles_box, imports_box = (st.sidebar.container() for _ in range(2))
    region = ui_imports.case_region(loaded.catalog.case)
    imports = ui_imports.upload_controls({layer.id for layer in loaded.catalog.layers}, imports_box, region)
    view = View(layers=loaded.layers() + ui_imports.imported_layers(imports), imports=imports)
    view.unsourced = {result.layer.id: result.unsourced for result in imports if result.accepted}
    with toggles_box:
        layer_toggles(view)
        view.keep = filter_controls(view.layers, _source_titles(str(case.default_data_dir()), loaded))
        view.basemap = st.radio("Basemap", mapview.BASEMAPS, key=BASEMAP_KEY)
    return view


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
        st.info("There is no case to show. You can still import your own GeoJSON files in the sidebar.")


def show_map_column(
    loaded: case.Case, view: View, options: dict[str, selection.Choice], link: Any = None
) -> mapframe.Drawn:
    """Draw the map, or say why it is empty, panned to the selection; a click on it selects and lights a feature.

    A click is taken from what the map reported before this run, so the map already lights it now.
    """
    if not view.layers:
        st.info("No layer to draw: import a GeoJSON file in the sidebar.")
    elif not view.visible:
        st.warning("Every layer is switched off: tick one in the sidebar.")
    take_map_click((st.session_state.get(mapframe.MAP_KEY) or {}).get("last_active_drawing"), view, options)
    chosen = lit_choice(options)
    feature_id = chosen.properties.get("id") if chosen else None
    selected = feature_id if isinstance(feature_id, str) else None
    linked_center, linked_zoom = workspace.linked_view(link)
    drawn = show_map(loaded, view, map_center(options) or linked_center, selected, linked_zoom)
    st.caption(shown_caption(drawn.plan))
    if view.visible and drawn.plan.total and not drawn.plan.shown:
        st.info(
            "The filters hide every feature of the layers switched on: widen the standing, grade or date "
            "filters, or clear the search, in the sidebar."
        )
    return drawn


def shown_caption(plan: viewport.Drawn) -> str:
    """Say how many of the visible layers' placed features the map shows, and how, under the filters."""
    text = f"{plan.shown:,} of {plan.total:,} features with a place shown"
    if plan.is_aggregated:
        text += f" · {len(plan.cells):,} counts stand for them here: zoom in, or narrow the filters, to see each"
    return text + "."


def take_pending_selection() -> None:
    """Select the feature chosen in the table or timeline on the last run, before the selector is drawn."""
    value = st.session_state.pop(PENDING_KEY, None)
    if isinstance(value, str):
        select(value)


def choose_later(value: str) -> None:
    """Select ``value`` at the start of the next run (the selector of this run is drawn already)."""
    st.session_state[PENDING_KEY] = value


def main() -> None:
    """Render the whole page, each section on its own: a section that fails leaves the others standing."""
    st.set_page_config(page_title="Claim Map", page_icon="🗺️", layout="wide")
    _leaflet_url()
    st.html(layout.PAGE_CSS)
    take_pending_selection()
    loaded = guarded("case data", _case) or case.no_case()
    case_options = selection.choices(loaded.layers())
    context = guarded("link", workspace.link_context, loaded, case_options)
    link = guarded("link", workspace.restore_link, context, LIT_KEY) if context else None
    view = guarded("sidebar", sidebar, loaded) or fallback_view(loaded)
    st.title("Claim Map")
    guarded("case description", show_case, loaded)
    guarded("link notices", permalink.show_notices, st.session_state)
    options = selection.choices(view.layers) if view.imports else case_options
    map_column, panel_column = st.columns([5, 3], gap="medium")
    with map_column:
        drawn = guarded("map", show_map_column, loaded, view, options, link)
        link_box = st.container()
    with panel_column:
        guarded("claim panel", show_panel, loaded, view, options)
    guarded("claims table", workspace.show_tools, loaded, view.visible, view.keep, options, selected_id(), choose_later)
    guarded("import report", ui_imports.show_reports, view.imports)
    guarded("downloads", ui_downloads.show_downloads, loaded, view.layers, view.visible, view.keep)
    guarded("sources", show_sources, loaded)
    if context:
        guarded("link", workspace.sync_link, context, drawn.result if drawn else None, link_box)
