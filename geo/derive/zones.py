"""Border zones at a chosen depth: a zone layer rebuilt by the build's own recipe, for the app's depth slider.

The source gives no depth for the claimed border areas: the case's default (the ``depth_km`` of each
``border_zone`` recipe in ``claims.json``) is an inference, so the app lets a reader choose another.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.derive.build import collection, make_feature
from geo.derive.recipes import RecipeError, Recipes
from geo.store.catalog import load_claims, load_sources

#: The layer whose zones follow the depth slider.
ZONE_LAYER = "border-areas"
ZONE_RECIPE = "border_zone"
MIN_DEPTH_KM, MAX_DEPTH_KM = 5, 100
CLAIMS_FILE = "claims.json"


@lru_cache(maxsize=2)
def recipes_for(data_dir: str) -> Recipes:
    """Return the recipe maker of a data folder, kept so its boundaries are read once per process."""
    return Recipes(Path(data_dir))


def is_zone(claim: dict[str, Any]) -> bool:
    """Tell whether a claim's geometry is a ``border_zone`` recipe."""
    recipe = claim.get("geometry")
    return isinstance(recipe, dict) and recipe.get("recipe") == ZONE_RECIPE


def zone_layers(data_dir: Path) -> list[str]:
    """Return the ids of the layers that hold ``border_zone`` claims, in file order."""
    return list(dict.fromkeys(claim.get("layer") for claim in load_claims(data_dir) if is_zone(claim)))


def shipped_depth(data_dir: Path, layer_id: str = ZONE_LAYER) -> float | None:
    """Return the depth the build uses for a layer's zones, in km.

    Parameters
    ----------
    data_dir : Path
        The data folder (``claims.json``).
    layer_id : str
        The layer.

    Returns
    -------
    float or None
        The ``depth_km`` of the layer's ``border_zone`` recipes; ``None`` if the layer has none.

    Raises
    ------
    RecipeError
        If the layer's zones have different depths (one slider could not reproduce them).
    """
    depths = {claim["geometry"].get("depth_km") for claim in load_claims(data_dir) if _in_layer(claim, layer_id)}
    if len(depths) > 1:
        raise RecipeError(f"layer {layer_id!r}: its border zones have different depths {sorted(depths)}")
    return float(depths.pop()) if depths else None


def zones_at_depth(data_dir: Path, depth_km: float, layer_id: str = ZONE_LAYER) -> dict[str, Any]:
    """Rebuild a zone layer with every border zone at ``depth_km``.

    Each claim of the layer is built as ``python -m geo build`` builds it (same properties, same rounding),
    its ``border_zone`` recipe at the chosen depth: the geometry, ``area_km2`` and ``method`` follow it.
    At the case's own depth the geometry and area are those of the committed layer file.

    Parameters
    ----------
    data_dir : Path
        The data folder (``claims.json``, ``sources.json``, ``places.json``, ``base/countries.geojson``).
    depth_km : float
        From ``MIN_DEPTH_KM`` to ``MAX_DEPTH_KM``.
    layer_id : str
        The layer to rebuild.

    Returns
    -------
    dict
        The layer's FeatureCollection (a fresh copy: the caller may change it).

    Raises
    ------
    RecipeError
        If the depth is out of range or not a number.
    DataError
        If a data file is missing or broken, naming it.
    """
    number = isinstance(depth_km, int | float) and not isinstance(depth_km, bool)
    if not number or not MIN_DEPTH_KM <= depth_km <= MAX_DEPTH_KM:
        raise RecipeError(f"depth_km must be a number from {MIN_DEPTH_KM} to {MAX_DEPTH_KM} km, got {depth_km!r}")
    return copy.deepcopy(_zones(str(Path(data_dir)), float(depth_km), layer_id))


@lru_cache(maxsize=24)
def _zones(data_dir: str, depth_km: float, layer_id: str) -> dict[str, Any]:
    claims = load_claims(Path(data_dir))
    recipes = recipes_for(data_dir)
    sources = load_sources(Path(data_dir))
    names = country_names(claims)
    path = Path(data_dir) / CLAIMS_FILE
    features = []
    for claim in claims:
        if claim.get("layer") != layer_id:
            continue
        if not is_zone(claim):
            features.append(make_feature(claim, recipes, sources, path))
            continue
        feature = make_feature(at_depth(claim, depth_km), recipes, sources, path)
        feature["properties"]["method"] = depth_method(claim["geometry"], depth_km, names, recipes.metric_crs)
        features.append(feature)
    return collection(layer_id, features)


def at_depth(claim: dict[str, Any], depth_km: float) -> dict[str, Any]:
    """Return a copy of a ``border_zone`` claim whose recipe has ``depth_km`` (an int where it is whole)."""
    depth = int(depth_km) if float(depth_km).is_integer() else depth_km
    return {**claim, "geometry": {**claim["geometry"], "depth_km": depth}}


def depth_method(recipe: dict[str, Any], depth_km: float, names: dict[str, str], crs: str) -> str:
    """Say how a zone at a depth chosen in the app was made, and that the source gives no depth."""
    country = names.get(recipe.get("country"), recipe.get("country"))
    neighbour = names.get(recipe.get("neighbour"), recipe.get("neighbour"))
    return (
        f"Territory of {country} within {depth_km:g} km of its boundary with {neighbour} (depth chosen in the app; "
        f"the source gives no depth, and the case's default is {float(recipe.get('depth_km', 0)):g} km, an "
        f"inference too): a buffer of the shared boundary line computed in {crs} and clipped to {country}."
    )


def country_names(claims: list[dict[str, Any]]) -> dict[str, str]:
    """Return each country's name by its code, from the titles of the claims drawn with a ``country`` recipe."""
    return {
        claim["geometry"]["iso3"]: claim.get("title", claim["geometry"]["iso3"])
        for claim in claims
        if isinstance(claim.get("geometry"), dict)
        and claim["geometry"].get("recipe") == "country"
        and isinstance(claim["geometry"].get("iso3"), str)
    }


def _in_layer(claim: dict[str, Any], layer_id: str) -> bool:
    return claim.get("layer") == layer_id and is_zone(claim)
