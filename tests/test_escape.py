"""The escaping layer itself, tested as folium tests its own, and the HTML that panel and map build with it."""

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from geo.model.layers import Layer
from geo.render import group, mapview, panel
from geo.render.escape import (
    Html,
    escape_feature_collection,
    escape_markdown,
    escape_properties,
    escape_text,
    link,
    safe_url,
)

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
SVG = "<svg onload=window.__pwned=1>"
BREAKOUT = '"><img src=x onerror=window.__pwned=1>'
SINGLE = "' onmouseover='window.__pwned=1"
PAYLOADS = [IMG, SCRIPT, SVG, BREAKOUT, SINGLE, "[x](javascript:window.__pwned=1)", "&lt;b&gt; &amp;"]
UNSAFE_URLS = [
    "javascript:window.__pwned=1",
    "JaVaScRiPt:window.__pwned=1",
    "  javascript:window.__pwned=1",
    "\tjavascript:window.__pwned=1",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x00javascript:alert(1)",
    "\u00a0javascript:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "https:no-host",
    "http://",
    "http://[::1",
    "",
    None,
    42,
    ["https://example.com"],
]


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes, as a browser would parse them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def assert_inert(html, allowed_tags=None):
    """No script or event handler, no non-http link, and (if given) only the expected tags."""
    for tag, attrs in Elements(html).tags:
        assert tag not in {"script", "img", "svg", "iframe", "object", "embed"}, (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            if name in attrs:
                assert attrs[name].startswith(("http://", "https://")), (tag, attrs)
        if allowed_tags is not None:
            assert tag in allowed_tags, tag


# --- escape_text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>", "&lt;script&gt;"),
        ('"double"', "&#34;double&#34;"),
        ("'single'", "&#39;single&#39;"),
        ("a & b", "a &amp; b"),
        ("&amp;", "&amp;amp;"),
        (IMG, "&lt;img src=x onerror=window.__pwned=1&gt;"),
        (None, ""),
        (3, "3"),
        (2.5, "2.5"),
        (True, "True"),
        ("{{ 7*7 }} {% x %} {# y #}", "&#123;&#123; 7*7 &#125;&#125; &#123;% x %&#125; &#123;# y #&#125;"),
        (["<b>"], "[&#39;&lt;b&gt;&#39;]"),
        ("Гродно – ü", "Гродно – ü"),
    ],
)
def test_escape_text(value, expected):
    result = escape_text(value)
    assert isinstance(result, Markup)
    assert str(result) == expected


def test_escape_text_does_not_double_escape_markup():
    assert escape_text(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert escape_text(escape_text("<b>")) == "&lt;b&gt;"


def test_escape_text_trusts_objects_with_html():
    class Safe:
        def __html__(self):
            return "<i>safe</i>"

    assert escape_text(Safe()) == "<i>safe</i>"


# --- escape_properties and escape_feature_collection -------------------------------------------------


def test_escape_properties_escapes_keys_and_values_and_keeps_numbers():
    properties = {IMG: SCRIPT, "count": 3, "ratio": 0.5, "flag": False, "none": None, "nested": {"k": "<b>"}}
    escaped = escape_properties(properties)
    assert escaped == {
        "&lt;img src=x onerror=window.__pwned=1&gt;": "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
        "count": 3,
        "ratio": 0.5,
        "flag": False,
        "none": None,
        "nested": "&#123;&#39;k&#39;: &#39;&lt;b&gt;&#39;&#125;",
    }
    assert all(type(escaped[key]) is type(properties[key]) for key in ("count", "ratio", "flag", "none"))
    assert properties[IMG] == SCRIPT, "the input is not changed"


def test_escape_properties_handles_missing_properties():
    assert escape_properties(None) == {}
    assert escape_properties({}) == {}


def test_escape_properties_keeps_markup_as_is():
    assert escape_properties({"html": Markup("<b>ok</b>")}) == {"html": "<b>ok</b>"}


def test_escape_feature_collection_escapes_ids_and_properties_and_drops_every_other_member():
    geometry = {"type": "Point", "coordinates": [27.5, 53.9], "bbox": [1, 2, 3, 4], "extra": "{{ x }}"}
    collection = {
        "type": "FeatureCollection",
        "name": "n",
        "bbox": [0, 0, 1, 1],
        "features": [{"type": "Feature", "id": BREAKOUT, "geometry": geometry, "properties": {"t": BREAKOUT}}],
    }
    escaped = escape_feature_collection(collection)
    assert escaped == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [27.5, 53.9]},
                "id": "&#34;&gt;&lt;img src=x onerror=window.__pwned=1&gt;",
                "properties": {"t": "&#34;&gt;&lt;img src=x onerror=window.__pwned=1&gt;"},
            }
        ],
    }
    assert collection["features"][0]["properties"]["t"] == BREAKOUT


def test_escape_feature_collection_without_features():
    assert escape_feature_collection({"type": "FeatureCollection"}) == {"type": "FeatureCollection", "features": []}


# --- URLs and links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", UNSAFE_URLS, ids=repr)
def test_unsafe_urls_are_never_links(url):
    assert safe_url(url) is None
    html = link(url)
    assert "<a" not in html and "href" not in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
        ("HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"),
        ("  https://example.com/padded  ", "https://example.com/padded"),
    ],
)
def test_http_urls_are_safe(url, expected):
    assert safe_url(url) == expected


def test_link_escapes_href_and_label():
    html = link('https://example.com/?q="><script>x</script>', IMG)
    assert html == Markup(
        '<a href="https://example.com/?q=&#34;&gt;&lt;script&gt;x&lt;/script&gt;" target="_blank" '
        'rel="noopener noreferrer">&lt;img src=x onerror=window.__pwned=1&gt;</a>'
    )
    assert_inert(html, {"a"})


def test_link_to_an_unsafe_url_shows_its_text():
    assert link("javascript:window.__pwned=1") == "javascript:window.__pwned=1"
    assert link('javascript:"<b>"', "label") == "label"


def test_link_does_not_double_escape_a_markup_label():
    assert ">a <b>b</b></a>" in link("https://example.com", Markup("a <b>b</b>"))


# --- Markdown (Streamlit labels) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("**bold** _i_ `code`", r"\*\*bold\*\* \_i\_ \`code\`"),
        ("<b>html</b>", r"\<b\>html\</b\>"),
        (":red[colour] $x$", r":red\[colour\] \$x\$"),
        ("NATO forces (claimed) (2)", "NATO forces (claimed) (2)"),
        ("line\nbreak", "line break"),
        ("plain words 12", "plain words 12"),
        (None, ""),
    ],
)
def test_escape_markdown(value, expected):
    assert escape_markdown(value) == expected


# --- the side panel, sources and legend ----------------------------------------------------------------


def hostile_properties():
    properties = {
        name: payload
        for name, payload in zip(
            [
                "title",
                "claim",
                "claimant",
                "quote",
                "quote_en",
                "denied_by",
                "denial_quote",
                "source_chain",
                "source",
                "event_date",
                "date_basis",
                "method",
                "precision",
                "uncertainty_km",
                "counter_claims",
            ],
            PAYLOADS * 3,
            strict=False,
        )
    }
    properties.update({payload: payload for payload in PAYLOADS})
    properties["status"] = SCRIPT
    return properties


def test_claim_panel_escapes_every_value_and_property_name():
    html = panel.claim_panel(hostile_properties(), {}, {IMG: SVG}, unsourced=[SCRIPT])
    assert_inert(html)
    text = "".join(Elements(html).text)
    for payload in PAYLOADS[:5]:
        assert payload in text, "the payload is shown as literal text"


def test_claim_panel_survives_odd_value_types():
    properties = {"status": ["x"], "source_id": {"a": 1}, "title": {"t": IMG}, "counter_claims": [IMG]}
    assert_inert(panel.claim_panel(properties, {"x": {"id": "x", "title": "t"}}))


def test_cited_source_with_javascript_url_is_not_a_link():
    source = {"id": SVG, "title": IMG, "URL": "javascript:window.__pwned=1", "note": SCRIPT}
    html = panel.claim_panel({"source_id": SVG, "title": "t"}, {SVG: source})
    assert_inert(html)
    assert "javascript:window.__pwned=1" in "".join(Elements(html).text)
    sources = panel.sources_list([source])
    assert_inert(sources)
    assert 'id="source-&lt;svg onload=window.__pwned=1&gt;"' in sources


def test_cited_source_with_http_url_is_a_safe_link():
    html = panel.cite({"id": "s", "title": "t", "URL": "https://example.com/x"})
    assert [tag for tag, _ in Elements(html).tags] == ["a"]
    assert_inert(html)


# --- the map -------------------------------------------------------------------------------------------

HOSTILE_LAYER = Layer(id="hostile", title=IMG + SCRIPT, group="claims", file="", style={"color": SCRIPT, "weight": 4})


def hostile_collection():
    features = []
    for number, payload in enumerate([*PAYLOADS, "x||(__pwned=1)", "a.b", "my key"]):
        properties = {payload: f"{payload}-{number}", "title": payload, "status": payload}
        geometry = {"type": "Point", "coordinates": [27 + number / 10, 53.9]}
        features.append({"type": "Feature", "id": payload, "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def test_display_collection_escapes_names_and_values():
    shown = mapview.display_collection(HOSTILE_LAYER, hostile_collection())
    for feature in shown["features"]:
        for key, value in feature["properties"].items():
            assert "<" not in key and '"' not in key and "<" not in str(value) and '"' not in str(value)
        assert (feature["properties"]["kind"], feature["properties"]["standing"]) == ("unsourced", "unsourced")
        assert feature["id"] == feature["properties"]["_key"], "Folium keys styles on feature.id"


def test_display_title_of_untitled_feature_escapes_the_layer_title():
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [27, 53]}, "properties": {}}],
    }
    title = mapview.display_collection(HOSTILE_LAYER, collection)["features"][0]["properties"]["title"]
    assert title.startswith("&lt;img src=x onerror=window.__pwned=1&gt;&lt;script&gt;")


def test_rendered_map_puts_no_data_string_into_its_script():
    shown = mapview.display_collection(HOSTILE_LAYER, hostile_collection())
    html = mapview.build_map([(HOSTILE_LAYER, shown)], {"center": [53.9, 27.5], "zoom": 6}).get_root().render()
    assert "switch(feature.id)" in html, "style lookup by our own key, never by a property name"
    assert "feature.properties." not in html
    for payload in (IMG, SCRIPT, SVG, BREAKOUT):
        assert payload not in html
    assert "x||(__pwned=1)" not in html.split("_add(")[0], "a property name never reaches code outside the data"
    assert '"color": "\\u003cscript' not in html and SCRIPT not in html


def test_safe_style_keeps_plain_css_only():
    style = {
        "color": "#1f5fbf",
        "weight": 5,
        "dashArray": "8 6",
        "fill": False,
        "radius": 9,
        "fillColor": "</script><script>x()</script>",
        "bad key": 1,
        "opacity": "rgba(0,0,0,.5)",
        "x": {"a": 1},
    }
    assert group.safe_style(style) == {
        "color": "#1f5fbf",
        "weight": 5,
        "dashArray": "8 6",
        "fill": False,
        "radius": 9,
        "opacity": "rgba(0,0,0,.5)",
    }
    assert group.safe_style(None) == {}


@pytest.mark.parametrize("name", ["x||(__pwned=1)", "my key", "a.b", "constructor"])
def test_property_names_never_become_code_even_when_folium_would_key_on_them(name):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [27 + n, 53]}, "properties": {name: f"v{n}"}}
        for n in range(3)
    ]
    shown = mapview.display_collection(HOSTILE_LAYER, {"type": "FeatureCollection", "features": features})
    html = mapview.build_map([(HOSTILE_LAYER, shown)], {"center": [53.9, 27.5], "zoom": 6}).get_root().render()
    assert "switch(feature.id)" in html and f"feature.properties.{name}" not in html


def test_only_the_escaping_layer_builds_html_from_markupsafe_directly():
    """Markup.format escapes with markupsafe alone, which leaves template braces: everything else uses Html."""
    import ast

    from tests.browser import ROOT

    importers = []
    for path in sorted((ROOT / "geo").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "markupsafe":
                importers.append(path.relative_to(ROOT).as_posix())
    assert importers == ["geo/render/escape.py"]


def test_html_fragments_encode_template_braces_in_every_interpolated_value():
    fragment = Html("<b>{}</b>{}").format("{{ 7*7 }}", Html("<i>{}</i>").format("{% x %}"))
    assert fragment == "<b>&#123;&#123; 7*7 &#125;&#125;</b><i>&#123;% x %&#125;</i>"
    assert Html("<br>").join(["{#", "#}"]) == "&#123;#<br>#&#125;"


def test_a_text_table_escapes_every_cell_and_heading_and_scrolls_in_its_own_box():
    from geo.render.tables import text_table

    html = text_table([[IMG, "[x](http://e.org)"]], [SCRIPT, "b"], "sample")
    assert IMG not in html and SCRIPT not in html
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in html and "[x](http://e.org)" in html
    table = Elements(html.split("</style>", 1)[1])
    assert [tag for tag, _ in table.tags][:2] == ["div", "table"]
    assert table.tags[0][1]["class"] == "text-table-box" and "sample" in table.tags[1][1]["class"]
