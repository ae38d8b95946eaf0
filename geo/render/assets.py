"""Serve third-party browser assets from installed packages, never from a CDN or the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")


def leaflet_source() -> Path:
    """Return the folder of the installed ``xstatic-leaflet`` package that holds Leaflet."""
    return Path(xstatic_leaflet.BASE_DIR)


def install_leaflet(target: Path = LEAFLET_DIR) -> Path:
    """Copy Leaflet's script, stylesheet and images to ``target`` if they are missing or outdated.

    Parameters
    ----------
    target : Path
        The folder Streamlit serves (``static/vendor/leaflet``).

    Returns
    -------
    Path
        ``target``.
    """
    source = leaflet_source()
    stamp = target / "VERSION"
    if stamp.is_file() and stamp.read_text() == xstatic_leaflet.VERSION:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in LEAFLET_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source / name, target / name)
    stamp.write_text(xstatic_leaflet.VERSION)
    return target


def leaflet_text(name: str) -> str:
    """Return the text of ``leaflet.js`` or ``leaflet.css`` from the installed package."""
    if name not in ("leaflet.js", "leaflet.css"):
        raise ValueError(f"unknown Leaflet file {name!r}")
    return (leaflet_source() / name).read_text(encoding="utf-8")
