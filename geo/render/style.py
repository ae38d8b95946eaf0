"""Map styles by shown standing: colour, fill pattern and dash, so the map reads without colour too."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from geo.model.claims import CONTEXT, KINDS, SHOWN_STANDING_LABELS, SHOWN_STANDINGS, UNSOURCED, shown_standing
from geo.render.escape import Html, escape_text
from geo.render.legend import legend_html  # noqa: F401  (the standalone HTML export reads it from here)
from geo.render.patterns import DASHES, FILL_PATTERNS, NONE, STANDING_COLOURS
from geo.render.uncertainty import is_inferred

#: Leaflet path options per shown standing: the colour, the dash of lines and outlines, how much fill shows.
STANDING_STYLES: dict[str, dict[str, Any]] = {
    standing: {
        "color": STANDING_COLOURS[standing],
        "weight": 1.5 if standing == CONTEXT else 3.5,
        "dashArray": DASHES[standing],
        "fillOpacity": 0.0 if FILL_PATTERNS[standing] == NONE else 0.7,
        "fill": FILL_PATTERNS[standing] != NONE,
    }
    for standing in SHOWN_STANDINGS
}
#: The pre-2026 names, still read by the standalone HTML export and the claim panel's badge.
STATUS_STYLES = STANDING_STYLES
STATUS_LABELS = SHOWN_STANDING_LABELS
#: What an inference changes: everything fainter and thinner (its dash stays: that is its standing).
INFERRED = {"opacity": 0.55, "fillOpacity": 0.35}
INFERRED_WEIGHT = 0.6
#: A selected feature and the features that answer it, drawn heavier on top of the others.
SELECTED_WEIGHT = 3
#: Streamlit 1.67 draws each chosen option of a multiselect as a ``span[data-tag]`` (react-aria, not BaseWeb)
#: whose ``aria-label`` is the option's text, inside ``stMultiSelectTagsContainer`` (read from its page).
CHIP_SELECTOR = '[data-testid="stMultiSelectTagsContainer"] span[data-tag][aria-label="{}"]'
#: Option texts a chip rule may name: words and plain punctuation, nothing that ends a CSS string.
CHIP_LABEL = re.compile(r"[\w ,.:;()/+-]{1,120}")
#: Geometries drawn as lines: never filled (Leaflet would fill the area between a bent line and its chord).
LINES = frozenset({"LineString", "MultiLineString"})
#: Every kind a feature can be drawn as.
SHOWN_KINDS = frozenset({*KINDS, UNSOURCED})


def style_for(standing: Any, layer_style: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return Leaflet path options for a shown standing, with the layer's catalog style on top.

    Parameters
    ----------
    standing : Any
        A shown standing (``geo.model.claims.SHOWN_STANDINGS``); anything else is styled as unsourced.
    layer_style : Mapping, optional
        The layer's ``style`` from the catalog (e.g. ``weight``); ``radius`` is ignored.

    Returns
    -------
    dict
        ``color``, ``weight``, ``dashArray``, ``fill``, ``fillColor``, ``fillOpacity`` and ``opacity``.
    """
    base = STANDING_STYLES.get(standing if isinstance(standing, str) else "", STANDING_STYLES[UNSOURCED])
    style = {**base, "fillColor": base["color"], "opacity": 0.95}
    style.update({key: value for key, value in (layer_style or {}).items() if key != "radius"})
    return style


def feature_style(feature: Mapping[str, Any], layer_style: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return Leaflet path options for one feature: its shown standing's style, fainter if its place is inferred.

    A line is never filled, whatever its standing's fill: filled, a bent route reads as an area.
    """
    style = style_for(shown_standing(feature), layer_style)
    if is_inferred(feature.get("properties") or {}):
        style = {**style, **INFERRED, "weight": round(style["weight"] * INFERRED_WEIGHT, 2)}
    if (feature.get("geometry") or {}).get("type") in LINES:
        style = {**style, "fill": False}
    return style


def path_classes(layer_class: str, properties: Mapping[str, Any], area: bool) -> str:
    """Return the CSS classes of a drawn shape: layer, kind, standing, placement, and ``cm-area`` for areas.

    ``properties`` are a display feature's (see ``geo.render.mapview.display_collection``): ``kind`` and
    ``standing`` are already the shown values.
    """
    kind = properties.get("kind") if properties.get("kind") in SHOWN_KINDS else UNSOURCED
    standing = properties.get("standing") if properties.get("standing") in SHOWN_STANDINGS else UNSOURCED
    placement = "inferred" if is_inferred(properties) else "stated"
    area_class = " cm-area" if area else ""
    return f"{layer_class} kind-{kind} standing-{standing} placement-{placement}{area_class}"


def standing_colours() -> dict[str, str]:
    """Return each shown standing's colour (``#rrggbb``), in legend order: the map's, for filter chips too."""
    return {standing: STANDING_COLOURS[standing] for standing in SHOWN_STANDINGS}


def chip_css(labels: Mapping[str, str] | None = None) -> Html:
    """Return a ``<style>`` that colours Streamlit multiselect chips like the map colours standings.

    Parameters
    ----------
    labels : Mapping, optional
        The text each standing's option shows in the multiselect (its ``format_func`` result), by
        standing; the standing's own name where not given.

    Returns
    -------
    Html
        A left border in the standing's colour and a tinted background on each chosen chip; the chip's
        text stays dark, so it reads on any tint. A label with characters outside ``CHIP_LABEL`` gets no rule.
    """
    labels = labels or {}
    rules = [
        Html("{}{{border-left:6px solid {};background:{}22 !important;color:#111 !important}}").format(
            Html(CHIP_SELECTOR.format(escape_text(label))), colour, colour
        )
        for standing, colour in standing_colours().items()
        if CHIP_LABEL.fullmatch(label := str(labels.get(standing, standing)))
    ]
    return Html("<style>{}</style>").format(Html("").join(rules))
