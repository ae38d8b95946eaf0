"""Load the case catalog, its layers, sources, places and authored claims from ``data/``."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.model.layers import CATALOG_GROUPS, Catalog, Layer

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
#: The layer groups: claims and context come from the catalog, imports from a session's uploads.


class DataError(Exception):
    """Files in ``data/`` are missing or malformed: one line per problem, each naming the file and the entry.

    Attributes
    ----------
    problems : list of str
        One line per problem.
    path : Path or None
        The file to blame, if there is one.
    reason : str
        What is wrong with it, without the path (safe to show a user: no server path).
    """

    def __init__(self, *problems: str, path: Path | None = None, reason: str | None = None):
        super().__init__("\n".join(problems))
        self.problems = list(problems)
        self.path = path
        self.reason = "\n".join(problems) if reason is None else reason

    @classmethod
    def at(cls, path: Path, *reasons: str) -> DataError:
        """Return the error for file ``path``: one line ``<path>: <reason>`` per reason."""
        return cls(*(f"{path}: {reason}" for reason in reasons), path=Path(path), reason="; ".join(reasons))


def read_json(path: Path) -> Any:
    """Read a JSON file; raise ``DataError`` naming the file on any failure.

    Only a regular file is read: a folder, named pipe or device is refused at once, never waited on.
    """
    path = Path(path)
    try:
        with _collector_paused():
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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # Parsing builds millions of objects at once: the cyclic garbage collector would scan them again and again
    # (4.4 of the 6.4 s a 125 MB case takes). The parsed data holds no cycles to collect.
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


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
        if layer.group not in CATALOG_GROUPS:
            raise DataError.at(path, f"layer {layer.id!r}: group {layer.group!r} is not one of {CATALOG_GROUPS}")
    return Catalog(case=case, layers=layers)


def load_sources(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the CSL-JSON ``sources.json`` as a mapping from source id to item.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    dict
        Source id to CSL-JSON item, in file order.

    Raises
    ------
    DataError
        If the file is not a list of objects each with an ``id``; one line per bad entry.

    """
    path = Path(data_dir) / "sources.json"
    items = read_json(path)
    if not isinstance(items, list):
        raise DataError.at(path, "not a CSL-JSON list of sources, each with an id")
    return {item["id"]: item for item in _checked_entries(path, "source", items)}


def load_places(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Read the gazetteer ``places.json`` as a mapping from place id to place.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    dict
        Place id to place, each with a ``name`` and WGS84 ``lat`` and ``lon``.

    Raises
    ------
    DataError
        If the file is not ``{"places": [...]}`` or a place lacks its id, name or coordinates; one line per problem.

    """
    path = Path(data_dir) / "places.json"
    raw = read_json(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("places"), list):
        raise DataError.at(path, "'places' must be a list of places")
    places = _checked_entries(path, "place", raw["places"])
    problems = [f"place {place['id']!r}: {problem}" for place in places for problem in _place_problems(place)]
    if problems:
        raise DataError.at(path, *problems)
    return {place["id"]: place for place in places}


def _place_problems(place: dict[str, Any]) -> list[str]:
    """Return what is wrong with one gazetteer place: its name, latitude and longitude."""
    problems = [] if isinstance(place.get("name"), str) and place["name"] else ["has no 'name'"]
    for axis, limit in (("lat", 90), ("lon", 180)):
        value = place.get(axis)
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            shown = "nothing" if value is None else json.dumps(value, ensure_ascii=False)[:40]
            problems.append(f"{axis} must be a number from -{limit} to {limit}, got {shown}")
    return problems


def load_claims(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """Read the authored claims, each a flat property dict plus a geometry recipe.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    list of dict
        The claims in file order.

    Raises
    ------
    DataError
        If the file is not ``{"features": [...]}`` or a claim has no ``id``; one line per bad claim.

    """
    path = Path(data_dir) / "claims.json"
    raw = read_json(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("features"), list):
        raise DataError.at(path, "'features' must be a list of claims")
    return _checked_entries(path, "claim", raw["features"])


def _checked_entries(path: Path, kind: str, items: list[Any]) -> list[dict[str, Any]]:
    """Return ``items`` if each is an object with a non-empty text ``id``, else raise ``DataError`` naming each."""
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"{kind} #{index + 1}: expected an object")
        elif not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{entry_name(kind, item, index)}: {_id_problem(item)}")
    if problems:
        raise DataError.at(path, *problems)
    return items


def entry_name(kind: str, item: dict[str, Any], index: int | None = None) -> str:
    """Name an entry for a message: ``claim 'x'`` by its id, else by position and title (``claim #3 (title 'T')``)."""
    if isinstance(item.get("id"), str) and item["id"]:
        return f"{kind} {item['id']!r}"
    position = "" if index is None else f" #{index + 1}"
    for key in ("title", "name"):
        if isinstance(item.get(key), str):
            return f"{kind}{position} ({key} {item[key]!r})"
    return f"{kind}{position}"


def _id_problem(item: dict[str, Any]) -> str:
    """Say what is wrong with an entry's ``id``."""
    if "id" not in item:
        return "has no 'id'"
    return f"'id' must be non-empty text, got {json.dumps(item['id'], ensure_ascii=False)[:40]}"


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
