"""Links between features and to their sources: answers both ways, standing against answers, independence."""

import json
import subprocess
import sys

from geo.validate.links import link_findings
from tests.browser import ROOT
from tests.conftest import DATA, read_json

AUTHORED = read_json(DATA / "claims.json")["features"]
SOURCES = {item["id"]: item for item in read_json(DATA / "sources.json")}
CLAIM = "nato-forces-lithuania-border"
DENIAL = "nato-spokesperson-denial"


def shipped():
    """A fresh copy of the authored features' properties, by id."""
    return {item["id"]: json.loads(json.dumps(item)) for item in AUTHORED}


def findings(features, sources=SOURCES):
    return link_findings(list(features.values()), sources)


def test_the_shipped_case_has_no_broken_link():
    assert findings(shipped()) == []


def test_a_denial_of_a_feature_that_does_not_exist_is_named():
    features = shipped()
    features[DENIAL]["answers"].append("nato-forces-latvia-border")
    assert findings(features) == [
        (DENIAL, "answers", "answers 'nato-forces-latvia-border', which is no feature of the case")
    ]


def test_a_one_way_link_is_named_from_both_ends():
    features = shipped()
    features[CLAIM]["responses"] = [r for r in features[CLAIM]["responses"] if r.get("feature") != DENIAL]
    assert findings(features) == [
        (DENIAL, "answers", f"answers '{CLAIM}', but '{CLAIM}' lists no response whose feature is '{DENIAL}'")
    ]
    features = shipped()
    features[DENIAL]["answers"].remove(CLAIM)
    assert findings(features) == [
        (CLAIM, "responses", f"a response names '{DENIAL}', whose answers do not list '{CLAIM}'")
    ]


def test_an_unverified_claim_with_a_denial_is_refused():
    features = shipped()
    features[CLAIM]["standing"] = "unverified"
    assert findings(features) == [
        (CLAIM, "standing", "is 'unverified' but was denied on record: make it 'contested' or settle it")
    ]


def test_a_refusal_to_comment_leaves_a_claim_unverified():
    features = shipped()
    trucks = features["rosgvardia-trucks-toward-belarus"]
    assert [r["type"] for r in trucks["responses"]] == ["no-comment"] and trucks["standing"] == "unverified"
    assert findings(features) == []


def test_corroboration_by_a_relay_of_the_same_video_is_refused():
    features = shipped()
    smolensk = features["rosgvardia-video-near-smolensk"]
    smolensk["standing"] = "corroborated"
    roots = sorted({"maksimov-video-2020-08", "meduza-2020-08", "mediazona-2020-08-16"})
    message = (
        f"is 'corroborated' but has fewer than two independent sources: every source descends from "
        f"{', '.join(roots)} (a relay is not a second source)"
    )
    assert findings(features) == [("rosgvardia-video-near-smolensk", "standing", message)]


def test_a_chain_whose_step_does_not_relay_the_one_before_is_named():
    features = shipped()
    features["convoy-st-petersburg-pskov"]["source_chain"] = ["meduza-2020-08", "seed-article"]
    sources = json.loads(json.dumps(SOURCES))
    sources["seed-article"]["via"].remove("t-online-2020-08-17")
    sources["seed-article"]["via"].remove("fontanka-2020-08-16")
    found = findings(features, sources)
    assert (
        "convoy-st-petersburg-pskov",
        "source_chain",
        "chain step 'seed-article' does not list 'meduza-2020-08' in its 'via', so the chain cannot be followed",
    ) in found


def test_an_untranslated_quote_in_another_language_is_named():
    features = shipped()
    features[CLAIM]["responses"][2].pop("quote_en")
    assert findings(features) == [(CLAIM, "responses", "a quote in 'de' (seed-article) has no English translation")]


def test_geo_validate_rejects_a_denial_of_nothing_a_one_way_link_and_an_unverified_denied_claim(data_copy):
    claims = read_json(data_copy / "claims.json")
    features = {item["id"]: item for item in claims["features"]}
    features[DENIAL]["answers"].append("no-such-claim")
    features["nato-statement-brussels"]["answers"].remove("nato-forces-poland-border")
    features[CLAIM]["standing"] = "unverified"
    (data_copy / "claims.json").write_text(json.dumps(claims, ensure_ascii=False), encoding="utf-8")
    run = [sys.executable, "-m", "geo", "--data", str(data_copy)]
    subprocess.run([*run, "build"], cwd=ROOT, check=True, capture_output=True, timeout=300)
    result = subprocess.run([*run, "validate"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and result.stderr == "3 problem(s), 0 warning(s)\n", result.stdout
    assert f"feature {DENIAL}: answers 'no-such-claim', which is no feature of the case" in result.stdout
    assert (
        "feature nato-forces-poland-border: a response names 'nato-statement-brussels', whose answers" in result.stdout
    )
    assert f"feature {CLAIM}: is 'unverified' but was denied on record" in result.stdout
