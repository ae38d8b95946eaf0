"""Permalinks: the view (layers, filters, search, selection, map centre and zoom, basemap, language) in the URL.

``encode`` leaves out what equals the default view, so it has a clean URL; ``decode`` drops stale or malformed
values with one plain notice each, never an exception. ``restore`` seeds the widgets once per session, before
they are drawn, so later changes win; ``sync_query_params`` writes the view back when it changed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.errors import StreamlitAPIException

from geo.model import filters
from geo.render.escape import escape_markdown
from geo.render.i18n import N_, ngettext
from geo.render.i18n import gettext as _
from geo.render.mapview import BASEMAPS

#: Query parameters this module owns, in the order they appear in a link.
PARAMS = ("layers", "standing", "rel", "cred", "from", "to", "q", "sel", "lat", "lon", "z", "basemap", "lang", "depth")
#: Joins list values: unreserved in URLs, so it stays readable (``,`` is read too, as typed by hand).
SEPARATOR = "~"
SPLIT = re.compile(r"[~,]")
LANGUAGES = ("en", "de")
DEPTH_RANGE = (5, 100)
DEFAULT_DEPTH = 30
ZOOM_RANGE = (1, 18)
#: Decimals of a centre in a link: 5 is about a metre.
DECIMALS = 5
MAX_TEXT = 200
MAX_ITEMS = 64
MAX_NOTICES = 8
SHOWN_VALUE = 40
#: Why a value of a list or choice parameter is dropped, for its notice (translated where the notice is made).
NO_SUCH = dict(
    layers=N_("no such layer"),
    standing=N_("no such standing"),
    rel=N_("no such grade"),
    cred=N_("no such grade"),
    basemap=N_("no such basemap"),
    lang=N_("no such language"),
)
#: Session state: set once the URL has been read in this session.
SEEDED_KEY = "permalink:seeded"
#: Session state: the :class:`Link` read from the URL when the session started.
LINK_KEY = "permalink:link"
#: Session state: the map view first reported when the link gave none (the fitted view: not written to the URL).
HOME_KEY = "permalink:home"
DISMISS_KEY = "permalink:dismiss"

Center = tuple[float, float]
MapView = tuple[Center | None, int | None]


@dataclass(frozen=True)
class ViewState:
    """One view of the page. ``None`` in a filter keeps everything; ``dates`` ``None`` is the whole span."""

    layers: tuple[str, ...] = ()
    standings: frozenset[str] | None = None
    reliability: frozenset[str] | None = None
    credibility: frozenset[str] | None = None
    dates: tuple[dt.date, dt.date] | None = None
    text: str = ""
    selected: str | None = None
    center: Center | None = None
    zoom: int | None = None
    basemap: str = BASEMAPS[0]
    lang: str = LANGUAGES[0]
    depth: int = DEFAULT_DEPTH


@dataclass(frozen=True)
class Known:
    """What a link may name now: layer ids (and those shown by default), choices, event days, selections."""

    layers: tuple[str, ...]
    default_layers: tuple[str, ...] = ()
    days: tuple[dt.date, ...] = ()
    selections: Collection[str] = frozenset()
    standings: tuple[str, ...] = filters.STANDING_CHOICES
    reliability: tuple[str, ...] = filters.RELIABILITY_CHOICES
    credibility: tuple[str, ...] = filters.CREDIBILITY_CHOICES
    basemaps: tuple[str, ...] = BASEMAPS
    languages: tuple[str, ...] = LANGUAGES
    depth_range: tuple[int, int] = DEPTH_RANGE
    default_depth: int = DEFAULT_DEPTH

    @property
    def default(self) -> ViewState:
        """The view the page opens with when the URL says nothing."""
        return ViewState(
            layers=self.default_layers, basemap=self.basemaps[0], lang=self.languages[0], depth=self.default_depth
        )


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


def slug(name: str) -> str:
    """Return a basemap name as a URL word: ``"Offline (no tiles)"`` gives ``offline-no-tiles``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _number(value: float) -> str:
    return f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")


def _join(values: Collection[str], order: Sequence[str] = ()) -> str:
    rank = {value: n for n, value in enumerate(order)}
    return SEPARATOR.join(sorted(values, key=lambda v: (rank.get(v, len(rank)), v)))


def encode(state: ViewState, default: ViewState | None = None) -> dict[str, str]:
    """Return the query parameters of a view (see ``PARAMS``), leaving out what equals ``default``'s.

    Lists are joined with ``~`` (in known order), dates are ISO days, the centre is rounded to 5 decimals and
    the basemap is a slug of its name. ``default`` is ``Known.default``; ``ViewState()`` if not given.
    """
    default = default or ViewState()
    order = {"standing": filters.STANDING_CHOICES}
    lists = {"standing": state.standings, "rel": state.reliability, "cred": state.credibility}
    params = {name: _join(values, order.get(name, ())) for name, values in lists.items() if values is not None}
    if tuple(state.layers) != tuple(default.layers):
        params["layers"] = SEPARATOR.join(state.layers)
    if state.dates is not None:
        params["from"], params["to"] = (day.isoformat() for day in state.dates)
    if state.center is not None:
        params["lat"], params["lon"] = (_number(value) for value in state.center)
    scalars = {
        "q": (state.text, ""),
        "sel": (state.selected, None),
        "z": (state.zoom, None),
        "basemap": (slug(state.basemap), slug(default.basemap)),
        "lang": (state.lang, default.lang),
        "depth": (state.depth, default.depth),
    }
    params |= {name: str(value) for name, (value, usual) in scalars.items() if value != usual}
    return {name: params[name] for name in PARAMS if name in params}


class _Reader:
    """Reads one link's parameters, collecting a notice for each value it drops."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params
        self.notices: list[str] = []

    def strings(self, name: str) -> list[str]:
        raw = self.params.get(name)
        return [raw] if isinstance(raw, str) else [value for value in raw or () if isinstance(value, str)]

    def values(self, name: str) -> list[str]:
        items = [item.strip() for value in self.strings(name) for item in SPLIT.split(value)]
        return list(dict.fromkeys(item for item in items if item))[:MAX_ITEMS]

    def value(self, name: str) -> str | None:  # the last one, as st.query_params reads it
        return (self.strings(name) or [None])[-1]

    def drop(self, name: str, value: Any, reason: str) -> None:
        text = str(value)
        text = text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"
        setting = f"{escape_markdown(name)}={escape_markdown(text)}"
        self.notices.append(_("Ignored {setting} from the link: {reason}.").format(setting=setting, reason=reason))

    def choices(self, name: str, known: Sequence[str]) -> list[str] | None:
        if name not in self.params:
            return None
        by_case = {value.casefold(): value for value in known}
        given = self.values(name)
        for item in given:
            if item.casefold() not in by_case:
                self.drop(name, item, _(NO_SUCH[name]))
        found = {by_case[item.casefold()] for item in given if item.casefold() in by_case}
        if given and not found:
            return None
        return [value for value in known if value in found]

    def kept(self, name: str, test: Callable[[str], bool], reason: str) -> str | None:
        text = self.value(name)
        if text and not test(text):
            self.drop(name, text, reason)
            return None
        return text or None

    def one(self, name: str, known: Sequence[str], word: Callable[[str], str] = str) -> str | None:
        by_word = {word(value).casefold(): value for value in known} | {value.casefold(): value for value in known}
        text = self.kept(name, lambda given: given.strip().casefold() in by_word, _(NO_SUCH[name]))
        return by_word[text.strip().casefold()] if text else None

    def number(self, name: str, low: float, high: float, kind: type = float) -> Any:
        text = self.value(name)
        if text is None:
            return None
        try:
            number = kind(text)
        except (ValueError, OverflowError):
            self.drop(name, text, _("not a number"))
            return None
        if low <= number <= high:
            return number
        outside = _("outside {low}–{high}").format(low=low, high=high)
        self.drop(name, text, outside if math.isfinite(number) else _("not a number"))
        return None


def decode(params: Mapping[str, Any], known: Known) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters (``st.query_params`` or lists per name), checked against ``known``.

    Returns the view (``known.default`` wherever the link says nothing usable) and one short, Markdown-inert
    notice per dropped value (at most ``MAX_NOTICES``, then one that counts the rest), in the interface language
    in use (the page keeps them in the language of the session's first run). It never raises.
    Names outside ``PARAMS`` (e.g. added by a site that shared the link) are left alone, without a notice.
    """
    read = _Reader(params)
    default = known.default
    layers = read.choices("layers", known.layers)
    sets = {}
    for name, attribute in (("standing", "standings"), ("rel", "reliability"), ("cred", "credibility")):
        every = getattr(known, attribute)
        choice = read.choices(name, every)
        sets[attribute] = None if choice is None or set(choice) == set(every) else frozenset(choice)
    state = ViewState(
        layers=default.layers if layers is None else tuple(layers),
        **sets,
        dates=_dates(read, known.days),
        text=read.kept("q", lambda text: len(text) <= MAX_TEXT, _too_long()) or "",
        selected=read.kept("sel", known.selections.__contains__, _("no such claim or feature (it may be removed)")),
        center=_center(read),
        zoom=read.number("z", *ZOOM_RANGE, kind=int),
        basemap=read.one("basemap", known.basemaps, slug) or default.basemap,
        lang=read.one("lang", known.languages) or default.lang,
        depth=read.number("depth", *known.depth_range, kind=int) or default.depth,
    )
    notices = read.notices[:MAX_NOTICES]
    if len(read.notices) > MAX_NOTICES:
        more = len(read.notices) - MAX_NOTICES
        notices.append(
            ngettext(
                "And {count} more setting from the link was ignored.",
                "And {count} more settings from the link were ignored.",
                more,
            ).format(count=more)
        )
    return state, notices


def _too_long() -> str:
    return ngettext("longer than {count} character", "longer than {count} characters", MAX_TEXT).format(count=MAX_TEXT)


def _dates(read: _Reader, days: Sequence[dt.date]) -> tuple[dt.date, dt.date] | None:
    """The window of event days the link names (an end it does not name is the span's); ``None`` if whole."""
    given = {name: text for name in ("from", "to") if (text := read.value(name)) is not None}
    ends = {"from": days[0], "to": days[-1]} if len(days) > 1 else {}
    for name, text in given.items():
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            read.drop(name, text, _("not a date (YYYY-MM-DD)"))
            continue
        if not ends or not days[0] <= day <= days[-1]:
            outside = _("outside the event dates {first} to {last}").format(first=days[0], last=days[-1])
            read.drop(name, text, outside if ends else _("no event dates"))
            continue
        ends[name] = day
    if not ends:
        return None
    # A day between two features' spans is no option of the slider: move inwards to the nearest one.
    window = (min(d for d in days if d >= ends["from"]), max(d for d in days if d <= ends["to"]))
    if window[0] > window[1]:
        read.drop("from", given.get("from"), _("no event day from it to to={day}").format(day=ends["to"]))
        return None
    return None if window == (days[0], days[-1]) else window


def _center(read: _Reader) -> Center | None:
    lat, lon = read.number("lat", -90, 90), read.number("lon", -180, 180)
    given, missing = ("lat", "lon") if lon is None else ("lon", "lat")
    if (lat is None) != (lon is None) and read.value(missing) is None:  # an invalid one has its own notice
        read.drop(given, read.value(given), _("a map centre needs both lat and lon"))
    return None if lat is None or lon is None else (round(lat, DECIMALS), round(lon, DECIMALS))


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
