"""Load the case catalog, its layers, sources, places and authored claims from ``data/``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The layer groups: claims and context come from the catalog, imports from a session's uploads.
CLAIMS, CONTEXT, IMPORTS = "claims", "context", "imports"
CATALOG_GROUPS = (CLAIMS, CONTEXT)


class DataError(Exception):
    """A file in ``data/`` is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Layer:
    """One map layer as listed in ``data/catalog.json``."""

    id: str
    title: str
    group: str
    file: str
    default_visible: bool = True
    style: dict[str, Any] = field(default_factory=dict)

    def path(self, data_dir: Path = DATA_DIR) -> Path:
        """Return the path of the layer's GeoJSON file."""
        return Path(data_dir) / self.file


#: A layer and its GeoJSON FeatureCollection, as loaded, imported, drawn, filtered and downloaded.
LayerData = tuple[Layer, dict[str, Any]]
#: Layers with their data, in drawing order.
Layers = list[LayerData]


@dataclass(frozen=True)
class Catalog:
    """The case shown by default and its layers, in drawing order."""

    case: dict[str, Any]
    layers: tuple[Layer, ...]

    def layer(self, layer_id: str) -> Layer:
        """Return the layer called ``layer_id``; raise ``KeyError`` naming it if unknown."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        known = ", ".join(item.id for item in self.layers)
        raise KeyError(f"unknown layer {layer_id!r} (known: {known})")


def read_json(path: Path) -> Any:
    """Read a JSON file; raise ``DataError`` naming the file on any failure."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read JSON: {exc}") from exc


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read ``catalog.json``.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    Catalog

    """
    path = Path(data_dir) / "catalog.json"
    raw = read_json(path)
    try:
        layers = tuple(Layer(**item) for item in raw["layers"])
        case = dict(raw["case"])
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: malformed catalog: {exc}") from exc
    for layer in layers:
        if layer.group not in CATALOG_GROUPS:
            raise DataError(f"{path}: layer {layer.id!r}: group {layer.group!r} is not one of {CATALOG_GROUPS}")
    return Catalog(case=case, layers=layers)


def load_sources(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the CSL-JSON ``sources.json`` as a mapping from source id to item."""
    items = read_json(Path(data_dir) / "sources.json")
    return {item["id"]: item for item in items}


def load_places(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the gazetteer ``places.json`` as a mapping from place id to place."""
    raw = read_json(Path(data_dir) / "places.json")
    return {place["id"]: place for place in raw["places"]}


def load_claims(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Read the authored claims, each a flat property dict plus a geometry recipe."""
    return list(read_json(Path(data_dir) / "claims.json")["features"])


def read_layer(layer: Layer, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Read a layer's FeatureCollection from its file."""
    return read_json(layer.path(data_dir))
