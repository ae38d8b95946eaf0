"""File names of exports: ``claim-map_<case>_<scope>_<date>.<extension>``."""

from __future__ import annotations

import datetime as dt

from geo.model.names import slug


def download_name(case_id: str, scope: str, day: dt.date | None = None, extension: str = "geojson") -> str:
    """Return ``claim-map_<case>_<layer or view>_<YYYY-MM-DD>.<extension>``.

    Parameters
    ----------
    case_id : str
        The case, e.g. ``belarus-2020-08``.
    scope : str
        A layer id, ``all`` for every layer, or ``view`` for the layers and filters on screen.
    day : datetime.date, optional
        The export date; today (UTC) by default.
    extension : str
        File extension without the dot.

    Returns
    -------
    str
    """
    day = day or dt.datetime.now(dt.UTC).date()
    return f"claim-map_{slug(case_id)}_{slug(scope)}_{day.isoformat()}.{extension}"
