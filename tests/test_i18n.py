"""German and English: every message of the interface has a German translation, and languages stay per run."""

import functools
import re
import threading
from string import Formatter

import lxml.html
import pytest
from babel.dates import format_interval
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from geo.model.claims import (
    CREDIBILITY,
    KIND_LABELS,
    RELIABILITY,
    RESPONSE_LABELS,
    SHOWN_STANDING_LABELS,
    event_span,
    grade_words,
)
from geo.render import i18n, legend, panel, vocabulary
from geo.render.dates import edtf_in_words
from geo.render.escape import Html
from geo.render.uncertainty import precision_words
from tests.browser import ROOT

#: The gettext calls the code uses; ``N_`` marks a message translated later, where it is shown.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
CLAIM = "nato-forces-lithuania-border"


def german_catalog():
    with i18n.catalog_path("de").open("rb") as po:
        return read_po(po, locale="de")


def extracted(messages):
    """Map (context, msgid) to where it is used, for the messages ``babel.messages.extract`` yields."""
    found = {}
    for filename, lineno, message, _comments, context in messages:
        singular = message[0] if isinstance(message, tuple) else message
        found.setdefault((context, singular), []).append(f"{filename}:{lineno}")
    return found


@functools.cache
def geo_messages():
    """Every message of every module under ``geo/``, by (context, msgid)."""
    return extracted(
        (path.relative_to(ROOT).as_posix(), *message)
        for path in sorted((ROOT / "geo").rglob("*.py"))
        for message in extract_from_file("python", str(path), keywords=KEYWORDS)
    )


def fields(text):
    return sorted(name for _text, name, _spec, _conversion in Formatter().parse(text) if name is not None)


def test_every_message_in_geo_has_a_german_translation():
    catalog = german_catalog()
    messages = geo_messages()
    missing = []
    for (context, msgid), places in sorted(messages.items(), key=lambda item: item[1][0]):
        entry = catalog.get(msgid, context=context)
        forms = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry and entry.string,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(f"{places[0]}: {msgid!r}" + (f" (context {context!r})" if context else ""))
    print("\n".join(["Messages without a German translation:", *missing]) if missing else "")
    assert len(messages) > 100
    assert missing == []


def test_the_documented_extraction_config_reads_every_message_of_geo():
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    from_config = extracted(found)
    assert set(from_config) == set(geo_messages())


def test_each_translation_keeps_the_placeholders_of_its_message():
    wrong = []
    for entry in german_catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for index, string in enumerate(strings):
            if fields(string) != fields(ids[min(index, len(ids) - 1)]):
                wrong.append((entry.id, string))
    assert wrong == []


def test_the_catalog_holds_no_message_the_code_no_longer_uses():
    used = set(geo_messages())
    unused = [entry.id for entry in german_catalog() if entry.id and (entry.context, _singular(entry.id)) not in used]
    assert unused == []


def _singular(msgid):
    return msgid[0] if isinstance(msgid, tuple) else msgid


def test_the_english_vocabulary_is_the_models_word_for_word():
    with i18n.use_language("en"):
        assert {k: v for k, v in vocabulary.kind_labels().items() if k in KIND_LABELS} == KIND_LABELS
        assert vocabulary.standing_labels() == SHOWN_STANDING_LABELS
        assert vocabulary.short_standing_names() == {standing: standing for standing in SHOWN_STANDING_LABELS}
        assert set(vocabulary.short_kind_names()) == set(vocabulary.kind_labels())
        assert vocabulary.response_labels() == RESPONSE_LABELS
        assert vocabulary.reliability_labels() == RELIABILITY
        assert vocabulary.credibility_labels() == CREDIBILITY
        codes = [letter + digit for letter in RELIABILITY for digit in CREDIBILITY]
        assert [vocabulary.grade_in_words(code) for code in codes] == [grade_words(code) for code in codes]


def test_german_words_for_the_grade_keep_german_nouns_capitalised():
    with i18n.use_language("de"):
        assert vocabulary.grade_in_words("F5") == "Zuverlässigkeit nicht beurteilbar, unwahrscheinlich"
        assert vocabulary.grade_in_words("Z9") == ""


def panel_tree(case, language):
    properties = next(
        f["properties"] for c in case.collections.values() for f in c["features"] if f["properties"]["id"] == CLAIM
    )
    with i18n.use_language(language):
        html = str(panel.claim_panel(properties, case.sources, case.titles()))
    return properties, lxml.html.fromstring(html)


def words(element):
    return " ".join(element.text_content().split())


def test_the_german_panel_speaks_german_and_keeps_the_quote_and_its_translation(case):
    properties, tree = panel_tree(case, "de")
    _, english = panel_tree(case, "en")
    assert words(tree.xpath("//span[@class='standing']")[0]) == "umstritten"
    labels = [words(label) for label in tree.xpath("//dl/dt")]
    assert "Status und Bewertung" in labels and "Zitat (Deutsch, wörtlich)" in labels
    assert not set(labels) & {words(label) for label in english.xpath("//dl/dt")}
    (quote,) = tree.xpath("//dt[normalize-space()='Zitat (Deutsch, wörtlich)']/following-sibling::dd[1]/blockquote")
    (translation,) = tree.xpath("//dt[normalize-space()='Übersetzung (Englisch)']/following-sibling::dd[1]/blockquote")
    assert words(quote) == properties["quote"] and quote.get("lang") == "de" and translation.get("lang") == "en"
    assert words(translation) == properties["quote_en"]
    assert words(tree.xpath("//h3")[0]) == properties["title"]
    first, last = event_span(properties["event_date"])
    (date,) = tree.xpath("//dt[normalize-space()='Datum']/following-sibling::dd[1]")
    assert words(date).startswith(format_interval(first, last, "yMMMd", locale="de_DE"))


def test_the_german_legend_names_standings_and_kinds_in_german():
    with i18n.use_language("de"):
        html = lxml.html.fromstring(str(legend.legend_html(["contested"], pairs=[("claim", "contested")])))
    assert words(html.xpath("//summary")[0]) == "Legende"
    assert words(html.xpath("//tr[@data-standing='contested']/th")[0]) == "Umstritten"
    assert html.xpath("//span[@data-swatch='point-claim-contested']/@title") == ["Behauptung, umstritten"]


def test_numbers_and_dates_follow_the_interface_language():
    properties = {"precision": "route", "uncertainty_km": 2.5, "placement": "inferred"}
    assert precision_words(properties) == "Along a route, give or take 2.5 km · placed by the project (inference)"
    with i18n.use_language("de"):
        assert (
            precision_words(properties) == "Entlang einer Route, plus/minus 2,5 km · vom Projekt verortet (erschlossen)"
        )
        assert i18n.current_locale() == "de_DE"
        assert edtf_in_words("../2020-08-16") == "am oder vor dem 16. Aug. 2020"
        assert edtf_in_words("2020-08") == "Aug. 2020"


@pytest.mark.parametrize("code", ["xx", "", None, 42, "english", "d"])
def test_an_unknown_language_falls_back_to_english(code):
    assert not i18n.is_supported(code)
    with i18n.use_language(code) as language:
        assert language == i18n.current_language() == "en"
        assert i18n.gettext("Claim") == "Claim"
        assert i18n.ngettext("All layers ({count} feature)", "All layers ({count} features)", 2) == (
            "All layers ({count} features)"
        )


@pytest.mark.parametrize("code", ["de", "DE", "de-AT", "de_DE"])
def test_german_in_any_spelling_is_german(code):
    assert i18n.is_supported(code)
    with i18n.use_language(code):
        assert i18n.gettext("Claim") == "Behauptung"
        assert i18n.ngettext("All layers ({count} feature)", "All layers ({count} features)", 1) == (
            "Alle Ebenen ({count} Eintrag)"
        )


def test_a_language_block_restores_the_language_before_it():
    assert i18n.current_language() == "en"
    with i18n.use_language("de"):
        with i18n.use_language("en"):
            assert i18n.gettext("Legend") == "Legend"
        assert i18n.gettext("Legend") == "Legende"
    assert i18n.current_language() == "en"


def test_a_language_set_in_one_thread_does_not_reach_another():
    both_set = threading.Barrier(2, timeout=60)
    seen = {}

    def run(name, code):
        i18n.use_language(code)
        both_set.wait()
        seen[name] = (i18n.current_language(), i18n.gettext("Legend"), edtf_in_words("2020-08-16"))

    threads = [threading.Thread(target=run, args=("german", "de")), threading.Thread(target=run, args=("other", "en"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {
        "german": ("de", "Legende", "16. Aug. 2020"),
        "other": ("en", "Legend", "16 Aug 2020"),
    }
    assert i18n.current_language() == "en"


def test_language_names_are_given_in_their_own_language():
    assert i18n.language_names() == {"en": "English", "de": "Deutsch"}


def test_format_html_escapes_the_values_and_keeps_html_values():
    link = Html('<a href="#x">x</a>')
    html = i18n.format_html("{text} {link}", text="<b>{{ 7 }}</b>", link=link)
    assert str(html) == '&lt;b&gt;&#123;&#123; 7 &#125;&#125;&lt;/b&gt; <a href="#x">x</a>'


def test_a_standalone_map_built_on_click_keeps_the_language_of_the_run_that_offered_it(case):
    from geo.app import downloads

    layers = case.layers()[:1]
    with i18n.use_language("de"):
        build = downloads._deferred(case, layers, "html", "view")
    built = {}
    # Streamlit calls a deferred download from a server thread, which starts in English.
    thread = threading.Thread(target=lambda: built.update(html=build().decode("utf-8")))
    thread.start()
    thread.join()
    assert ">Legende</summary>" in built["html"] and ">Legend</summary>" not in built["html"]


def run_page(language=None):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if language:
        app.query_params["lang"] = language
    return app.run()


def map_caption(app):
    (caption,) = [c.value for c in app.caption if re.search(r"(claims?|Behauptungen?) (with a place|mit Ort)", c.value)]
    return caption


def test_the_page_linked_in_german_speaks_german_and_switches_back_to_english():
    english, german = run_page(), run_page("de")
    assert not english.exception and not german.exception
    assert [h.value for h in german.sidebar.header] == ["Ebenen", "Filter", "Eigene Behauptungen importieren"]
    assert [h.value for h in english.sidebar.header][:2] == ["Layers", "Filters"]
    assert "Behauptung und Quelle" in [h.value for h in german.subheader]
    assert [tab.label for tab in german.tabs][:2] == ["Tabelle", "Zeitleiste"]
    shown, total = re.fullmatch(r"(\d+) of (\d+) claims with a place shown\.", map_caption(english)).groups()
    assert map_caption(german) == f"{shown} von {total} Behauptungen mit Ort angezeigt."
    # The standing filter keeps the model's codes as values and shows them in German.
    standing = german.multiselect(key="filter:standing")
    with i18n.use_language("de"):
        names = vocabulary.short_standing_names()
    assert standing.value == list(SHOWN_STANDING_LABELS) and "umstritten" in standing.options
    grid = german.dataframe[0].value
    assert set(grid["Standing"]) <= set(names.values()) and "umstritten" in set(grid["Standing"])


def test_a_legend_made_once_in_english_is_made_again_in_german(monkeypatch):
    legend._legend_of.cache_clear()
    made = []
    real = legend.legend_html
    monkeypatch.setattr(legend, "legend_html", lambda *args: made.append(i18n.current_language()) or real(*args))
    features = [{"properties": {"kind": "claim", "standing": "contested"}}]

    english = [str(legend.legend_for(features)) for _ in range(2)]
    with i18n.use_language("de"):
        german = str(legend.legend_for(features))

    assert made == ["en", "de"]
    assert english[0] == english[1] and "Contested" in english[0]
    assert "Umstritten" in german and "Contested" not in german
