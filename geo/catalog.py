"""Load the case catalog, its layers, sources, places and authored claims from ``data/``."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GROUPS = ("claims", "context")


class DataError(Exception):
    """A file in ``data/`` is missing or malformed; the message names the file.

    Attributes
    ----------
    path : Path or None
        The file to blame, if one is.
    reason : str
        What is wrong with it, without the path (safe to show a user: no server path).
    """

    def __init__(self, message: str, *, path: Path | None = None, reason: str | None = None):
        super().__init__(message)
        self.path = path
        self.reason = message if reason is None else reason

    @classmethod
    def at(cls, path: Path, reason: str) -> DataError:
        """Return the error for file ``path``: the message is ``<path>: <reason>``."""
        return cls(f"{path}: {reason}", path=Path(path), reason=reason)


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
    """Read a JSON file; raise ``DataError`` naming the file on any failure.

    Only a regular file is read: a folder, named pipe or device is refused at once, never waited on.
    """
    path = Path(path)
    try:
        return json.loads(_read_file(path).decode("utf-8"))
    except FileNotFoundError as exc:
        raise DataError.at(path, "file not found") from exc
    except OSError as exc:
        raise DataError.at(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from exc
    except UnicodeDecodeError as exc:
        raise DataError.at(path, f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        cut = "; the file ends early, as if cut short" if exc.pos >= len(exc.doc.rstrip()) else ""
        raise DataError.at(path, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}){cut}") from exc


def _read_file(path: Path) -> bytes:
    # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer, and hang the app.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise DataError.at(path, "a folder, not a file")
        if not stat.S_ISREG(mode):
            raise DataError.at(path, "not a regular file (a named pipe, socket or device)")
        with open(descriptor, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(descriptor)


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
        raise DataError.at(path, f"malformed catalog: {exc}") from exc
    for layer in layers:
        if not all(isinstance(value, str) for value in (layer.id, layer.title, layer.file)):
            raise DataError.at(path, f"layer {layer.id!r}: id, title and file must be text")
        if layer.group not in GROUPS:
            raise DataError.at(path, f"layer {layer.id!r}: group {layer.group!r} is not one of {GROUPS}")
    return Catalog(case=case, layers=layers)


def load_sources(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the CSL-JSON ``sources.json`` as a mapping from source id to item."""
    path = Path(data_dir) / "sources.json"
    items = read_json(path)
    if not isinstance(items, list) or not all(isinstance(item, dict) and "id" in item for item in items):
        raise DataError.at(path, "not a CSL-JSON list of sources, each with an id")
    return {item["id"]: item for item in items}


def load_places(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the gazetteer ``places.json`` as a mapping from place id to place."""
    raw = read_json(Path(data_dir) / "places.json")
    return {place["id"]: place for place in raw["places"]}


def load_claims(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Read the authored claims, each a flat property dict plus a geometry recipe."""
    return list(read_json(Path(data_dir) / "claims.json")["features"])


def read_layer(layer: Layer, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Read a layer's FeatureCollection from its file.

    Raises ``DataError`` naming the file if it is unreadable or holds anything but a FeatureCollection
    whose features are objects with a ``properties`` object (JSON ``null`` included).
    """
    path = layer.path(data_dir)
    collection = read_json(path)
    if collection is None:
        raise DataError.at(path, "JSON null, not a FeatureCollection")
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise DataError.at(path, "not a FeatureCollection with a list of features")
    for number, feature in enumerate(collection["features"], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise DataError.at(path, f"feature #{number} is not an object with a properties object")
    return collection
