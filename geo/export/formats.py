"""Export layers as GeoJSON, KML, GeoPackage, CSV or a standalone HTML map, and their sources as CSL-JSON or BibTeX."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import pyogrio
import shapely
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibTeXWriter
from shapely.geometry import shape

from geo.export import geojson as downloads
from geo.export.columns import table_collection
from geo.model.citation import format_date
from geo.model.layers import Catalog, Layer, LayerData
from geo.model.standing import unsourced_reasons
from geo.render import assets, mapview, panel
from geo.render.escape import Html, escape_text
from geo.render.style import STATUS_STYLES, legend_html
from geo.store.case import Case, offline_basemap

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

#: The columns GDAL's GeoPackage driver adds to every table: the feature id and the geometry.
GPKG_COLUMNS = ("fid", "geom")
#: The closest the standalone map zooms to fit its features (a single point would otherwise zoom without end).
FIT_MAX_ZOOM = 10
#: The property that carries a feature's escaped claim panel in the standalone HTML map.
POPUP_FIELD = "_popup"
#: Leaflet's stylesheet names its images relative to itself; the standalone map inlines them.
CSS_IMAGE = re.compile(r"url\(images/([\w.-]+\.png)\)")
#: The default marker's images (folium draws a default marker before it sets a label icon).
DEFAULT_ICON = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}
#: Google Earth's own circle icon for points (GDAL 3.12's LIBKML driver crashes on a SYMBOL without an id).
KML_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
#: The columns GDAL writes as a placemark's ``id``, ``<name>`` and ``<description>``, so that features'
#: own ``id``, ``name`` and ``description`` properties stay data (``ExtendedData``) instead of being replaced.
KML_ID, KML_NAME, KML_DESCRIPTION = "_kml_id", "_kml_name", "_kml_description"
#: A feature id that may stand as an XML id: GDAL's LIBKML driver writes the ``id`` attribute unescaped.
XML_ID = re.compile(r"[A-Za-z_][\w.-]{0,99}")
#: LIBKML wraps text in CDATA sections without splitting this sequence, which would end them early.
CDATA_END = "]]>"
#: CSL item types and the BibTeX entry types they become (anything else is ``misc``).
BIBTEX_TYPES = {
    "article-newspaper": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "book": "book",
    "report": "techreport",
    "thesis": "phdthesis",
}
#: The standalone map's layout: the map fills the page beside a panel with the case, legend and sources.
HTML_CSS = Html(
    "<style>"
    "body{display:flex}.folium-map{flex:1 1 auto;min-width:0}"
    ".claim-map-aside{order:2;flex:0 0 360px;overflow:auto;padding:12px 16px;border-left:1px solid #ccc;"
    "font:14px/1.45 sans-serif;box-sizing:border-box;height:100%}"
    ".claim-map-aside h1{font-size:1.25em;margin:0 0 .4em}.claim-map-aside h2{font-size:1.05em;margin:1em 0 .3em}"
    ".claim-map-aside .export-note{color:#555;font-size:.9em}"
    ".leaflet-popup-content .claim-panel{font-size:13px}.leaflet-popup-content td{padding:0}"
    "@media (max-width:700px){body{flex-direction:column}.claim-map-aside{flex:0 0 40%;border-left:0}}"
    "</style>"
)


@dataclass(frozen=True)
class Export:
    """One file ready to download or write: its meaningful name, its bytes and its media type."""

    file_name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class Request:
    """What one export covers: the layers (original, unescaped), the case, the sources and the scope."""

    layers: tuple[LayerData, ...]
    case: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    scope: str
    day: dt.date
    data_dir: Path | None = None

    @property
    def name(self) -> str:
        """Return the name given to a merged FeatureCollection, e.g. ``belarus-2020-08 view``."""
        return f"{self.case['id']} {self.scope}"

    def titles(self) -> dict[str, str]:
        """Return the exported features' titles by feature id (to name the claims a feature answers)."""
        catalog = Catalog(case=self.case, layers=tuple(layer for layer, _ in self.layers))
        collections = {layer.id: collection for layer, collection in self.layers}
        return Case(catalog=catalog, collections=collections, sources=self.sources).titles()

    def collection(self, layers: Sequence[LayerData] | None = None) -> dict[str, Any]:
        """Return the GeoJSON export of ``layers`` (all of the request's by default)."""
        return downloads.export_collection(self.layers if layers is None else layers, self.name)


@dataclass(frozen=True)
class Format:
    """An export format: its file extension, media type and writer."""

    extension: str
    mime: str
    write: Callable[[Request], bytes]


def export(
    layers: Sequence[LayerData],
    fmt: str,
    case: dict[str, Any],
    sources: dict[str, dict[str, Any]],
    scope: str,
    day: dt.date | None = None,
    data_dir: Path | None = None,
) -> Export:
    """Export layers, or the sources they cite, in one format.

    Parameters
    ----------
    layers : sequence of (Layer, FeatureCollection)
        The layers to export as read from disk or imported (not escaped), in order.
    fmt : str
        One of ``FORMATS``: geojson, kml, gpkg, csv, html, csl-json or bibtex.
    case : dict
        The case from the catalog (``id``, ``title``, ``summary``, ``center``, ``zoom``).
    sources : dict
        CSL-JSON items by id: the sources list of the HTML map, and all that the csl-json and bibtex
        formats export.
    scope : str
        A layer id, ``all`` or ``view``; it names the file.
    day : datetime.date, optional
        The export date in the file name; today (UTC) by default.
    data_dir : Path, optional
        Where the standalone HTML map finds its offline basemap; the app's data folder by default.

    Returns
    -------
    Export

    Raises
    ------
    ValueError
        If ``fmt`` is not a known format; the message names it and the known ones.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    chosen = FORMATS[fmt]
    request = Request(tuple(layers), case, sources, scope, day or dt.datetime.now(dt.UTC).date(), data_dir)
    name = downloads.download_name(case["id"], scope, request.day, chosen.extension)
    return Export(file_name=name, data=chosen.write(request), mime=chosen.mime)


# --- GDAL formats ------------------------------------------------------------------------


def frame(collection: dict[str, Any], reserved: Sequence[str] = ()) -> GeoDataFrame:
    """Return a FeatureCollection as a GeoDataFrame read by GDAL's GeoJSON driver, which types the columns.

    Dates stay text, as written: an ``event_date`` may be an interval, which no date column holds.
    Top-level feature ids become a column, and no two column names differ only by case or match one
    of the ``reserved`` names of the driver (see ``geo.export.columns.table_collection``).
    """
    table = table_collection(collection, reserved)
    return pyogrio.read_dataframe(downloads.to_bytes(table), DATE_AS_STRING="YES")


def write_gdal(frames: dict[str, GeoDataFrame], driver: str, extension: str, **options: Any) -> bytes:
    """Write GeoDataFrames as the layers of one GDAL dataset and return the file's bytes.

    Parameters
    ----------
    frames : dict
        Layer name to GeoDataFrame, in the order the file lists the layers.
    driver : str
        The GDAL driver: ``GPKG``, ``LIBKML``, ``CSV``.
    extension : str
        The file extension the driver expects.
    **options
        Dataset and layer creation options of the driver (e.g. ``GEOMETRY="AS_WKT"`` for CSV).

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        If there is no layer to write.
    """
    if not frames:
        raise ValueError(f"{driver}: there is no layer to export")
    with tempfile.TemporaryDirectory(prefix="claim-map-export-") as folder:
        path = Path(folder) / f"export.{extension}"
        for index, (layer_name, data) in enumerate(frames.items()):
            pyogrio.write_dataframe(data, path, layer=layer_name, driver=driver, append=index > 0, **options)
        return path.read_bytes()


def _gpkg(request: Request) -> bytes:
    frames = {
        layer.id: frame(request.collection([(layer, collection)]), GPKG_COLUMNS) for layer, collection in request.layers
    }
    return write_gdal(frames, "GPKG", "gpkg")


def _csv(request: Request) -> bytes:
    return write_gdal({"claim-map": frame(request.collection())}, "CSV", "csv", GEOMETRY="AS_WKT")


def _geojson(request: Request) -> bytes:
    return downloads.to_bytes(request.collection())


# --- KML ---------------------------------------------------------------------------------


def kml_style(properties: dict[str, Any]) -> str:
    """Return the OGR style string (pen, brush, symbol) that GDAL writes as a placemark's KML ``<Style>``."""
    stroke = _rgba(properties["stroke"], properties["stroke-opacity"])
    fill = _rgba(properties["fill"], properties["fill-opacity"])
    width = properties["stroke-width"]
    marker = _rgba(properties["marker-color"], 1)
    return f'PEN(c:{stroke},w:{width}px);BRUSH(fc:{fill});SYMBOL(id:"{KML_ICON}",c:{marker})'


def _rgba(color: str, opacity: float) -> str:
    return f"{color}{round(float(opacity) * 255):02x}"


@contextmanager
def gdal_config(options: dict[str, str]) -> Iterator[None]:
    """Set GDAL configuration options for the duration of a ``with`` block, then restore them."""
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def cdata_safe(value: Any) -> Any:
    """Return text with ``]]>`` written ``]]&gt;`` (LIBKML would end its CDATA section there); others as given."""
    return value.replace(CDATA_END, "]]&gt;") if isinstance(value, str) else value


def kml_frame(layer: Layer, collection: dict[str, Any], request: Request, titles: dict[str, str]) -> GeoDataFrame:
    """Return one layer as GDAL's LIBKML driver writes it: properties, placemark id, name, description, style."""
    exported = request.collection([(layer, collection)])
    for feature in exported["features"]:
        feature["properties"] = {key: cdata_safe(value) for key, value in feature["properties"].items()}
    properties = [feature["properties"] for feature in exported["features"]]
    data = frame(exported)
    data[KML_ID] = [_xml_id(item.get("id"), f"{layer.id}.{n}") for n, item in enumerate(properties, start=1)]
    data[KML_NAME] = [cdata_safe(str(item.get("title") or item.get("id") or layer.title)) for item in properties]
    data[KML_DESCRIPTION] = [_claim_panel(item, request, titles) for item in collection.get("features", [])]
    data["OGR_STYLE"] = [kml_style(item) for item in properties]
    return data


def _claim_panel(feature: dict[str, Any], request: Request, titles: dict[str, str]) -> str:
    properties = feature.get("properties") or {}
    return str(panel.claim_panel(properties, request.sources, titles, unsourced_reasons(feature)))


def _xml_id(value: Any, fallback: str) -> str:
    return value if isinstance(value, str) and XML_ID.fullmatch(value) else fallback


def _kml(request: Request) -> bytes:
    titles = request.titles()
    frames = {layer.id: kml_frame(layer, collection, request, titles) for layer, collection in request.layers}
    fields = {"LIBKML_ID_FIELD": KML_ID, "LIBKML_NAME_FIELD": KML_NAME, "LIBKML_DESCRIPTION_FIELD": KML_DESCRIPTION}
    with gdal_config(fields):
        return write_gdal(frames, "LIBKML", "kml")


# --- standalone HTML ---------------------------------------------------------------------


def leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images inlined as data URIs."""
    return CSS_IMAGE.sub(lambda match: f"url({image_uri(match[1])})", assets.leaflet_text("leaflet.css"))


def image_uri(name: str) -> str:
    """Return one of Leaflet's images as a ``data:`` URI."""
    image = base64.b64encode((assets.leaflet_source() / "images" / name).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{image}"


def inline_leaflet(fmap: folium.Map) -> folium.Map:
    """Replace the map's Leaflet links by Leaflet's script, stylesheet and marker images inside the page."""
    fmap.default_js, fmap.default_css = [], []
    script = assets.leaflet_text("leaflet.js").replace("</script", "<\\/script")
    icons = json.dumps({option: image_uri(name) for option, name in DEFAULT_ICON.items()})
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    header.add_child(folium.Element(f"<script>{script}</script>"), name="leaflet")
    defaults = f"<script>L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({icons});</script>"
    header.add_child(folium.Element(defaults), name="leaflet_icons")
    return fmap


def popup_collection(layer: Layer, collection: dict[str, Any], request: Request) -> dict[str, Any]:
    """Return a layer's escaped display form with each feature's escaped claim panel in ``POPUP_FIELD``."""
    drawable = [feature for feature in collection.get("features", []) if feature.get("geometry")]
    shown = mapview.display_collection(layer, {"type": "FeatureCollection", "features": drawable})
    titles = request.titles()
    for feature, original in zip(shown["features"], drawable, strict=True):
        feature["properties"][POPUP_FIELD] = _claim_panel(original, request, titles)
    return shown


def add_popups(fmap: folium.Map) -> None:
    """Bind a click popup showing ``POPUP_FIELD`` (already escaped HTML) to every claim layer of the map."""
    for child in list(fmap._children.values()):
        features = child.data.get("features") if isinstance(child, folium.GeoJson) else None
        if features and POPUP_FIELD in features[0]["properties"]:
            popup = folium.GeoJsonPopup(
                fields=[POPUP_FIELD], labels=False, localize=False, max_width=380, max_height=360
            )
            popup.add_to(child)


def fit(fmap: folium.Map, shown: Sequence[LayerData]) -> None:
    """Zoom the map to the exported features, if there are any."""
    shapes = [shape(feature["geometry"]) for _, collection in shown for feature in collection["features"]]
    if shapes:
        west, south, east, north = shapely.total_bounds(shapes)
        fmap.fit_bounds([[south, west], [north, east]], max_zoom=FIT_MAX_ZOOM)


def aside(request: Request, shown: Sequence[LayerData]) -> Html:
    """Return the side panel of the standalone map: case, what was exported, legend and sources."""
    used = {feature["properties"]["status"] for _, collection in shown for feature in collection["features"]}
    statuses = [status for status in STATUS_STYLES if status in used]
    count = sum(len(collection["features"]) for _, collection in shown)
    layers = f"{len(shown)} layer" + ("" if len(shown) == 1 else "s")
    note = f"Exported {request.day} ({request.scope}): {count} features in {layers}. Click a shape for its source."
    return Html(
        '<aside class="claim-map-aside"><h1>{}</h1><p>{}</p><p class="export-note">{}</p>'
        "<h2>Legend</h2>{}<h2>Sources</h2>{}</aside>"
    ).format(
        escape_text(request.case.get("title")),
        escape_text(request.case.get("summary")),
        note,
        legend_html(statuses),
        panel.sources_list(request.sources.values()),
    )


def _html(request: Request) -> bytes:
    shown = [(layer, popup_collection(layer, collection, request)) for layer, collection in request.layers]
    offline = offline_basemap(request.data_dir)
    fmap = inline_leaflet(mapview.build_map(shown, request.case, mapview.OFFLINE, offline))
    add_popups(fmap)
    fit(fmap, shown)
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = fmap.get_root()
    root.title = str(escape_text(f"Claim Map: {request.case.get('title', request.case['id'])} ({request.scope})"))
    root.header.add_child(folium.Element(str(HTML_CSS)), name="export_css")
    root.html.add_child(folium.Element(str(aside(request, shown))), name="aside")
    return root.render().encode("utf-8")


# --- sources -----------------------------------------------------------------------------


def _csl_json(request: Request) -> bytes:
    return json.dumps(list(request.sources.values()), ensure_ascii=False, indent=2).encode("utf-8")


class _BibTeXWriter(BibTeXWriter):
    """pybtex's BibTeX writer, but URLs and DOIs stay verbatim (LaTeX escapes would break the links).

    Braces in text are BibTeX's own syntax, which counts them even after a backslash: an unbalanced one
    (a title such as ``a {% sign``) would break the file. They are written as the LaTeX commands that print
    them.
    """

    VERBATIM = frozenset({"url", "doi"})
    BRACES = str.maketrans({"{": r"\textbraceleft{}", "}": r"\textbraceright{}"})

    def _write_field(self, stream: Any, field: str, value: str) -> None:
        if field not in self.VERBATIM:
            return super()._write_field(stream, field, value.translate(self.BRACES))
        stream.write(f",\n    {field} = {self.quote(value)}")


def bibtex_entry(item: dict[str, Any]) -> Entry:
    """Return a CSL-JSON item as a pybtex BibTeX entry.

    Parameters
    ----------
    item : dict
        A CSL-JSON item: ``type``, ``title``, ``author``, ``container-title``, ``publisher``, ``version``,
        ``issued``, ``accessed``, ``URL``, ``DOI``, ``note``.

    Returns
    -------
    pybtex.database.Entry
        ``article`` for newspaper, journal and magazine articles with a container, ``book``,
        ``techreport``, ``phdthesis``, else ``misc``; the date as ``year`` and biblatex ``date``.
    """
    kind = BIBTEX_TYPES.get(item.get("type", ""), "misc")
    if kind == "article" and not item.get("container-title"):
        kind = "misc"
    issued = format_date(item)
    fields = {
        "title": item.get("title"),
        "journal" if kind == "article" else "howpublished": item.get("container-title"),
        "publisher": item.get("publisher"),
        "version": item.get("version"),
        "year": issued[:4],
        "date": issued,
        "url": item.get("URL"),
        "doi": item.get("DOI"),
        "urldate": format_date(item, "accessed"),
        "note": item.get("note"),
    }
    authors = [_person(author) for author in item.get("author", [])]
    return Entry(kind, fields={key: str(value) for key, value in fields.items() if value}, persons={"author": authors})


def _person(name: dict[str, Any]) -> Person:
    if name.get("family") or name.get("given"):
        return Person(first=name.get("given", ""), last=name.get("family", ""))
    return Person(last="{" + str(name.get("literal", "")) + "}")


def _bibtex(request: Request) -> bytes:
    entries = {item["id"]: bibtex_entry(item) for item in request.sources.values()}
    return _BibTeXWriter().to_string(BibliographyData(entries=entries)).encode("utf-8")


FORMATS: dict[str, Format] = {
    "geojson": Format("geojson", downloads.MEDIA_TYPE, _geojson),
    "kml": Format("kml", "application/vnd.google-earth.kml+xml", _kml),
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", _gpkg),
    "csv": Format("csv", "text/csv", _csv),
    "html": Format("html", "text/html", _html),
    "csl-json": Format("csl.json", "application/vnd.citationstyles.csl+json", _csl_json),
    "bibtex": Format("bib", "application/x-bibtex", _bibtex),
}
