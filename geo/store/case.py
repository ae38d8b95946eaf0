"""The case the app shows: catalog, layer data and sources loaded together from ``data/``.

A broken file breaks only itself: ``load_case`` leaves out what it cannot read and says which file and why.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from geo.model.layers import Catalog, Layers
from geo.store.catalog import DATA_DIR, DataError, load_catalog, load_places, load_sources, read_json, read_layer
from geo.store.settings import OFFLINE_FILE, base_credit

DATA_ENV = "CLAIM_MAP_DATA"
CATALOG_FILE = "catalog.json"
SOURCES_FILE = "sources.json"
#: The case shown when the catalog cannot be read: no layers, a map of the whole world.
NO_CASE = {"id": "no-case", "title": "", "summary": "", "center": [20.0, 0.0], "zoom": 2}

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    """Return the data folder: ``$CLAIM_MAP_DATA`` if set (tests, other cases), else ``data/``."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


@dataclass(frozen=True)
class FileProblem:
    """A case file that could not be used.

    Attributes
    ----------
    what : str
        What is missing because of it, e.g. ``the layer “Drills”`` or ``the sources``.
    file : str
        The file, as the catalog names it (relative to the data folder: never a server path).
    reason : str
        What is wrong with it.
    """

    what: str
    file: str
    reason: str

    def notice(self) -> str:
        """Return one plain sentence for the page: ``<What> cannot be shown: <file>: <reason>.``."""
        return f"{self.what[:1].upper()}{self.what[1:]} cannot be shown: {self.file}: {self.reason}."


@dataclass(frozen=True)
class Case:
    """A loaded case: its catalog, every readable layer's FeatureCollection, the sources and what failed.

    ``has_catalog`` is false when ``catalog.json`` could not be read: the catalog is then ``NO_CASE``
    without layers, and ``problems`` says why.
    """

    catalog: Catalog
    collections: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    problems: tuple[FileProblem, ...] = ()
    has_catalog: bool = True

    def layers(self, layer_ids: list[str] | None = None) -> Layers:
        """Return (layer, collection) pairs in catalog order, only those in ``layer_ids`` if given.

        A layer whose file could not be read is left out.
        """
        return [
            (layer, self.collections[layer.id])
            for layer in self.catalog.layers
            if layer.id in self.collections and (layer_ids is None or layer.id in layer_ids)
        ]

    def titles(self) -> dict[str, str]:
        """Return every feature's title by feature id."""
        return {
            feature["properties"]["id"]: feature["properties"].get("title", feature["properties"]["id"])
            for collection in self.collections.values()
            for feature in collection["features"]
            if feature["properties"].get("id")
        }


def data_version(data_dir: Path | None = None) -> tuple[tuple[str, int, int], ...]:
    """Return what tells one state of the data folder's files from another: each file's path, size and mtime.

    Parameters
    ----------
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    tuple
        ``(relative path, size, mtime in ns)`` per file, sorted; empty if the folder is missing.
    """
    root = Path(data_dir or default_data_dir())
    found = []
    for path in root.rglob("*"):
        try:
            stat = path.stat()
        except OSError:  # removed while listing
            continue
        if path.is_file():
            found.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


def load_case(data_dir: Path | None = None) -> Case:
    """Load the catalog, every layer file and the sources; leave out, and report, each file that fails.

    Parameters
    ----------
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    Case
        Never raises ``DataError``: an unreadable layer file is left out, unreadable sources give no
        sources, an unreadable catalog gives ``NO_CASE``; ``Case.problems`` names each file and says why.
    """
    data_dir = data_dir or default_data_dir()
    problems: list[FileProblem] = []
    sources = _attempt(partial(load_sources, data_dir), "the sources", SOURCES_FILE, problems) or {}
    catalog = _attempt(partial(load_catalog, data_dir), "the case", CATALOG_FILE, problems)
    if catalog is None:
        return no_case(sources, problems)
    collections = {}
    for layer in catalog.layers:
        what = f"the layer “{layer.title}”"
        collection = _attempt(partial(read_layer, layer, data_dir), what, layer.file, problems)
        if collection is not None:
            collections[layer.id] = collection
    return Case(catalog=catalog, collections=collections, sources=sources, problems=tuple(problems))


def no_case(sources: dict[str, dict[str, Any]] | None = None, problems: Iterable[FileProblem] = ()) -> Case:
    """Return the case shown without a readable catalog: ``NO_CASE``, no layers, and why."""
    catalog = Catalog(case=dict(NO_CASE), layers=())
    return Case(catalog, {}, sources or {}, tuple(problems), has_catalog=False)


def _attempt(load: Callable[[], Any], what: str, file: str, problems: list[FileProblem]) -> Any:
    """Return ``load()``, or ``None`` after adding the ``DataError`` it raised to ``problems`` (and the log)."""
    try:
        return load()
    except DataError as exc:
        log.warning("case file left out: %s", exc)
        problems.append(FileProblem(what=what, file=file, reason=exc.reason))
        return None


def offline_basemap(data_dir: Path | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """Return what the tile-free basemap draws: country outlines, places and their credit.

    Parameters
    ----------
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    tuple
        The outlines built by ``python -m geo build`` (``base/offline.geojson``, a FeatureCollection), the places
        (``name``, ``lat``, ``lon``) and the plain-text credit of the case's ``base_sources``.

    Raises
    ------
    DataError
        Naming the file that is missing or malformed.

    """
    data_dir = data_dir or default_data_dir()
    path = Path(data_dir) / OFFLINE_FILE
    outlines = read_json(path)
    if not isinstance(outlines, dict) or not isinstance(outlines.get("features"), list):
        raise DataError.at(path, "not a FeatureCollection: run `python -m geo build`")
    places = [
        {"name": place["name"], "lat": place["lat"], "lon": place["lon"]} for place in load_places(data_dir).values()
    ]
    catalog = load_catalog(data_dir)
    sources = load_sources(data_dir) if catalog.case.get("base_sources") else {}
    return outlines, places, base_credit(catalog.case, sources)
