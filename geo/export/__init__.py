"""Export layers as GeoJSON, KML, GeoPackage, CSV, HTML map, ClaimReview or PROV, and sources as CSL-JSON or BibTeX.

One module per format family: ``naming`` (file names), ``geojson`` (with ``linkedplaces``: Linked Places time
and certainty), ``gdal`` (GeoPackage, CSV), ``kml``, ``html`` (the standalone map), ``claimreview`` (schema.org
ClaimReview JSON-LD), ``provenance`` (the source chains as W3C PROV-JSON), ``sources`` (CSL-JSON, BibTeX);
``columns`` makes features table rows and ``request`` holds the types. Callers use ``export`` and ``FORMATS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from geo.export.naming import download_name
from geo.export.request import Export, Format, Request
from geo.model.layers import LayerData

__all__ = ["FORMATS", "Export", "Format", "Request", "export"]


def _writer(module: str, name: str) -> Callable[[Request], bytes]:
    """Return a writer that imports its module when first called.

    GDAL alone takes seconds to import, and the page draws its map before anyone asks for a file.
    """

    def write(request: Request) -> bytes:
        return getattr(import_module(f"geo.export.{module}"), name)(request)

    write.__name__ = name
    return write


FORMATS: dict[str, Format] = {
    "geojson": Format("geojson", "application/geo+json", _writer("geojson", "write_geojson")),
    "kml": Format("kml", "application/vnd.google-earth.kml+xml", _writer("kml", "write_kml")),
    "gpkg": Format("gpkg", "application/geopackage+sqlite3", _writer("gdal", "write_gpkg")),
    "csv": Format("csv", "text/csv", _writer("gdal", "write_csv")),
    "html": Format("html", "text/html", _writer("html", "write_html")),
    "claimreview": Format("claimreview.jsonld", "application/ld+json", _writer("claimreview", "write_claimreview")),
    "prov-json": Format("prov.json", "application/json", _writer("provenance", "write_prov_json")),
    "csl-json": Format("csl.json", "application/vnd.citationstyles.csl+json", _writer("sources", "write_csl_json")),
    "bibtex": Format("bib", "application/x-bibtex", _writer("sources", "write_bibtex")),
}


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
        One of ``FORMATS``: geojson, kml, gpkg, csv, html, claimreview, prov-json, csl-json or bibtex.
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
    name = download_name(case["id"], scope, request.day, chosen.extension)
    return Export(file_name=name, data=chosen.write(request), mime=chosen.mime)
