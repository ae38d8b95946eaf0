"""Serve third-party browser assets from installed packages, never from a CDN or the repository."""

from __future__ import annotations

import base64
import json
import logging
import re
import shutil
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xstatic_leaflet

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")
#: Leaflet's stylesheet names its images relative to itself; the standalone map inlines them.
CSS_IMAGE = re.compile(r"url\(images/([\w.-]+\.png)\)")
#: The default marker's images (folium draws a default marker before it sets a label icon).
DEFAULT_ICON = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}

log = logging.getLogger(__name__)


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


def try_install_leaflet(target: Path | None = None) -> Path | None:
    """Return ``install_leaflet(target)``, or ``None`` where the folder cannot be written (a read-only install).

    The page then inlines Leaflet into the map instead of linking the served copy (see ``inline_leaflet``).
    """
    target = LEAFLET_DIR if target is None else target
    try:
        return install_leaflet(target)
    except OSError as exc:
        log.warning("Leaflet not copied to %s (%s): the map carries it inline", target, exc)
        return None


def leaflet_text(name: str) -> str:
    """Return the text of ``leaflet.js`` or ``leaflet.css`` from the installed package."""
    if name not in ("leaflet.js", "leaflet.css"):
        raise ValueError(f"unknown Leaflet file {name!r}")
    return (leaflet_source() / name).read_text(encoding="utf-8")


def leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images inlined as data URIs."""
    return CSS_IMAGE.sub(lambda match: f"url({image_uri(match[1])})", leaflet_text("leaflet.css"))


def image_uri(name: str) -> str:
    """Return one of Leaflet's images as a ``data:`` URI."""
    image = base64.b64encode((leaflet_source() / "images" / name).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{image}"


def inline_leaflet(fmap: folium.Map) -> folium.Map:
    """Replace the map's Leaflet links by Leaflet's script, stylesheet and marker images inside the page."""
    fmap.default_js, fmap.default_css = [], []
    script = leaflet_text("leaflet.js").replace("</script", "<\\/script")
    icons = json.dumps({option: image_uri(name) for option, name in DEFAULT_ICON.items()})
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css")
    header.add_child(folium.Element(f"<script>{script}</script>"), name="leaflet")
    defaults = f"<script>L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({icons});</script>"
    header.add_child(folium.Element(defaults), name="leaflet_icons")
    return fmap
