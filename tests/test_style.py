"""The visual language: every kind and standing reads without colour, and the filter chips share the map's colours."""

import re

import pytest
from jinja2 import Environment

from geo.model.claims import CONTEXT, KINDS, ON_RECORD, SHOWN_STANDINGS, STANDINGS, UNSOURCED, shown_standing
from geo.render import legend, patterns, style, symbols

#: Every (kind, shown standing) pair a feature can be drawn with: claims and reports in every standing (or
#: unsourced when theirs is unknown), denials and statements on record, context, and imports without our fields.
PAIRS = [
    *((kind, standing) for kind in ("claim", "report") for standing in (*STANDINGS, UNSOURCED)),
    ("denial", ON_RECORD),
    ("statement", ON_RECORD),
    (CONTEXT, CONTEXT),
    (UNSOURCED, UNSOURCED),
]


def look_without_colour(kind: str, standing: str) -> tuple:
    """What tells a pair apart in greyscale: area pattern, line dash, marker shape and marker fill pattern."""
    marker = re.search(r'class="cm-mark[^"]*" d="([^"]+)" fill="([^"]+)"', str(symbols.marker_svg(kind, standing)))
    return patterns.FILL_PATTERNS[standing], patterns.DASHES[standing], marker[1], marker[2]


def test_every_pair_the_model_can_produce_is_covered():
    produced = {
        (feature_kind, shown_standing({"properties": {"kind": feature_kind, "standing": standing}}))
        for feature_kind in KINDS
        for standing in (*STANDINGS, "nonsense")
    }
    assert produced <= {*PAIRS}


def test_every_kind_and_standing_pair_looks_different_without_colour():
    looks = [look_without_colour(kind, standing) for kind, standing in PAIRS]
    assert len(set(looks)) == len(PAIRS)


@pytest.mark.parametrize("part", ["pattern", "dash"])
def test_each_standing_has_its_own_pattern_and_dash(part):
    values = [patterns.FILL_PATTERNS[s] if part == "pattern" else patterns.DASHES[s] for s in SHOWN_STANDINGS]
    # context and confirmed both draw solid lines: context is thin and unfilled, so its pattern differs
    assert len(set(values)) == len(SHOWN_STANDINGS) - (part == "dash")


def test_each_kind_has_its_own_marker_shape_and_a_denial_is_a_cross():
    shapes = {kind: look_without_colour(kind, ON_RECORD)[2] for kind in (*KINDS, UNSOURCED)}
    assert len(set(shapes.values())) == len(shapes)
    assert symbols.KIND_NAMES["denial"] == "cross"


def test_a_pattern_fill_points_at_a_defined_pattern():
    defs = patterns.pattern_defs()
    for standing in SHOWN_STANDINGS:
        paint = patterns.fill_paint(standing)
        if paint.startswith("url("):
            assert f'id="{paint[5:-1]}"' in defs
    assert patterns.fill_paint("confirmed") == patterns.STANDING_COLOURS["confirmed"]
    assert patterns.fill_paint(CONTEXT) == "none"


def test_fixed_css_and_svg_hold_no_template_syntax():
    """Branca compiles map scripts and header elements as Jinja2: the fixed texts must come out unchanged."""
    texts = [patterns.pattern_defs(), patterns.fill_css(), legend.LEGEND_CSS, str(style.chip_css())]
    texts += [str(legend.legend_html(SHOWN_STANDINGS, pairs=PAIRS))]
    for text in texts:
        assert Environment().from_string(text).render() == text


def test_standing_colours_cover_every_shown_standing_in_legend_order():
    colours = style.standing_colours()
    assert list(colours) == list(SHOWN_STANDINGS)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours.values())
    assert len(set(colours.values())) == len(colours)


def test_chip_css_colours_each_chip_by_its_label_and_skips_unsafe_labels():
    css = str(style.chip_css({"contested": "Contested", "refuted": 'x"]{}</style><b>'}))
    assert '[data-testid="stMultiSelectTagsContainer"] span[data-tag][aria-label="Contested"]' in css
    assert f"border-left:6px solid {style.standing_colours()['contested']}" in css
    assert "</style><b>" not in css and css.count("</style>") == 1
    assert 'aria-label="unverified"' in css, "a standing without a label is named as itself"


def test_an_inferred_place_is_drawn_fainter_and_thinner():
    stated = {"properties": {"kind": "claim", "standing": "contested", "placement": "stated"}}
    inferred = {"properties": {"kind": "claim", "standing": "contested", "placement": "inferred"}}
    a, b = style.feature_style(stated), style.feature_style(inferred)
    assert b["opacity"] < a["opacity"] and b["weight"] < a["weight"]
    assert a["dashArray"] == b["dashArray"] == patterns.DASHES["contested"], "the dash still says the standing"
    assert "stroke-dasharray" in str(symbols.marker_svg("claim", "contested", inferred=True)).split("<path")[0]


@pytest.mark.parametrize("standing", sorted(SHOWN_STANDINGS))
def test_a_line_is_never_filled_whatever_its_standing(standing):
    properties = {"kind": "claim", "standing": standing}
    lines = [[[24.0, 54.0], [25.0, 55.0], [26.0, 54.5]]]
    shapes = ({"type": "LineString", "coordinates": lines[0]}, {"type": "MultiLineString", "coordinates": lines})
    for geometry in shapes:
        assert style.feature_style({"properties": properties, "geometry": geometry})["fill"] is False
    area = {"type": "Polygon", "coordinates": [[*lines[0], lines[0][0]]]}
    drawn = style.feature_style({"properties": properties, "geometry": area})
    assert drawn["fill"] == style.style_for(shown_standing({"properties": properties}))["fill"]


def test_the_legend_lists_only_the_pairs_present():
    features = [
        {"properties": {"kind": "claim", "standing": "contested"}},
        {"properties": {"kind": "denial", "standing": ON_RECORD}},
    ]
    html = str(legend.legend_for(features))
    assert re.findall(r'data-standing="([^"]+)"', html) == ["contested", ON_RECORD]
    assert re.findall(r'data-kind="([^"]+)"', html) == ["claim", "denial"]
    assert re.findall(r'data-swatch="point-([^"]+)"', html) == ["claim-contested", f"denial-{ON_RECORD}"]


def test_stacked_points_get_distinct_offsets():
    offsets = [symbols.stack_offset(position) for position in range(20)]
    assert offsets[0] == (0, 0)
    assert len(set(offsets)) == len(offsets)
