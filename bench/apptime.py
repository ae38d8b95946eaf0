"""P2: a page's script time after a layer toggle, and the size of its map's arguments, measured with AppTest.

Each measurement runs in a fresh subprocess (``python -m bench.apptime``), so caches, imports and memory of one
page never help or burden another; the parent kills it at a time cap.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP_COMPONENT = "streamlit_folium.st_folium"


@dataclass
class Rerun:
    """What one subprocess measured: first run, reruns after each toggle and the map's arguments in bytes."""

    first: float | None = None
    toggles: list[float] = field(default_factory=list)
    args_bytes: int | None = None
    args_gzip: int | None = None
    skipped: str | None = None


def map_args(at) -> str:
    """Return the ``json_args`` of the page's Folium map component."""
    for element in at.get("component_instance"):
        if element.proto.component_name == MAP_COMPONENT:
            return element.proto.json_args
    raise LookupError(f"the page has no {MAP_COMPONENT} component")


def measure(app: Path, key: str, toggles: int, timeout: float) -> dict:
    """Run ``app`` once, then tick its checkbox ``key`` off and on ``toggles`` times; time each run.

    A toggle that reruns some sections alone (``st.fragment``) leaves AppTest holding only those: the page is
    then run whole, untimed, before the next toggle, so that the checkbox is there to tick (a browser keeps it).

    Returns
    -------
    dict
        ``first`` and ``toggles`` in seconds, ``args_bytes`` and ``args_gzip``: the map component's
        ``json_args`` after the first run, raw and gzipped.
    """
    from streamlit.testing.v1 import AppTest

    # Streamlit puts the script's folder first on the path; AppTest does not.
    sys.path.insert(0, str(app.parent))
    at = AppTest.from_file(str(app), default_timeout=timeout)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    _raise_on_exception(at)
    args = map_args(at).encode()
    times = []
    for number in range(toggles):
        box = _checkbox(at, key)
        (box.uncheck() if number % 2 == 0 else box.check())
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        _raise_on_exception(at)
    return {"first": first, "toggles": times, "args_bytes": len(args), "args_gzip": len(gzip.compress(args))}


def _checkbox(at, key: str):
    """Return the checkbox ``key``, running the whole page first (untimed) if the last run left it out."""
    try:
        return at.checkbox(key=key)
    except KeyError:
        at.run()
        _raise_on_exception(at)
        return at.checkbox(key=key)


def _raise_on_exception(at) -> None:
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")


def run(app: Path, data: Path | None, key: str, toggles: int, cap: float) -> Rerun:
    """Measure ``app`` in a subprocess with ``CLAIM_MAP_DATA=data``; give up (``skipped``) after ``cap`` seconds."""
    env = {**os.environ, **({"CLAIM_MAP_DATA": str(data)} if data else {})}
    command = [sys.executable, "-m", "bench.apptime", str(app), "--key", key, "--toggles", str(toggles)]
    command += ["--timeout", str(cap)]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return Rerun(skipped=f"exceeded the {cap:.0f} s cap")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return Rerun(skipped=f"failed: {' / '.join(tail)[:300]}")
    return Rerun(**json.loads(lines[-1]))


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line with the measurement (see ``measure``)."""
    parser = argparse.ArgumentParser(prog="python -m bench.apptime", description=__doc__)
    parser.add_argument("app", type=Path)
    parser.add_argument("--key", required=True, help="the widget key of the checkbox to toggle")
    parser.add_argument("--toggles", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="AppTest's timeout per run, in seconds")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.app.resolve(), args.key, args.toggles, args.timeout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
