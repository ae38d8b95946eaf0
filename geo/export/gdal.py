"""GDAL formats: layers as GeoPackage tables or one CSV table, written through pyogrio."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyogrio

from geo.export.columns import numeric_columns, table_collection
from geo.export.geojson import to_bytes

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.export.request import Request

#: The columns GDAL's GeoPackage driver adds to every table: the feature id and the geometry.
GPKG_COLUMNS = ("fid", "geom")


def frame(collection: dict[str, Any], reserved: Sequence[str] = ()) -> GeoDataFrame:
    """Return a FeatureCollection as a GeoDataFrame read by GDAL's GeoJSON driver, which types the columns.

    Dates stay text, as written: an ``event_date`` may be an interval, which no date column holds.
    Top-level feature ids become a column, and no two column names differ only by case or match one
    of the ``reserved`` names of the driver (see ``geo.export.columns.table_collection``). A column of
    whole numbers stays whole where some cells are empty (GDAL reads it as real numbers).
    """
    table = table_collection(collection, reserved)
    data = pyogrio.read_dataframe(to_bytes(table), DATE_AS_STRING="YES")
    kinds = numeric_columns(feature["properties"] for feature in table["features"])
    for name in (name for name, kind in kinds.items() if kind is int and name in data):
        if data[name].dtype.kind == "f":
            data[name] = data[name].astype("Int64")
    return data


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


@contextmanager
def gdal_config(options: dict[str, str]) -> Iterator[None]:
    """Set GDAL configuration options for the duration of a ``with`` block, then restore them."""
    previous = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def write_gpkg(request: Request) -> bytes:
    """Return the request's layers as the tables of one GeoPackage."""
    frames = {
        layer.id: frame(request.collection([(layer, collection)]), GPKG_COLUMNS) for layer, collection in request.layers
    }
    return write_gdal(frames, "GPKG", "gpkg")


def write_csv(request: Request) -> bytes:
    """Return the request's layers as one CSV table, geometries as WKT."""
    return write_gdal({"claim-map": frame(request.collection())}, "CSV", "csv", GEOMETRY="AS_WKT")
