"""Hostile uploads cannot grow the server's memory: every cache on the import path is bounded."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.model.schema import geometry_validator
from tests.browser import ROOT

UPLOADS = 50
#: Uploads checked before the first measurement: enough to fill the import cache (64 MB of about 5 MB results).
WARM_UP = 20
#: Features per upload, each with a geometry type no other upload uses (the defect's files had 10,000; checking
#: a junk-type feature costs about 1 ms here, so 50 such files would take minutes).
JUNK_FEATURES = 300
#: Valid features per upload carrying a large value, so that each cached result weighs about 5 MB.
BULKY_FEATURES = 40
BULK = 120_000
#: Allowed growth of the resident memory from upload ``WARM_UP`` to upload ``UPLOADS``. Measured: under 1 MB
#: with bounded caches; about 80 MB when junk types each kept a validator and the import cache held 32 results.
MARGIN_MB = 8


def hostile_upload(number: int) -> bytes:
    """Return upload ``number``: features of junk geometry types unique to it, and features with bulky values."""
    junk = [
        {"type": "Feature", "properties": {}, "geometry": {"type": f"Junk{number}-{i}", "coordinates": [1, 2]}}
        for i in range(JUNK_FEATURES)
    ]
    bulky = [
        {
            "type": "Feature",
            "properties": {"note": f"{number}-{i}-" + "x" * BULK},
            "geometry": {"type": "Point", "coordinates": [25.28, 54.69]},
        }
        for i in range(BULKY_FEATURES)
    ]
    return json.dumps({"type": "FeatureCollection", "features": junk + bulky}).encode()


def resident_mb() -> float:
    """Return this process's resident memory in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def measure() -> dict[str, float]:
    """Check ``UPLOADS`` hostile uploads through the page's cached import; return the memory at two points.

    Runs in a fresh process (see the test), without a Streamlit server: ``st.cache_data`` then keeps its entries in
    this process, as a server does. Returns the resident MB after ``WARM_UP`` uploads and after all of them.
    """
    from geo.app.imports import _import
    from geo.validate import Limits

    memory = {}
    for number in range(UPLOADS):
        result = _import(f"hostile-{number}.geojson", hostile_upload(number), frozenset(), Limits())
        assert result.rejected == JUNK_FEATURES, result.summary()
        del result
        if number + 1 in (WARM_UP, UPLOADS):
            gc.collect()
            memory[f"after_{number + 1}"] = resident_mb()
    return memory


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc (Linux)")
def test_fifty_hostile_uploads_leave_memory_flat_after_warm_up():
    command = [sys.executable, "-c", "import json; from tests.test_memory import measure; print(json.dumps(measure()))"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    memory = json.loads(done.stdout.strip().splitlines()[-1])
    growth = memory[f"after_{UPLOADS}"] - memory[f"after_{WARM_UP}"]
    assert growth < MARGIN_MB, f"memory grew {growth:.1f} MB over uploads {WARM_UP}-{UPLOADS}: {memory}"


def test_unknown_geometry_types_share_one_validator():
    assert geometry_validator("Junk-a") is geometry_validator("Junk-b") is geometry_validator(None)
    assert geometry_validator("Point") is not geometry_validator("Junk-a")
