"""The link's query parameters: a view of the page written as parameters (``encode``) and read back (``decode``).

``encode`` leaves out what equals the default view, so the URL stays clean; ``decode`` drops stale or malformed
values with one plain notice each (escaped for Markdown), never an exception. ``geo.app.permalink`` ties them to
the session and the widgets.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.model import filters
from geo.render.escape import escape_markdown
from geo.render.i18n import N_, ngettext
from geo.render.i18n import gettext as _
from geo.render.mapview import BASEMAPS

#: Query parameters a link holds, in the order they appear in a link.
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
