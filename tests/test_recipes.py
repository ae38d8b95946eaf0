"""Derived geometry: border lengths, zones, route, measured in EPSG:3035."""

import json
from decimal import Decimal

import pytest
import shapely
from shapely.geometry import Point, shape

from geo.derive.recipes import RecipeError, Recipes
from tests.conftest import DATA, read_json

#: The cited length of each border with Belarus, as data/claims.json gives it (``cited_length_km``).
CITED_KM = {
    claim["geometry"]["a"]: claim["cited_length_km"]
    for claim in read_json(DATA / "claims.json")["features"]
    if (claim["geometry"] or {}).get("recipe") == "shared_border" and claim["geometry"].get("b") == "BLR"
}


@pytest.fixture(scope="module")
def recipes():
    return Recipes(DATA)


def metric(recipes, feature):
    return recipes.countries.__class__([shape(feature["geometry"])], crs="EPSG:4326").to_crs(recipes.metric_crs).iloc[0]


@pytest.mark.parametrize("iso3", ["LTU", "POL"])
def test_border_length_is_within_15_percent_of_the_cited_length(recipes, iso3):
    length_km = recipes.make_shared_border(iso3, "BLR").length / 1000
    assert abs(length_km - CITED_KM[iso3]) / CITED_KM[iso3] < 0.15


def test_committed_border_lengths_match_a_fresh_derivation(case, recipes):
    borders = {f["properties"]["id"]: f["properties"] for f in case.collections["borders"]["features"]}
    assert borders["border-lithuania-belarus"]["length_km"] == round(
        recipes.make_shared_border("LTU", "BLR").length / 1000, 1
    )
    assert borders["border-poland-belarus"]["length_km"] == round(
        recipes.make_shared_border("POL", "BLR").length / 1000, 1
    )


@pytest.mark.parametrize("iso3", ["LTU", "POL"])
def test_border_area_lies_in_its_country_and_touches_belarus(recipes, iso3):
    zone = recipes.make_border_zone(iso3, "BLR", 30)
    assert zone.difference(recipes.country(iso3)).area < 1e3  # square metres: rounding only
    assert zone.distance(recipes.country("BLR")) < 1.0
    assert 8_000e6 < zone.area < 13_000e6
    border = recipes.make_shared_border(iso3, "BLR")
    assert zone.hausdorff_distance(zone.intersection(border.buffer(30_000 + 1))) < 1.0


def test_drills_lie_in_belarus_along_lithuania(recipes):
    zone = recipes.make_border_zone("BLR", "LTU", 30)
    assert zone.difference(recipes.country("BLR")).area < 1e3
    assert zone.distance(recipes.country("LTU")) < 1.0
    assert zone.intersection(recipes.country("POL")).area < 1e3
    assert zone.within(recipes.make_shared_border("BLR", "LTU").buffer(30_001))


def test_route_runs_from_st_petersburg_to_pskov(recipes, case):
    route = case.collections["convoy-route"]["features"][0]
    coords = route["geometry"]["coordinates"]
    places = recipes.places
    assert coords[0] == [places["st-petersburg"]["lon"], places["st-petersburg"]["lat"]]
    assert coords[-1] == [places["pskov"]["lon"], places["pskov"]["lat"]]
    straight_km = recipes.point("st-petersburg").distance(recipes.point("pskov")) / 1000
    assert straight_km < route["properties"]["length_km"] < 1.15 * straight_km  # road 261-280 km


def test_the_m1_line_ends_on_the_russia_belarus_border(recipes, case):
    (feature,) = [
        f for f in case.collections["convoy-route"]["features"] if f["id"] == "rosgvardia-trucks-toward-belarus"
    ]
    end = metric(recipes, {"geometry": {"type": "Point", "coordinates": feature["geometry"]["coordinates"][-1]}})
    assert end.distance(recipes.make_shared_border("RUS", "BLR")) < 5.0
    start = feature["geometry"]["coordinates"][0]
    assert start == [recipes.places["golitsyno"]["lon"], recipes.places["golitsyno"]["lat"]]


def test_statements_sit_on_their_places(case, recipes):
    places = {
        "nato-statement-brussels": "brussels",
        "kremlin-statement-moscow": "moscow",
        "german-government-statement-berlin": "berlin",
    }
    for feature in case.collections["statements"]["features"]:
        place = places.get(feature["properties"]["id"])
        if place:
            point = Point(feature["geometry"]["coordinates"])
            assert point.equals(Point(recipes.places[place]["lon"], recipes.places[place]["lat"]))


def test_layer_geometries_are_valid_and_follow_the_right_hand_rule(case):
    for _, collection in case.layers():
        for feature in filter(lambda item: item["geometry"], collection["features"]):
            geometry = shape(feature["geometry"])
            assert shapely.equals_exact(shapely.orient_polygons(geometry), geometry, 0)
            assert geometry.is_valid


def numbers(value):
    """Yield every number in a JSON value, as parsed with ``Decimal`` (so its written decimals count)."""
    if isinstance(value, list):
        for item in value:
            yield from numbers(item)
    elif isinstance(value, Decimal | int):
        yield Decimal(value)


@pytest.mark.parametrize("name", sorted(path.name for path in (DATA / "layers").glob("*.geojson")))
def test_no_coordinate_in_a_layer_file_has_more_than_six_decimals(name):
    document = json.loads((DATA / "layers" / name).read_text(encoding="utf-8"), parse_float=Decimal)
    placed = [feature for feature in document["features"] if feature["geometry"]]
    coordinates = [n for feature in placed for n in numbers(feature["geometry"]["coordinates"])]
    assert coordinates, name
    assert max(-n.as_tuple().exponent for n in coordinates) <= 6, name


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ({"recipe": "teleport"}, "unknown recipe 'teleport'"),
        ({"recipe": "place", "place": "atlantis"}, "unknown place 'atlantis'"),
        ({"recipe": "country", "iso3": "XXX"}, "unknown country 'XXX'"),
        ({"recipe": "shared_border", "a": "EST", "b": "BLR"}, "share no boundary"),
        ({"recipe": "border_zone", "country": "LTU", "neighbour": "BLR", "depth_km": 0}, "depth_km must be positive"),
        ({"recipe": "place", "where": "minsk"}, "recipe 'place':"),
        ({"recipe": "waypoints", "places": ["pskov"]}, r"places must list 2 or more place ids, got \['pskov'\]"),
        ({"recipe": "waypoints", "places": "pskov"}, "places must list 2 or more place ids, got 'pskov'"),
        (
            {"recipe": "waypoints_to_border", "places": [], "toward": "vitebsk", "border": ["RUS", "BLR"]},
            r"places must list 1 or more place ids, got \[\]",
        ),
        ("place", "a geometry recipe must be an object"),
    ],
)
def test_bad_recipes_name_the_bad_input(recipes, recipe, message):
    with pytest.raises(RecipeError, match=message):
        recipes.make(recipe)


def test_waypoints_to_border_may_start_from_a_single_place(recipes):
    line = recipes.make_waypoints_to_border(["nevel"], toward="vitebsk", border=["RUS", "BLR"])
    assert list(line.coords)[0] == tuple(recipes.point("nevel").coords)[0]
    assert len(line.coords) == 2
    assert Point(line.coords[-1]).distance(recipes.make_shared_border("RUS", "BLR")) < 5.0
