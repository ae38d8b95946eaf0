"""Marks drawn with the features: kind symbols on lines and areas, the doubt about places, and connectors.

Each reads display features (``geo.render.mapview.display_collection``) and draws with fixed styles; no
text of the data reaches these layers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

import folium

from geo.render.arrange import POINT_TYPES, Selection, representative_point
from geo.render.patterns import STANDING_COLOURS
from geo.render.symbols import icon_options
from geo.render.uncertainty import doubt_shapes, is_inferred
from geo.render.viewport import MAX_DRAWN
from geo.render.weight import weigh_collection

#: Doubt drawn under the features, by what it is: faint fills, no hard outline but the place's circle.
DOUBT_STYLES = {
    "corridor": {"weight": 0, "fillOpacity": 0.16},
    "halo": {"weight": 0, "fillOpacity": 0.07},
    "circle": {"weight": 1, "dashArray": "3 2", "fillOpacity": 0.06},
}
#: From a denial's place to the claim it answers; drawn only for the selected feature.
CONNECTOR_STYLE = {"color": "#333333", "weight": 2, "dash_array": "6 4", "opacity": 0.9}
#: What of a feature's properties its doubt depends on.
DOUBT_FIELDS = ("precision", "uncertainty_km")
#: Weighed sets of doubt bands kept (one per choice of layers and filters, and zoom), and features' own bands:
#: twice as many as the map draws at most (``geo.render.viewport.MAX_DRAWN``).
DOUBT_SETS_KEPT = 64
FEATURE_BANDS_KEPT = 2 * MAX_DRAWN
#: Kind symbols on lines and areas, smaller than point markers and not clickable (the shape under them is).
BADGE_SIZE = 22


def add_badges(fmap: folium.Map | folium.FeatureGroup, collection: dict[str, Any]) -> None:
    """Put each claim line's and area's kind symbol on it, at its representative point, not clickable.

    Context (borders, countries) gets none: it is not a claim, and a symbol per country is only noise.
    """
    badges = [
        {
            "type": "Feature",
            "id": feature["id"],
            "geometry": {"type": "Point", "coordinates": list(reversed(representative_point(feature["geometry"])))},
            "properties": {key: feature["properties"].get(key) for key in ("kind", "standing", "placement")},
        }
        for feature in collection["features"]
        if feature["geometry"]["type"] not in POINT_TYPES and feature["properties"].get("kind") != "context"
    ]
    if not badges:
        return

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        properties = feature["properties"]
        return {
            **icon_options(properties["kind"], properties["standing"], is_inferred(properties), "", size=BADGE_SIZE),
            "className": "cm-badge",
        }

    folium.GeoJson(
        {"type": "FeatureCollection", "features": badges},
        style_function=style,
        marker=folium.Marker(icon=folium.DivIcon(class_name="cm-badge"), interactive=False, keyboard=False),
        control=False,
    ).add_to(fmap)


def add_doubt(
    fmap: folium.Map | folium.FeatureGroup, features: Iterable[dict[str, Any]], view: tuple[int, float] | None = None
) -> None:
    """Draw the doubt about each feature's place under the features (``geo.render.uncertainty``).

    ``view`` (zoom, latitude) weighs the drawn bands for that zoom (``geo.render.weight``): a buffer's many
    vertices at full precision would weigh as much as the claims themselves. Each feature's bands are made
    once (``feature_bands``), each set of features is weighed once (``doubt_bands``).
    """
    wanted = tuple(
        (
            json.dumps([feature["geometry"], {name: feature["properties"].get(name) for name in DOUBT_FIELDS}]),
            STANDING_COLOURS.get(feature["properties"].get("standing"), STANDING_COLOURS["unsourced"]),
        )
        for feature in features
    )
    shapes = json.loads(doubt_bands(wanted, view))
    if not shapes:
        return

    def style(shape_feature: dict[str, Any]) -> dict[str, Any]:
        properties = shape_feature["properties"]
        look = DOUBT_STYLES[properties["what"]]
        return {
            "color": properties["colour"],
            "fillColor": properties["colour"],
            "fill": True,
            **look,
            "className": f"cm-doubt cm-doubt-{properties['what']}",
        }

    folium.GeoJson(
        {"type": "FeatureCollection", "features": shapes}, style_function=style, interactive=False, control=False
    ).add_to(fmap)


@functools.lru_cache(maxsize=DOUBT_SETS_KEPT)
def doubt_bands(wanted: tuple[tuple[str, str], ...], view: tuple[int, float] | None = None) -> str:
    """Return the doubt bands of a set of features as a JSON list of GeoJSON Features, weighed for ``view``.

    Parameters
    ----------
    wanted : tuple of (str, str)
        One ``(place, colour)`` per feature: ``place`` as ``feature_bands`` reads it.
    view : tuple of (int, float), optional
        The zoom and latitude to weigh the bands for (``geo.render.weight.weigh_collection``); unweighed if
        not given.

    Returns
    -------
    str
        JSON of the bands, outermost first per feature, each with ``what`` and ``colour`` properties: text, so
        that no caller can change what is kept.
    """
    shapes = []
    for place, colour in wanted:
        for what, band in json.loads(feature_bands(place)):
            shapes.append(
                {
                    "type": "Feature",
                    "id": f"doubt-{len(shapes)}",
                    "geometry": band,
                    "properties": {"what": what, "colour": colour},
                }
            )
    if shapes and view is not None:
        shapes = weigh_collection({"type": "FeatureCollection", "features": shapes}, *view)["features"]
    return json.dumps(shapes)


@functools.lru_cache(maxsize=FEATURE_BANDS_KEPT)
def feature_bands(place: str) -> str:
    """Return one feature's doubt shapes (``geo.render.uncertainty.doubt_shapes``) as JSON, made once.

    ``place`` is the JSON of ``[geometry, {"precision": ..., "uncertainty_km": ...}]``. Buffering in a local
    projection is slow: pyproj makes its transformers again in each new thread, and Streamlit runs each rerun
    in one.
    """
    geometry, properties = json.loads(place)
    return json.dumps(doubt_shapes({"geometry": geometry, "properties": properties}))


def add_connectors(fmap: folium.Map | folium.FeatureGroup, selection: Selection) -> None:
    """Draw a dashed line from each answering denial's place to the selected claim, or from the selected denial."""
    for start, end in selection.connectors:
        folium.PolyLine([start, end], class_name="cm-connector", interactive=False, **CONNECTOR_STYLE).add_to(fmap)
