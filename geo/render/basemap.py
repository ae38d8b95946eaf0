"""The map's basemaps: OpenStreetMap tiles that say when they fail, or the offline basemap drawn from the case.

The offline basemap (``python -m geo build`` writes it, see ``geo.derive.offline``) fills the countries without
a stroke, draws only the borders they share, fades out toward the edge of the region it was cut to, names the
countries, and names the places with labels that give way where they would collide (``geo.render.labels``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import xyzservices.providers as xyz
from branca.element import MacroElement
from jinja2 import Template

from geo.render.escape import Html, escape_text
from geo.render.i18n import N_
from geo.render.i18n import gettext as _
from geo.render.labels import Label, min_zooms

#: Providers as objects: Folium looks a provider's name up among all of xyzservices' (8 ms on every run).
TILES = {
    "OpenStreetMap": xyz.OpenStreetMap.Mapnik,
    "Light (CartoDB Positron)": xyz.CartoDB.Positron,
}
OFFLINE = "Offline (no tiles)"
#: Shown on the map while tiles fail to load (no internet, blocked host): the layers draw regardless.
TILE_ERROR_MESSAGE = N_(
    "Map tiles could not be loaded; the claims still draw. Without internet, choose "
    "\u201cOffline (no tiles)\u201d under Basemap for outlines and place names."
)
#: Tile basemaps: the note shown while tiles fail.
TILE_CSS = (
    ".tile-error-notice{background:rgba(255,255,255,.92);padding:3px 7px;max-width:260px;"
    "font:11px/1.3 sans-serif;color:#333}"
)
#: Beyond the countries of the case (sea, and land the case does not map): the map's background.
OUTSIDE_COLOUR = "#e4e8ea"
#: Country fills: no stroke, so the cut at the region's edge draws no line (CSS class ``offline-outline``).
COUNTRY_STYLE = {"stroke": False, "fillColor": "#f4f1ea", "fillOpacity": 1, "className": "offline-outline"}
#: Borders between two countries of the case.
BORDER_STYLE = {"color": "#9b948a", "weight": 1, "opacity": 1, "fill": False, "className": "offline-border"}
#: The basemap sits in its own panes, whenever it is added: its shapes above tiles (200) and under the claims
#: (``overlayPane``, 400); country names under the claims, place names over the claim shapes but under
#: the claim markers (``markerPane`` is at 600); neither catches the pointer.
SHAPE_PANE = ("cm-basemap", 250)
COUNTRY_PANE = ("cm-country-labels", 350)
PLACE_PANE = ("cm-place-labels", 450)
#: A place name starts with a dot at the place itself (the label's anchor), the text to its right. Country
#: names are spaced capitals in grey. A label below its zoom is hidden by ``LabelZooms``.
OFFLINE_CSS = (
    ".cm-label-icon{background:none;border:none}.cm-label{white-space:nowrap;pointer-events:none}"
    ".place-label{font:12px/16px sans-serif;color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff}"
    ".place-label::before{content:'';display:inline-block;width:5px;height:5px;margin:0 3px 1px 0;"
    "border-radius:50%;background:#444;vertical-align:middle}"
    ".country-label{font:600 11px/16px sans-serif;letter-spacing:.12em;text-transform:uppercase;color:#8b857c;"
    "text-align:center;text-shadow:0 0 2px #f4f1ea}"
    ".cm-label-hidden{visibility:hidden}"
)


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
        self.message = _(message)


class LabelZooms(MacroElement):
    """Hide each label (``data-min-zoom``) below its zoom, at start and after every zoom of the parent map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function show() {
                var zoom = map.getZoom();
                map.getContainer().querySelectorAll(".cm-label[data-min-zoom]").forEach(function (label) {
                    label.classList.toggle("cm-label-hidden", zoom < Number(label.getAttribute("data-min-zoom")));
                });
            }
            map.on("zoomend", show);
            map.whenReady(show);
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "LabelZooms"


def add_tiles(fmap: folium.Map, basemap: str) -> folium.TileLayer:
    """Add a tile basemap that says so on the map when its tiles fail; the layers draw either way."""
    tiles = folium.TileLayer(TILES[basemap], name=basemap, control=False)
    tiles.add_child(TileErrorNotice())
    tiles.add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{TILE_CSS}</style>"))
    return tiles


def parts(collection: Mapping[str, Any], part: str) -> list[dict[str, Any]]:
    """Return the features of the offline basemap that are ``part`` (``country``, ``border``, ``label``, ``place``).

    Features without a ``part`` are countries (an offline basemap built before borders and labels).
    """
    return [
        feature
        for feature in collection.get("features", [])
        if (feature.get("properties") or {}).get("part", "country") == part
    ]


def country_labels(collection: Mapping[str, Any], field: str = "name") -> list[dict[str, Any]]:
    """Return the country names of the offline basemap, ``{"name", "lat", "lon"}``, in ``field`` (``name_de``...)."""
    labels = []
    for feature in parts(collection, "label"):
        lon, lat = feature["geometry"]["coordinates"]
        labels.append(
            {"name": str(feature["properties"].get(field) or feature["properties"]["name"]), "lat": lat, "lon": lon}
        )
    return labels


def place_rank(place: Mapping[str, Any], ranks: Mapping[str, Mapping[str, Any]], position: int) -> tuple:
    """Return a place's rank key: capitals first, then by population (largest first), then in the order given."""
    known = {**ranks.get(str(place["name"]), {}), **place}
    capital = bool(known.get("capital"))
    population = known.get("population") or 0
    return (0 if capital else 2, -population if isinstance(population, int | float) else 0, position)


def map_labels(
    collection: Mapping[str, Any], places: Iterable[Mapping[str, Any]], countries: Iterable[Mapping[str, Any]]
) -> list[Label]:
    """Return the labels of the offline basemap: country names and place names, ranked for collisions.

    Capitals come first, then the country names, then the other places by population and in the order given.
    A place's ``capital`` and ``population`` come from the place itself, else from the basemap's ``place``
    features of the same name.
    """
    ranks = {str(feature["properties"]["name"]): feature["properties"] for feature in parts(collection, "place")}
    labels = [
        Label(str(place["name"]), float(place["lat"]), float(place["lon"]), "place", place_rank(place, ranks, index))
        for index, place in enumerate(places)
    ]
    labels += [
        Label(str(country["name"]), float(country["lat"]), float(country["lon"]), "country", (1, 0, index))
        for index, country in enumerate(countries)
    ]
    return labels


def add_offline_basemap(
    fmap: folium.Map,
    outlines: Mapping[str, Any],
    places: Iterable[Mapping[str, Any]],
    credit: str = "",
    borders: Mapping[str, Any] | None = None,
    labels: Iterable[Mapping[str, Any]] | None = None,
) -> list[Label]:
    """Draw the case's countries, borders and names in place of tiles, credited with ``credit``.

    Parameters
    ----------
    fmap : folium.Map
        The map to draw on.
    outlines : dict
        The offline basemap (``data/base/offline.geojson``): its ``country`` features are filled without a
        stroke, its ``border`` features stroked, and its ``fade`` features (land near the edge of the region
        the countries were cut to) filled with the outside colour at their ``opacity``, so the cut fades out.
    places : iterable of dict
        Places with ``name``, ``lat``, ``lon`` and optionally ``capital`` and ``population`` (else taken from
        the basemap's ``place`` features of that name), which rank their labels.
    credit : str
        Plain text naming where outlines and places come from (escaped here); no attribution if empty.
    borders : dict, optional
        A FeatureCollection of the borders between countries; the basemap's ``border`` features if not given.
    labels : iterable of dict, optional
        Country names with ``name``, ``lat``, ``lon``; the basemap's ``label`` features (English) if not given.

    Returns
    -------
    list of Label
        The labels drawn, each shown from the zoom ``geo.render.labels.min_zooms`` gives it.
    """
    for name, z_index in (SHAPE_PANE, COUNTRY_PANE, PLACE_PANE):
        fmap.add_child(folium.map.CustomPane(name, z_index=z_index, pointer_events=False))
    countries = {"type": "FeatureCollection", "features": parts(outlines, "country")}
    lines = borders if borders is not None else {"type": "FeatureCollection", "features": parts(outlines, "border")}
    _add_shapes(fmap, countries, lambda feature: dict(COUNTRY_STYLE), str(escape_text(credit)) or None)
    _add_shapes(fmap, lines, lambda feature: dict(BORDER_STYLE))
    _add_shapes(fmap, {"type": "FeatureCollection", "features": parts(outlines, "fade")}, _fade_style)
    drawn = map_labels(outlines, places, country_labels(outlines) if labels is None else labels)
    add_labels(fmap, drawn)
    css = f"#{fmap.get_name()}.leaflet-container{{background:{OUTSIDE_COLOUR}}}{OFFLINE_CSS}"
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>"))
    return drawn


def _fade_style(feature: dict[str, Any]) -> dict[str, Any]:
    opacity = feature["properties"]["opacity"]
    return {"stroke": False, "fillColor": OUTSIDE_COLOUR, "fillOpacity": opacity, "className": "offline-fade"}


def _add_shapes(fmap: folium.Map, collection: Mapping[str, Any], style: Any, attribution: str | None = None) -> None:
    if collection.get("features"):
        folium.GeoJson(
            dict(collection),
            style_function=style,
            interactive=False,
            control=False,
            attribution=attribution,
            pane=SHAPE_PANE[0],
        ).add_to(fmap)


def add_labels(fmap: folium.Map, labels: Sequence[Label]) -> None:
    """Draw labels that are out of the tab order and hidden from screen readers, each shown from its zoom on.

    The map must have the panes ``COUNTRY_PANE`` and ``PLACE_PANE`` (``add_offline_basemap`` adds them).
    """
    for label, min_zoom in zip(labels, min_zooms(labels), strict=True):
        width, height = label.size
        html = Html('<div class="cm-label {}-label" data-min-zoom="{}" aria-hidden="true">{}</div>').format(
            label.kind, min_zoom, label.text
        )
        icon = folium.DivIcon(
            html=str(html), icon_size=(width, height), icon_anchor=label.anchor, class_name="cm-label-icon"
        )
        pane = COUNTRY_PANE[0] if label.kind == "country" else PLACE_PANE[0]
        folium.Marker([label.lat, label.lon], icon=icon, interactive=False, keyboard=False, pane=pane).add_to(fmap)
    fmap.add_child(LabelZooms())
