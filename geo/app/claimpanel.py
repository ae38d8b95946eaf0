"""The claim panel and what is selected: the selector, the chosen feature's claim, answers and sources.

The selection lives in session state: ``SELECTED_KEY`` is what the panel shows, ``LIT_KEY`` what the map lights,
``PAN_KEY`` where it pans. A click on the map, a row of the table, an entry of the timeline and the panel's own
buttons all select through here.

The selector shows ``SELECTED_KEY`` and is not its owner. Every rerun request carries the browser's widget values:
a rerun the map asks for (after a pan) while a choice made elsewhere is on its way would carry the selector's old
value back. So the selector's widget key is new after each choice made elsewhere, and what an older selector
reports is ignored.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from geo.app import cachekeys, mapframe, selection
from geo.model.layers import Layers
from geo.render import mapview, panel
from geo.render.escape import escape_markdown
from geo.render.i18n import N_, current_language, format_number
from geo.render.i18n import gettext as _
from geo.store import case

#: Session state: the selection value (see ``geo.app.selection``) of the feature the panel shows.
SELECTED_KEY = "selected"
#: Session state: how many choices were made outside the selector (part of the selector's widget key).
GENERATION_KEY = "selector:generation"
#: The selector's container (its widget key changes; the container's does not).
SELECTOR_BOX_KEY = "selector"
#: Session state: the widget key of the selector last drawn.
DRAWN_SELECTOR_KEY = "selector:drawn"
#: Session state: the map key of the last map click already taken as a selection.
CLICKED_KEY = "map:clicked"
LIT_KEY = "map:lit"
#: Why the chosen feature is not on the map or in the table now (``hidden_reason``).
SWITCHED_OFF = N_("Hidden from the map and the table now: its layer is switched off.")
FILTERED_OUT = N_("Hidden from the map and the table now: the search or filters leave it out.")
#: Session state: (selection value, serial) of the last feature chosen outside the map: the map pans to it.
PAN_KEY = "map:pan"
#: Session state: true while the selection came from a map click (the map is already where it should be).
RELATED_KEY = "related"
#: Session state: a feature chosen in the table or timeline, selected at the start of the next run.
PENDING_KEY = "selected:pending"
#: The selector lists at most this many features (a list of 100,000 would take seconds to send and to open).
SELECTOR_MAX = 500
#: Session state: the selection the panel was last scrolled into view for (phones).
SCROLLED_KEY = "panel:scrolled"
PANEL_ANCHOR = "claim-panel-top"
#: The page title's own anchor (Streamlit makes one from "Claim Map"): the map sits right below it.
MAP_ANCHOR = "claim-map"
#: Runs in a zero-height component frame: scrolls the page to the panel only where it sits below the map.
PANEL_SCROLL_JS = f"""<script>
const page = window.parent;
const panel = page.document.getElementById("{PANEL_ANCHOR}");
if (panel && page.innerWidth < 760) {{ panel.scrollIntoView({{behavior: "smooth", block: "start"}}); }}
</script>"""


def selected_id() -> str | None:
    """Return the selection value of the feature the panel shows (its id if unique), or ``None``.

    The value is a feature's ``id`` when that id is unique among the loaded layers, else the feature's map
    key ``<layer>/<position>`` (see ``geo.app.selection.choices``).
    """
    value = st.session_state.get(SELECTED_KEY)
    return value if isinstance(value, str) else None


def set_selection(value: str | None) -> None:
    """Show ``value`` in the panel and the selector (a choice made outside the selector)."""
    st.session_state[SELECTED_KEY] = value
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def selector_key() -> str:
    """Return the selector's widget key: new after each choice made elsewhere, and in each language."""
    return f"{SELECTOR_BOX_KEY}:{st.session_state.get(GENERATION_KEY, 0)}:{current_language()}"


def select(value: str) -> None:
    """Select a feature from the panel (a widget callback): the map pans to it and lights it on the next run."""
    set_selection(value)
    pan_to(value)


def _select_from_panel(value: str) -> None:
    select(value)
    _rerun_page()


def _rerun_page() -> None:
    """Rerun the whole page after this callback: a choice in the panel, a fragment, changes the map and the table."""
    st.rerun()


def pan_to(value: str | None) -> None:
    """Light the feature of selection value ``value`` and pan the map to it on the next run."""
    st.session_state[LIT_KEY] = value
    serial = (st.session_state.get(PAN_KEY) or (None, 0))[1]
    st.session_state[PAN_KEY] = (value, serial + 1)


def _chosen_in_selector(key: str) -> None:
    if key != st.session_state.get(DRAWN_SELECTOR_KEY):  # one the browser still shows, older than the last choice
        return
    value = st.session_state.get(key)
    st.session_state[SELECTED_KEY] = value
    pan_to(value)
    _rerun_page()


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


def take_map_click(view: Any, options: dict[str, selection.Choice]) -> bool:
    """Select and light the feature last clicked on the map, once per click (the map keeps reporting it).

    Returns
    -------
    bool
        True if this call took a new click: the selection may have changed.
    """
    clicked = (st.session_state.get(mapframe.MAP_KEY) or {}).get("last_active_drawing")
    found = mapframe.clicked_key(clicked, view.visible)
    if found is None:
        return False
    layer, index = found
    key = mapview.feature_key(layer.id, index)
    if st.session_state.get(CLICKED_KEY) == key:
        return False
    st.session_state[CLICKED_KEY] = key
    value = selection.value_at(options, layer.id, index)
    if value is not None:
        set_selection(value)
        st.session_state[LIT_KEY] = value
    return True


def selector(options: dict[str, selection.Choice]) -> selection.Choice | None:
    """Draw the selector of every feature (those without a place on the map too); return the chosen one."""
    value = selected_id()
    if value not in options:
        value = None
        if st.session_state.get(SELECTED_KEY) is not None:
            set_selection(None)

    def label(option: str) -> str:
        choice = options[option]
        return choice.title if choice.has_place() else _("{title} (not on the map)").format(title=choice.title)

    listed = list(islice(options, SELECTOR_MAX))
    if len(options) > SELECTOR_MAX:
        listed += [value] if value and value not in listed else []
        st.caption(
            _(
                "The list holds the first {count} of {total} features: the search, the table and the map reach "
                "every one."
            ).format(count=format_number(SELECTOR_MAX), total=format_number(len(options)))
        )
    key = st.session_state[DRAWN_SELECTOR_KEY] = selector_key()
    if value is not None and key not in st.session_state:
        st.session_state[key] = value  # not index=: a selectbox with a default index has no clear button
    with st.container(key=SELECTOR_BOX_KEY):
        st.selectbox(
            _("Select a claim, report or denial"),
            listed,
            index=None,
            format_func=label,
            key=key,
            placeholder=_("Choose a feature, or click one on the map"),
            on_change=_chosen_in_selector,
            args=(key,),
        )
    return options.get(selected_id() or "")


def related_buttons(chosen: selection.Choice, options: dict[str, selection.Choice]) -> None:
    """Draw one button per feature the panel names as answering or answered (select it on click)."""
    links = selection.related(chosen, options)
    if not links:
        return
    st.caption(_("Related features: select one to show it here"))
    for label, value in links:
        st.button(
            escape_markdown(label),
            key=f"{RELATED_KEY}:{value}",
            on_click=_select_from_panel,
            args=(value,),
            width="stretch",
            wrap=True,
        )


def bring_panel_into_view(value: str | None) -> None:
    """On a phone, where the panel sits below the map, scroll to it when the selection changes."""
    if value is None or st.session_state.get(SCROLLED_KEY) == value:
        return
    st.session_state[SCROLLED_KEY] = value
    components.html(PANEL_SCROLL_JS, height=0)


def show_panel(loaded: case.Case, view: Any, options: dict[str, selection.Choice]) -> None:
    """Show the selector, then the selected feature's claim, answers and sources, and its related features."""
    st.html(f'<div id="{PANEL_ANCHOR}"></div>')
    st.subheader(_("Claim and source"))
    chosen = selector(options)
    if chosen is None:
        st.info(
            _("Click a line, area or point on the map, or choose above: who claims it, who answered, and from where.")
        )
        return
    titles = loaded.titles() | {selection.feature_id(c.feature): c.title for c in options.values()}
    layer = _("Layer: {title}").format(title=escape_markdown(chosen.layer.title))
    where = "" if chosen.has_place() else " · " + _("not on the map: its source gives no place")
    st.caption(layer + where)
    hidden = hidden_reason(chosen, view)
    if hidden:
        st.warning(hidden)
    reasons = view.unsourced.get(chosen.layer.id, {}).get(chosen.index, [])
    st.html(str(panel.claim_panel(chosen.properties, loaded.sources, titles, reasons)))
    related_buttons(chosen, options)
    for other_layer, other in colocated(chosen.feature, view.visible):
        title = other["properties"].get("title") or _("feature")
        with st.expander(_("Also at this place: {title}").format(title=escape_markdown(title))):
            st.caption(_("Layer: {title}").format(title=escape_markdown(other_layer.title)))
            st.html(str(panel.claim_panel(other["properties"], loaded.sources, titles)))
    st.markdown(f"[↑ {_('Back to the map')}](#{MAP_ANCHOR})")
    # Last: its frame has no height but takes a gap in the column, which ends here.
    bring_panel_into_view(selected_id())


def hidden_reason(chosen: selection.Choice, view: Any) -> str | None:
    """Return why the chosen feature is not on the map or in the table now, or ``None`` if it is shown.

    ``view`` is the page's ``View`` as it is now (``toggles.current``): its layers switched on and its filters.
    """
    if chosen.layer.id not in {layer.id for layer, _ in view.visible}:
        return _(SWITCHED_OFF)
    if view.keep.is_active and not view.keep.keeps(chosen.feature, view.titles):
        return _(FILTERED_OUT)
    return None


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
    st.subheader(_("Sources"))
    if not loaded.sources:
        st.info(_("No sources to list: see the notice at the top of the page."))
        return
    digest = cachekeys.digest(loaded.sources)
    st.html(_sources_html(sources=digest, language=current_language(), _sources=loaded.sources))


# The list is the same on every run of a case in one language: about 10 ms of formatting, kept.
@st.cache_data(show_spinner=False, max_entries=16)
def _sources_html(sources: str, language: str, _sources: dict[str, Any]) -> str:
    return str(panel.sources_list(_sources.values()))


def take_pending_selection() -> None:
    """Select the feature chosen in the table or timeline on the last run, before the selector is drawn."""
    value = st.session_state.pop(PENDING_KEY, None)
    if isinstance(value, str):
        select(value)


def choose_later(value: str) -> None:
    """Select ``value`` at the start of the next run (the selector of this run is drawn already)."""
    st.session_state[PENDING_KEY] = value
