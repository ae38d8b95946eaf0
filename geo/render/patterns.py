"""How each shown standing looks without colour: an SVG fill pattern for areas and points, a dash for lines.

Colour says the same thing a second time, for those who see it. The patterns are fixed SVG text (no data
reaches them) defined once per document in an ``<svg><defs>`` block and used through CSS
``fill: url(#...)`` on each shape's class.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from geo.model.claims import CONTEXT, ON_RECORD, SHOWN_STANDINGS, UNSOURCED

#: One colour per shown standing (Okabe-Ito and ColorBrewer hues); patterns and dashes carry the meaning too.
STANDING_COLOURS = {
    "unverified": "#d55e00",
    "contested": "#cc1f7a",
    "corroborated": "#0072b2",
    "confirmed": "#1b7837",
    "refuted": "#8b1a1a",
    "retracted": "#7f6a3a",
    ON_RECORD: "#5e3c99",
    CONTEXT: "#666666",
    UNSOURCED: "#444444",
}
#: The SVG inside one 8 x 8 pattern tile, per shown standing; ``{c}`` is the standing's colour.
#: ``solid`` and ``none`` need no pattern: confirmed fills solid, context is drawn as an outline only.
PATTERN_TILES = {
    "unverified": '<circle cx="4" cy="4" r="1.7" fill="{c}"/>',
    "contested": '<path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" stroke="{c}" stroke-width="2.2"/>',
    "corroborated": '<rect x="0" y="0" width="4" height="8" fill="{c}"/>',
    "refuted": '<path d="M0 0 L8 8 M8 0 L0 8" stroke="{c}" stroke-width="1.6"/>',
    "retracted": '<rect x="0" y="2.4" width="8" height="3.2" fill="{c}"/>',
    ON_RECORD: '<path d="M0 4 H8 M4 0 V8" stroke="{c}" stroke-width="1.3"/>',
    UNSOURCED: (
        '<rect x="0" y="1" width="3" height="1.4" fill="{c}"/><rect x="4" y="5" width="3" height="1.4" fill="{c}"/>'
    ),
}
SOLID, NONE = "solid", "none"
#: The pattern each shown standing fills with: a tile above, or solid, or none.
FILL_PATTERNS = {**{standing: standing for standing in PATTERN_TILES}, "confirmed": SOLID, CONTEXT: NONE}
#: Leaflet ``dashArray`` per shown standing, for lines and the outlines of areas; ``None`` draws solid.
DASHES: dict[str, str | None] = {
    "unverified": "2 7",
    "contested": "12 6",
    "corroborated": "16 4 3 4",
    "confirmed": None,
    "refuted": "12 4 3 4 3 4",
    "retracted": "2 2 2 8",
    ON_RECORD: "6 3 6 9",
    CONTEXT: None,
    UNSOURCED: "1 3",
}
PATTERN_PREFIX = "cm-fill-"


def pattern_id(standing: str, prefix: str = PATTERN_PREFIX) -> str:
    """Return the id of a standing's SVG pattern, e.g. ``cm-fill-contested``."""
    return f"{prefix}{standing}"


def fill_paint(standing: str, prefix: str = PATTERN_PREFIX) -> str:
    """Return the SVG paint a shape of this standing fills with: a pattern URL, its colour, or ``none``."""
    pattern = FILL_PATTERNS.get(standing, UNSOURCED)
    if pattern == SOLID:
        return STANDING_COLOURS[standing]
    if pattern == NONE:
        return "none"
    return f"url(#{pattern_id(pattern, prefix)})"


def pattern_defs(prefix: str = PATTERN_PREFIX) -> str:
    """Return a hidden ``<svg>`` that defines every standing's fill pattern under ids starting ``prefix``.

    Parameters
    ----------
    prefix : str
        The start of each pattern's id: one prefix per document part that carries its own copy (the map,
        the sidebar legend), so ids never clash.

    Returns
    -------
    str
        Fixed SVG text: no data reaches it.
    """
    patterns = "".join(
        f'<pattern id="{pattern_id(standing, prefix)}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#fff" fill-opacity=".55"/>{tile.format(c=STANDING_COLOURS[standing])}'
        "</pattern>"
        for standing, tile in PATTERN_TILES.items()
    )
    return (
        '<svg class="cm-defs" width="0" height="0" aria-hidden="true" focusable="false" '
        f'style="position:absolute;width:0;height:0;overflow:hidden"><defs>{patterns}</defs></svg>'
    )


def fill_css(prefix: str = PATTERN_PREFIX) -> str:
    """Return CSS that fills each area path of class ``standing-<standing>`` with its pattern."""
    return "".join(
        f"path.cm-area.standing-{standing}{{fill:{fill_paint(standing, prefix)}}}" for standing in SHOWN_STANDINGS
    )


class PatternDefs(MacroElement):
    """Puts the fill patterns (``pattern_defs``) into the map's document, where its shapes and legend use them."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (!document.getElementById({{ this.first_id|tojson }})) {
            document.body.insertAdjacentHTML("afterbegin", {{ this.defs|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "PatternDefs"
        self.defs = pattern_defs()
        # Another copy of the patterns (a legend beside the map) has its own prefix: look for the map's own.
        self.first_id = pattern_id(next(iter(PATTERN_TILES)))
