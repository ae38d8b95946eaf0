"""Map styles by claim status, and the legend that explains them."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from geo.escape import escape_text

#: Leaflet path options per status: colour says who stands behind it, dashes say how firm it is.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "claimed": {"color": "#d95f02", "weight": 3, "dashArray": "8 6", "fillOpacity": 0.25},
    "reported": {"color": "#1f5fbf", "weight": 3, "dashArray": None, "fillOpacity": 0.25},
    "denied": {"color": "#c2185b", "weight": 3, "dashArray": "2 5", "fillOpacity": 0.25},
    "confirmed": {"color": "#1b7837", "weight": 3, "dashArray": None, "fillOpacity": 0.35},
    "context": {"color": "#555555", "weight": 1.5, "dashArray": None, "fillOpacity": 0.0, "fill": False},
    "unsourced": {"color": "#7b3294", "weight": 2, "dashArray": "1 4", "fillOpacity": 0.15},
}
STATUS_LABELS = {
    "claimed": "Claimed: asserted by a party, no evidence shown",
    "reported": "Reported: media or eyewitness report",
    "denied": "Denial: a statement denying another claim",
    "confirmed": "Confirmed",
    "context": "Context: geography, not a claim",
    "unsourced": "Unsourced: imported, no citation",
}
DEFAULT_STATUS = "unsourced"


def style_for(status: Any, layer_style: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return Leaflet path options for a status, with the layer's catalog style on top.

    Parameters
    ----------
    status : Any
        A claim status; anything unknown is styled as unsourced.
    layer_style : dict, optional
        The layer's ``style`` from the catalog (e.g. ``weight``, ``radius``).

    Returns
    -------
    dict

    """
    base = STATUS_STYLES.get(status if isinstance(status, str) else "", STATUS_STYLES[DEFAULT_STATUS])
    style = {**base, "fillColor": base["color"], "opacity": 0.9}
    style.update({key: value for key, value in (layer_style or {}).items() if key != "radius"})
    return style


def legend_html(statuses: list[str]) -> Markup:
    """Return an HTML legend with one swatch per status, in the order given."""
    rows = []
    for status in statuses:
        style = style_for(status)
        dash = {"8 6": "dashed", None: "solid"}.get(style["dashArray"], "dotted")
        swatch = Markup('<span class="swatch" style="border-top:4px {} {}"></span>').format(dash, style["color"])
        rows.append(
            Markup('<li data-status="{}">{} {}</li>').format(status, swatch, escape_text(STATUS_LABELS[status]))
        )
    return Markup('<ul class="claim-legend">{}</ul>').format(Markup("").join(rows))
