"""What the map draws at one view: the features the filters keep and the view holds, or counts where too many.

A layer is indexed once (``index_layer``): every filterable value and each feature's bounds become arrays, so
filtering and culling 100,000 claims is a few array operations, not a Python loop over the features. The arrays
follow ``geo.model.filters.Filters.keeps`` exactly (a test checks both agree on every feature).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from geo.model.claims import event_span, shown_standing
from geo.model.filters import Filters, feature_text, search_mask, search_terms
from geo.model.layers import Layer

#: More features than this in view are drawn as counts per cell: a browser stays responsive below it.
MAX_DRAWN = 600
#: The side of an aggregate cell, in screen pixels.
CELL_PX = 80
#: Web Mercator: one 256-pixel tile covers the world's width at zoom 0.
TILE_PX = 256
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_MERCATOR_HALF_WIDTH = _TO_MERCATOR.transform(180.0, 0.0)[0]


@dataclass(eq=False)
class LayerIndex:
    """A layer's drawable features (those with a geometry) as arrays of what the filters and the view test.

    Attributes
    ----------
    layer : Layer
    positions : numpy.ndarray
        Each drawable feature's position in the layer's collection (the ``_key`` the map gives it).
    standing, reliability, credibility : numpy.ndarray
        Shown standing; grade halves as text, ``None`` where the feature has none.
    first, last : numpy.ndarray
        Day ordinals an event may cover; ``-inf``/``+inf`` at an open end or where undated.
    bounds : numpy.ndarray
        ``(n, 4)``: west, south, east, north in degrees.
    anchor : numpy.ndarray
        ``(n, 2)``: a point on each feature (longitude, latitude), where counts gather it.
    """

    layer: Layer
    positions: np.ndarray
    standing: np.ndarray
    reliability: np.ndarray
    credibility: np.ndarray
    first: np.ndarray
    last: np.ndarray
    bounds: np.ndarray
    anchor: np.ndarray
    features: Sequence[Mapping[str, Any]] = ()
    _texts: dict[int, list[str | None]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.positions)

    def texts(self, source_titles: Mapping[str, str] | None) -> list[str | None]:
        """Return what the search reads in each feature (``filters.feature_text``), made at the first search."""
        key = id(source_titles)
        if key not in self._texts:
            self._texts.clear()
            self._texts[key] = [feature_text(feature, source_titles) for feature in self.features]
        return self._texts[key]


def index_layer(layer: Layer, collection: Mapping[str, Any]) -> LayerIndex:
    """Index a layer's drawable features for ``kept`` and ``in_view``.

    Parameters
    ----------
    layer : Layer
    collection : Mapping
        The layer's FeatureCollection, as loaded (not escaped).

    Returns
    -------
    LayerIndex
    """
    pairs = [(index, f) for index, f in enumerate(collection.get("features", [])) if f.get("geometry")]
    features = [feature for _, feature in pairs]
    geometries = shapely.from_geojson([_geometry_json(feature["geometry"]) for feature in features])
    spans = [event_span((feature.get("properties") or {}).get("event_date")) or (None, None) for feature in features]
    anchors = shapely.get_coordinates(shapely.point_on_surface(geometries)) if features else np.empty((0, 2))
    return LayerIndex(
        layer=layer,
        positions=np.array([index for index, _ in pairs], dtype=np.int64),
        standing=np.array([shown_standing(feature) for feature in features], dtype=object),
        reliability=_grade_half(features, "reliability"),
        credibility=_grade_half(features, "credibility"),
        first=np.array([_ordinal(first, -np.inf) for first, _ in spans], dtype=float),
        last=np.array([_ordinal(last, np.inf) for _, last in spans], dtype=float),
        bounds=shapely.bounds(geometries).reshape(-1, 4),
        anchor=anchors.reshape(-1, 2),
        features=features,
    )


def _geometry_json(geometry: Mapping[str, Any]) -> str:
    return json.dumps(geometry)


def _grade_half(features: Sequence[Mapping[str, Any]], name: str) -> np.ndarray:
    values = [(feature.get("properties") or {}).get(name) for feature in features]
    return np.array([None if value in (None, "") else str(value) for value in values], dtype=object)


def _ordinal(day: dt.date | None, open_end: float) -> float:
    return open_end if day is None else float(day.toordinal())


def kept(index: LayerIndex, keep: Filters) -> np.ndarray:
    """Return which of the index's features the filters keep (the same answer as ``Filters.keeps``)."""
    mask = np.ones(len(index), dtype=bool)
    if keep.standings is not None:
        mask &= np.isin(index.standing, list(keep.standings))
    for values, chosen in ((index.reliability, keep.reliability), (index.credibility, keep.credibility)):
        if chosen is not None:
            mask &= np.equal(values, None) | np.isin(values, list(chosen))
    if keep.dates is not None:
        start, end = (float(day.toordinal()) for day in keep.dates)
        mask &= (index.first <= end) & (index.last >= start)
    if search_terms(keep.text):
        mask &= search_mask(index.texts(keep.source_titles), keep.text)
    return mask


def in_view(index: LayerIndex, bounds: tuple[float, float, float, float] | None) -> np.ndarray:
    """Return which features' bounds meet ``bounds`` (west, south, east, north); all of them if ``None``."""
    if bounds is None:
        return np.ones(len(index), dtype=bool)
    west, south, east, north = bounds
    box = index.bounds
    return (box[:, 0] <= east) & (box[:, 2] >= west) & (box[:, 1] <= north) & (box[:, 3] >= south)


@dataclass(frozen=True)
class Cell:
    """Features gathered in one cell of the screen: where to draw the count, and how many."""

    lat: float
    lon: float
    count: int


@dataclass
class Drawn:
    """What the map draws at one view.

    Attributes
    ----------
    positions : dict
        Per layer id, the positions of the features drawn one by one.
    cells : list of Cell
        Counts drawn in place of features where too many are in view (empty otherwise).
    shown, total : int
        Claims (features of claim layers, not context) the filters keep in view, drawn or counted, and claims
        with a place in the visible layers.
    """

    positions: dict[str, np.ndarray] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    shown: int = 0
    total: int = 0

    @property
    def is_aggregated(self) -> bool:
        """True if some features are drawn as counts."""
        return bool(self.cells)


def draw_plan(
    indexes: Sequence[LayerIndex],
    keep: Filters,
    bounds: tuple[float, float, float, float] | None = None,
    zoom: float = 5,
    max_drawn: int = MAX_DRAWN,
    pinned: Mapping[str, Sequence[int]] | None = None,
) -> Drawn:
    """Decide what to draw: every kept feature in view, or, past ``max_drawn`` claims, counts per cell.

    Context layers (borders, countries) are always drawn whole; only claim layers are counted in cells.

    Parameters
    ----------
    indexes : sequence of LayerIndex
        The visible layers.
    keep : Filters
    bounds : tuple, optional
        The map's view (west, south, east, north); ``None`` draws everything kept.
    zoom : float
        The map's zoom: the size of a cell in degrees follows it.
    max_drawn : int
    pinned : Mapping, optional
        Positions drawn one by one whatever the view, by layer id: the selected feature and its answers.

    Returns
    -------
    Drawn
    """
    claims = [index for index in indexes if index.layer.group != "context"]
    plan = Drawn(total=sum(len(index) for index in claims))
    chosen = {index.layer.id: kept(index, keep) & in_view(index, bounds) for index in indexes}
    plan.shown = int(sum(chosen[index.layer.id].sum() for index in claims))
    if sum(int(chosen[index.layer.id].sum()) for index in claims) <= max_drawn:
        plan.positions = {layer_id: _positions(indexes, layer_id)[mask] for layer_id, mask in chosen.items()}
        return plan
    plan.positions = {
        index.layer.id: index.positions[chosen[index.layer.id]] for index in indexes if index.layer.group == "context"
    }
    anchors = np.concatenate([index.anchor[chosen[index.layer.id]] for index in claims])
    plan.cells = gather(anchors, zoom)
    for layer_id, positions in (pinned or {}).items():
        drawn = plan.positions.get(layer_id, np.empty(0, dtype=np.int64))
        plan.positions[layer_id] = np.union1d(drawn, np.asarray(positions, dtype=np.int64))
    return plan


def _positions(indexes: Sequence[LayerIndex], layer_id: str) -> np.ndarray:
    return next(index.positions for index in indexes if index.layer.id == layer_id)


def gather(anchors: np.ndarray, zoom: float, cell_px: int = CELL_PX) -> list[Cell]:
    """Count points (longitude, latitude) per square screen cell of ``cell_px`` at ``zoom``.

    Each count sits at the mean place of its points, so a cell's marker lies where its claims are.
    """
    if not len(anchors):
        return []
    x, y = _TO_MERCATOR.transform(anchors[:, 0], np.clip(anchors[:, 1], -85.0, 85.0))
    metres_per_cell = 2 * _MERCATOR_HALF_WIDTH / (TILE_PX * 2**zoom) * cell_px
    cells = np.stack([np.floor(np.asarray(x) / metres_per_cell), np.floor(np.asarray(y) / metres_per_cell)], axis=1)
    _, which, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    which = which.reshape(-1)
    lon = np.bincount(which, weights=anchors[:, 0]) / counts
    lat = np.bincount(which, weights=anchors[:, 1]) / counts
    return [Cell(lat=float(a), lon=float(o), count=int(n)) for a, o, n in zip(lat, lon, counts, strict=True)]
