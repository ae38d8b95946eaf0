"""The cases the benchmark runs on: the shipped case and synthetic ones made by ``python -m geo synth``."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTH_MODULE = ROOT / "geo" / "derive" / "synthetic.py"
#: The generator's source files: a change to any of them makes new cases.
SYNTH_SOURCES = ("synthetic*.py", "scatter.py")
#: Synthetic cases are kept here between runs, one folder per size, seed and version of the generator.
CACHE = Path(tempfile.gettempdir()) / "claim-map-bench" / "cases"
SEED = 11


@dataclass(frozen=True)
class Case:
    """A case folder (``CLAIM_MAP_DATA``) and what the benchmark toggles in it."""

    name: str
    data: Path
    claims: int | None = None

    def catalog(self) -> dict:
        """Return the case's ``catalog.json``."""
        return json.loads((self.data / "catalog.json").read_text(encoding="utf-8"))

    def toggle_layer(self) -> str:
        """Return the id of the layer the benchmark switches off and on: the first one shown by default."""
        layers = self.catalog()["layers"]
        return next((layer["id"] for layer in layers if layer.get("default_visible", True)), layers[0]["id"])

    def default_layers(self) -> list[dict]:
        """Return the catalog entries of the layers shown by default."""
        return [layer for layer in self.catalog()["layers"] if layer.get("default_visible", True)]


def shipped(app_root: Path) -> Case:
    """Return the case shipped in ``app_root/data``."""
    return Case("shipped", Path(app_root) / "data")


def label(claims: int) -> str:
    """Return a size as the report names it: ``200``, ``1k``, ``100k``."""
    return f"{claims // 1000}k" if claims >= 1000 and claims % 1000 == 0 else str(claims)


def synthetic(claims: int, seed: int = SEED) -> Case:
    """Return a synthetic case of ``claims`` claims, made by ``python -m geo synth`` unless already made.

    Raises
    ------
    RuntimeError
        If this checkout has no ``python -m geo synth`` or it fails; the message carries its output.
    """
    if not SYNTH_MODULE.exists():
        raise RuntimeError(f"{SYNTH_MODULE.relative_to(ROOT)} is missing: this checkout cannot make synthetic cases")
    digest = hashlib.blake2b(digest_size=6)
    for pattern in SYNTH_SOURCES:
        for path in sorted(SYNTH_MODULE.parent.glob(pattern)):
            digest.update(path.read_bytes())
    version = digest.hexdigest()
    out = CACHE / f"claims-{claims}-seed-{seed}-{version}"
    if not (out / "catalog.json").exists():
        partial = out.with_name(out.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        command = [sys.executable, "-m", "geo", "synth", "--claims", str(claims), "--seed", str(seed)]
        done = subprocess.run([*command, "--out", str(partial)], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` failed:\n{done.stderr[-2000:]}")
        partial.rename(out)
    return Case(label(claims), out, claims)
