"""Validate files and the whole data folder: layers, base boundaries and cross-references."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from geo.model.layers import Catalog
from geo.store.catalog import DATA_DIR, DataError, load_catalog, load_claims, load_places, load_sources
from geo.validate.document import validate_document
from geo.validate.links import link_findings
from geo.validate.problems import UNREADABLE, Context, Limits, Mode, Problem, Region, Report, as_region
from geo.validate.reading import read_document

BASE_DIR_NAME = "base"
#: Names the downloads give to more than one layer (widget keys, file names, ``export --layers all``).
DOWNLOAD_SCOPES = ("view", "all", "sources")


def check_file(
    path: Path,
    data_dir: Path = DATA_DIR,
    *,
    layer: str | None = None,
    limits: Limits = Limits(),
    as_import: bool = False,
    region: Region | None = None,
) -> Report:
    """Validate one GeoJSON file against the project's rules.

    Parameters
    ----------
    path : Path
        The file.
    data_dir : Path
        Where ``sources.json`` is, to resolve ``source_id``.
    layer : str, optional
        The catalog layer the file holds; every feature's ``layer`` must match it.
    limits : Limits
        Size, feature-count and nesting caps.
    as_import : bool
        Check the file as the app's import does: features without claim fields are kept as unsourced.
    region : tuple of 4 float, optional
        The case's region (west, south, east, north), to spot swapped latitude and longitude.

    Returns
    -------
    Report

    """
    document, problems = read_document(path, limits)
    if document is UNREADABLE:
        return Report(str(path), problems=problems)
    is_base = BASE_DIR_NAME in Path(path).parts[-2:-1]
    mode = Mode.STRUCTURE if is_base else Mode.IMPORT if as_import else Mode.CLAIMS
    sources = None if is_base else _source_ids(data_dir)
    context = Context(str(path), mode=mode, sources=sources, layer=layer, limits=limits, region=region)
    report = validate_document(document, context)
    report.problems[:0] = problems
    return report


def _source_ids(data_dir: Path) -> frozenset[str] | None:
    """Return the source ids, or ``None`` (no cross-check) if ``sources.json`` has problems of its own."""
    try:
        return frozenset(load_sources(data_dir))
    except DataError:
        return None


def check_data_dir(data_dir: Path = DATA_DIR, limits: Limits = Limits()) -> list[Problem]:
    """Validate every catalog layer, the base boundaries and the links between features."""
    problems = _check_sources(data_dir) + _check_authored(data_dir)
    try:
        catalog = load_catalog(data_dir)
    except DataError as exc:
        return [*problems, Problem(str(Path(data_dir) / "catalog.json"), str(exc))]
    region, region_problems = _case_region(catalog, Path(data_dir) / "catalog.json")
    problems += region_problems + _check_layer_ids(catalog, Path(data_dir) / "catalog.json")
    base_files = sorted((Path(data_dir) / BASE_DIR_NAME).glob("*.geojson"))
    reports = [
        check_file(layer.path(data_dir), data_dir, layer=layer.id, limits=limits, region=region)
        for layer in catalog.layers
    ]
    reports += [check_file(path, data_dir, limits=limits, region=region) for path in base_files]
    problems += [problem for report in reports for problem in report.problems]
    return problems + _check_links(reports[: len(catalog.layers)], data_dir)


def _case_region(catalog: Catalog, path: Path) -> tuple[Region | None, list[Problem]]:
    """Return the case's ``region`` from the catalog at ``path``, or ``None`` and the problem that says why not."""
    try:
        return as_region(catalog.case.get("region")), []
    except ValueError as exc:
        return None, [Problem(str(path), f"case: {exc}")]


def _data_dir_region(data_dir: Path) -> Region | None:
    """Return the region of the case in ``data_dir``; ``None`` if there is none or it is unusable."""
    try:
        return _case_region(load_catalog(data_dir), Path(data_dir) / "catalog.json")[0]
    except DataError:
        return None


def _check_layer_ids(catalog: Catalog, path: Path) -> list[Problem]:
    scopes = ", ".join(DOWNLOAD_SCOPES)
    return [
        Problem(str(path), f"layer id {layer.id!r} is taken by a download scope ({scopes}): choose another id")
        for layer in catalog.layers
        if str(layer.id).strip().lower() in DOWNLOAD_SCOPES
    ]


def _check_sources(data_dir: Path) -> list[Problem]:
    path = Path(data_dir) / "sources.json"
    try:
        items = load_sources(data_dir).values()
    except DataError as exc:
        return _problems(path, exc)
    return [Problem(str(path), f"source {item['id']!r} has no title") for item in items if not item.get("title")]


def _check_authored(data_dir: Path) -> list[Problem]:
    """Problems in the claims and places that ``python -m geo build`` reads."""
    problems = []
    for name, load in (("claims.json", load_claims), ("places.json", load_places)):
        try:
            load(data_dir)
        except DataError as exc:
            problems += _problems(Path(data_dir) / name, exc)
    return problems


def _problems(path: Path, error: DataError) -> list[Problem]:
    """One problem per line of ``error``; its lines name ``path`` first, which ``Problem`` shows on its own."""
    return [Problem(str(path), line.removeprefix(f"{path}: ")) for line in error.problems]


def _check_links(reports: list[Report], data_dir: Path) -> list[Problem]:
    """Problems in the links between features (answers both ways, standing) and to their sources."""
    where = {feature["properties"].get("id"): report.path for report in reports for feature in report.features}
    try:
        sources = load_sources(data_dir)
    except DataError:
        sources = None
    properties = [feature["properties"] for report in reports for feature in report.features]
    rejected = [problem.feature for report in reports for problem in report.errors if isinstance(problem.feature, str)]
    return [
        Problem(where[feature_id], message, feature_id, field=f"properties.{field}")
        for feature_id, field, message in link_findings(properties, sources, rejected)
    ]


def check_paths(
    paths: Iterable[Path], data_dir: Path = DATA_DIR, *, max_bytes: int | None = None, as_import: bool = False
) -> list[Problem]:
    """Validate files and folders (all ``*.geojson`` inside); with none, the whole data folder."""
    limits = Limits() if max_bytes is None else Limits(max_bytes=max_bytes)
    paths = list(paths)
    if not paths:
        return check_data_dir(data_dir, limits)
    problems, region = [], _data_dir_region(data_dir)
    for path in paths:
        files = sorted(Path(path).rglob("*.geojson")) if Path(path).is_dir() else [Path(path)]
        if Path(path).is_dir() and not files:
            problems.append(Problem(str(path), "the folder holds no .geojson file"))
        for file in files:
            problems += check_file(file, data_dir, limits=limits, as_import=as_import, region=region).problems
    return problems
