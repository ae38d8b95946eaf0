"""Marks drawn with the features: kind symbols on lines and areas, the doubt about places, and connectors.

Each reads display features (``geo.render.mapview.display_collection``) and draws with fixed styles; no
text of the data reaches these layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium

from geo.render.arrange import POINT_TYPES, Selection, representative_point
from geo.render.patterns import STANDING_COLOURS
from geo.render.symbols import icon_options
from geo.render.uncertainty import doubt_shapes, is_inferred

#: Doubt drawn under the features, by what it is: faint fills, no hard outline but the place's circle.
DOUBT_STYLES = {
    "corridor": {"weight": 0, "fillOpacity": 0.16},
    "halo": {"weight": 0, "fillOpacity": 0.07},
    "circle": {"weight": 1, "dashArray": "3 2", "fillOpacity": 0.06},
}
#: From a denial's place to the claim it answers; drawn only for the selected feature.
CONNECTOR_STYLE = {"color": "#333333", "weight": 2, "dash_array": "6 4", "opacity": 0.9}
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


def add_doubt(fmap: folium.Map | folium.FeatureGroup, features: Iterable[dict[str, Any]]) -> None:
    """Draw the doubt about each feature's place under the features (``geo.render.uncertainty``)."""
    shapes = []
    for feature in features:
        colour = STANDING_COLOURS.get(feature["properties"].get("standing"), STANDING_COLOURS["unsourced"])
        for what, geometry in doubt_shapes(feature):
            shapes.append(
                {
                    "type": "Feature",
                    "id": f"doubt-{len(shapes)}",
                    "geometry": geometry,
                    "properties": {"what": what, "colour": colour},
                }
            )
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


def add_connectors(fmap: folium.Map | folium.FeatureGroup, selection: Selection) -> None:
    """Draw a dashed line from each answering denial's place to the selected claim, or from the selected denial."""
    for start, end in selection.connectors:
        folium.PolyLine([start, end], class_name="cm-connector", interactive=False, **CONNECTOR_STYLE).add_to(fmap)
