"""The types of an export: what it covers (``Request``), a format (``Format``) and its result (``Export``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.export.geojson import export_collection
from geo.model.layers import Catalog, LayerData
from geo.store.case import Case


def collection_name(case: dict[str, Any], scope: str) -> str:
    """Return the name given to a merged FeatureCollection, e.g. ``belarus-2020-08 view``."""
    return f"{case['id']} {scope}"


@dataclass(frozen=True)
class Export:
    """One file ready to download or write: its meaningful name, its bytes and its media type."""

    file_name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class Request:
    """What one export covers: the layers (original, unescaped), the case, the sources and the scope."""

    layers: tuple[LayerData, ...]
    case: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    scope: str
    day: dt.date
    data_dir: Path | None = None

    @property
    def name(self) -> str:
        """Return the name given to a merged FeatureCollection (``collection_name``)."""
        return collection_name(self.case, self.scope)

    def titles(self) -> dict[str, str]:
        """Return the exported features' titles by feature id (to name the claims a feature answers)."""
        catalog = Catalog(case=self.case, layers=tuple(layer for layer, _ in self.layers))
        collections = {layer.id: collection for layer, collection in self.layers}
        return Case(catalog=catalog, collections=collections, sources=self.sources).titles()

    def collection(self, layers: Sequence[LayerData] | None = None) -> dict[str, Any]:
        """Return the GeoJSON export of ``layers`` (all of the request's by default)."""
        return export_collection(self.layers if layers is None else layers, self.name)


@dataclass(frozen=True)
class Format:
    """An export format: its file extension, media type and writer."""

    extension: str
    mime: str
    write: Callable[[Request], bytes]
