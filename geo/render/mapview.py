"""Draw claim layers on a Folium map whose scripts come from this server, not from a CDN."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.model.claims import answered_ids, denial_ids, grade, shown_kind, shown_standing
from geo.model.layers import Layer
from geo.render import assets
from geo.render.arrange import ANSWERS_FIELD, ANSWERS_SEPARATOR, KEY_FIELD
from geo.render.escape import escape_feature_collection, escape_text
from geo.render.group import CELL_CSS, draw_claims
from geo.render.legend import LEGEND_CSS
from geo.render.patterns import PatternDefs, fill_css
from geo.render.uncertainty import precision_words

#: Where Streamlit serves the Leaflet files copied from the ``xstatic-leaflet`` package.
LEAFLET_URL = "/app/static/vendor/leaflet"
TILES = {
    "OpenStreetMap": {"tiles": "OpenStreetMap"},
    "Light (CartoDB Positron)": {"tiles": "CartoDB positron"},
}
OFFLINE = "Offline (no tiles)"
#: What of a feature's own properties the map carries: what styles, places and links it (the panel shows the rest).
DISPLAY_FIELDS = ("id", "title", "placement", "precision", "uncertainty_km")
#: Pixels kept free around the data when the map opens fitted to it.
FIT_PADDING = (24, 24)
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
BASEMAPS = (*TILES, OFFLINE)
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
    positions: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Return the escaped copy of a layer that the map draws, with only what the map needs of each feature.

    Every feature gets a ``_key``, a ``title`` (its id or position when it has none), its shown ``kind``
    and ``standing`` (``geo.model.claims``), its ``grade`` (``""`` if none), ``place``: its precision and
    placement in words, and ``_answers``: the ids of the features linked to it (a claim's denials, a
    denial's claims). Of its own properties only ``DISPLAY_FIELDS`` travel: the panel, not the map, shows
    the rest. Features without geometry are left out.

    Parameters
    ----------
    layer : Layer
        The layer the collection belongs to.
    collection : dict
        A FeatureCollection as read from disk or imported.
    keep : callable, optional
        A filter: features for which it returns False are left out (keys keep their positions).
    positions : iterable of int, optional
        Only the features at these positions (``geo.render.viewport.draw_plan``); all if not given.

    Returns
    -------
    dict
        A FeatureCollection safe to hand to Folium, with drawable features only.
    """
    every = collection.get("features", [])
    chosen = range(len(every)) if positions is None else (int(position) for position in positions)
    features = []
    for index in chosen:
        feature = every[index]
        if not feature.get("geometry") or (keep is not None and not keep(feature)):
            continue
        features.append(_display_feature(layer, index, feature))
    return escape_feature_collection({"type": "FeatureCollection", "features": features})


def _display_feature(layer: Layer, index: int, feature: dict[str, Any]) -> dict[str, Any]:
    own = feature.get("properties") or {}
    properties = {name: own[name] for name in DISPLAY_FIELDS if name in own}
    name = own.get("id", feature.get("id", index))
    properties[KEY_FIELD] = feature_key(layer.id, index)
    properties["title"] = own.get("title") or f"{layer.title}: feature {name}"
    properties.update(kind=shown_kind(feature), standing=shown_standing(feature))
    properties.update(grade=grade(own) or str(own.get("grade") or ""), place=precision_words(own))
    properties[ANSWERS_FIELD] = ANSWERS_SEPARATOR.join([*denial_ids(own), *answered_ids(own)])
    # A top-level id makes Folium key its styles on ``feature.id``; otherwise it pastes the first
    # property NAME with unique values into its script (``feature.properties.<name>``), unescaped.
    return {"type": "Feature", "id": properties[KEY_FIELD], "geometry": feature["geometry"], "properties": properties}


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


def build_base(
    case: dict[str, Any],
    basemap: str = BASEMAPS[0],
    offline: tuple[dict[str, Any], list[dict[str, Any]], str] | None = None,
    leaflet_url: str | None = LEAFLET_URL,
    bounds: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """Build the part of the map that stays while the reader works: Leaflet, styles, patterns and the basemap.

    The page builds it the same way on every run, so the browser keeps it mounted (with the reader's zoom and
    pan) and only swaps the claims group (``geo.render.group.claims_group``).

    Parameters
    ----------
    case : dict
        The case from the catalog (``center``, ``zoom``).
    basemap : str
        One of ``BASEMAPS``.
    offline : tuple, optional
        Country outlines, places and their credit for the offline basemap (see ``add_offline_basemap``).
    leaflet_url : str or None
        Where the browser finds ``leaflet.js`` and ``leaflet.css``; ``None`` puts Leaflet inside the page
        (the standalone export, or an install whose static folder cannot be written).
    bounds : tuple, optional
        West, south, east, north: the map opens fitted to them (the data); else at the case's centre and zoom.

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
    css = f"{MAP_CSS}{BASEMAP_CSS}{fill_css()}{LEGEND_CSS}{CELL_CSS}"
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>"))
    fmap.add_child(PatternDefs())
    if basemap in TILES:
        add_tiles(fmap, basemap)
    elif offline is not None:
        add_offline_basemap(fmap, *offline)
    if bounds is not None:
        west, south, east, north = (round(float(value), 4) for value in bounds)
        fmap.fit_bounds([[south, west], [north, east]], padding=FIT_PADDING)
    return fmap


def build_map(
    layers: Sequence[tuple[Layer, dict[str, Any]]],
    case: dict[str, Any],
    basemap: str = BASEMAPS[0],
    offline: tuple[dict[str, Any], list[dict[str, Any]], str] | None = None,
    leaflet_url: str | None = LEAFLET_URL,
    selected: str | None = None,
    legend: bool = True,
    bounds: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """Build the whole map in one piece: the base (``build_base``) with the claims group added.

    The standalone export and the tests use it; the page sends the base and the group apart.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
        The visible layers, already in display form (see ``display_collection``).
    case, basemap, offline, leaflet_url, bounds
        As for ``build_base``.
    selected : str, optional
        The ``id`` of the chosen feature: it and the features that answer it (or that it answers) are
        highlighted, and a dashed connector runs from each answering denial's place to the claim.
    legend : bool
        Put the legend on the map (the standalone export shows it beside the map instead).

    Returns
    -------
    folium.Map
    """
    fmap = build_base(case, basemap, offline, leaflet_url, bounds)
    draw_claims(fmap, layers, selected=selected, legend=legend)
    return fmap
