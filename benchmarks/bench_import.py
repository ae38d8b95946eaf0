"""Benchmark: validating an upload, as a ratio to parsing the same bytes with ``json.loads``.

Absolute timings on a shared 2-core machine are noisy, so every figure is reported against a
baseline measured in the same run. Run it with ``python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.validate import Limits  # noqa: E402
from geo.validate.imports import import_file  # noqa: E402

SIZES = (1_000, 5_000, 10_000)
REPEATS = 3


def upload(count: int) -> bytes:
    """Return a FeatureCollection of ``count`` unsourced points in the case's region."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"sighting {n}", "note": "seen from the road"},
            "geometry": {"type": "Point", "coordinates": [24 + (n % 100) / 50, 53 + (n // 100) / 50]},
        }
        for n in range(count)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def best_of(run: Callable[[], object]) -> float:
    """Return the fastest of ``REPEATS`` runs, in seconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print, per size, the baseline, the import time and their ratio."""
    limits = Limits(max_bytes=100 * 1024 * 1024, max_features=100_000)
    print(f"{'features':>9} {'MB':>6} {'json.loads s':>13} {'import s':>9} {'ratio':>7}")
    for count in SIZES:
        data = upload(count)
        baseline = best_of(lambda data=data: json.loads(data))
        measured = best_of(lambda data=data: import_file("bench.geojson", data, limits))
        print(f"{count:>9} {len(data) / 1e6:>6.2f} {baseline:>13.4f} {measured:>9.3f} {measured / baseline:>7.0f}")


if __name__ == "__main__":
    main()
