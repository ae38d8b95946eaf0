"""Measure the case: route lengths, border lengths, border-zone areas and distances to a border, each with its method.

Every figure is computed with GeoPandas in the case's metric CRS (``catalog.json``'s ``metric_crs``) from the
files it names; lengths and distances are checked against the WGS84 ellipsoid with ``pyproj.Geod``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import CRS, Geod
from shapely.geometry import Point, shape

from geo.derive.recipes import WGS84, Recipes
from geo.derive.zones import ZONE_LAYER, country_names, is_zone, recipes_for, shipped_depth, zone_layers, zones_at_depth
from geo.model.layers import Catalog
from geo.store.catalog import DataError, load_catalog, load_claims, read_layer
from geo.store.settings import BASE_FILE

#: The country whose border the shipped case measures distances to, and the places measured from.
BORDER_COUNTRY = "BLR"
REFERENCE_PLACES = ("pskov", "smolensk")
ROUTE_LAYER = "convoy-route"
#: Two countries' polygons closer than this are taken to share their boundary (to find gaps in a shared line).
GAP_TOLERANCE_M = 100.0
GAP_STEP_M = 50.0
GEOD = Geod(ellps="WGS84")
COLUMNS = ("figure", "value", "unit", "method", "feature_id")


@dataclass(frozen=True)
class Measurement:
    """One figure: what it is, its value and unit, and how it was measured, in words."""

    label: str
    value: float
    unit: str
    method: str
    feature_id: str | None = None


@dataclass(frozen=True)
class _Case:
    """What every measurement reads: the folder, its catalog and claims, the boundaries and the metric CRS."""

    data_dir: Path
    catalog: Catalog
    claims: list[dict[str, Any]]
    recipes: Recipes

    @property
    def crs(self) -> str:
        return self.recipes.metric_crs

    def crs_words(self) -> str:
        return f"{self.crs} ({CRS.from_user_input(self.crs).name})"

    def file(self, layer_id: str) -> str:
        return f"{self.data_dir.name}/{self.catalog.layer(layer_id).file}"

    def layer(self, layer_id: str) -> dict[str, Any]:
        """A layer's FeatureCollection; empty if the catalog has no such layer."""
        if layer_id not in {layer.id for layer in self.catalog.layers}:
            return {"type": "FeatureCollection", "features": []}
        return read_layer(self.catalog.layer(layer_id), self.data_dir)

    def metric(self, features: list[dict[str, Any]]) -> gpd.GeoSeries:
        """The features' geometries in the metric CRS, indexed by feature id (features without geometry left out)."""
        drawn = [feature for feature in features if feature.get("geometry")]
        wgs84 = gpd.GeoSeries([shape(f["geometry"]) for f in drawn], index=[_id(f) for f in drawn], crs=WGS84)
        return wgs84.to_crs(self.crs)


def measurements(data_dir: Path, depth_km: float | None = None) -> list[Measurement]:
    """Measure the case's routes, borders, border zones and distances to the border.

    Parameters
    ----------
    data_dir : Path
        The data folder: ``catalog.json``, ``claims.json``, ``places.json``, ``base/countries.geojson`` and
        the layer files.
    depth_km : float, optional
        The depth of the ``border-areas`` zones, as chosen in the app; the case's own depth if not given.

    Returns
    -------
    list of Measurement
        Route lengths, then border lengths, zone areas and distances to the border.

    Raises
    ------
    DataError
        If a file the figures need is missing or broken, naming it.
    """
    data_dir = Path(data_dir)
    if not (data_dir / BASE_FILE).is_file():
        raise DataError.at(data_dir / BASE_FILE, "file not found: run `python -m geo base`")
    routes, borders, distances = _fixed_measurements(str(data_dir))
    return [*routes, *borders, *zone_areas(_case(data_dir), depth_km), *distances]


@lru_cache(maxsize=2)
def _fixed_measurements(data_dir: str) -> tuple[tuple[Measurement, ...], ...]:
    """The figures that do not depend on the zones' depth, measured once per process and folder."""
    case = _case(Path(data_dir))
    return tuple(tuple(measure(case)) for measure in (route_lengths, border_lengths, border_distances))


def _case(data_dir: Path) -> _Case:
    return _Case(data_dir, load_catalog(data_dir), load_claims(data_dir), recipes_for(str(data_dir)))


def as_frame(items: list[Measurement]) -> pd.DataFrame:
    """Return measurements as a table: ``figure``, ``value``, ``unit``, ``method``, ``feature_id``."""
    rows = [{**asdict(item), "figure": item.label} for item in items]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def route_lengths(case: _Case) -> list[Measurement]:
    """Measure each line of the route layer, and say its geodesic length too."""
    lines = [f for f in case.layer(ROUTE_LAYER)["features"] if f.get("geometry") and _dimension(f) == 1]
    if not lines:
        return []
    lengths = case.metric(lines).length / 1000
    found = []
    for feature, length_km in zip(lines, lengths, strict=True):
        geodesic_km = GEOD.geometry_length(shape(feature["geometry"])) / 1000
        method = (
            f"Length of the line “{_id(feature)}” in {case.file(ROUTE_LAYER)}, measured with GeoPandas in "
            f"{case.crs_words()}. On the WGS84 ellipsoid (pyproj Geod) the same line is {geodesic_km:.1f} km "
            f"(the figure here differs by {_percent(length_km, geodesic_km)})."
        )
        found.append(Measurement(f"Route length: {_title(feature)}", round(length_km, 1), "km", method, _id(feature)))
    return found


def border_lengths(case: _Case) -> list[Measurement]:
    """Measure each shared boundary with ``BORDER_COUNTRY`` that the claims draw, against its cited length."""
    found = []
    for claim in case.claims:
        recipe = claim.get("geometry") or {}
        pair = (recipe.get("a"), recipe.get("b"))
        if recipe.get("recipe") != "shared_border" or BORDER_COUNTRY not in pair:
            continue
        (feature,) = [f for f in case.layer(claim["layer"])["features"] if _id(f) == claim["id"]]
        line = case.metric([feature]).iloc[0]
        other = pair[0] if pair[1] == BORDER_COUNTRY else pair[1]
        method = _border_method(case, claim["layer"], feature, line, other)
        label = f"Border length: {_title(feature)}"
        found.append(Measurement(label, round(line.length / 1000, 1), "km", method, claim["id"]))
    return found


def _border_method(case: _Case, layer_id: str, feature: dict[str, Any], line: Any, other: str) -> str:
    """Say how a border was measured, and where and why it differs from the length a source cites."""
    length_km = line.length / 1000
    text = (
        f"Length of the line “{_id(feature)}” in {case.file(layer_id)}, measured with GeoPandas in {case.crs_words()}."
    )
    cited = feature["properties"].get("cited_length_km")
    if not isinstance(cited, int | float) or isinstance(cited, bool):
        return text
    if cited <= length_km:
        return f"{text} A source cites {cited:g} km (cited_length_km); this line is {_percent(length_km, cited)} off."
    touching_km = _near_length(case.recipes.country(BORDER_COUNTRY).boundary, case.recipes.country(other).boundary)
    touching_km /= 1000
    names = country_names(case.claims)
    this, that = names.get(BORDER_COUNTRY, BORDER_COUNTRY), names.get(other, other)
    parts = len(shapely.get_parts(line))
    spacing_m = line.length / shapely.get_num_coordinates(line)
    return (
        f"{text} A source cites {cited:g} km (cited_length_km); this line is {cited - length_km:.1f} km "
        f"({_percent(length_km, cited)}) shorter. Where and why: it is in {parts} pieces, because the two "
        f"countries' polygons in {case.data_dir.name}/{BASE_FILE.as_posix()} do not share every edge exactly: "
        f"the boundary of {this} within {GAP_TOLERANCE_M:g} m of {that} measures {touching_km:.1f} km, so "
        f"{touching_km - length_km:.1f} km are gaps between the pieces. The other {cited - touching_km:.1f} km "
        f"are the detail of generalised boundaries: they have a vertex every {spacing_m:.0f} m on average, which "
        f"cuts the boundary's smaller bends."
    )


def _near_length(line: Any, other: Any) -> float:
    """Return the length of ``line`` within ``GAP_TOLERANCE_M`` of ``other`` (both metric lines), in metres.

    ``line`` is cut into steps of ``GAP_STEP_M``; a step counts when both its ends are near ``other``.
    (Buffering a whole country's boundary instead takes minutes.)
    """
    tree = shapely.STRtree(_segments(other))
    total = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(shapely.segmentize(part, GAP_STEP_M))
        hits = tree.query(shapely.points(xy), predicate="dwithin", distance=GAP_TOLERANCE_M)[0]
        near = np.zeros(len(xy), dtype=bool)
        near[hits] = True
        total += float(np.hypot(*(xy[1:] - xy[:-1]).T)[near[:-1] & near[1:]].sum())
    return total


def _segments(line: Any) -> np.ndarray:
    """Return every straight segment of a (multi)line, as an array of two-point lines."""
    pieces = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        pieces.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
    return np.concatenate(pieces)


def zone_areas(case: _Case, depth_km: float | None = None) -> list[Measurement]:
    """Measure each border zone: the ``border-areas`` layer at ``depth_km`` if given, the others as built."""
    found = []
    depths = {claim["id"]: claim["geometry"]["depth_km"] for claim in case.claims if is_zone(claim)}
    for layer_id in zone_layers(case.data_dir):
        default = shipped_depth(case.data_dir, layer_id) if layer_id == ZONE_LAYER else None
        chosen = layer_id == ZONE_LAYER and depth_km is not None and depth_km != default
        collection = zones_at_depth(case.data_dir, depth_km, layer_id) if chosen else case.layer(layer_id)
        zones = [f for f in collection["features"] if _id(f) in depths and f.get("geometry")]
        areas = case.metric(zones).area / 1e6
        for feature, area_km2 in zip(zones, areas, strict=True):
            depth = depth_km if chosen else depths[_id(feature)]
            made = (
                "recomputed at the depth chosen in the app with the build's border_zone recipe"
                if chosen
                else f"as {case.file(layer_id)} holds it, at the case's default depth (its recipe in claims.json)"
            )
            method = (
                f"Area of “{_id(feature)}”, the territory within {float(depth):g} km of the border, {made}; measured "
                f"with GeoPandas in {case.crs_words()}. The source gives no depth."
            )
            found.append(Measurement(f"Zone area: {_title(feature)}", round(area_km2), "km²", method, _id(feature)))
    return found


def border_distances(case: _Case) -> list[Measurement]:
    """Measure from each sighting's end and from ``REFERENCE_PLACES`` to the boundary of ``BORDER_COUNTRY``."""
    if BORDER_COUNTRY not in case.recipes.countries.index:
        return []
    name = country_names(case.claims).get(BORDER_COUNTRY, BORDER_COUNTRY)
    border = case.recipes.country(BORDER_COUNTRY).boundary
    found = []
    sightings = [f for f in case.layer(ROUTE_LAYER)["features"] if f.get("geometry")]
    for feature, geometry in zip(sightings, case.metric(sightings), strict=True):
        end = _last_point(geometry)
        what = f"the last point of “{_id(feature)}” in {case.file(ROUTE_LAYER)}"
        label = f"Distance to the border of {name} from the end of: {_title(feature)}"
        found.append(_distance(case, border, end, what, label, _id(feature)))
    for place_id in REFERENCE_PLACES:
        if place_id in case.recipes.places:
            place = case.recipes.places[place_id]
            what = f"{place['name']} (“{place_id}” in {case.data_dir.name}/places.json)"
            label = f"Distance to the border of {name} from {place['name']}"
            found.append(_distance(case, border, case.recipes.point(place_id), what, label))
    return found


def _distance(
    case: _Case, border: Any, point: Point, what: str, label: str, feature_id: str | None = None
) -> Measurement:
    """Measure from ``point`` (metric) to the nearest point of ``border``, and the geodesic distance between them."""
    distance_km = gpd.GeoSeries([point], crs=case.crs).distance(border).iloc[0] / 1000
    nearest = shapely.ops.nearest_points(point, border)[1]
    start, end = case.recipes.to_wgs84(point), case.recipes.to_wgs84(nearest)
    geodesic_km = GEOD.inv(start.x, start.y, end.x, end.y)[2] / 1000
    method = (
        f"Distance from {what} to the nearest point of the boundary of {BORDER_COUNTRY} in "
        f"{case.data_dir.name}/{BASE_FILE.as_posix()} (at latitude {end.y:.3f}, longitude {end.x:.3f}), measured "
        f"with GeoPandas in {case.crs_words()}. On the WGS84 ellipsoid (pyproj Geod) the distance between the "
        f"same two points is {geodesic_km:.1f} km."
    )
    return Measurement(label, round(distance_km, 1), "km", method, feature_id)


def _last_point(geometry: Any) -> Point:
    """Return the last vertex of a geometry (a point is its own)."""
    return Point(shapely.get_coordinates(geometry)[-1])


def _dimension(feature: dict[str, Any]) -> int:
    return shapely.get_dimensions(shape(feature["geometry"]))


def _id(feature: dict[str, Any]) -> str:
    return str(feature.get("id") or feature.get("properties", {}).get("id") or "")


def _title(feature: dict[str, Any]) -> str:
    return str(feature.get("properties", {}).get("title") or _id(feature))


def _percent(value: float, reference: float) -> str:
    return f"{(value - reference) / reference * 100:+.1f} %"
