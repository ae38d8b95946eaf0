"""Write synthetic cases: complete case folders of generated claims, reproducible from a seed, for scale tests.

``python -m geo synth --claims N --seed S --out DIR`` writes a folder that the app and every command read with
``CLAIM_MAP_DATA=DIR`` (or ``--data DIR``). It holds three claim layers (points about 70 %, short paths
20 %, small polygons 10 %) spread uniformly by area over the land of the base case's region, generated sources
marked as such (no URL), and the base case's places and offline basemap, copied so that the map works offline.
Nothing in it is real reporting. The same seed and count give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from geo.derive import scatter
from geo.derive.synthetic_claims import SOURCES, FeatureMaker, draw_attributes, link_denials
from geo.store.catalog import DATA_DIR, DataError, load_catalog, load_sources, read_json
from geo.store.settings import OFFLINE_FILE

PREFIX = "synthetic-"
MAX_CLAIMS = 1_000_000
#: Layer id, title, share of the claims, catalog style and the word its feature ids use.
LAYERS = (
    ("synthetic-points", "Synthetic points (generated test data)", 0.7, {"radius": 6}, "point"),
    ("synthetic-lines", "Synthetic paths (generated test data)", 0.2, {"weight": 3}, "line"),
    ("synthetic-areas", "Synthetic small areas (generated test data)", 0.1, {}, "area"),
)
#: What the case copies from the base case, besides its region.
CASE_SETTINGS = ("center", "zoom", "countries", "metric_crs", "base_source", "base_sources")
COPIED_FILES = ("places.json", OFFLINE_FILE)
CATALOG = "catalog.json"
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def write_case(out: Path, claims: int, seed: int, base_from: Path = DATA_DIR) -> dict[str, int]:
    """Write a synthetic case folder of ``claims`` generated features.

    Parameters
    ----------
    out : Path
        The folder to write: new, empty, or holding an earlier synthetic case (never any other folder).
    claims : int
        How many features to generate, 1 to ``MAX_CLAIMS``.
    seed : int
        The seed (0 or more) of the numpy Generator; the same seed and count give byte-identical files.
    base_from : Path
        The case folder whose region, settings, places, offline basemap and base sources are used.

    Returns
    -------
    dict
        Layer id to its number of features, in catalog order; they sum to ``claims``.

    Raises
    ------
    ValueError
        If ``claims``, ``seed`` or ``out`` is unusable; the message names it.
    DataError
        If a file of ``base_from`` is missing or malformed.
    """
    _check_numbers(claims, seed)
    out = Path(out)
    _check_out(out, Path(base_from))
    files, layers, counts = make_case(claims, seed, Path(base_from))
    for name, data in files.items():
        if name != CATALOG:
            _write_bytes(out / name, data)
    for layer_id, features in layers.items():
        write_layer(out / layer_file(layer_id), layer_id, features)
    # The catalog last: the folder is a case only once every file it names is written.
    _write_bytes(out / CATALOG, files[CATALOG])
    return counts


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _check_numbers(claims: Any, seed: Any) -> None:
    if isinstance(claims, bool) or not isinstance(claims, int) or not 1 <= claims <= MAX_CLAIMS:
        raise ValueError(f"the number of claims must be a whole number from 1 to {MAX_CLAIMS:,}, got {claims!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"the seed must be a whole number of 0 or more, got {seed!r}")


def _check_out(out: Path, base_from: Path) -> None:
    """Refuse an output that is a file, the base case, or a folder with files that are no synthetic case."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"the output {out} is a file, not a folder")
    if out.is_dir() and base_from.is_dir() and out.resolve() == base_from.resolve():
        raise ValueError(f"the output {out} is the base case folder: choose a new folder")
    if out.is_dir() and any(out.iterdir()) and not is_synthetic_case(out):
        raise ValueError(f"the output {out} holds files that are no synthetic case: choose a new or empty folder")


def is_synthetic_case(folder: Path) -> bool:
    """True if ``folder`` holds a case written by ``write_case`` (its catalog's case id starts ``synthetic-``)."""
    try:
        case_id = load_catalog(folder).case.get("id")
    except DataError:
        return False
    return isinstance(case_id, str) and case_id.startswith(PREFIX)


def make_case(
    claims: int, seed: int, base_from: Path = DATA_DIR
) -> tuple[dict[str, bytes], dict[str, Iterator[dict[str, Any]]], dict[str, int]]:
    """Return the files of a synthetic case, its layers' features (made as they are read) and its layer counts.

    Parameters
    ----------
    claims : int
        How many features to generate.
    seed : int
        The seed of the numpy Generator.
    base_from : Path
        The base case folder (see ``write_case``).

    Returns
    -------
    tuple
        The files other than the layers (path relative to the folder to bytes), each layer's features by
        layer id, and each layer's number of features.
    """
    base = load_catalog(base_from).case
    if "region" not in base:
        raise DataError.at(Path(base_from) / CATALOG, "the case has no 'region' to spread claims over")
    land = scatter.land_of(read_json(Path(base_from) / OFFLINE_FILE), tuple(base["region"]))
    counts = layer_counts(claims)
    shape_rng, claim_rng = np.random.default_rng(seed).spawn(2)
    geometries = _geometries(shape_rng, land, counts)
    attributes = draw_attributes(claim_rng, claims, first_unplaceable=counts[LAYERS[0][0]])
    links = link_denials(claim_rng, attributes)
    sources = {**_base_sources(base_from, base), **{item["id"]: item for item in SOURCES}}
    maker = FeatureMaker(attributes, links, sources, feature_ids(counts))
    files = {CATALOG: _pretty(catalog(base, claims, seed)), "sources.json": _pretty(list(sources.values()))}
    files["claims.json"] = _pretty({"note": "No authored claims: the layers are generated.", "features": []})
    files["README.md"] = readme(claims, seed, base).encode("utf-8")
    files.update({name: (Path(base_from) / name).read_bytes() for name in COPIED_FILES})
    return files, _layer_features(maker, geometries, counts), counts


def layer_counts(claims: int) -> dict[str, int]:
    """Split ``claims`` over the layers by their shares: the first layer takes what rounding leaves."""
    counts = {layer_id: round(claims * share) for layer_id, _, share, _, _ in LAYERS[1:]}
    return {LAYERS[0][0]: claims - sum(counts.values()), **counts}


def _geometries(rng: np.random.Generator, land: scatter.Land, counts: dict[str, int]) -> dict[str, list[Any]]:
    """Return each layer's GeoJSON geometries (without properties) and the measure of each, if any."""
    points, lines, areas = (counts[layer[0]] for layer in LAYERS)
    positions = scatter.sample_positions(rng, land, points).tolist()
    paths, lengths = scatter.sample_paths(rng, land, lines)
    rings, km2 = scatter.sample_polygons(rng, land, areas)
    return {
        LAYERS[0][0]: [({"type": "Point", "coordinates": xy}, {}) for xy in positions],
        LAYERS[1][0]: [
            ({"type": "LineString", "coordinates": path}, {"length_km": km})
            for path, km in zip(paths, lengths.tolist(), strict=True)
        ],
        LAYERS[2][0]: [
            ({"type": "Polygon", "coordinates": [ring]}, {"area_km2": area})
            for ring, area in zip(rings, km2.tolist(), strict=True)
        ],
    }


def feature_ids(counts: dict[str, int]) -> list[str]:
    """Return every feature's id, layer after layer: ``synthetic-point-000001``, ``synthetic-line-000001``..."""
    width = max(6, len(str(sum(counts.values()))))
    return [
        f"{PREFIX}{word}-{number:0{width}d}"
        for layer_id, _, _, _, word in LAYERS
        for number in range(1, counts[layer_id] + 1)
    ]


def _layer_features(
    maker: FeatureMaker, geometries: dict[str, list[Any]], counts: dict[str, int]
) -> dict[str, Iterator[dict[str, Any]]]:
    starts = np.cumsum([0, *counts.values()]).tolist()
    return {
        layer_id: _features(maker, layer_id, start, geometries[layer_id])
        for (layer_id, *_), start in zip(LAYERS, starts, strict=False)
    }


def _features(maker: FeatureMaker, layer_id: str, start: int, geometries: list[Any]) -> Iterator[dict[str, Any]]:
    """Yield a layer's features, the first being feature number ``start`` of the case."""
    for number, (geometry, measures) in enumerate(geometries):
        yield maker.feature(start + number, layer_id, geometry, measures)


def layer_file(layer_id: str) -> str:
    """Return the path of a layer's file in the case folder, as the catalog names it."""
    return f"layers/{layer_id}.geojson"


def write_layer(path: Path, layer_id: str, features: Iterable[dict[str, Any]]) -> None:
    """Write a layer as ``python -m geo build`` does (compact JSON, one feature per line), feature by feature."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as file:
        file.write(f'{{"type": "FeatureCollection", "name": {json.dumps(layer_id)}, "features": [\n')
        for number, feature in enumerate(features):
            file.write(",\n" if number else "")
            file.write(_ENCODER.encode(feature))
        file.write("\n]}\n")


def catalog(base: dict[str, Any], claims: int, seed: int) -> dict[str, Any]:
    """Return the synthetic case's ``catalog.json``: its case, with the base case's settings, and its layers."""
    label = f"{claims // 1000}k" if claims % 1000 == 0 else str(claims)
    case = {
        "id": f"{PREFIX}{label}-seed{seed}",
        "title": f"Synthetic case: {claims:,} generated claims (seed {seed}) — not real reporting",
        "summary": (
            f"Generated test data for scale and performance tests: {claims:,} made-up claims, reports, denials "
            f"and statements spread over the land of the region of “{base.get('title', base.get('id', ''))}”, "
            f"written by `python -m geo synth --claims {claims} --seed {seed}`. No feature reports a real event."
        ),
        "region": base["region"],
        **{key: base[key] for key in CASE_SETTINGS if key in base},
        "synthetic": {"claims": claims, "seed": seed},
    }
    layers = [
        {"id": layer_id, "title": title, "group": "claims", "file": layer_file(layer_id)}
        | {"default_visible": True, "style": style}
        for layer_id, title, _, style, _ in LAYERS
    ]
    return {"case": case, "layers": layers}


def _base_sources(base_from: Path, base: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the base case's sources of its boundaries and places (``base_sources``), which the basemap credits."""
    wanted = [item for item in base.get("base_sources") or [] if isinstance(item, str)]
    if not wanted:
        return {}
    sources = load_sources(base_from)
    return {source_id: sources[source_id] for source_id in wanted if source_id in sources}


def readme(claims: int, seed: int, base: dict[str, Any]) -> str:
    """Return the folder's README: what it is, how it was made, and the licences of the copied files."""
    return (
        f"# Synthetic case: {claims:,} generated claims (seed {seed})\n\n"
        "Generated test data, not real reporting: every claim, claimant, quote and source here is made up.\n"
        f"Regenerate it, byte for byte, with `python -m geo synth --claims {claims} --seed {seed} --out DIR`.\n\n"
        "- `layers/*.geojson`: points, short paths and small polygons spread uniformly by area over the land of the\n"
        f"  region {base['region']} (west, south, east, north) of the case `{base.get('id', '')}`;\n"
        "- `sources.json`: generated sources (no URL), plus the base case's sources of its boundaries and places;\n"
        "- `places.json` and `base/offline.geojson`: copied from that case, under the licences its README gives\n"
        "  (for the shipped case: GeoNames, CC BY 4.0; boundaries © OpenStreetMap contributors, ODbL 1.0);\n"
        "- `claims.json`: empty: nothing here is built by `python -m geo build`.\n"
    )


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
