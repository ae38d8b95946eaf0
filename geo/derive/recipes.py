"""Geometry recipes: turn a claim's recipe into a shape derived from boundaries and places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from geo.store.catalog import DATA_DIR, load_places
from geo.store.settings import BASE_FILE, load_settings

WGS84 = "EPSG:4326"
#: Country outlines are context, drawn at this detail: smaller islands and lakes are left out.
OUTLINE_MIN_PART_KM2 = 20.0
OUTLINE_MIN_LAKE_KM2 = 100.0
OUTLINE_SIMPLIFY_M = 500.0


class RecipeError(ValueError):
    """A recipe names something that does not exist or cannot be made."""


@dataclass(frozen=True)
class Shape:
    """A derived geometry in WGS84 and the measures computed for it."""

    geometry: BaseGeometry
    measures: dict[str, float]


class Recipes:
    """Make geometries from the regional boundaries in ``data/base`` and the places gazetteer."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = Path(data_dir)
        #: The case's projected CRS (metres) for every buffer, length and area.
        self.metric_crs = load_settings(data_dir).metric_crs
        self._to_metric = Transformer.from_crs(WGS84, self.metric_crs, always_xy=True)
        self._to_wgs84 = Transformer.from_crs(self.metric_crs, WGS84, always_xy=True)

    @cached_property
    def countries(self) -> gpd.GeoSeries:
        """Country polygons in the metric CRS, indexed by ISO alpha-3 code."""
        frame = gpd.read_file(self.data_dir / BASE_FILE)
        frame = frame.set_crs(WGS84, allow_override=True).to_crs(self.metric_crs)
        return frame.set_index("iso3").geometry

    @cached_property
    def outlines(self) -> gpd.GeoSeries:
        """Country outlines for display: a coverage simplified together, so neighbours still meet."""
        generalised = [drop_small(geometry) for geometry in self.countries.values]
        simplified = shapely.coverage_simplify(generalised, OUTLINE_SIMPLIFY_M)
        return gpd.GeoSeries(simplified, index=self.countries.index, crs=self.metric_crs)

    @cached_property
    def places(self) -> dict[str, dict[str, Any]]:
        """The gazetteer, by place id."""
        return load_places(self.data_dir)

    def make(self, recipe: dict[str, Any]) -> Shape:
        """Make the shape a recipe describes.

        Parameters
        ----------
        recipe : dict
            ``{"recipe": NAME, ...}`` with the arguments of that recipe.

        Returns
        -------
        Shape

        """
        if not isinstance(recipe, dict):
            raise RecipeError(f'a geometry recipe must be an object like {{"recipe": "place", ...}}, got {recipe!r}')
        name = recipe.get("recipe")
        maker: Callable[..., BaseGeometry] | None = getattr(self, f"make_{name}", None)
        if maker is None or not isinstance(name, str):
            raise RecipeError(f"unknown recipe {name!r}")
        arguments = {key: value for key, value in recipe.items() if key != "recipe"}
        try:
            metric = maker(**arguments)
        except TypeError as exc:
            raise RecipeError(f"recipe {name!r}: {exc}") from exc
        return Shape(self.to_wgs84(metric), measure(metric))

    # recipes: each returns a geometry in the metric CRS

    def make_place(self, place: str) -> BaseGeometry:
        """A point at a gazetteer place."""
        return self.point(place)

    def make_waypoints(self, places: list[str]) -> BaseGeometry:
        """A line through gazetteer places, in order."""
        return LineString(self.points(places, at_least=2))

    def make_waypoints_to_border(self, places: list[str], toward: str, border: list[str]) -> BaseGeometry:
        """A line through places, continued toward a place until it meets a shared boundary."""
        points = self.points(places, at_least=1)
        last, target = points[-1], self.point(toward)
        crossing = shapely.intersection(LineString([last, target]), self.make_shared_border(*border))
        if crossing.is_empty:
            raise RecipeError(f"the line from {places[-1]!r} toward {toward!r} does not meet the {border} boundary")
        nearest = shapely.ops.nearest_points(last, crossing)[1]
        return LineString([*points, nearest])

    def make_shared_border(self, a: str, b: str) -> BaseGeometry:
        """The boundary line two countries share."""
        shared = shapely.intersection(self.country(a).boundary, self.country(b).boundary)
        parts = [part for part in shapely.get_parts(shared) if shapely.get_dimensions(part) == 1 and not part.is_empty]
        if not parts:
            raise RecipeError(f"countries {a!r} and {b!r} share no boundary")
        return shapely.line_merge(shapely.MultiLineString(parts))

    def make_border_zone(self, country: str, neighbour: str, depth_km: float) -> BaseGeometry:
        """A country's territory within ``depth_km`` of its boundary with a neighbour."""
        if not depth_km > 0:
            raise RecipeError(f"depth_km must be positive, got {depth_km!r}")
        band = self.make_shared_border(country, neighbour).buffer(depth_km * 1000)
        return shapely.make_valid(band.intersection(self.country(country)), method="structure", keep_collapsed=False)

    def make_country(self, iso3: str) -> BaseGeometry:
        """A country's generalised outline, as far as the regional subset reaches."""
        self.country(iso3)
        return self.outlines.loc[iso3]

    # lookups

    def country(self, iso3: str) -> BaseGeometry:
        """The polygon of a country in the metric CRS."""
        if iso3 not in self.countries.index:
            known = ", ".join(sorted(self.countries.index))
            raise RecipeError(f"unknown country {iso3!r} (data/base has: {known})")
        return self.countries.loc[iso3]

    def points(self, places: list[str], at_least: int) -> list[Point]:
        """The points of a list of at least ``at_least`` gazetteer places, in the metric CRS."""
        if not isinstance(places, list) or len(places) < at_least:
            raise RecipeError(f"places must list {at_least} or more place ids, got {places!r}")
        return [self.point(place) for place in places]

    def point(self, place_id: str) -> Point:
        """The point of a gazetteer place in the metric CRS."""
        place = self.places.get(place_id)
        if place is None:
            raise RecipeError(f"unknown place {place_id!r} (add it to data/places.json)")
        return Point(self._to_metric.transform(place["lon"], place["lat"]))

    def to_wgs84(self, geometry: BaseGeometry) -> BaseGeometry:
        """Reproject a metric geometry to WGS84 longitude/latitude."""
        return shapely.transform(geometry, lambda xy: np.column_stack(self._to_wgs84.transform(xy[:, 0], xy[:, 1])))


def drop_small(geometry: BaseGeometry) -> BaseGeometry:
    """Leave out islands under ``OUTLINE_MIN_PART_KM2`` and lakes under ``OUTLINE_MIN_LAKE_KM2``."""
    polygons = []
    for part in shapely.get_parts(geometry):
        if part.area < OUTLINE_MIN_PART_KM2 * 1e6:
            continue
        lakes = [ring for ring in part.interiors if shapely.Polygon(ring).area >= OUTLINE_MIN_LAKE_KM2 * 1e6]
        polygons.append(shapely.Polygon(part.exterior, lakes))
    return shapely.MultiPolygon(polygons)


def measure(geometry: BaseGeometry) -> dict[str, float]:
    """Lengths of lines (``length_km``) and areas of polygons (``area_km2``), from a metric geometry."""
    dimension = shapely.get_dimensions(geometry)
    if dimension == 1:
        return {"length_km": round(geometry.length / 1000, 1)}
    if dimension == 2:
        return {"area_km2": round(geometry.area / 1e6, 0)}
    return {}
