"""Map styles by claim status, and the legend that explains them."""

from __future__ import annotations

from typing import Any

from geo.model.claims import SHOWN_STANDING_LABELS, UNSOURCED, shown_standing
from geo.render.escape import Html

#: Leaflet path options per status: colour says who stands behind it, dashes say how firm it is.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "unverified": {"color": "#d95f02", "weight": 3, "dashArray": "8 6", "fillOpacity": 0.25},
    "contested": {"color": "#c2185b", "weight": 3, "dashArray": "2 5", "fillOpacity": 0.25},
    "corroborated": {"color": "#1f5fbf", "weight": 3, "dashArray": None, "fillOpacity": 0.25},
    "confirmed": {"color": "#1b7837", "weight": 3, "dashArray": None, "fillOpacity": 0.35},
    "refuted": {"color": "#444444", "weight": 3, "dashArray": "1 4", "fillOpacity": 0.1},
    "retracted": {"color": "#777777", "weight": 3, "dashArray": "1 4", "fillOpacity": 0.1},
    "on-record": {"color": "#6a3d9a", "weight": 3, "dashArray": None, "fillOpacity": 0.25},
    "context": {"color": "#555555", "weight": 1.5, "dashArray": None, "fillOpacity": 0.0, "fill": False},
    UNSOURCED: {"color": "#7b3294", "weight": 2, "dashArray": "1 4", "fillOpacity": 0.15},
}
STATUS_LABELS = SHOWN_STANDING_LABELS
#: Lines whose course is inferred beyond the source (precision ``region``) are drawn faint and dotted.
INFERRED_LINE = {"dashArray": "1 9", "opacity": 0.75, "lineCap": "round"}
INFERRED_LABEL = "Faint dotted line: course inferred beyond the source (precision: region)"


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
    base = STATUS_STYLES.get(status if isinstance(status, str) else "", STATUS_STYLES[UNSOURCED])
    style = {**base, "fillColor": base["color"], "opacity": 0.9}
    style.update({key: value for key, value in (layer_style or {}).items() if key != "radius"})
    return style


def is_inferred_line(feature: dict[str, Any]) -> bool:
    """True for a line feature whose precision is ``region``: its course is an inference."""
    geometry = feature.get("geometry") or {}
    precision = (feature.get("properties") or {}).get("precision")
    return geometry.get("type") in ("LineString", "MultiLineString") and precision == "region"


def feature_style(feature: dict[str, Any], layer_style: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return Leaflet path options for one feature: its shown status's style, faint if its course is inferred."""
    style = style_for(shown_standing(feature), layer_style)
    return {**style, **INFERRED_LINE} if is_inferred_line(feature) else style


def _legend_row(key: str, border: str, label: str) -> Html:
    swatch = Html('<span class="swatch" style="border-top:{}"></span>').format(border)
    return Html('<li data-status="{}">{} {}</li>').format(key, swatch, label)


def legend_html(statuses: list[str]) -> Html:
    """Return an HTML legend with one swatch per status, in the order given, and the inferred-line cue."""
    rows = []
    for status in statuses:
        style = style_for(status)
        dash = {"8 6": "dashed", None: "solid"}.get(style["dashArray"], "dotted")
        rows.append(_legend_row(status, f"4px {dash} {style['color']}", STATUS_LABELS[status]))
    rows.append(_legend_row("inferred", "4px dotted #8fa9d9", INFERRED_LABEL))
    return Html('<ul class="claim-legend">{}</ul>').format(Html("").join(rows))
