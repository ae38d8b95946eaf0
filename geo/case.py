"""The case the app shows: catalog, layer data and sources loaded together from ``data/``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from geo.catalog import DATA_DIR, Catalog, Layers, load_catalog, load_places, load_sources, read_layer
from geo.recipes import Recipes

DATA_ENV = "CLAIM_MAP_DATA"


def default_data_dir() -> Path:
    """Return the data folder: ``$CLAIM_MAP_DATA`` if set (tests, other cases), else ``data/``."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


@dataclass(frozen=True)
class Case:
    """A loaded case: its catalog, every layer's FeatureCollection and the sources they cite."""

    catalog: Catalog
    collections: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]

    def layers(self, layer_ids: list[str] | None = None) -> Layers:
        """Return (layer, collection) pairs in catalog order, only those in ``layer_ids`` if given."""
        return [
            (layer, self.collections[layer.id])
            for layer in self.catalog.layers
            if layer_ids is None or layer.id in layer_ids
        ]

    def titles(self) -> dict[str, str]:
        """Return every feature's title by feature id."""
        return {
            feature["properties"]["id"]: feature["properties"].get("title", feature["properties"]["id"])
            for collection in self.collections.values()
            for feature in collection["features"]
            if feature["properties"].get("id")
        }


def load_case(data_dir: Path | None = None) -> Case:
    """Load the catalog, every layer file and the sources.

    Parameters
    ----------
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    Case
    """
    data_dir = data_dir or default_data_dir()
    catalog = load_catalog(data_dir)
    collections = {layer.id: read_layer(layer, data_dir) for layer in catalog.layers}
    return Case(catalog=catalog, collections=collections, sources=load_sources(data_dir))


def offline_basemap(data_dir: Path | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return generalised country outlines (FeatureCollection) and the places, for a tile-free basemap."""
    data_dir = data_dir or default_data_dir()
    recipes = Recipes(data_dir)
    features = [
        {"type": "Feature", "properties": {"iso3": iso3}, "geometry": mapping(recipes.to_wgs84(outline))}
        for iso3, outline in recipes.outlines.items()
    ]
    places = [
        {"name": place["name"], "lat": place["lat"], "lon": place["lon"]} for place in load_places(data_dir).values()
    ]
    return {"type": "FeatureCollection", "features": features}, places
