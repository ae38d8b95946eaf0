"""Point markers: the kind is the shape, the standing the fill, an inference a dotted ring around it.

Every marker is inline SVG built from the fixed shapes below; the only values placed in it are a
standing's colour and pattern and CSS class names, all from fixed vocabularies (``Html`` escapes them anyway).
"""

from __future__ import annotations

from geo.model.claims import CONTEXT, KINDS, SHOWN_STANDINGS, UNSOURCED
from geo.render.escape import Html
from geo.render.i18n import N_, _
from geo.render.patterns import DASHES, PATTERN_PREFIX, STANDING_COLOURS, fill_paint

#: The outline of each kind's marker in a 24 x 24 box, as one SVG path.
KIND_SHAPES = {
    "claim": "M12 1.5 L22.5 12 L12 22.5 L1.5 12 Z",
    "report": "M12 3 A9 9 0 1 1 11.99 3 Z",
    "statement": "M3.5 3.5 H20.5 V20.5 H3.5 Z",
    "denial": "M5 1.5 L12 8.5 L19 1.5 L22.5 5 L15.5 12 L22.5 19 L19 22.5 L12 15.5 L5 22.5 L1.5 19 L8.5 12 L1.5 5 Z",
    CONTEXT: "M12 2 L22.5 21 L1.5 21 Z",
    UNSOURCED: "M12 1.5 L21.5 7 L21.5 17 L12 22.5 L2.5 17 L2.5 7 Z",
}
#: Each kind's marker shape in English words; ``kind_names`` gives them in the interface language.
KIND_NAMES = {
    "claim": N_("diamond"),
    "report": N_("circle"),
    "statement": N_("square"),
    "denial": N_("cross"),
    CONTEXT: N_("triangle"),
    UNSOURCED: N_("hexagon"),
}
#: The marker's box in pixels; the dotted ring of an inference fits inside.
MARKER_SIZE = 30
#: Markers at one place are spread on this ring of offsets (pixels), in this order, so each stays clickable.
STACK_OFFSETS = ((0, 0), (22, 0), (-22, 0), (0, 22), (0, -22), (22, 22), (-22, -22), (22, -22), (-22, 22))
INFERRED_RING = (
    '<circle cx="12" cy="12" r="14" fill="none" stroke="#222" stroke-width="1.6" stroke-dasharray="1.5 2.5"/>'
)


def marker_svg(
    kind: str,
    standing: str,
    inferred: bool = False,
    extra_class: str = "",
    prefix: str = PATTERN_PREFIX,
    size: int = MARKER_SIZE,
) -> Html:
    """Return the inline SVG of a point marker.

    Parameters
    ----------
    kind : str
        A shown kind (``geo.model.claims.shown_kind``): its shape.
    standing : str
        A shown standing: its pattern fills the shape, its colour draws the outline.
    inferred : bool
        Draw the dotted ring that marks a place inferred by the project.
    extra_class : str
        CSS classes for the shape's path (the layer's and the standing's), so the page can find it.
    prefix : str
        The id prefix of the document's fill patterns (see ``geo.render.patterns.pattern_defs``).
    size : int
        Width and height in pixels.

    Returns
    -------
    Html
    """
    shape = KIND_SHAPES.get(kind, KIND_SHAPES[UNSOURCED])
    standing = standing if standing in SHOWN_STANDINGS else UNSOURCED
    colour = STANDING_COLOURS[standing]
    dash = "3 2" if kind == UNSOURCED else "none"
    ring = Html(INFERRED_RING) if inferred else Html("")
    return Html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="-3 -3 30 30" '
        'aria-hidden="true">{ring}<path d="{shape}" fill="#fff" stroke="#fff" stroke-width="4.5" '
        'stroke-linejoin="round"/><path class="cm-mark {extra}" d="{shape}" fill="{fill}" stroke="{colour}" '
        'stroke-width="2" stroke-linejoin="round" stroke-dasharray="{dash}"/></svg>'
    ).format(
        size=size,
        ring=ring,
        shape=shape,
        extra=extra_class,
        fill=fill_paint(standing, prefix),
        colour=colour,
        dash=dash,
    )


def line_svg(standing: str, width: int = 56, inferred: bool = False) -> Html:
    """Return a short SVG line drawn with a standing's colour and dash, faint when ``inferred``."""
    standing = standing if standing in SHOWN_STANDINGS else UNSOURCED
    dash = DASHES[standing] or "none"
    weight = 1.5 if standing == CONTEXT else 3.5
    return Html(
        '<svg width="{w}" height="14" viewBox="0 0 {w} 14" aria-hidden="true"><path d="M2 7 H{end}" '
        'stroke="{colour}" stroke-width="{weight}" stroke-dasharray="{dash}" stroke-linecap="{cap}" '
        'opacity="{opacity}"/></svg>'
    ).format(
        w=width,
        end=width - 2,
        colour=STANDING_COLOURS[standing],
        weight=weight,
        dash=dash,
        cap="round" if standing == "unverified" else "butt",
        opacity=0.5 if inferred else 1,
    )


def area_svg(standing: str, prefix: str = PATTERN_PREFIX, inferred: bool = False) -> Html:
    """Return a small SVG square filled and outlined as an area of this standing is."""
    standing = standing if standing in SHOWN_STANDINGS else UNSOURCED
    return Html(
        '<svg width="30" height="20" viewBox="0 0 30 20" aria-hidden="true"><rect x="1.5" y="1.5" width="27" '
        'height="17" fill="{fill}" fill-opacity="{fo}" stroke="{colour}" stroke-width="2" '
        'stroke-dasharray="{dash}" opacity="{opacity}"/></svg>'
    ).format(
        fill=fill_paint(standing, prefix),
        fo=0.85,
        colour=STANDING_COLOURS[standing],
        dash=DASHES[standing] or "none",
        opacity=0.5 if inferred else 1,
    )


def icon_options(
    kind: str, standing: str, inferred: bool, classes: str, offset: tuple[int, int] = (0, 0), size: int = MARKER_SIZE
) -> dict:
    """Return Leaflet ``DivIcon`` options for a point feature's marker, moved by ``offset`` pixels.

    Parameters
    ----------
    kind, standing : str
        The feature's shown kind and standing.
    inferred : bool
        True if the project inferred the place.
    classes : str
        CSS classes for the marker's element and its shape (layer, standing, selection).
    offset : tuple of int
        Pixels right and down from the place (see ``STACK_OFFSETS``).
    size : int
        The marker's width and height in pixels.

    Returns
    -------
    dict
        ``html``, ``iconSize``, ``iconAnchor`` and ``className``.
    """
    return {
        "html": str(marker_svg(kind, standing, inferred, classes, size=size)),
        "iconSize": [size, size],
        "iconAnchor": [size // 2 - offset[0], size // 2 - offset[1]],
        "className": f"cm-point {classes}",
    }


def stack_offset(position: int) -> tuple[int, int]:
    """Return the pixel offset of the ``position``-th marker at one place (0 stays on the place)."""
    if position <= 0:
        return STACK_OFFSETS[0]
    ring, step = divmod(position - 1, len(STACK_OFFSETS) - 1)
    dx, dy = STACK_OFFSETS[step + 1]
    return dx * (ring + 1), dy * (ring + 1)


def kind_names() -> dict[str, str]:
    """Return each shown kind's marker shape in words in the interface language (``claim`` gives ``diamond``)."""
    return {kind: _(KIND_NAMES[kind]) for kind in (*KINDS, UNSOURCED)}
