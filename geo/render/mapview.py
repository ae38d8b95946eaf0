"""Draw claim layers on a Folium map whose scripts come from this server, not from a CDN."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from geo.model.claims import answered_ids, denial_ids, grade, shown_kind, shown_standing
from geo.model.layers import Layer
from geo.model.names import slug
from geo.render import assets, overlays
from geo.render.arrange import (
    ANSWERS_FIELD,
    ANSWERS_SEPARATOR,
    KEY_FIELD,
    POINT_TYPES,
    Selection,
    select,
    stacked_offsets,
)
from geo.render.escape import escape_feature_collection, escape_text
from geo.render.legend import LEGEND_CSS, LegendControl
from geo.render.patterns import PatternDefs, fill_css
from geo.render.style import SELECTED_WEIGHT, feature_style, path_classes
from geo.render.symbols import icon_options
from geo.render.uncertainty import is_inferred, precision_words

#: Where Streamlit serves the Leaflet files copied from the ``xstatic-leaflet`` package.
LEAFLET_URL = "/app/static/vendor/leaflet"
TOOLTIP_FIELDS = ("title", "kind", "standing", "grade", "place")
TOOLTIP_ALIASES = ("Claim", "Kind", "Standing", "Grade", "Place")
TILES = {
    "OpenStreetMap": {"tiles": "OpenStreetMap"},
    "Light (CartoDB Positron)": {"tiles": "CartoDB positron"},
}
OFFLINE = "Offline (no tiles)"
TOOLTIP_STYLE = "min-width:220px;max-width:280px;white-space:normal;font-size:13px"
MAP_CSS = (
    "path.leaflet-interactive:focus{outline:none}"
    ".cm-point{background:none;border:none;pointer-events:none!important}"
    ".cm-point path.cm-mark{pointer-events:visiblePainted}"
    ".cm-point:focus-visible{outline:2px solid #000;outline-offset:2px;border-radius:50%}"
    ".cm-point.cm-selected svg,path.cm-selected{filter:drop-shadow(0 0 2px #000) drop-shadow(0 0 5px #ffd400)}"
    ".cm-point.cm-answer svg,path.cm-answer{filter:drop-shadow(0 0 2px #000) drop-shadow(0 0 4px #00e5ff)}"
    ".cm-badge{background:none;border:none}"
    ".cm-legend-control{background:#fff}"
)
#: Leaflet 1.9 opens a marker's popup on Enter but fires no click: fire one, so a keyboard reaches the panel too.
ENTER_CLICKS_MARKER = folium.JsCode(
    "function (feature, layer) { if (!(layer instanceof L.Marker)) { return; } "
    "layer.on('keypress', function (e) { if (e.originalEvent.keyCode !== 13) { return; } "
    "layer.fire('click', {latlng: layer.getLatLng(), originalEvent: e.originalEvent}, true); }); }"
)
BASEMAPS = (*TILES, OFFLINE)
SAFE_STYLE_KEY = re.compile(r"[A-Za-z]{1,40}")
SAFE_STYLE_VALUE = re.compile(r"[#\w .,%()-]{0,60}")
#: Shown on the map while tiles fail to load (no internet, blocked host): the layers draw regardless.
TILE_ERROR_MESSAGE = (
    "Map tiles could not be loaded; the claims still draw. Without internet, choose "
    "\u201cOffline (no tiles)\u201d under Basemap for outlines and place names."
)
#: Every basemap: the attribution wraps beside the scale bar instead of covering it on narrow maps.
BASEMAP_CSS = ".leaflet-control-attribution{max-width:calc(100vw - 140px);white-space:normal;line-height:1.35}"
#: Tile basemaps: the note shown while tiles fail.
TILE_CSS = (
    ".tile-error-notice{background:rgba(255,255,255,.92);padding:3px 7px;max-width:260px;"
    "font:11px/1.3 sans-serif;color:#333}"
)
#: The offline basemap: outlines (CSS class ``offline-outline``), labels and where both come from.
OFFLINE_OUTLINE_STYLE = {
    "color": "#8a8a8a",
    "weight": 1,
    "fillColor": "#f4f1ea",
    "fillOpacity": 1,
    "className": "offline-outline",
}
#: A place name starts with a dot at the place itself (the label's anchor), the text to its right.
OFFLINE_CSS = (
    ".place-label{font:12px/1.2 sans-serif;color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap}"
    ".place-label::before{content:'';display:inline-block;width:5px;height:5px;margin:0 3px 1px 0;"
    "border-radius:50%;background:#444;vertical-align:middle}"
)
PLACE_LABEL_SIZE = (150, 16)
PLACE_LABEL_ANCHOR = (3, 8)


class TileErrorNotice(MacroElement):
    """A note on the map, shown while its parent tile layer fails to load tiles and gone once one loads."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var tiles = {{ this._parent.get_name() }};
            var notice = null;
            tiles.on("tileerror", function () {
                if (notice) { return; }
                notice = L.control({position: "bottomleft"});
                notice.onAdd = function () {
                    var box = L.DomUtil.create("div", "tile-error-notice leaflet-bar");
                    box.setAttribute("role", "status");
                    box.textContent = {{ this.message|tojson }};
                    return box;
                };
                notice.addTo({{ this._parent._parent.get_name() }});
            });
            tiles.on("tileload", function () {
                if (notice) { notice.remove(); notice = null; }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, message: str = TILE_ERROR_MESSAGE):
        super().__init__()
        self._name = "TileErrorNotice"
        self.message = message


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
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """Return the escaped copy of a layer that the map draws.

    Every feature gets a ``_key``, a ``title`` (its id or position when it has none), its shown ``kind``
    and ``standing`` (``geo.model.claims``), its ``grade`` (``""`` if none), ``place``: its precision and
    placement in words, and ``_answers``: the ids of the features linked to it (a claim's denials, a
    denial's claims). Features without geometry are left out.

    Parameters
    ----------
    layer : Layer
        The layer the collection belongs to.
    collection : dict
        A FeatureCollection as read from disk or imported.
    keep : callable, optional
        A filter: features for which it returns False are left out (keys keep their positions).

    Returns
    -------
    dict
        A FeatureCollection safe to hand to Folium, with drawable features only.
    """
    features = []
    for index, feature in enumerate(collection.get("features", [])):
        if not feature.get("geometry") or (keep is not None and not keep(feature)):
            continue
        properties = dict(feature.get("properties") or {})
        name = properties.get("id", feature.get("id", index))
        properties[KEY_FIELD] = feature_key(layer.id, index)
        properties["title"] = properties.get("title") or f"{layer.title}: feature {name}"
        properties.update(kind=shown_kind(feature), standing=shown_standing(feature))
        properties.update(
            grade=grade(properties) or str(properties.get("grade") or ""), place=precision_words(properties)
        )
        properties[ANSWERS_FIELD] = ANSWERS_SEPARATOR.join([*denial_ids(properties), *answered_ids(properties)])
        # A top-level id makes Folium key its styles on ``feature.id``; otherwise it pastes the first
        # property NAME with unique values into its script (``feature.properties.<name>``), unescaped.
        features.append(
            {"type": "Feature", "id": properties[KEY_FIELD], "geometry": feature["geometry"], "properties": properties}
        )
    return escape_feature_collection({"type": "FeatureCollection", "features": features})


def safe_style(style: Any) -> dict[str, Any]:
    """Return the Leaflet options of a layer style that are safe to paste into the map's script.

    Folium writes style values into JavaScript as JSON without escaping ``</script>``, so only
    numbers, booleans, ``None`` and plain CSS words (colours, dash patterns) are kept.
    """
    if not isinstance(style, dict):
        return {}
    return {
        key: value
        for key, value in style.items()
        if isinstance(key, str) and SAFE_STYLE_KEY.fullmatch(key) and _safe_style_value(value)
    }


def _safe_style_value(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float):
        return True
    return isinstance(value, str) and SAFE_STYLE_VALUE.fullmatch(value) is not None


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


def add_layer(
    fmap: folium.Map,
    layer: Layer,
    collection: dict[str, Any],
    selection: Selection | None = None,
    offsets: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Add one escaped layer: standing styles, kind markers, a hover tooltip and click highlighting.

    Parameters
    ----------
    fmap : folium.Map
        The map.
    layer : Layer
        The layer (its catalog style and CSS class).
    collection : dict
        Its display form (``display_collection``).
    selection : Selection, optional
        What is selected: drawn heavier, with a glow.
    offsets : dict, optional
        Pixel offsets of stacked point markers by ``_key`` (``geo.render.arrange.stacked_offsets``).
    """
    if not collection["features"]:
        return
    layer_style = safe_style(layer.style)
    css_class = layer_class(layer.id)
    selection = selection or Selection()
    offsets = offsets or {}

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        properties = feature["properties"]
        geometry_type = feature["geometry"]["type"]
        role = selection.role(properties[KEY_FIELD])
        classes = path_classes(css_class, properties, "Polygon" in geometry_type) + (f" cm-{role}" if role else "")
        if geometry_type in POINT_TYPES:
            return icon_options(
                properties["kind"],
                properties["standing"],
                is_inferred(properties),
                classes,
                offsets.get(properties[KEY_FIELD], (0, 0)),
            )
        drawn = {**feature_style(feature, layer_style), "className": classes}
        return {**drawn, "weight": drawn["weight"] + SELECTED_WEIGHT} if role else drawn

    folium.GeoJson(
        collection,
        name=str(escape_text(layer.title)),
        style_function=style,
        highlight_function=lambda feature: {"weight": 6, "fillOpacity": 0.45},
        marker=folium.Marker(icon=folium.DivIcon(class_name="cm-point")),
        on_each_feature=ENTER_CLICKS_MARKER,
        tooltip=folium.GeoJsonTooltip(
            fields=list(TOOLTIP_FIELDS), aliases=list(TOOLTIP_ALIASES), sticky=True, style=TOOLTIP_STYLE
        ),
    ).add_to(fmap)
    overlays.add_badges(fmap, collection)


def add_offline_basemap(
    fmap: folium.Map, outlines: dict[str, Any], places: Iterable[dict[str, Any]], credit: str = ""
) -> None:
    """Draw country outlines and place names from the case folder in place of tiles, credited with ``credit``.

    Parameters
    ----------
    fmap : folium.Map
        The map to draw on.
    outlines : dict
        A FeatureCollection of country outlines.
    places : iterable of dict
        Places with ``name``, ``lat`` and ``lon``.
    credit : str
        Plain text naming where outlines and places come from (escaped here); no attribution if empty.
    """
    folium.GeoJson(
        outlines,
        name="Offline basemap",
        style_function=lambda feature: dict(OFFLINE_OUTLINE_STYLE),
        interactive=False,
        control=False,
        attribution=str(escape_text(credit)) or None,
    ).add_to(fmap)
    for place in places:
        label = folium.DivIcon(
            html=f'<div class="place-label">{escape_text(place["name"])}</div>',
            icon_size=PLACE_LABEL_SIZE,
            icon_anchor=PLACE_LABEL_ANCHOR,
        )
        folium.Marker([place["lat"], place["lon"]], icon=label, interactive=False).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{OFFLINE_CSS}</style>"))


def add_tiles(fmap: folium.Map, basemap: str) -> folium.TileLayer:
    """Add a tile basemap that says so on the map when its tiles fail; the layers draw either way."""
    tiles = folium.TileLayer(**TILES[basemap], name=basemap, control=False)
    tiles.add_child(TileErrorNotice())
    tiles.add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{TILE_CSS}</style>"))
    return tiles


def build_map(
    layers: Sequence[tuple[Layer, dict[str, Any]]],
    case: dict[str, Any],
    basemap: str = BASEMAPS[0],
    offline: tuple[dict[str, Any], list[dict[str, Any]], str] | None = None,
    leaflet_url: str | None = LEAFLET_URL,
    selected: str | None = None,
    legend: bool = True,
) -> folium.Map:
    """Build the map of the visible layers, with their legend, the doubt about each place and the selection.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
        The visible layers, already in display form (see ``display_collection``).
    case : dict
        The case from the catalog (``center``, ``zoom``).
    basemap : str
        One of ``BASEMAPS``.
    offline : tuple, optional
        Country outlines, places and their credit for the offline basemap (see ``add_offline_basemap``).
    leaflet_url : str or None
        Where the browser finds ``leaflet.js`` and ``leaflet.css``; ``None`` puts Leaflet inside the page
        (the standalone export, or an install whose static folder cannot be written).
    selected : str, optional
        The ``id`` of the chosen feature: it and the features that answer it (or that it answers) are
        highlighted, and a dashed connector runs from each answering denial's place to the claim.
    legend : bool
        Put the legend on the map (the standalone export shows it beside the map instead).

    Returns
    -------
    folium.Map
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    fmap = folium.Map(location=case["center"], zoom_start=case["zoom"], tiles=None, control_scale=True)
    if leaflet_url is None:
        assets.inline_leaflet(fmap)
    else:
        use_local_leaflet(fmap, leaflet_url)
    css = f"{MAP_CSS}{BASEMAP_CSS}{fill_css()}{LEGEND_CSS}"
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>"))
    fmap.add_child(PatternDefs())
    if basemap in TILES:
        add_tiles(fmap, basemap)
    elif offline is not None:
        add_offline_basemap(fmap, *offline)
    ordered = draw_order(layers)
    features = [feature for _, collection in ordered for feature in collection["features"]]
    overlays.add_doubt(fmap, features)
    selection = select(features, selected)
    offsets = stacked_offsets(features)
    for layer, collection in ordered:
        add_layer(fmap, layer, collection, selection, offsets)
    overlays.add_connectors(fmap, selection)
    if features and legend:
        fmap.add_child(LegendControl(features))
    return fmap
