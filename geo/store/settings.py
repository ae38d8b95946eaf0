"""The case's own settings in ``catalog.json``'s ``case`` object: region, countries, metric CRS, base files.

Only defaults live here; every case-specific value comes from the case folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyproj import CRS
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from pyproj.exceptions import CRSError

from geo.store.catalog import DATA_DIR, DataError, load_catalog

#: The column of the base source file that holds each country's id, unless ``base_source.id_column`` says.
DEFAULT_ID_COLUMN = "iso3"
#: The built offline basemap (generalised country outlines, WGS84), relative to the data folder.
OFFLINE_FILE = Path("base") / "offline.geojson"
#: The regional boundary subset that ``python -m geo base`` writes and the recipes read.
BASE_FILE = Path("base") / "countries.geojson"


@dataclass(frozen=True)
class CaseSettings:
    """What the build needs to know about a case's geography.

    Attributes
    ----------
    region : tuple of float
        West, south, east, north in degrees.
    countries : tuple of str
        The country ids kept from the base source file.
    metric_crs : str
        The projected CRS (metres) for every buffer, length and area; the region's UTM zone if not given.
    id_column : str
        The base source file's column of country ids.
    """

    region: tuple[float, float, float, float]
    countries: tuple[str, ...]
    metric_crs: str
    id_column: str = DEFAULT_ID_COLUMN


def load_settings(data_dir: Path = DATA_DIR) -> CaseSettings:
    """Read and check the case's settings from ``catalog.json``.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    CaseSettings

    Raises
    ------
    DataError
        Naming ``catalog.json`` and each bad setting, one line per problem.

    """
    path = Path(data_dir) / "catalog.json"
    case = load_catalog(data_dir).case
    problems: list[str] = []
    region = _region(case.get("region"), problems)
    countries = case.get("countries", [])
    if not isinstance(countries, list) or not all(isinstance(item, str) and item for item in countries):
        problems.append(f"case 'countries' must be a list of country ids, got {countries!r}")
    base = case.get("base_source", {})
    id_column = base.get("id_column", DEFAULT_ID_COLUMN) if isinstance(base, dict) else None
    if not isinstance(id_column, str) or not id_column:
        problems.append(f'case \'base_source\' must be like {{"id_column": "A3"}}, got {base!r}')
    metric_crs = _metric_crs(case.get("metric_crs"), region, problems)
    if problems:
        raise DataError.at(path, *problems)
    return CaseSettings(region, tuple(countries), metric_crs, id_column)


def _region(value: Any, problems: list[str]) -> tuple[float, float, float, float]:
    """Return the region box, or add why it is not ``[west, south, east, north]`` in degrees to ``problems``."""
    numbers = isinstance(value, list) and len(value) == 4
    numbers = numbers and all(isinstance(item, int | float) and not isinstance(item, bool) for item in value)
    if numbers:
        west, south, east, north = value
        if -180 <= west < east <= 180 and -90 <= south < north <= 90:
            return (float(west), float(south), float(east), float(north))
    problems.append(f"case 'region' must be [west, south, east, north] in degrees, got {value!r}")
    return (-180.0, -90.0, 180.0, 90.0)


def _metric_crs(value: Any, region: tuple[float, float, float, float], problems: list[str]) -> str:
    """Return the metric CRS as given, else the UTM zone at the region's centre; add a problem if unusable."""
    if value is None:
        west, south, east, north = region
        centre = ((west + east) / 2, (south + north) / 2)
        zones = query_utm_crs_info("WGS 84", area_of_interest=AreaOfInterest(*centre, *centre))
        return f"{zones[0].auth_name}:{zones[0].code}"
    try:
        crs = CRS.from_user_input(value)
    except CRSError:
        problems.append(f"case 'metric_crs' {value!r} is not a CRS pyproj knows")
        return ""
    if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
        problems.append(f"case 'metric_crs' {value!r} must be a projected CRS in metres")
    return str(value)


def base_credit(case: dict[str, Any], sources: dict[str, dict[str, Any]]) -> str:
    """Return the credit line of the base files: each base source's data holder, joined by `` · ``.

    Parameters
    ----------
    case : dict
        The catalog's case; ``base_sources`` lists the source ids of the boundary and place files.
    sources : dict
        CSL-JSON items by id.

    Returns
    -------
    str
        Plain text (not HTML), e.g. ``© OpenStreetMap contributors · © GeoNames``; empty without base sources.
        A source is credited by its ``original-publisher`` (whose data it carries), else ``publisher``, else title.

    """
    ids = case.get("base_sources", [])
    names = []
    for source_id in ids if isinstance(ids, list) else []:
        item = sources.get(source_id) if isinstance(source_id, str) else None
        name = item and (item.get("original-publisher") or item.get("publisher") or item.get("title"))
        if isinstance(name, str) and name:
            names.append(f"© {name}")
    return " · ".join(names)
