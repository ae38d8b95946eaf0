"""The standalone HTML map: Leaflet inlined, a claim panel per shape, the case, legend and sources beside it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import folium
import shapely
from shapely.geometry import shape

from geo.model.claims import unsourced_reasons
from geo.model.layers import Layer, LayerData
from geo.render import basemap, mapview, panel
from geo.render.escape import Html, escape_text
from geo.render.legend import LEGEND_CSS, legend_for
from geo.store.case import offline_basemap

if TYPE_CHECKING:
    from geo.export.request import Request

#: The closest the standalone map zooms to fit its features (a single point would otherwise zoom without end).
FIT_MAX_ZOOM = 10
#: Pixels kept free around the features when the map opens fitted to them (marker symbols reach past their point).
FIT_PADDING = (24, 24)
#: Narrower than this, the page stacks the map over the panel and the layer control opens folded.
NARROW_PX = 700
#: Leaflet reads ``collapsed`` once, when the control is added: folded on a narrow screen, open on a wide one.
COLLAPSED_WHEN_NARROW = folium.JsCode(f"window.matchMedia('(max-width: {NARROW_PX}px)').matches")
#: Room a popup keeps from the top left of the map (Leaflet pans the map for it): below the zoom and layer controls.
POPUP_CLEAR_OF_CONTROLS = (5, 80)
#: The property that carries a feature's escaped claim panel in the standalone HTML map.
POPUP_FIELD = "_popup"
#: The standalone map's layout: the map fills the page beside a panel with the case, legend and sources.
HTML_CSS = Html(
    "<style>"
    "body{display:flex}.folium-map{flex:1 1 auto;min-width:0}"
    ".claim-map-aside{order:2;flex:0 0 360px;overflow:auto;padding:12px 16px;border-left:1px solid #ccc;"
    "font:14px/1.45 sans-serif;box-sizing:border-box;height:100%}"
    ".claim-map-aside h1{font-size:1.25em;margin:0 0 .4em}.claim-map-aside h2{font-size:1.05em;margin:1em 0 .3em}"
    ".claim-map-aside .export-note{color:#555;font-size:.9em}"
    ".leaflet-popup-content .claim-panel{font-size:13px}.leaflet-popup-content td{padding:0}"
    ".leaflet-popup-content{max-width:calc(100vw - 60px)!important;overflow-wrap:anywhere}"
    ".leaflet-tooltip,.leaflet-tooltip>div{max-width:calc(100vw - 40px)!important;min-width:0!important;"
    "box-sizing:border-box;white-space:normal}"
    f"@media (max-width:{NARROW_PX}px){{body{{flex-direction:column}}"
    ".claim-map-aside{flex:0 0 40%;border-left:0}"
    ".leaflet-popup-content{max-height:calc(50vh - 100px)!important;overflow-y:auto}}"
    "</style>"
)


def claim_panel(feature: dict[str, Any], request: Request, titles: dict[str, str]) -> str:
    """Return a feature's escaped claim panel, as the standalone map's popups and KML descriptions show it."""
    properties = feature.get("properties") or {}
    return str(panel.claim_panel(properties, request.sources, titles, unsourced_reasons(feature)))


def popup_collection(layer: Layer, collection: dict[str, Any], request: Request) -> dict[str, Any]:
    """Return a layer's escaped display form with each feature's escaped claim panel in ``POPUP_FIELD``."""
    drawable = [feature for feature in collection.get("features", []) if mapview.is_drawn(feature)]
    shown = mapview.display_collection(layer, {"type": "FeatureCollection", "features": drawable})
    titles = request.titles()
    for feature, original in zip(shown["features"], drawable, strict=True):
        feature["properties"][POPUP_FIELD] = claim_panel(original, request, titles)
    return shown


def add_popups(fmap: folium.Map) -> None:
    """Bind a click popup showing ``POPUP_FIELD`` (already escaped HTML) to every claim layer of the map."""
    groups = [child for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)]
    for child in [item for parent in (fmap, *groups) for item in list(parent._children.values())]:
        features = child.data.get("features") if isinstance(child, folium.GeoJson) else None
        if features and POPUP_FIELD in features[0]["properties"]:
            popup = folium.GeoJsonPopup(
                fields=[POPUP_FIELD],
                labels=False,
                localize=False,
                max_width=380,
                max_height=360,
                autoPanPaddingTopLeft=POPUP_CLEAR_OF_CONTROLS,
            )
            popup.add_to(child)


def fit(fmap: folium.Map, shown: Sequence[LayerData]) -> None:
    """Zoom the map to the exported features, if there are any."""
    shapes = [shape(feature["geometry"]) for _, collection in shown for feature in collection["features"]]
    if shapes:
        west, south, east, north = shapely.total_bounds(shapes)
        fmap.fit_bounds([[south, west], [north, east]], padding=FIT_PADDING, max_zoom=FIT_MAX_ZOOM)


def aside(request: Request, shown: Sequence[LayerData]) -> Html:
    """Return the side panel of the standalone map: case, what was exported, legend, unplaced features, sources."""
    drawn = [feature for _, collection in shown for feature in collection["features"]]
    unplaced = [
        feature for _, collection in request.layers for feature in collection["features"] if not feature.get("geometry")
    ]
    count = len(drawn) + len(unplaced)
    layers = f"{len(shown)} layer" + ("" if len(shown) == 1 else "s")
    note = f"Exported {request.day} ({request.scope}): {count} features in {layers}. Click a shape for its source."
    return Html(
        '<aside class="claim-map-aside"><h1>{}</h1><p>{}</p><p class="export-note">{}</p>'
        "<h2>Legend</h2>{}{}<h2>Sources</h2>{}</aside>"
    ).format(
        escape_text(request.case.get("title")),
        escape_text(request.case.get("summary")),
        note,
        legend_for(drawn),
        unplaced_section(unplaced, request),
        panel.sources_list(request.sources.values()),
    )


def unplaced_section(features: Sequence[dict[str, Any]], request: Request) -> Html:
    """Return the features whose source gives no place (not drawn), each with its claim panel; empty if none."""
    if not features:
        return Html("")
    titles = request.titles()
    items = Html("").join(
        Html("<details><summary>{}</summary>{}</details>").format(
            (feature.get("properties") or {}).get("title") or feature.get("id"),
            Html(claim_panel(feature, request, titles)),
        )
        for feature in features
    )
    note = "Their sources give no place, so they are not drawn on the map."
    return Html('<h2>Not on the map ({})</h2><p class="export-note">{}</p>{}').format(len(features), note, items)


def write_html(request: Request) -> bytes:
    """Return the request's layers as a standalone HTML map that opens offline, fitted to them.

    The offline basemap lies in its own panes under the claims (``geo.render.basemap``); on a screen narrower
    than ``NARROW_PX`` the layer control opens folded, and popups and tooltips never grow wider than the screen.
    """
    shown = [(layer, popup_collection(layer, collection, request)) for layer, collection in request.layers]
    fmap = mapview.build_map(shown, request.case, mapview.OFFLINE, None, leaflet_url=None, legend=False)
    basemap.add_offline_basemap(fmap, *offline_basemap(request.data_dir))
    add_popups(fmap)
    fit(fmap, shown)
    folium.LayerControl(collapsed=COLLAPSED_WHEN_NARROW).add_to(fmap)
    root = fmap.get_root()
    root.title = str(escape_text(f"Claim Map: {request.case.get('title', request.case['id'])} ({request.scope})"))
    root.header.add_child(folium.Element(str(HTML_CSS) + f"<style>{LEGEND_CSS}</style>"), name="export_css")
    root.html.add_child(folium.Element(str(aside(request, shown))), name="aside")
    return root.render().encode("utf-8")
