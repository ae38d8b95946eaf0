"""Permalinks: the view (layers, filters, search, selection, map centre and zoom, basemap, language) in the URL.

The parameters are written and read by ``geo.app.linkcodec``. ``restore`` seeds the widgets once per session,
before they are drawn, so later changes win; ``sync_query_params`` writes the view back when it changed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.errors import StreamlitAPIException

from geo.app.linkcodec import DECIMALS, PARAMS, Known, MapView, ViewState, decode, encode
from geo.render.i18n import gettext as _

#: Session state: set once the URL has been read in this session.
SEEDED_KEY = "permalink:seeded"
#: Session state: the :class:`Link` read from the URL when the session started.
LINK_KEY = "permalink:link"
#: Session state: the map view first reported when the link gave none (the fitted view: not written to the URL).
HOME_KEY = "permalink:home"
DISMISS_KEY = "permalink:dismiss"


@dataclass(frozen=True)
class Keys:
    """Session-state keys of the widgets a link seeds (``layers``: layer id to its checkbox key)."""

    layers: Mapping[str, str] = field(default_factory=dict)
    dates: str | None = None
    standings: str = "filter:standing"
    reliability: str = "filter:reliability"
    credibility: str = "filter:credibility"
    text: str = "filter:text"
    selected: str = "selected"
    basemap: str = "basemap"
    lang: str = "lang"
    depth: str = "zone-depth"


@dataclass(frozen=True)
class Link:
    """The view read from the URL when the session started, and what of it was dropped."""

    state: ViewState
    notices: tuple[str, ...] = ()


def keys_for(layer_ids: Sequence[str], days: Sequence[dt.date]) -> Keys:
    """Return the page's widget keys: ``layer:<id>`` per layer, ``filter:dates:<first>:<last>`` for the dates."""
    dates = f"filter:dates:{days[0]}:{days[-1]}" if len(days) > 1 else None
    return Keys(layers={layer_id: f"layer:{layer_id}" for layer_id in layer_ids}, dates=dates)


def seed_session(state: ViewState, session_state: MutableMapping[str, Any], keys: Keys, known: Known) -> bool:
    """Put a linked view into session state under the widgets' keys, before they are drawn; once per session.

    Only values that differ from ``known.default`` are written, so the other widgets keep their defaults,
    and later runs write nothing: the reader's own changes win. True if this call seeded the session.
    """
    if session_state.get(SEEDED_KEY):
        return False
    session_state[SEEDED_KEY] = True
    default = known.default
    for layer_id, key in keys.layers.items():
        shown = layer_id in state.layers
        if shown != (layer_id in default.layers):
            session_state[key] = shown
    for attribute in ("standings", "reliability", "credibility"):
        if (chosen := getattr(state, attribute)) is not None:
            session_state[getattr(keys, attribute)] = [v for v in getattr(known, attribute) if v in chosen]
    if state.dates is not None and keys.dates:
        session_state[keys.dates] = state.dates
    if state.selected is not None:
        session_state[keys.selected] = state.selected
    for attribute in ("text", "basemap", "lang", "depth"):
        if getattr(state, attribute) != getattr(default, attribute):
            session_state[getattr(keys, attribute)] = getattr(state, attribute)
    return True


def restore(query_params: Mapping[str, Any], session_state: MutableMapping[str, Any], keys: Keys, known: Known) -> Link:
    """On a session's first run, read the URL and seed the widgets; on every run, return that first link."""
    if not session_state.get(SEEDED_KEY):
        get_all = getattr(query_params, "get_all", None)
        params = {name: get_all(name) for name in query_params} if callable(get_all) else query_params
        state, notices = decode(params, known)
        seed_session(state, session_state, keys, known)
        session_state[LINK_KEY] = Link(state, tuple(notices))
    link = session_state.get(LINK_KEY)
    return link if isinstance(link, Link) else Link(known.default)


def current_state(session: Mapping[str, Any], keys: Keys, known: Known, view: MapView = (None, None)) -> ViewState:
    """Return the view the widgets show now (call it after they are drawn) and the map's ``map_view``.

    Only ``known`` layers and selections are kept: leave imports (session only) out of ``known``.
    """
    default, got = known.default, session.get
    sets = {}
    for attribute in ("standings", "reliability", "credibility"):
        value, every = got(getattr(keys, attribute)), frozenset(getattr(known, attribute))
        sets[attribute] = frozenset(value) if isinstance(value, list | tuple) and frozenset(value) != every else None
    window = tuple(got(keys.dates) or ()) if keys.dates else ()
    return ViewState(
        layers=tuple(i for i in known.layers if got(keys.layers.get(i, ""), i in default.layers)),
        **sets,
        dates=window if len(window) == 2 and window != (known.days[0], known.days[-1]) else None,
        text=str(got(keys.text) or ""),
        selected=got(keys.selected) if got(keys.selected) in known.selections else None,
        center=view[0],
        zoom=view[1],
        basemap=got(keys.basemap, default.basemap),
        lang=got(keys.lang, default.lang),
        depth=got(keys.depth, default.depth),
    )


def map_view(result: Mapping[str, Any] | None, session_state: MutableMapping[str, Any]) -> MapView:
    """Return the map's centre and zoom for the URL from ``st_folium``'s result (``center``, ``zoom``).

    Before the map has reported (the first run), the linked view. The first view the map reports when the
    link gave none is its fitted home view: ``(None, None)`` while the map stays there, so the URL stays clean.
    """
    link = session_state.get(LINK_KEY)
    linked = link.state if isinstance(link, Link) else ViewState()
    reported = (result or {}).get("center")
    try:
        lat, lng, zoom = float(reported["lat"]), float(reported["lng"]), int(round(float(result["zoom"])))
    except (KeyError, TypeError, ValueError, OverflowError):
        return linked.center, linked.zoom
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return linked.center, linked.zoom
    # Leaflet reports longitudes beyond ±180 after panning round the world.
    view = ((round(lat, DECIMALS), round((lng + 180) % 360 - 180, DECIMALS)), zoom)
    if linked.center is None and is_near(session_state.setdefault(HOME_KEY, view), view):
        return None, None
    return view


#: Screen pixels a reported centre may move and still be the home view (a frame that settles its size nudges it).
HOME_SLACK_PX = 12


def is_near(home: Any, view: Any) -> bool:
    """True if ``view`` is ``home``'s zoom with its centre within ``HOME_SLACK_PX`` pixels of home's."""
    (home_centre, home_zoom), (centre, zoom) = home, view
    if home_zoom != zoom:
        return False
    degrees_per_px = 360.0 / (256 * 2**zoom)
    slack = HOME_SLACK_PX * degrees_per_px
    return abs(home_centre[0] - centre[0]) <= slack and abs(home_centre[1] - centre[1]) <= slack


def sync_query_params(state: ViewState, query_params: MutableMapping[str, Any], default: ViewState) -> bool:
    """Write the view into the URL if it changed; other parameters are left alone. True if it wrote."""
    wanted = encode(state, default)
    now = {name: query_params[name] for name in PARAMS if name in query_params}
    if now == wanted:
        return False
    stale = [name for name in now if name not in wanted]
    if stale and hasattr(query_params, "from_dict"):
        others = {name: query_params.get_all(name) for name in query_params if name not in PARAMS}
        try:  # one URL change: one history entry
            query_params.from_dict(others | wanted)
            return True
        except StreamlitAPIException:  # a parameter bound to a widget cannot be rewritten this way
            pass
    query_params.update({name: value for name, value in wanted.items() if now.get(name) != value})
    for name in stale:
        del query_params[name]
    return True


def share_link(base_url: str | None, params: Mapping[str, str]) -> str:
    """Return the link to a view: ``base_url`` (e.g. ``st.context.url``) with the query, else ``?query``."""
    query = urlencode(dict(params))
    if not base_url:
        return f"?{query}"
    scheme, host, path = urlsplit(base_url)[:3]
    return urlunsplit((scheme, host, path or "/", query, ""))


def show_copy_link(params: Mapping[str, str]) -> None:
    """Draw a "Copy link" popover holding the link to this view, with Streamlit's copy button."""
    with st.popover(_("Copy link"), icon=":material/link:"):
        st.caption(_("Link to this view"))
        st.code(share_link(st.context.url, params), language=None, wrap_lines=True)


def show_notices(session_state: MutableMapping[str, Any]) -> None:
    """Show what the URL named but the page cannot show now, until the reader dismisses it."""
    link = session_state.get(LINK_KEY)
    if not isinstance(link, Link) or not link.notices:
        return
    st.warning(
        _("This link names things the page cannot show now:") + "\n\n" + "\n".join(f"- {n}" for n in link.notices)
    )
    dismissed = Link(link.state)
    st.button(_("Dismiss"), key=DISMISS_KEY, on_click=session_state.__setitem__, args=(LINK_KEY, dismissed))
