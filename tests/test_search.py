"""Text search: terms ANDed, case- and Unicode-insensitive, over title, claim, claimant, quote, translation, sources."""

import re
import unicodedata

import pytest

from geo.model import filters
from geo.model.claims import CONTEXT, cited_source_ids, shown_kind

OWN_FIELDS = ("title", "claim", "claimant", "quote", "source")


def features(case):
    return [f for _, fc in case.layers() for f in fc["features"]]


def claims(case):
    return [f for f in features(case) if shown_kind(f) != CONTEXT]


def kept_ids(case, text, titles=None):
    keep = filters.Filters(text=text, source_titles=titles)
    return {f["properties"]["id"] for f in claims(case) if keep.keeps(f)}


def citing(case, source_id):
    return {f["properties"]["id"] for f in claims(case) if source_id in cited_source_ids(f["properties"])}


def ids_applied(layers):
    return {f["properties"]["id"] for _, fc in layers for f in fc["features"]}


def plain(text):
    return unicodedata.normalize("NFKC", text).casefold()


def containing(case, word, names=(*OWN_FIELDS, "quote_en")):
    """Ids of the claims whose own fields contain ``word``, case-folded."""
    return {
        f["properties"]["id"]
        for f in claims(case)
        if any(plain(word) in plain(str(f["properties"].get(name) or "")) for name in names)
    }


@pytest.mark.parametrize("text", [None, "", "   \t "])
def test_an_empty_search_keeps_every_feature_and_is_not_active(case, text):
    keep = filters.Filters(text=text)
    assert not keep.is_active and keep.terms == ()
    assert all(keep.keeps(f) for f in features(case))


def test_german_spelling_in_the_quote_is_found_whatever_its_case(case):
    found = kept_ids(case, "lukaschenko")
    assert found == containing(case, "Lukaschenko") and found
    assert kept_ids(case, "LUKASCHENKO") == found == kept_ids(case, "LuKaScHeNkO")


@pytest.mark.parametrize("query", ["bündnis", "BÜNDNIS", "bu\u0308ndnis", "Bündnis"])
def test_umlauts_match_composed_decomposed_and_upper_case(case, query):
    found = kept_ids(case, query)
    assert "nato-statement-brussels" in found
    assert found == containing(case, "bündnis")


def test_every_term_must_occur(case):
    nato, lukashenko = kept_ids(case, "nato"), kept_ids(case, "lukaschenko")
    both = kept_ids(case, "lukaschenko nato")
    assert both == nato & lukashenko and both < nato
    assert kept_ids(case, "nato zzz-not-in-any-text") == set()


def test_term_order_and_repeats_do_not_change_the_search_or_its_key(case):
    one, other = filters.Filters(text="NATO Lukaschenko"), filters.Filters(text="lukaschenko  nato nato")
    assert filters.as_key(one) == filters.as_key(other)
    assert kept_ids(case, "NATO Lukaschenko") == kept_ids(case, "lukaschenko  nato nato")


def test_a_word_only_in_the_translation_finds_its_feature(case):
    checked = 0
    for feature in claims(case):
        properties = feature["properties"]
        others = " ".join(plain(str(properties.get(name) or "")) for name in OWN_FIELDS)
        unique = [w for w in re.findall(r"\w{6,}", plain(properties.get("quote_en") or "")) if w not in others]
        if unique:
            assert properties["id"] in kept_ids(case, unique[0]), unique[0]
            checked += 1
    assert checked >= 5


def test_a_source_title_finds_the_features_that_cite_it(case):
    titles = filters.source_titles(case.sources)
    # The Fontanka report's Cyrillic title is in no feature's own fields: only its source title holds it.
    word = "автозаков"
    assert word in titles["fontanka-2020-08-16"] and not containing(case, word)
    fontanka = citing(case, "fontanka-2020-08-16")
    assert kept_ids(case, word.upper(), titles) == fontanka and len(fontanka) >= 2
    assert kept_ids(case, word) == set()


def test_a_source_id_and_an_outlet_find_their_features(case):
    titles = filters.source_titles(case.sources)
    # The denial quotes it; the claims it answers cite it in their responses.
    lithuania = citing(case, "reuters-2020-08-16-lithuania")
    assert kept_ids(case, "reuters-2020-08-16-lithuania") == lithuania
    assert "lithuania-foreign-minister-denial" in lithuania
    outlet = citing(case, "rp-2020-08-17-skurkiewicz")
    assert kept_ids(case, "Rzeczpospolita", titles) == outlet
    assert "poland-deputy-defence-minister-denial" in outlet


def test_context_features_are_never_hidden_by_a_search(case):
    context = [f for f in features(case) if shown_kind(f) == CONTEXT]
    keep = filters.Filters(text="zzz-not-in-any-text")
    assert context and all(keep.keeps(f) for f in context) and keep.is_active


def test_apply_uses_the_source_titles_passed_in(case):
    titles = filters.source_titles(case.sources)
    keep = filters.Filters(text="автозаков")
    with_titles = ids_applied(filters.apply(case.layers(), keep, titles))
    without = ids_applied(filters.apply(case.layers(), keep))
    assert with_titles - without == kept_ids(case, "автозаков", titles) != set()


@pytest.mark.parametrize("query", ["", "nato", "Lukaschenko NATO", "bündnis", "reuters", "автозаков", "zzz", "15"])
def test_the_vectorised_mask_equals_the_feature_by_feature_search(case, query):
    titles = filters.source_titles(case.sources)
    every = features(case)
    texts = [filters.feature_text(f, titles) for f in every]
    keep = filters.Filters(text=query, source_titles=titles)
    assert filters.search_mask(texts, query).tolist() == [keep.keeps(f) for f in every]
