"""The depth slider of the claimed border zones and the measurements panel.

The one part of the running app that uses the build-time derivations: ``geo.derive`` is imported inside the
functions below, so the page loads without it, and boundaries are read only when a reader moves the slider or
opens the measurements (a folded section: GeoPandas takes seconds to measure a case the first time). Results are
cached by the data folder and the depth (small keys), never by the data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st
from babel.numbers import format_decimal

from geo.model.layers import CATALOG_GROUPS, Layers
from geo.render.escape import escape_markdown
from geo.render.i18n import current_locale
from geo.render.i18n import gettext as _
from geo.store.case import default_data_dir
from geo.store.catalog import DataError

if TYPE_CHECKING:
    import pandas as pd

DEPTH_KEY = "zone-depth"
#: The measurements section's open state: the figures are computed and drawn only while it is open.
OPEN_KEY = "measurements:open"
DEPTH_STEP_KM = 5
#: Entries per cache: every depth the slider offers (5–100 km by 5, and the case's own), for one data folder.
CACHE_ENTRIES = 24
COLUMNS = ["figure", "value", "unit", "method"]

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=4)
def _depth_range(data_dir: str) -> tuple[float | None, int, int, str]:
    """Return the case's own zone depth (``None`` without zones), the slider's bounds and the zone layer id."""
    from geo.derive import zones

    return zones.shipped_depth(Path(data_dir)), zones.MIN_DEPTH_KM, zones.MAX_DEPTH_KM, zones.ZONE_LAYER


# No spinner text here: it would be fixed at import, in English. The callers show one in the reader's language.
@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _zones(data_dir: str, depth_km: float) -> dict[str, Any]:
    from geo.derive.zones import zones_at_depth

    return zones_at_depth(Path(data_dir), depth_km)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _measurements(data_dir: str, depth_km: float | None) -> pd.DataFrame:
    from geo.derive.measure import as_frame, measurements

    return as_frame(measurements(Path(data_dir), depth_km))


def _km(value: float) -> int | float:
    """Return a depth as an int where it is whole (30, not 30.0), for the slider's options and labels."""
    return int(value) if float(value).is_integer() else float(value)


def km_text(value: float) -> str:
    """Return a depth in km as the interface language writes it: ``30 km``, ``2.5 km`` (``2,5 km`` in German)."""
    return _("{km} km").format(km=format_decimal(_km(value), locale=current_locale(), group_separator=False))


def _shipped(data_dir: Path) -> tuple[float | None, int, int, str]:
    """Return ``_depth_range``, or no depth (and a log line) when the case's claims cannot be read."""
    try:
        return _depth_range(data_dir=str(data_dir))
    except (DataError, ValueError):
        log.warning("no depth slider: the zones' depth cannot be read", exc_info=True)
        return None, 0, 0, ""


def depth_slider(
    key: str = DEPTH_KEY, default: float | None = None, data_dir: Path | None = None
) -> int | float | None:
    """Draw the slider of the claimed border zones' depth, 5–100 km by 5 km and the case's own depth.

    Parameters
    ----------
    key : str
        The widget key.
    default : float, optional
        The depth shown first; the case's own depth (the build's) if not given or not offered.
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    int or float or None
        The chosen depth in km; ``None`` (and no slider) when the case has no border zones to recompute.
    """
    shipped, low, high, _layer_id = _shipped(Path(data_dir or default_data_dir()))
    if shipped is None:
        return None
    options = sorted({*range(low, high + 1, DEPTH_STEP_KM), _km(shipped)})
    value = _km(default) if default is not None and _km(default) in options else _km(shipped)
    return st.select_slider(
        _("Depth of the claimed border zones"),
        options=options,
        value=value,
        format_func=km_text,
        key=key,
        help=_(
            "The source gives no depth: the case's default is {depth}. The zones, their areas, the measurements "
            "and the downloads follow the depth chosen here."
        ).format(depth=km_text(shipped)),
    )


def apply_depth(layers: Layers, depth_km: float | None, data_dir: Path | None = None) -> Layers:
    """Return ``layers`` with the border zones recomputed at ``depth_km`` (unchanged at the case's own depth).

    Parameters
    ----------
    layers : Layers
        The page's layers (case and imports).
    depth_km : float or None
        The depth from ``depth_slider``; ``None`` leaves the layers as they are.
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.

    Returns
    -------
    Layers
        A new list: the zone layer's collection replaced, every other pair as it was. If the zones cannot be
        recomputed, a warning says so and the layers come back unchanged.
    """
    data_dir = Path(data_dir or default_data_dir())
    shipped, _low, _high, layer_id = _shipped(data_dir)
    if depth_km is None or shipped is None or float(depth_km) == shipped:
        return layers
    try:
        with st.spinner(_("Recomputing the border zones…")):
            zones = _zones(str(data_dir), float(depth_km))
    except (DataError, ValueError):
        log.exception("the border zones could not be recomputed at %s km", depth_km)
        st.warning(
            _(
                "The border zones could not be recomputed at {depth}: they are shown at the case's default "
                "depth, {default}."
            ).format(depth=km_text(depth_km), default=km_text(shipped))
        )
        return layers
    return [(layer, zones if layer.id == layer_id and layer.group in CATALOG_GROUPS else fc) for layer, fc in layers]


def show_measurements(data_dir: Path | None = None, depth_km: float | None = None) -> None:
    """Show the figures of the case (routes, borders, zone areas, distances to the border) with their methods.

    They sit in a folded section (``OPEN_KEY``) and are computed only once a reader opens it.

    Parameters
    ----------
    data_dir : Path, optional
        The data folder; ``default_data_dir()`` if not given.
    depth_km : float, optional
        The border zones' depth from ``depth_slider``; the case's own depth if not given.
    """
    section = st.expander(
        _("Measurements: route and border lengths, zone areas, distances to the border"),
        key=OPEN_KEY,
        on_change="rerun",
    )
    if section.open:
        with section:
            _show_figures(Path(data_dir or default_data_dir()), depth_km)


def _show_figures(data_dir: Path, depth_km: float | None) -> None:
    """Show the measurements table of ``show_measurements``, or say why there is none."""
    shipped = _shipped(data_dir)[0]
    depth = None if depth_km is None or shipped is None or float(depth_km) == shipped else float(depth_km)
    try:
        with st.spinner(_("Measuring…")):
            frame = _measurements(str(data_dir), depth)
    except DataError as exc:
        log.warning("no measurements: %s", exc)
        st.info(
            _("Measurements need {file}: {reason}.").format(
                file=escape_markdown(_file_name(exc.path, data_dir)), reason=escape_markdown(exc.reason)
            )
        )
        return
    if frame.empty:
        st.info(_("This case has no routes, borders or zones to measure."))
        return
    caption = _("Computed with GeoPandas in the case's metric CRS from the files each method names.")
    if shipped is not None:
        zones = _("The claimed border zones at {depth}; the drills zone keeps its own depth.")
        caption += " " + zones.format(depth=km_text(depth or shipped))
    st.caption(caption)
    st.dataframe(
        frame[COLUMNS],
        hide_index=True,
        width="stretch",
        column_config={
            "figure": st.column_config.TextColumn(_("Figure"), width="medium"),
            "value": st.column_config.NumberColumn(_("Value")),
            "unit": st.column_config.TextColumn(_("Unit"), width="small"),
            "method": st.column_config.TextColumn(_("Method"), width="large"),
        },
    )


def _file_name(path: Path | None, data_dir: Path) -> str:
    """Name a data file relative to the data folder's parent (``data/base/countries.geojson``), never in full."""
    if path is None:
        return _("the files in {folder}/").format(folder=data_dir.name)
    try:
        return path.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return path.name
