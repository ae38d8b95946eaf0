"""Draw claim layers on a Folium map whose scripts come from this server, not from a CDN."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from geo.model.claims import CONTEXT, answered_ids, denial_ids, grade, shown_kind, shown_standing
from geo.model.layers import Layer
from geo.render import assets
from geo.render.arrange import ANSWERS_FIELD, ANSWERS_SEPARATOR, KEY_FIELD
from geo.render.basemap import OFFLINE, TILES, add_offline_basemap, add_tiles, country_labels
from geo.render.escape import escape_feature_collection, escape_text
from geo.render.group import CELL_CSS, TOOLTIP_CSS, draw_claims
from geo.render.i18n import current_language
from geo.render.i18n import gettext as _
from geo.render.legend import LEGEND_CSS
from geo.render.patterns import PatternDefs, fill_css
from geo.render.uncertainty import precision_words
from geo.render.vocabulary import short_kind_names, short_standing_names

#: Where Streamlit serves the Leaflet files copied from the ``xstatic-leaflet`` package.
LEAFLET_URL = "/app/static/vendor/leaflet"
#: What of a feature's own properties the map carries: what styles, places and links it (the panel shows the rest).
DISPLAY_FIELDS = ("id", "title", "placement", "precision", "uncertainty_km")
#: Pixels kept free around the data when the map opens fitted to it.
FIT_PADDING = (24, 24)
MAP_CSS = (
    "path.leaflet-interactive:focus{outline:none}"
    "path.leaflet-interactive:focus-visible{filter:drop-shadow(0 0 1px #000) drop-shadow(0 0 4px #ffd400);"
    "stroke-width:6px}"
    ".cm-point{background:none;border:none;pointer-events:none!important}"
    ".cm-point path.cm-mark{pointer-events:visiblePainted}"
    ".cm-point:focus-visible{outline:2px solid #000;outline-offset:2px;border-radius:50%}"
    ".cm-point.cm-selected svg,path.cm-selected{filter:drop-shadow(0 0 2px #000) drop-shadow(0 0 5px #ffd400)}"
    ".cm-point.cm-answer svg,path.cm-answer{filter:drop-shadow(0 0 2px #000) drop-shadow(0 0 4px #00e5ff)}"
    ".cm-badge{background:none;border:none}"
    ".cm-legend-control{background:#fff}"
)
BASEMAPS = (*TILES, OFFLINE)
#: Every basemap: the attribution wraps beside the scale bar instead of covering it on narrow maps.
BASEMAP_CSS = ".leaflet-control-attribution{max-width:calc(100vw - 140px);white-space:normal;line-height:1.35}"


class FrameTitle(MacroElement):
    """Names the map's frame for screen readers (Streamlit titles it after the component) and marks it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.frameElement) {
            window.frameElement.title = {{ this.title|tojson }};
            window.frameElement.setAttribute("data-claim-map", "");
        }
        {% endmacro %}
        """
    )

    def __init__(self, title: str):
        super().__init__()
        self._name = "FrameTitle"
        self.title = str(escape_text(title))


class IconPath(MacroElement):
    """Tells Leaflet where its default marker images are.

    Leaflet finds them through its stylesheet, which streamlit-folium links after the scripts: a marker made
    before the stylesheet arrives falls back to the stylesheet's folder without its slash (Leaflet 1.9), and
    asks for ``…/vendor/leafletmarker-icon.png``, which does not exist.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, path: str):
        super().__init__()
        self._name = "IconPath"
        self.path = path


def use_local_leaflet(fmap: folium.Map, base_url: str = LEAFLET_URL) -> folium.Map:
    """Point the map at a local Leaflet instead of the CDN scripts Folium loads by default."""
    fmap.default_js = [("leaflet", f"{base_url}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{base_url}/leaflet.css")]
    fmap.add_child(IconPath(f"{base_url}/images/"))
    return fmap


def feature_key(layer_id: str, index: int) -> str:
    """Return the key that ties a drawn feature back to its layer and position."""
    return f"{layer_id}/{index}"


def is_drawn(feature: dict[str, Any]) -> bool:
    """True if the map draws ``feature``: it has a geometry and is no context area.

    A context area (a country of the borders layer) would paint nothing: context has no fill, and an area
    drawn with a stroke would show where the case's region cuts a country as a border. The basemap draws the
    countries; the layer keeps them for exports and measurements.
    """
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return False
    return shown_kind(feature) != CONTEXT or "Polygon" not in str(geometry.get("type"))


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
    the rest. Features the map does not draw (see ``is_drawn``) are left out.

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
        if not is_drawn(feature) or (keep is not None and not keep(feature)):
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
    properties.update(
        kind_name=short_kind_names().get(properties["kind"], properties["kind"]),
        standing_name=short_standing_names().get(properties["standing"], properties["standing"]),
    )
    properties.update(grade=grade(own) or str(own.get("grade") or ""), place=precision_words(own))
    properties[ANSWERS_FIELD] = ANSWERS_SEPARATOR.join([*denial_ids(own), *answered_ids(own)])
    # A top-level id makes Folium key its styles on ``feature.id``; otherwise it pastes the first
    # property NAME with unique values into its script (``feature.properties.<name>``), unescaped.
    return {"type": "Feature", "id": properties[KEY_FIELD], "geometry": feature["geometry"], "properties": properties}


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
    css = f"{MAP_CSS}{BASEMAP_CSS}{fill_css()}{LEGEND_CSS}{CELL_CSS}{TOOLTIP_CSS}"
    fmap.get_root().header.add_child(folium.Element(f"<style>{css}</style>"))
    fmap.add_child(PatternDefs())
    fmap.add_child(FrameTitle(_("Map of the claims: {case}").format(case=case.get("title") or case.get("id", ""))))
    if basemap in TILES:
        add_tiles(fmap, basemap)
    elif offline is not None:
        outlines, places, credit = offline
        german = current_language() == "de"
        add_offline_basemap(
            fmap, outlines, places, credit, labels=country_labels(outlines, "name_de") if german else None
        )
    if bounds is not None:
        west, south, east, north = (round(float(value), 4) for value in bounds)
        fit = folium.FitBounds([[south, west], [north, east]], padding=FIT_PADDING)
        # Unanimated, the map's first report is already the fitted view: one rerun on opening, not two.
        fit.options["animate"] = False
        fmap.add_child(fit)
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
