"""Template syntax in data runs nothing (issue 8): branca compiles rendered map scripts as Jinja2 a second time.

Payloads sit in every place data reaches a map or an export: property values and names, a feature's
top-level ``id``, foreign members and ``bbox`` of features and geometries, the layer title (an upload's file
name), place names, the case's title and summary, and the sources. The map is rendered the way the page
renders it (``st_folium``'s own functions) and the way the standalone export does (``Figure.render``).
Each output must hold every payload literally, evaluated nowhere; a payload that would create a folder on
the server creates none.
"""

import codecs
import json
import os
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pyogrio
import pytest
import streamlit_folium
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.utils import htmlsafe_json_dumps
from pybtex.database import parse_string

from geo.app import groupscript
from geo.export import FORMATS, export
from geo.model.layers import Layer
from geo.render import mapview, panel
from geo.render.escape import escape_text
from geo.render.scripted import ScriptedGroup
from geo.validate.imports import import_file

#: A folder of this name appears in the working directory if a payload is ever evaluated on the server.
MARKER = "claim_map_template_marker"
#: Evaluated, these give texts that appear nowhere else: ``zqxj``, ``zqok``, ``zq49``.
PAYLOADS = [
    "{{ 'zq' ~ 'xj' }}",
    "zq{% if true %}ok{% endif %}",
    "zq{{ 7*7 }}",
    "Tagged {# hashtag",
    "a {% sign",
    "}} {{",
    "{{ lipsum.__globals__.os.makedirs(dict(" + MARKER + "=1)|first) }}",
]
EVALUATED = ("zqxj", "zqok", "zq49")
CASE = {"id": "t", "title": PAYLOADS[0], "summary": PAYLOADS[1], "center": [56.0, 25.0], "zoom": 6}
SOURCES = {"s1": {"id": "s1", "type": "webpage", "title": PAYLOADS[2], "note": PAYLOADS[3], "URL": "https://e.org"}}


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    """Run every test in an empty folder, so the marker folder would show up there."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not (tmp_path / MARKER).exists(), "a template payload ran on the server"


def hostile_feature(number: int, payload: str) -> dict:
    """A point whose title, values, a property name, foreign members and id carry ``payload``; bbox is valid."""
    lon = 24 + number / 5
    geometry = {"type": "Point", "coordinates": [lon, 55.5], "bbox": [lon, 55.5, lon, 55.5], payload: payload}
    properties = {"title": payload, "claim": payload, payload: f"name-{number}", "source_id": "s1", "note": payload}
    feature = {"type": "Feature", "id": payload, "bbox": geometry["bbox"], "geometry": geometry}
    return {**feature, "properties": properties, "foreign": {payload: [payload]}}


def hostile_layer(payloads=PAYLOADS) -> tuple[Layer, dict]:
    features = [hostile_feature(number, payload) for number, payload in enumerate(payloads)]
    layer = Layer(id="hostile", title="Imported: " + "".join(payloads), group="imported", file="")
    return layer, {"type": "FeatureCollection", "features": features}


def page_render(layers, basemap=mapview.BASEMAPS[0], offline=None) -> str:
    """The map as ``st_folium`` sends it to the page: its header, html and script."""
    fmap = mapview.build_base(CASE, basemap, offline)
    fmap.get_root().render()
    fmap.render()
    parts = streamlit_folium._get_html(fmap), streamlit_folium._get_header(fmap), streamlit_folium._get_map_string(fmap)
    # The claims group goes to the page apart from the base map, as the page sends it: rendered once to script
    # (geo.app.groupscript), then handed to streamlit-folium as a ScriptedGroup.
    claims = ScriptedGroup(groupscript.view_script(layers))
    return "\n".join([*parts, streamlit_folium._get_feature_group_string(claims, fmap)])


def as_json_text(value: str) -> str:
    """How a display string appears inside the map's JSON data: HTML-escaped, then JSON-encoded."""
    return htmlsafe_json_dumps(str(escape_text(value)))[1:-1]


def assert_not_evaluated(text: str) -> None:
    for result in EVALUATED:
        assert result not in text


def test_the_page_map_holds_every_payload_literally_and_evaluates_none():
    layer, collection = hostile_layer()
    text = page_render([(layer, mapview.display_collection(layer, collection))])
    assert_not_evaluated(text)
    for payload in PAYLOADS:
        assert as_json_text(payload) in text, payload


def test_the_offline_basemap_shows_hostile_place_names_literally():
    outlines = {"type": "FeatureCollection", "features": []}
    places = [{"name": payload, "lat": 55.0, "lon": 24.0 + n} for n, payload in enumerate(PAYLOADS)]
    text = page_render([], mapview.OFFLINE, (outlines, places, ""))
    assert_not_evaluated(text)
    for payload in PAYLOADS:
        assert htmlsafe_json_dumps(f'aria-hidden="true">{escape_text(payload)}</div>')[1:-1] in text


def test_foreign_members_and_bbox_never_reach_the_map():
    layer, collection = hostile_layer()
    for feature in mapview.display_collection(layer, collection)["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert set(feature["geometry"]) == {"type", "coordinates"}


def test_a_geometry_with_text_among_its_coordinates_is_not_drawn():
    layer, collection = hostile_layer(PAYLOADS[:2])
    collection["features"][0]["geometry"]["coordinates"] = [PAYLOADS[0], 55.0]
    shown = mapview.display_collection(layer, collection)
    assert [f["properties"]["title"] for f in shown["features"]] == [str(escape_text(PAYLOADS[1]))]


#: Formats checked elsewhere: the standalone map below; ClaimReview and PROV-JSON, which hold only claims with a
#: source chain, in tests/test_export_standards.py.
OWN_TESTS = {"html", "claimreview", "prov-json"}


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - OWN_TESTS))
def test_every_data_export_holds_the_payloads_and_runs_none(fmt, tmp_path):
    layer, collection = hostile_layer()
    result = export([(layer, collection)], fmt, CASE, SOURCES, "view")
    path = tmp_path / result.file_name
    path.write_bytes(result.data)
    texts = exported_texts(fmt, path)
    assert_not_evaluated("\n".join(texts))
    expected = [SOURCES["s1"]["title"], SOURCES["s1"]["note"]] if fmt in {"csl-json", "bibtex"} else PAYLOADS
    for payload in expected:
        assert payload in texts, payload


def exported_texts(fmt: str, path) -> list[str]:
    """The texts a reader of the exported file gets back, decoded by that format's own reader."""
    if fmt == "bibtex":
        entries = parse_string(path.read_text(encoding="utf-8"), "bibtex").entries.values()
        return [unbrace(value) for entry in entries for value in entry.fields.values()]
    if fmt == "csl-json":
        return [str(value) for item in json.loads(path.read_bytes()) for value in item.values()]
    frame = pyogrio.read_dataframe(path, layer=pyogrio.list_layers(path)[0][0])
    texts = [str(value) for row in frame.drop(columns="geometry").itertuples() for value in row]
    return texts + [str(column) for column in frame.columns]


def unbrace(value: str) -> str:
    """BibTeX text as LaTeX prints it: LaTeX escapes and the brace commands become characters."""
    text = codecs.decode(value, "ulatex")
    return re.sub(r"\\textbrace(left|right) ?\{\}", lambda match: "{" if match[1] == "left" else "}", text)


def test_the_standalone_html_holds_the_payloads_and_runs_none():
    layer, collection = hostile_layer()
    text = export([(layer, collection)], "html", CASE, SOURCES, "view").data.decode("utf-8")
    assert_not_evaluated(text)
    for payload in PAYLOADS:
        assert as_json_text(payload) in text, "in the data, the popups and the tooltips"
    assert as_json_text(layer.title) in text, "the layer control names the upload"
    for payload in (CASE["title"], CASE["summary"], SOURCES["s1"]["title"], SOURCES["s1"]["note"]):
        assert str(escape_text(payload)) in text, "the side panel: case and sources"


def test_an_uploaded_file_with_payloads_everywhere_runs_nothing_on_import_render_and_export(tmp_path):
    layer_file = {"type": "FeatureCollection", "features": [hostile_feature(n, p) for n, p in enumerate(PAYLOADS)]}
    name = PAYLOADS[-1] + ".geojson"
    result = import_file(name, json.dumps(layer_file).encode())
    assert result.accepted == len(PAYLOADS)
    shown = mapview.display_collection(result.layer, result.collection)
    page_render([(result.layer, shown)])
    for fmt in FORMATS:
        export([(result.layer, result.collection)], fmt, CASE, SOURCES, result.layer.id)
    assert not (tmp_path / MARKER).exists()
    assert os.listdir(tmp_path) == []


#: Text with template syntax mixed into ordinary characters, HTML and Markdown.
TEMPLATE_TEXT = st.lists(
    st.sampled_from(["{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "7*7", " ", "<b>", "'", '"', "&", "[x](y)", "é"])
    | st.text(max_size=4).map(lambda text: [text]),
    min_size=1,
    max_size=8,
).map(lambda parts: "".join(part if isinstance(part, str) else "".join(part) for part in parts))


@settings(max_examples=40, deadline=None)
@given(title=TEMPLATE_TEXT, name=TEMPLATE_TEXT, value=TEMPLATE_TEXT)
def test_any_template_text_in_a_feature_reaches_the_rendered_map_literally(title, name, value):
    layer = Layer(id="fuzz", title=title, group="imported", file="")
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [25, 55]}, "properties": {}}
    feature["properties"] = {"title": title, "id": value, name: "not-for-the-map"}
    text = page_render([(layer, mapview.display_collection(layer, {"features": [feature]}))])
    for expected in (title, value):
        assert as_json_text(expected) in text


@settings(max_examples=60, deadline=None)
@given(value=TEMPLATE_TEXT, name=TEMPLATE_TEXT)
def test_a_claim_panel_carries_no_brace_of_its_data(value, name):
    properties = {field: value for field in ("title", "claim", "claimant", "quote", "denied_by", "method")}
    properties |= {"event_date": value, "date_basis": value, "denial_quote": value, name: value}
    source = {"id": "s", "title": value, "note": value, "URL": value}
    html = str(panel.claim_panel({**properties, "source_id": "s"}, {"s": source}))
    assert "{" not in html.replace(str(panel.PANEL_CSS), "") and "}" not in html.replace(str(panel.PANEL_CSS), "")
    assert str(escape_text(value)) in html
