"""The standalone HTML export, exported by the CLI, on a phone (390×844) and a desktop (1400×900) in Chromium.

It opens fitted to the data, folds the layer control on the phone, keeps popups and tooltips within the
screen, and its offline basemap's labels neither overlap nor join the tab order.
"""

import subprocess
import sys

import pytest

from tests.browser import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
LOCAL = ("file:", "about:", "data:")
SETTLED = "() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')"
CLAIMS = "path[class*='claim-layer-'], .cm-point"
#: The boxes of every shown label: the icon Leaflet positions, and the text drawn in it.
LABELS_JS = """() => [...document.querySelectorAll('.cm-label:not(.cm-label-hidden)')].map(label => {
    const range = document.createRange(); range.selectNodeContents(label);
    const text = range.getBoundingClientRect(), box = label.parentElement.getBoundingClientRect();
    return {text: label.textContent, left: box.left, top: box.top, right: box.right, bottom: box.bottom,
            textWidth: text.width, textHeight: text.height,
            tabindex: label.parentElement.getAttribute('tabindex'), hidden: label.getAttribute('aria-hidden')};
})"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "belarus.html"
    command = [sys.executable, "-m", "geo", "export", "--layers", "all", "--format", "html", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    return out


def open_export(page, path, viewport):
    page.set_viewport_size(viewport)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
    page.goto(path.as_uri())
    page.locator("path[class*='claim-layer-']").first.wait_for(timeout=30_000)
    page.wait_for_function(SETTLED)
    return page.locator(".folium-map").bounding_box()


def boxes(page, selector):
    return page.eval_on_selector_all(
        selector,
        "elements => elements.map(e => { const r = e.getBoundingClientRect();"
        " return {cls: e.getAttribute('class'), left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })",
    )


def assert_claims_in_view(page, frame):
    shapes = boxes(page, CLAIMS)
    assert shapes
    for shape in shapes:
        assert shape["left"] >= frame["x"] - 1 and shape["right"] <= frame["x"] + frame["width"] + 1, shape
        assert shape["top"] >= frame["y"] - 1 and shape["bottom"] <= frame["y"] + frame["height"] + 1, shape


def assert_labels_apart_and_out_of_tab_order(page):
    labels = page.evaluate(LABELS_JS)
    assert labels
    for label in labels:
        assert label["textWidth"] <= label["right"] - label["left"], f"{label['text']}: text wider than its box"
        assert label["tabindex"] is None and label["hidden"] == "true", label["text"]
    for index, a in enumerate(labels):
        for b in labels[index + 1 :]:
            apart = (
                a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            )
            assert apart, (a["text"], b["text"])


def open_a_popup(page):
    """Open the claim panel of the border areas (the claim is contested) and return its box once settled."""
    page.evaluate(
        "() => document.querySelector('path.claim-layer-border-areas')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    page.wait_for_function(SETTLED)
    return popup.bounding_box()


def test_on_a_phone_the_export_opens_on_every_claim_with_the_layer_control_folded(page, exported):
    frame = open_export(page, exported, PHONE)
    assert frame["width"] <= PHONE["width"]
    assert_claims_in_view(page, frame)
    assert page.locator(".leaflet-control-layers").is_visible()
    assert not page.locator(".leaflet-control-layers-list").is_visible()
    assert_labels_apart_and_out_of_tab_order(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "export-html-phone.png"))
    page.locator(".leaflet-control-layers").click()
    assert page.locator(".leaflet-control-layers-list").is_visible()


def test_on_a_phone_popups_and_tooltips_fit_the_screen(page, exported):
    frame = open_export(page, exported, PHONE)
    page.locator("path.claim-layer-border-areas").first.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    box = tooltip.bounding_box()
    assert box["width"] <= PHONE["width"] - 40 + 1
    popup = open_a_popup(page)
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= PHONE["width"], popup
    assert popup["y"] >= frame["y"] and popup["y"] + popup["height"] <= frame["y"] + frame["height"], popup
    page.screenshot(path=str(ARTIFACTS / "export-html-phone-popup.png"))


def test_on_a_desktop_the_export_opens_on_every_claim_with_the_layer_control_open(page, exported):
    frame = open_export(page, exported, DESKTOP)
    assert_claims_in_view(page, frame)
    assert page.locator(".leaflet-control-layers-list").is_visible()
    assert page.locator(".claim-map-aside .cm-legend").count() == 1
    assert page.locator(".sources-list li").count() > 0
    assert_labels_apart_and_out_of_tab_order(page)
    page.screenshot(path=str(ARTIFACTS / "export-html-desktop.png"))
    popup = open_a_popup(page)
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= frame["x"] + frame["width"], popup


@pytest.mark.parametrize("zoom", [4, 6, 8])
def test_basemap_labels_never_overlap_when_zoomed(page, exported, zoom):
    open_export(page, exported, DESKTOP)
    page.evaluate(f"() => window[document.querySelector('.folium-map').id].setZoom({zoom}, {{animate: false}})")
    page.wait_for_function(SETTLED)
    assert_labels_apart_and_out_of_tab_order(page)
    page.screenshot(path=str(ARTIFACTS / f"export-html-basemap-z{zoom}.png"))
