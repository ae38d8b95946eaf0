"""The legend: how an area, a line and a point of each standing present look, and each kind's symbol.

The same HTML serves the collapsible control on the map (``LegendControl``) and a copy beside it
(``legend_html``). It is built from fixed templates; every value passes through ``Html``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from geo.model.claims import KINDS, SHOWN_STANDINGS, UNSOURCED
from geo.render.escape import Html
from geo.render.i18n import N_, _, current_language, pgettext
from geo.render.patterns import pattern_defs
from geo.render.symbols import area_svg, kind_names, line_svg, marker_svg
from geo.render.vocabulary import kind_labels, short_kind_names, short_standing_names, standing_labels

#: A legend outside the map carries its own patterns under this id prefix, so it never clashes with the map's.
LEGEND_PREFIX = "cm-lg-"
SHOWN_KINDS = (*KINDS, UNSOURCED)
#: Drawn doubt and selection, explained once at the foot of the legend (English: translated where shown).
DOUBT_ROWS = (
    ("corridor", N_("Faint band: a route, give or take its uncertainty")),
    ("halo", N_("Soft shading, no edge: somewhere in a region")),
    ("circle", N_("Thin circle: at a place, within its uncertainty")),
    ("inferred", N_("Dotted ring, faint shape: placed by the project (inference), not by the source")),
    ("connector", N_("Dashed grey line: from a denial to the claim it answers (shown for the selected claim)")),
)
LEGEND_CSS = (
    ".cm-legend{font:12px/1.3 sans-serif;color:#222;background:#fff;padding:4px 8px;max-width:400px;"
    "max-height:70vh;overflow:auto}"
    ".cm-legend summary{cursor:pointer;font-weight:600}"
    ".cm-legend table{border-collapse:collapse;margin:4px 0}"
    ".cm-legend th,.cm-legend td{padding:2px 4px;text-align:left;vertical-align:middle;font-weight:normal}"
    ".cm-legend thead th{font-size:11px;color:#555}"
    ".cm-legend tbody th{font-weight:600}"
    ".cm-legend ul{list-style:none;margin:4px 0;padding:0}"
    ".cm-legend li{display:flex;gap:6px;align-items:center;margin:2px 0}"
    ".cm-legend td{white-space:nowrap}"
    ".cm-swatch{display:inline-flex;align-items:center;line-height:0}"
    ".cm-swatch svg{display:block}"
)


def present(features: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Return the (kind, standing) pairs of display features, each once, in the vocabularies' order.

    ``features`` are display features (``geo.render.mapview.display_collection``): their ``kind`` and
    ``standing`` properties are the shown values.
    """
    found = {
        ((feature.get("properties") or {}).get("kind"), (feature.get("properties") or {}).get("standing"))
        for feature in features
    }
    return [(kind, standing) for standing in SHOWN_STANDINGS for kind in SHOWN_KINDS if (kind, standing) in found]


def _swatch(name: str, svg: Html, title: str) -> Html:
    return Html('<span class="cm-swatch" data-swatch="{}" title="{}">{}</span>').format(name, title, svg)


def _standing_row(standing: str, kinds: list[str], prefix: str) -> Html:
    label = standing_labels()[standing]
    name, names = short_standing_names()[standing], short_kind_names()
    points = Html("").join(
        _swatch(
            f"point-{kind}-{standing}",
            marker_svg(kind, standing, prefix=prefix),
            _("{kind}, {standing}").format(kind=names[kind], standing=name),
        )
        for kind in kinds
    )
    return Html('<tr data-standing="{}"><th title="{}">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>').format(
        standing,
        label,
        label.split(":")[0],
        _swatch(f"area-{standing}", area_svg(standing, prefix), _("area, {standing}").format(standing=name)),
        _swatch(f"line-{standing}", line_svg(standing), _("line, {standing}").format(standing=name)),
        points,
    )


def _kind_row(kind: str, prefix: str) -> Html:
    shape = kind_names()[kind]
    symbol = _swatch(f"kind-{kind}", marker_svg(kind, "context", prefix=prefix), shape)
    return Html('<li data-kind="{}">{} {} ({})</li>').format(kind, symbol, kind_labels()[kind], shape)


def _doubt_row(what: str, label: str, prefix: str) -> Html:
    svg = {
        "corridor": Html(
            '<svg width="44" height="14" aria-hidden="true"><path d="M2 7 H42" stroke="#555" '
            'stroke-opacity=".22" stroke-width="12"/></svg>'
        ),
        "halo": Html(
            '<svg width="44" height="14" aria-hidden="true"><rect x="1" y="1" width="42" height="12" '
            'rx="6" fill="#555" fill-opacity=".12"/><rect x="8" y="3" width="28" height="8" rx="4" fill="#555" '
            'fill-opacity=".14"/></svg>'
        ),
        "circle": Html(
            '<svg width="44" height="14" aria-hidden="true"><circle cx="22" cy="7" r="6" fill="#555" '
            'fill-opacity=".08" stroke="#555" stroke-width="1" stroke-dasharray="3 2"/></svg>'
        ),
        "inferred": marker_svg("claim", "unverified", inferred=True, prefix=prefix),
        "connector": Html(
            '<svg width="44" height="14" aria-hidden="true"><path d="M2 7 H42" stroke="#333" '
            'stroke-width="2" stroke-dasharray="6 4"/></svg>'
        ),
    }[what]
    return Html('<li data-doubt="{}">{} {}</li>').format(what, _swatch(f"doubt-{what}", svg, _doubt_name(what)), label)


def _doubt_name(what: str) -> str:
    return {
        "corridor": pgettext("doubt", "corridor"),
        "halo": pgettext("doubt", "halo"),
        "circle": pgettext("doubt", "circle"),
        "inferred": pgettext("doubt", "inferred"),
        "connector": pgettext("doubt", "connector"),
    }[what]


def legend_html(
    standings: Iterable[str],
    kinds: Iterable[str] = (),
    pairs: Iterable[tuple[str, str]] = (),
    prefix: str = LEGEND_PREFIX,
    is_open: bool = True,
) -> Html:
    """Return the legend as a ``<details>`` block: one row per standing, each kind's symbol, drawn doubt.

    Parameters
    ----------
    standings : iterable of str
        The shown standings to explain (unknown ones are left out), in any order: rows follow
        ``SHOWN_STANDINGS``.
    kinds : iterable of str
        The shown kinds whose symbols to explain.
    pairs : iterable of (kind, standing)
        The kind-and-standing pairs present: each gets its point marker in its standing's row.
    prefix : str
        The id prefix of the fill patterns. With ``LEGEND_PREFIX`` the legend carries its own pattern
        definitions; with the map's prefix it uses the map's.
    is_open : bool
        Whether the block starts unfolded.

    Returns
    -------
    Html
    """
    pairs = list(pairs)
    wanted = set(standings) | {standing for _, standing in pairs}
    shown_kinds = set(kinds) | {kind for kind, _ in pairs}
    rows = [
        _standing_row(standing, [kind for kind in SHOWN_KINDS if (kind, standing) in pairs], prefix)
        for standing in SHOWN_STANDINGS
        if standing in wanted
    ]
    symbols = [_kind_row(kind, prefix) for kind in SHOWN_KINDS if kind in shown_kinds]
    doubt = [_doubt_row(what, _(label), prefix) for what, label in DOUBT_ROWS]
    defs = Html(pattern_defs(prefix)) if prefix == LEGEND_PREFIX else Html("")
    return Html(
        '<details class="cm-legend"{}><summary>{}</summary>{}'
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        '<tbody>{}</tbody></table><ul class="cm-kinds">{}</ul><ul class="cm-doubt">{}</ul></details>'
    ).format(
        Html(" open") if is_open else Html(""),
        _("Legend"),
        defs,
        _("Standing"),
        _("Area"),
        _("Line"),
        _("Point"),
        Html("").join(rows),
        Html("").join(symbols),
        Html("").join(doubt),
    )


def legend_for(features: Iterable[Mapping[str, Any]], prefix: str = LEGEND_PREFIX, is_open: bool = True) -> Html:
    """Return the legend of the display features shown: only their standings, kinds and pairs."""
    return _legend_of(tuple(present(features)), prefix, is_open, current_language())


#: Legends kept: one per set of pairs shown, prefix, fold and language; a view's legend is made once.
LEGENDS_KEPT = 64


@functools.lru_cache(maxsize=LEGENDS_KEPT)
def _legend_of(pairs: tuple[tuple[str, str], ...], prefix: str, is_open: bool, language: str) -> Html:
    return legend_html([standing for _, standing in pairs], [kind for kind, _ in pairs], pairs, prefix, is_open)


#: The narrowest map on which the legend opens unfolded: narrower, it would hide a third of the map or more.
OPEN_FROM_PX = 1000
