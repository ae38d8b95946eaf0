"""Draw claim layers on a Folium map whose scripts come from this server, not from a CDN."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
import shapely
from shapely.geometry import shape

from geo.catalog import Layer
from geo.downloads import slug
from geo.escape import escape_feature_collection, escape_text
from geo.schema import STATUSES
from geo.style import DEFAULT_STATUS, feature_style

#: Where Streamlit serves the Leaflet files copied from the ``xstatic-leaflet`` package.
LEAFLET_URL = "/app/static/vendor/leaflet"
KEY_FIELD = "_key"
TOOLTIP_FIELDS = ("title", "status")
TOOLTIP_ALIASES = ("Claim", "Status")
TILES = {
    "OpenStreetMap": {"tiles": "OpenStreetMap"},
    "Light (CartoDB Positron)": {"tiles": "CartoDB positron"},
}
OFFLINE = "Offline (no tiles)"
TOOLTIP_STYLE = "max-width:280px;white-space:normal;font-size:13px"
MAP_CSS = "path.leaflet-interactive:focus{outline:none}"
BASEMAPS = (*TILES, OFFLINE)


def use_local_leaflet(fmap: folium.Map, base_url: str = LEAFLET_URL) -> folium.Map:
    """Point the map at a local Leaflet instead of the CDN scripts Folium loads by default."""
    fmap.default_js = [("leaflet", f"{base_url}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{base_url}/leaflet.css")]
    return fmap


def feature_key(layer_id: str, index: int) -> str:
    """Return the key that ties a drawn feature back to its layer and position."""
    return f"{layer_id}/{index}"


def display_collection(
    layer: Layer,
    collection: dict[str, Any],
    unsourced: Iterable[int] = (),
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """Return the escaped copy of a layer that the map draws.

    Every feature gets a ``_key``, a ``title`` (its id or position when it has none) and a
    ``status`` from the vocabulary (``unsourced`` for imports without citation).

    Parameters
    ----------
    layer : Layer
        The layer the collection belongs to.
    collection : dict
        A FeatureCollection as read from disk or imported.
    unsourced : iterable of int
        Positions of the features (in ``collection``) to mark unsourced.
    keep : callable, optional
        A filter: features for which it returns False are left out (keys keep their positions).

    Returns
    -------
    dict
        A FeatureCollection safe to hand to Folium, with drawable features only.
    """
    unsourced = set(unsourced)
    features = []
    for index, feature in enumerate(collection.get("features", [])):
        if not feature.get("geometry") or (keep is not None and not keep(feature)):
            continue
        properties = dict(feature.get("properties") or {})
        name = properties.get("id", feature.get("id", index))
        properties[KEY_FIELD] = feature_key(layer.id, index)
        properties["title"] = properties.get("title") or f"{layer.title}: feature {name}"
        if properties.get("status") not in STATUSES or index in unsourced:
            properties["status"] = DEFAULT_STATUS
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": properties})
    return escape_feature_collection({"type": "FeatureCollection", "features": features})


def layer_class(layer_id: str) -> str:
    """Return the CSS class every shape of a layer carries (``claim-layer-<slug>``)."""
    return f"claim-layer-{slug(layer_id)}"


def draw_order(layers: Sequence[tuple[Layer, dict[str, Any]]]) -> list[tuple[Layer, dict[str, Any]]]:
    """Order layers bottom to top: context, then areas, then lines, then points."""

    def rank(item: tuple[Layer, dict[str, Any]]) -> tuple[int, int]:
        layer, collection = item
        dimensions = [shapely.get_dimensions(shape(f["geometry"])) for f in collection["features"] if f["geometry"]]
        return (layer.group != "context", -max(dimensions, default=0))

    return sorted(layers, key=rank)


def add_layer(fmap: folium.Map, layer: Layer, collection: dict[str, Any]) -> None:
    """Add one escaped layer with status styles, a hover tooltip and click highlighting."""
    if not collection["features"]:
        return
    layer_style = dict(layer.style)
    css_class = layer_class(layer.id)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        status = feature["properties"]["status"]
        return {**feature_style(feature, layer_style), "className": f"{css_class} status-{status}"}

    folium.GeoJson(
        collection,
        name=str(escape_text(layer.title)),
        style_function=style,
        highlight_function=lambda feature: {"weight": 6, "fillOpacity": 0.45},
        marker=folium.CircleMarker(radius=layer.style.get("radius", 7), fill=True, fill_opacity=0.85),
        tooltip=folium.GeoJsonTooltip(
            fields=list(TOOLTIP_FIELDS), aliases=list(TOOLTIP_ALIASES), sticky=True, style=TOOLTIP_STYLE
        ),
    ).add_to(fmap)


def add_offline_basemap(fmap: folium.Map, outlines: dict[str, Any], places: Iterable[dict[str, Any]]) -> None:
    """Draw country outlines and place names from ``data/`` in place of tiles."""
    folium.GeoJson(
        outlines,
        name="Offline basemap",
        style_function=lambda feature: {"color": "#8a8a8a", "weight": 1, "fillColor": "#f4f1ea", "fillOpacity": 1},
        interactive=False,
        control=False,
    ).add_to(fmap)
    for place in places:
        label = folium.DivIcon(html=f'<div class="place-label">{escape_text(place["name"])}</div>', icon_size=(120, 16))
        folium.Marker([place["lat"], place["lon"]], icon=label, interactive=False).add_to(fmap)
    css = ".place-label{font:12px/1.2 sans-serif;color:#333;text-shadow:0 0 3px #fff;white-space:nowrap}"
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>"))


def build_map(
    layers: Sequence[tuple[Layer, dict[str, Any]]],
    case: dict[str, Any],
    basemap: str = BASEMAPS[0],
    offline: tuple[dict[str, Any], list[dict[str, Any]]] | None = None,
    leaflet_url: str = LEAFLET_URL,
) -> folium.Map:
    """Build the map of the visible layers.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
        The visible layers, already in display form (see ``display_collection``).
    case : dict
        The case from the catalog (``center``, ``zoom``).
    basemap : str
        One of ``BASEMAPS``.
    offline : tuple, optional
        Country outlines and places for the offline basemap.
    leaflet_url : str
        Where the browser finds ``leaflet.js`` and ``leaflet.css``.

    Returns
    -------
    folium.Map
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    fmap = folium.Map(location=case["center"], zoom_start=case["zoom"], tiles=None, control_scale=True)
    use_local_leaflet(fmap, leaflet_url)
    fmap.get_root().header.add_child(folium.Element(f"<style>{MAP_CSS}</style>"))
    if basemap in TILES:
        folium.TileLayer(**TILES[basemap], name=basemap, control=False).add_to(fmap)
    elif offline is not None:
        add_offline_basemap(fmap, *offline)
    for layer, collection in draw_order(layers):
        add_layer(fmap, layer, collection)
    return fmap
