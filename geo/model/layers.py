"""Layers and catalogs: what a case shows, in which groups, and a layer paired with its data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Layer groups: the case's claims and context, and the analyst's imports (this session only).
CLAIMS, CONTEXT, IMPORTS = "claims", "context", "imports"
CATALOG_GROUPS = (CLAIMS, CONTEXT)


@dataclass(frozen=True)
class Layer:
    """One map layer as listed in ``data/catalog.json``."""

    id: str
    title: str
    group: str
    file: str
    default_visible: bool = True
    style: dict[str, Any] = field(default_factory=dict)

    def path(self, data_dir: Path) -> Path:
        """Return the path of the layer's GeoJSON file in the case folder ``data_dir``."""
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
