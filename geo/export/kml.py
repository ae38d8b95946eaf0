"""KML for Google Earth: one folder per layer, each placemark with its claim panel, map style and time span.

Each dated placemark gets a ``<TimeSpan>`` with the first and last day its ``event_date`` may cover (an open
end omitted), so Google Earth shows its time slider. A feature without a place is a placemark without geometry.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from geo.export.gdal import frame, gdal_config, write_gdal
from geo.export.html import claim_panel
from geo.model.layers import Layer

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.export.request import Request

#: Google Earth's own circle icon for points (GDAL 3.12's LIBKML driver crashes on a SYMBOL without an id).
KML_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
#: The columns GDAL writes as a placemark's ``id``, ``<name>`` and ``<description>``, so that features'
#: own ``id``, ``name`` and ``description`` properties stay data (``ExtendedData``) instead of being replaced.
KML_ID, KML_NAME, KML_DESCRIPTION = "_kml_id", "_kml_name", "_kml_description"
#: The columns GDAL writes as a placemark's ``<TimeSpan>`` ``<begin>`` and ``<end>``, and ``<TimeStamp>``
#: (never set: features' own ``begin``, ``end`` and ``timestamp`` properties stay data).
KML_BEGIN, KML_END, KML_TIMESTAMP = "_kml_begin", "_kml_end", "_kml_timestamp"
#: A feature id that may stand as an XML id: GDAL's LIBKML driver writes the ``id`` attribute unescaped.
XML_ID = re.compile(r"[A-Za-z_][\w.-]{0,99}")
#: LIBKML wraps text in CDATA sections without splitting this sequence, which would end them early.
CDATA_END = "]]>"


def kml_style(properties: dict[str, Any]) -> str:
    """Return the OGR style string (pen, brush, symbol) that GDAL writes as a placemark's KML ``<Style>``."""
    stroke = _rgba(properties["stroke"], properties["stroke-opacity"])
    fill = _rgba(properties["fill"], properties["fill-opacity"])
    width = properties["stroke-width"]
    marker = _rgba(properties["marker-color"], 1)
    return f'PEN(c:{stroke},w:{width}px);BRUSH(fc:{fill});SYMBOL(id:"{KML_ICON}",c:{marker})'


def _rgba(color: str, opacity: float) -> str:
    return f"{color}{round(float(opacity) * 255):02x}"


def cdata_safe(value: Any) -> Any:
    """Return text with ``]]>`` written ``]]&gt;`` (LIBKML would end its CDATA section there); others as given."""
    return value.replace(CDATA_END, "]]&gt;") if isinstance(value, str) else value


def kml_frame(layer: Layer, collection: dict[str, Any], request: Request, titles: dict[str, str]) -> GeoDataFrame:
    """Return one layer as GDAL's LIBKML driver writes it: properties, placemark id, name, description, style, time."""
    exported = request.collection([(layer, collection)])
    for feature in exported["features"]:
        feature["properties"] = {key: cdata_safe(value) for key, value in feature["properties"].items()}
    properties = [feature["properties"] for feature in exported["features"]]
    data = frame(exported)
    data[KML_ID] = [_xml_id(item.get("id"), f"{layer.id}.{n}") for n, item in enumerate(properties, start=1)]
    data[KML_NAME] = [cdata_safe(str(item.get("title") or item.get("id") or layer.title)) for item in properties]
    data[KML_DESCRIPTION] = [claim_panel(item, request, titles) for item in collection.get("features", [])]
    data["OGR_STYLE"] = [kml_style(item) for item in properties]
    data[KML_BEGIN] = [item["date_start"] or None for item in properties]
    data[KML_END] = [item["date_end"] or None for item in properties]
    return data


def _xml_id(value: Any, fallback: str) -> str:
    return value if isinstance(value, str) and XML_ID.fullmatch(value) else fallback


def write_kml(request: Request) -> bytes:
    """Return the request's layers as one KML document, a folder per layer."""
    titles = request.titles()
    frames = {layer.id: kml_frame(layer, collection, request, titles) for layer, collection in request.layers}
    fields = {"LIBKML_ID_FIELD": KML_ID, "LIBKML_NAME_FIELD": KML_NAME, "LIBKML_DESCRIPTION_FIELD": KML_DESCRIPTION}
    fields.update(LIBKML_BEGIN_FIELD=KML_BEGIN, LIBKML_END_FIELD=KML_END, LIBKML_TIMESTAMP_FIELD=KML_TIMESTAMP)
    with gdal_config(fields):
        return write_gdal(frames, "LIBKML", "kml")
