"""The map's changing part as one FeatureGroup: visible layers, selection, doubt, counts, legend and controls.

The page swaps this group into a map that stays mounted (streamlit-folium's ``feature_group_to_add``), so a
toggle, a filter or a selection redraws the claims but keeps the reader's zoom and pan. Controls cannot live in
a group (Leaflet adds them to the map), so ``ViewControls`` replaces the previous group's controls itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import folium
from babel.numbers import format_decimal
from branca.element import MacroElement
from jinja2 import Template

from geo.model.layers import Layer
from geo.model.names import slug
from geo.render import overlays
from geo.render.arrange import KEY_FIELD, POINT_TYPES, Arrangement, Selection, arrange
from geo.render.escape import escape_text
from geo.render.i18n import N_, current_locale, ngettext
from geo.render.i18n import gettext as _
from geo.render.legend import OPEN_FROM_PX, legend_for
from geo.render.patterns import PATTERN_PREFIX
from geo.render.style import SELECTED_WEIGHT, feature_style, path_classes
from geo.render.symbols import icon_options
from geo.render.uncertainty import is_inferred
from geo.render.viewport import Cell

#: The aggregate marker's size range in pixels (a count's marker grows with the logarithm of its count).
CELL_SIZE = (30, 56)
#: Zoom levels a click on a count adds: enough to split most cells apart.
CELL_ZOOM_STEP = 2
FIT_LABEL = N_("Zoom to the visible claims")
SAFE_STYLE_KEY = re.compile(r"[A-Za-z]{1,40}")
SAFE_STYLE_VALUE = re.compile(r"[#\w .,%()-]{0,60}")
TOOLTIP_FIELDS = ("title", "kind_name", "standing_name", "grade", "place")
TOOLTIP_ALIASES = (N_("Claim"), N_("Kind"), N_("Standing"), N_("Grade"), N_("Place"))
TOOLTIP_CLASS = "cm-tooltip"
#: In the base map's header: what a group's elements add to a header never reaches the page, which swaps the group
#: into a mounted map. Folium's rules for its tooltip's table, and wrapping: Leaflet's tooltips do not wrap, so a
#: claim's title and place would run past the map's edge.
TOOLTIP_CSS = (
    ".leaflet-tooltip.cm-tooltip{min-width:min(220px,60vw);max-width:min(280px,75vw);white-space:normal;"
    "font-size:13px}.cm-tooltip table{margin:auto}.cm-tooltip tr{text-align:left}"
    ".cm-tooltip th{padding:2px;padding-right:8px}"
)
#: Every claim shape and marker gets its title as its accessible name, joins the tab order, and is selected by
#: Enter or Space as by a click; context (borders, countries) leaves the tab order. Titles arrive HTML-escaped:
#: DOMParser turns them back into text (it runs nothing).
KEYBOARD_AND_NAMES = folium.JsCode(
    "function (feature, layer) { var own = feature.properties || {}; "
    "function named() { var el = layer.getElement ? layer.getElement() : null; if (!el) { return; } "
    "if (own.kind === 'context') { el.setAttribute('tabindex', '-1'); return; } "
    "var title = new DOMParser().parseFromString(String(own.title || ''), 'text/html'); "
    "el.setAttribute('aria-label', title.documentElement.textContent); el.setAttribute('role', 'button'); "
    "el.setAttribute('tabindex', '0'); if (el.cmKeys) { return; } el.cmKeys = true; "
    "el.addEventListener('keydown', function (e) { if (e.key !== 'Enter' && e.key !== ' ') { return; } "
    "e.preventDefault(); var at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter(); "
    "layer.fire('click', {latlng: at, originalEvent: e}, true); }); } "
    "layer.on('add', named); if (layer._map) { named(); } }"
)
CELL_CSS = (
    ".cm-cell{background:none;border:none}"
    ".cm-cell div{display:flex;align-items:center;justify-content:center;width:100%;height:100%;"
    "border-radius:50%;background:rgba(40,40,40,.78);color:#fff;font:600 12px/1 sans-serif;"
    "border:2px solid #fff;box-shadow:0 0 0 1px #333;cursor:pointer}"
    ".cm-cell:focus-visible div{outline:3px solid #ffd400}"
    ".cm-fit a{font:18px/30px sans-serif;text-align:center;cursor:pointer}"
)


class ViewControls(MacroElement):
    """The legend of what is drawn and a "zoom to the visible claims" button, replacing the last group's own."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            {% set in_group = this.is_in_group() %}
            var map = {{ (this._parent._parent if in_group else this._parent).get_name() }};
            (window.cmControls || []).forEach(function (control) { control.remove(); });
            window.cmControls = [];
            {% if in_group %}
            var group = {{ this._parent.get_name() }};
            var fit = L.control({position: "topleft"});
            fit.onAdd = function () {
                var bar = L.DomUtil.create("div", "cm-fit leaflet-bar");
                var button = L.DomUtil.create("a", "", bar);
                button.href = "#";
                button.setAttribute("role", "button");
                button.title = {{ this.fit_label|tojson }};
                button.setAttribute("aria-label", {{ this.fit_label|tojson }});
                button.textContent = "\u2922";
                L.DomEvent.on(button, "click", function (event) {
                    L.DomEvent.stop(event);
                    var bounds = group.getBounds();
                    if (bounds.isValid()) { map.fitBounds(bounds, {padding: [24, 24], maxZoom: 12}); }
                });
                return bar;
            };
            fit.addTo(map);
            window.cmControls.push(fit);
            {% endif %}
            {% if this.legend_html %}
            var legend = L.control({position: "topright"});
            legend.onAdd = function (map) {
                var box = L.DomUtil.create("div", "cm-legend-control leaflet-bar");
                box.innerHTML = {{ this.legend_html|tojson }};
                if (map.getSize().x < {{ this.open_from_px }}) { box.firstChild.removeAttribute("open"); }
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            legend.addTo(map);
            window.cmControls.push(legend);
            {% endif %}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, features: Sequence[dict[str, Any]], legend: bool = True, fit_label: str = FIT_LABEL):
        super().__init__()
        self._name = "ViewControls"
        self.fit_label = str(escape_text(_(fit_label)))
        self.open_from_px = OPEN_FROM_PX
        self.legend_html = str(legend_for(features, prefix=PATTERN_PREFIX)) if features and legend else ""

    def is_in_group(self) -> bool:
        """True if the controls sit in the claims group (the page), not on a map drawn whole (the export)."""
        return isinstance(self._parent, folium.FeatureGroup)


#: A click on a count zooms in on it; Enter does the same from the keyboard.
ZOOM_INTO_CELL = folium.JsCode(
    "function (feature, layer) { "
    "function zoomIn(e) { var map = layer._map; if (!map) { return; } "
    f"map.setView(layer.getLatLng(), map.getZoom() + {CELL_ZOOM_STEP}); }} "
    "layer.on('click', zoomIn); "
    "layer.on('keypress', function (e) { if (e.originalEvent.keyCode === 13) { zoomIn(e); } }); }"
)


def cell_icon(count: int, biggest: int) -> dict[str, Any]:
    """Return ``DivIcon`` options of one count: a dark disc sized by the count, saying how many and what to do."""
    low, high = CELL_SIZE
    size = low + round((high - low) * math.log1p(count) / math.log1p(max(biggest, 1)))
    label = ngettext("{count} claim here: zoom in to see it", "{count} claims here: zoom in to see them", count)
    label = label.format(count=format_decimal(count, locale=current_locale()))
    return {
        "html": f'<div role="button" aria-label="{escape_text(label)}" title="{escape_text(label)}">'
        f"{format_decimal(count, locale=current_locale())}</div>",
        "iconSize": [size, size],
        "iconAnchor": [size // 2, size // 2],
        "className": "cm-cell",
    }


def add_cells(parent: folium.FeatureGroup, cells: Sequence[Cell]) -> None:
    """Draw the counts of features too many to draw one by one; a click zooms in on a count."""
    if not cells:
        return
    biggest = max(cell.count for cell in cells)
    features = [
        {
            "type": "Feature",
            "id": f"cell-{index}",
            "geometry": {"type": "Point", "coordinates": [round(cell.lon, 5), round(cell.lat, 5)]},
            "properties": {"count": cell.count},
        }
        for index, cell in enumerate(cells)
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Counts",
        style_function=lambda feature: cell_icon(feature["properties"]["count"], biggest),
        marker=folium.Marker(icon=folium.DivIcon(class_name="cm-cell")),
        on_each_feature=ZOOM_INTO_CELL,
        control=False,
    ).add_to(parent)


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


def add_layer(
    parent: folium.Map | folium.FeatureGroup,
    layer: Layer,
    collection: dict[str, Any],
    selection: Selection | None = None,
    offsets: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Add one escaped layer: standing styles, kind markers, a hover tooltip and click highlighting.

    Parameters
    ----------
    parent : folium.Map or folium.FeatureGroup
        Where the layer goes: the claims group, or a map.
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
        on_each_feature=KEYBOARD_AND_NAMES,
        tooltip=folium.GeoJsonTooltip(
            fields=list(TOOLTIP_FIELDS),
            aliases=[str(escape_text(_(alias))) for alias in TOOLTIP_ALIASES],
            sticky=True,
            class_name=TOOLTIP_CLASS,
        ),
    ).add_to(parent)
    overlays.add_badges(parent, collection)


def add_view_marks(
    parent: folium.Map | folium.FeatureGroup, arranged: Arrangement, cells: Sequence[Cell] = (), legend: bool = True
) -> None:
    """Draw what belongs to the view as a whole, over its layers: connectors, counts, legend and controls."""
    overlays.add_connectors(parent, arranged.selection)
    add_cells(parent, cells)
    parent.add_child(ViewControls(arranged.features, legend=legend))


@dataclass(frozen=True)
class Part:
    """One part of a view's drawing, in draw order.

    Attributes
    ----------
    kind : str
        ``doubt`` (a layer's doubt), ``layer`` (a layer) or ``view`` (the view's own marks).
    layer : Layer or None
        The layer drawn; ``None`` for the view's own marks.
    draw : callable
        Adds the part to a map or group.
    marks : tuple
        What of the view a layer's drawing depends on beyond the layer (``Arrangement.marks_of``).
    """

    kind: str
    layer: Layer | None
    draw: Callable[[folium.Map | folium.FeatureGroup], None]
    marks: tuple = ()


def parts(
    arranged: Arrangement, cells: Sequence[Cell] = (), legend: bool = True, view: tuple[int, float] | None = None
) -> list[Part]:
    """Return a view's drawing as parts: each layer's doubt, then each layer, then the view's own marks.

    ``draw_claims`` draws them in turn; the page renders each on its own and keeps the layers' parts
    (``geo.app.groupscript``).
    """
    doubts = [
        Part("doubt", layer, partial(overlays.add_doubt, features=collection["features"], view=view))
        for layer, collection in arranged.layers
    ]
    layers = [
        Part(
            "layer",
            layer,
            partial(
                add_layer, layer=layer, collection=collection, selection=arranged.selection, offsets=arranged.offsets
            ),
            arranged.marks_of(collection),
        )
        for layer, collection in arranged.layers
    ]
    own = Part("view", None, partial(add_view_marks, arranged=arranged, cells=cells, legend=legend))
    return [*doubts, *layers, own]


def draw_claims(
    parent: folium.Map | folium.FeatureGroup,
    layers: Sequence[tuple[Layer, dict[str, Any]]],
    cells: Sequence[Cell] = (),
    selected: str | None = None,
    legend: bool = True,
    view: tuple[int, float] | None = None,
) -> None:
    """Draw everything that changes with the view on ``parent``: doubt, layers, selection, counts, controls.

    Parameters
    ----------
    parent : folium.Map or folium.FeatureGroup
        The claims group the page swaps in, or a map drawn whole (the standalone export: its layer control
        lists each layer only when the layers sit on the map itself).
    layers : sequence of (Layer, FeatureCollection)
        The visible layers in display form (``geo.render.mapview.display_collection``).
    cells : sequence of Cell
        Counts drawn where too many features are in view (``geo.render.viewport.draw_plan``).
    selected : str, optional
        The ``id`` of the chosen feature: it and its answers are lit and connected.
    legend : bool
        Put the legend on the map.
    view : tuple, optional
        The map's zoom and latitude: the doubt drawn around places is weighed for them.
    """
    for part in parts(arrange(layers, selected), cells, legend, view):
        part.draw(parent)


def claims_group(
    layers: Sequence[tuple[Layer, dict[str, Any]]],
    cells: Sequence[Cell] = (),
    selected: str | None = None,
    legend: bool = True,
    view: tuple[int, float] | None = None,
) -> folium.FeatureGroup:
    """Return the group the page swaps into the mounted map (``draw_claims`` on a new ``FeatureGroup``).

    Not yet added to a map: add it, or hand it to ``st_folium(feature_group_to_add=...)``.
    """
    group = folium.FeatureGroup(name="Claims", control=False)
    draw_claims(group, layers, cells, selected, legend, view)
    return group
