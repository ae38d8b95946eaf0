"""Build the layer files in ``data/layers/`` from the authored claims and geometry recipes, and the offline basemap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.derive.offline import build_offline
from geo.derive.recipes import RecipeError, Recipes
from geo.model.citation import format_citation
from geo.model.claims import KINDS_WITH_STANDING, as_list, grade
from geo.model.schema import FIELDS, LIST_FIELDS
from geo.store.catalog import DATA_DIR, DataError, entry_name, load_catalog, load_claims, load_sources
from geo.store.settings import OFFLINE_FILE
from geo.validate import Problem

DECIMALS = 6
#: The offline basemap's outlines are simplified at 500 m: 4 decimals (about 11 m) lose nothing.
TEXT_DEFAULT = ""
CLAIMS_FILE = "claims.json"
STALE = "stale: run `python -m geo build` and commit the result"


def build_layers(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """Derive every layer that has authored claims.

    Parameters
    ----------
    data_dir : Path
        The data folder (``catalog.json``, ``claims.json``, ``sources.json``, ``places.json``, ``base/``).

    Returns
    -------
    dict
        Layer id to RFC 7946 FeatureCollection, in catalog order.

    """
    catalog = load_catalog(data_dir)
    sources, claims, recipes = _load_inputs(data_dir)
    path = Path(data_dir) / CLAIMS_FILE
    features: dict[str, list[dict[str, Any]]] = {layer.id: [] for layer in catalog.layers}
    problems = []
    for claim in claims:
        layer = claim.get("layer")
        if not isinstance(layer, str) or layer not in features:
            problems.append(f"{path}: {entry_name('claim', claim)}: layer {layer!r} is not in catalog.json")
            continue
        try:
            features[layer].append(make_feature(claim, recipes, sources, path))
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(*problems)
    return {layer: collection(layer, items) for layer, items in features.items() if items}


def _load_inputs(data_dir: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], Recipes]:
    """Read the sources, the claims and the places; raise one ``DataError`` with the problems of all three."""
    recipes = Recipes(data_dir)
    loaded, problems = [], []
    for load in (load_sources, load_claims, lambda _: recipes.places):
        try:
            loaded.append(load(data_dir))
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(*problems)
    sources, claims, _places = loaded
    return sources, claims, recipes


def make_feature(
    claim: dict[str, Any],
    recipes: Recipes,
    sources: dict[str, dict[str, Any]],
    path: Path | str = CLAIMS_FILE,
) -> dict[str, Any]:
    """Turn one authored claim into a GeoJSON Feature with complete, flat properties.

    Parameters
    ----------
    claim : dict
        The claim's properties, its ``id`` and its ``geometry`` recipe.
    recipes : Recipes
        Makes the geometry.
    sources : dict
        Source id to CSL-JSON item, for the citation.
    path : Path or str
        The claims file, to name in errors.

    Returns
    -------
    dict
        A GeoJSON Feature.

    Raises
    ------
    DataError
        If the claim has no id, cites an unknown source or its recipe fails; the message names the claim.

    """
    where = f"{path}: {entry_name('claim', claim)}"
    if not isinstance(claim.get("id"), str) or not claim["id"]:
        raise DataError(f"{where}: has no 'id'")
    source = sources.get(claim.get("source_id")) if isinstance(claim.get("source_id"), str) else None
    if source is None:
        raise DataError(f"{where}: source_id {claim.get('source_id')!r} is not in sources.json")
    shape = None
    if claim.get("geometry") is not None:
        try:
            shape = recipes.make(claim["geometry"])
        except RecipeError as exc:
            raise DataError(f"{where}: {exc}") from exc
    properties = {name: claim.get(name, [] if name in LIST_FIELDS else TEXT_DEFAULT) for name in FIELDS}
    properties["source"] = format_citation(source)
    properties.update(assessment(properties, sources))
    extra = {key: value for key, value in claim.items() if key not in FIELDS and key != "geometry"}
    properties.update(extra)
    properties.update(shape.measures if shape else {})
    return {
        "type": "Feature",
        "id": claim["id"],
        "properties": properties,
        "geometry": geojson_geometry(shape.geometry) if shape else None,
    }


def assessment(properties: dict[str, Any], sources: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Return a claim's or report's ``reliability`` (of its chain's first source) and ``grade``; empty otherwise."""
    if properties.get("kind") not in KINDS_WITH_STANDING:
        return {"reliability": "", "grade": ""}
    chain = as_list(properties.get("source_chain"))
    first = sources.get(chain[0]) if chain and isinstance(chain[0], str) else None
    reliability = str((first or {}).get("reliability") or "")
    return {"reliability": reliability, "grade": grade({**properties, "reliability": reliability})}


def geojson_geometry(geometry: shapely.Geometry, decimals: int = DECIMALS) -> dict[str, Any]:
    """Return an RFC 7946 geometry: right-hand rule, at most ``decimals`` decimals."""
    rounded = shapely.transform(shapely.orient_polygons(geometry), lambda xy: np.round(xy, decimals))
    return json.loads(json.dumps(mapping(rounded)))


def collection(layer_id: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    """Wrap features in a FeatureCollection named after the layer."""
    return {"type": "FeatureCollection", "name": layer_id, "features": features}


def render(collection_: dict[str, Any]) -> str:
    """Serialise a FeatureCollection with one feature per line, for readable diffs."""
    head = {key: value for key, value in collection_.items() if key != "features"}
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in collection_["features"]]
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n'
    return opening + ",\n".join(lines) + "\n]}\n"


def layer_path(data_dir: Path, layer_id: str) -> Path:
    """Return the path of a layer file as the catalog names it."""
    return load_catalog(data_dir).layer(layer_id).path(data_dir)


def built_files(data_dir: Path = DATA_DIR) -> dict[Path, str]:
    """Return every file ``python -m geo build`` writes, by path: the derived layers, then the offline basemap."""
    catalog = load_catalog(data_dir)
    files = {catalog.layer(layer_id).path(data_dir): render(fc) for layer_id, fc in build_layers(data_dir).items()}
    files[Path(data_dir) / OFFLINE_FILE] = render(build_offline(data_dir))
    return files


def write_layers(data_dir: Path = DATA_DIR) -> list[Path]:
    """Build and write every derived layer and the offline basemap; return the paths written."""
    written = []
    for path, text in built_files(data_dir).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_layers(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Compare the committed layer files and offline basemap with a fresh build.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    list of Problem
        One per layer file that is not what ``python -m geo build`` writes: stale or missing,
        a folder, or unreadable, each saying which. Empty when every file is current.

    """
    problems = []
    for path, text in built_files(data_dir).items():
        message = _layer_file_problem(path, text)
        if message:
            problems.append(Problem(str(path), message))
    return problems


def _layer_file_problem(path: Path, expected: str) -> str:
    """Say what keeps ``path`` from holding ``expected`` (empty if it does)."""
    if path.is_dir():
        return "is a folder, not a file: remove it, then run `python -m geo build`"
    try:
        found = path.read_bytes()
    except FileNotFoundError:
        return STALE
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    return "" if found == expected.encode("utf-8") else STALE
