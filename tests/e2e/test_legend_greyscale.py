"""The legend reads in greyscale: every swatch differs from every other of its column once colour is gone.

The legend is rendered in headless Chromium with every (kind, shown standing) pair the model can produce,
each swatch is photographed, turned to greyscale (Pillow's ITU-R 601-2 luma) and compared with every other
swatch of the same column (area, line, point, kind symbol).
"""

import io
import itertools

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from geo.model.claims import SHOWN_STANDINGS
from geo.render.legend import LEGEND_CSS, legend_html
from tests.test_style import PAIRS

#: Mean absolute difference of two greyscale swatches, in grey levels (0-255), below which a reader could
#: mistake one for the other. Two renderings of the same swatch differ by exactly 0 (checked below), so any
#: difference is drawn, not noise. 5 asks for a visible one: in a 31 x 31 point swatch it takes about 19
#: pixels (2%) turning from white to black, a stroke or a stripe, not an anti-aliased edge. When this test
#: was written the closest pair (a retracted against an unverified diamond: stripe against dot) measured 7.8,
#: a confirmed against a corroborated line 10.0.
MIN_DIFFERENCE = 5.0


@pytest.fixture
def swatches(page):
    html = legend_html(SHOWN_STANDINGS, pairs=PAIRS)
    page.set_content(f"<style>{LEGEND_CSS}</style><body style='background:#fff'>{html}</body>")
    found = {}
    for element in page.locator("[data-swatch]").all():
        name = element.get_attribute("data-swatch")
        image = Image.open(io.BytesIO(element.screenshot(animations="disabled")))
        found[name] = ImageOps.grayscale(image.convert("RGB"))
    return found


def column(name: str) -> str:
    return name.split("-")[0]


def difference(first: Image.Image, second: Image.Image) -> float:
    size = (max(first.width, second.width), max(first.height, second.height))
    a, b = (ImageOps.pad(image, size, color=255, centering=(0, 0)) for image in (first, second))
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def test_the_legend_shows_every_pair_and_standing(swatches):
    assert {name for name in swatches if name.startswith("point-")} == {f"point-{k}-{s}" for k, s in PAIRS}
    assert {name for name in swatches if name.startswith("area-")} == {f"area-{s}" for s in SHOWN_STANDINGS}


def test_every_pair_of_swatches_in_a_column_differs_in_greyscale(swatches):
    close = []
    for (name_a, a), (name_b, b) in itertools.combinations(sorted(swatches.items()), 2):
        if column(name_a) == column(name_b) and column(name_a) != "doubt":
            measured = difference(a, b)
            if measured < MIN_DIFFERENCE:
                close.append((name_a, name_b, round(measured, 2)))
    assert close == []


def test_the_same_swatch_photographed_twice_measures_no_difference(page, swatches):
    """The measure is sound: what the threshold separates is a real difference, not rendering noise."""
    again = page.locator('[data-swatch="point-claim-contested"]').screenshot(animations="disabled")
    assert difference(swatches["point-claim-contested"], ImageOps.grayscale(Image.open(io.BytesIO(again)))) == 0
