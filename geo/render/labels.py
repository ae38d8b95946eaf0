"""Map labels that give way: each label's box in Web Mercator pixels, and the zoom from which it collides with none.

A label is shown from its ``min_zoom`` on. Labels are ranked (capitals, then country names, then places by
population, then in the order given); at each zoom a label is kept if its box overlaps no kept label of
higher rank, and its ``min_zoom`` is the lowest zoom from which it is kept at every zoom up to ``MAX_ZOOM``.
So at any zoom the shown labels never overlap, and a label hidden at one zoom appears when zooming in.
The boxes are estimated from the character count and the CSS in ``geo.render.basemap``; the browser test
checks the estimate against the drawn text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Leaflet's deepest zoom by default: labels still hidden there never show.
MAX_ZOOM = 18
TILE_PX = 256
#: Place labels: 12 px sans-serif. Estimated width of a character (DejaVu/Liberation Sans average, rounded up).
PLACE_CHAR_PX = 7.2
#: The dot before a place name (5 px) and its margin (3 px), plus 2 px of halo.
PLACE_DOT_PX = 10.0
PLACE_HEIGHT_PX = 16.0
#: Where the place itself is within its label box: the centre of the dot.
PLACE_ANCHOR_PX = (3.0, 8.0)
#: Country names: 11 px bold uppercase with 0.12 em letter spacing.
COUNTRY_CHAR_PX = 9.4
COUNTRY_HEIGHT_PX = 16.0
#: Kept between label boxes, in pixels.
GAP_PX = 2.0


@dataclass(frozen=True)
class Label:
    """A label on the map: its text, where it stands and how it is drawn.

    Attributes
    ----------
    text : str
        The text shown (plain, escaped when drawn).
    lat, lon : float
        Its place in WGS84.
    kind : str
        ``"place"`` (a dot and the name to its right) or ``"country"`` (the name centred on the point).
    rank : tuple
        Sort key: lower comes first and wins a collision.
    """

    text: str
    lat: float
    lon: float
    kind: str = "place"
    rank: tuple = ()

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the label box in pixels."""
        if self.kind == "country":
            return (len(self.text) * COUNTRY_CHAR_PX, COUNTRY_HEIGHT_PX)
        return (PLACE_DOT_PX + len(self.text) * PLACE_CHAR_PX, PLACE_HEIGHT_PX)

    @property
    def anchor(self) -> tuple[float, float]:
        """Where the label's point is within its box, in pixels from its top left corner."""
        width, height = self.size
        return (width / 2, height / 2) if self.kind == "country" else PLACE_ANCHOR_PX


def mercator_pixels(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Return the Web Mercator (EPSG:3857) pixel coordinates of a point at a zoom, as Leaflet places it."""
    scale = TILE_PX * 2**zoom
    sin = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * scale
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def label_box(label: Label, zoom: float) -> tuple[float, float, float, float]:
    """Return a label's box (left, top, right, bottom) in Web Mercator pixels at a zoom."""
    x, y = mercator_pixels(label.lat, label.lon, zoom)
    width, height = label.size
    left, top = x - label.anchor[0], y - label.anchor[1]
    return (left, top, left + width, top + height)


def is_overlapping(a: tuple[float, ...], b: tuple[float, ...], gap: float = GAP_PX) -> bool:
    """Return whether two boxes (left, top, right, bottom) come closer than ``gap`` pixels."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def ranked(labels: Sequence[Label]) -> list[int]:
    """Return the positions of ``labels`` from the first to win a collision to the last (stable)."""
    return sorted(range(len(labels)), key=lambda index: labels[index].rank)


def kept_at(labels: Sequence[Label], zoom: int) -> set[int]:
    """Return the positions of the labels kept at a zoom: each overlaps no kept label of higher rank."""
    kept: list[int] = []
    boxes = [label_box(label, zoom) for label in labels]
    for index in ranked(labels):
        if not any(is_overlapping(boxes[index], boxes[other]) for other in kept):
            kept.append(index)
    return set(kept)


def min_zooms(labels: Sequence[Label], max_zoom: int = MAX_ZOOM) -> list[int]:
    """Return, for each label, the lowest zoom from which it is kept at every zoom up to ``max_zoom``.

    Parameters
    ----------
    labels : sequence of Label
        The labels of one map.
    max_zoom : int
        The deepest zoom considered; a label not kept there gets ``max_zoom + 1`` (never shown).

    Returns
    -------
    list of int
        In the order of ``labels``.
    """
    result = [max_zoom + 1] * len(labels)
    for zoom in range(max_zoom, -1, -1):
        kept = kept_at(labels, zoom)
        for index in range(len(labels)):
            if index in kept and result[index] == zoom + 1:
                result[index] = zoom
    return result


def shown_at(labels: Sequence[Label], zooms: Sequence[int], zoom: float) -> list[Label]:
    """Return the labels a map shows at ``zoom``, given their ``min_zooms``."""
    return [label for label, min_zoom in zip(labels, zooms, strict=True) if min_zoom <= zoom]
