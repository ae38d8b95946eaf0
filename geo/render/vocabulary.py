"""The claim model's vocabularies in the interface language: kinds, standings, answers and Admiralty grades.

``geo.model.claims`` holds the codes and their English words, and imports nothing; the words are written
again here, inside ``_()`` where extraction finds them. ``tests/test_i18n.py`` checks that the English here is
the model's, word for word, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from geo.model.claims import CREDIBILITY, RELIABILITY
from geo.render.i18n import _, pgettext


def kind_labels() -> dict[str, str]:
    """Return each kind's label (``geo.model.claims.KIND_LABELS``) in the interface language."""
    return {
        "claim": _("Claim: a party asserts something"),
        "report": _("Report: a media or eyewitness report"),
        "denial": _("Denial: an on-record rejection of another feature"),
        "statement": _("Statement: any other on-record statement"),
        "context": _("Context: geography, not a claim"),
        "unsourced": _("Unsourced: imported, without the claim fields"),
    }


def short_kind_names() -> dict[str, str]:
    """Return each kind's short name in the interface language: ``claim`` is ``Behauptung`` in German."""
    return {
        "claim": pgettext("kind", "claim"),
        "report": pgettext("kind", "report"),
        "denial": pgettext("kind", "denial"),
        "statement": pgettext("kind", "statement"),
        "context": pgettext("kind", "context"),
        "unsourced": pgettext("kind", "unsourced"),
    }


def standing_labels() -> dict[str, str]:
    """Return each shown standing's label (``geo.model.claims.SHOWN_STANDING_LABELS``) in the interface language."""
    return {
        "unverified": _("Unverified: nobody has confirmed or denied it on record"),
        "contested": _("Contested: denied on record, not settled"),
        "corroborated": _("Corroborated: independent sources agree"),
        "confirmed": _("Confirmed"),
        "refuted": _("Refuted: shown to be false"),
        "retracted": _("Retracted by whoever made it"),
        "on-record": _("On record: a denial or statement, as made"),
        "context": _("Context: geography, not a claim"),
        "unsourced": _("Unsourced: imported, no citation"),
    }


def short_standing_names() -> dict[str, str]:
    """Return each shown standing's short name as badges show it: ``contested`` is ``umstritten`` in German."""
    return {
        "unverified": pgettext("standing", "unverified"),
        "contested": pgettext("standing", "contested"),
        "corroborated": pgettext("standing", "corroborated"),
        "confirmed": pgettext("standing", "confirmed"),
        "refuted": pgettext("standing", "refuted"),
        "retracted": pgettext("standing", "retracted"),
        "on-record": pgettext("standing", "on-record"),
        "context": pgettext("standing", "context"),
        "unsourced": pgettext("standing", "unsourced"),
    }


def response_labels() -> dict[str, str]:
    """Return how each answer reads after its author (``geo.model.claims.RESPONSE_LABELS``): ``denied``."""
    return {
        "denial": pgettext("response", "denied"),
        "no-comment": pgettext("response", "refused to comment"),
        "confirmation": pgettext("response", "confirmed"),
        "retraction": pgettext("response", "retracted"),
    }


def reliability_labels() -> dict[str, str]:
    """Return the Admiralty code's source reliability by letter (``geo.model.claims.RELIABILITY``)."""
    return {
        "A": _("Completely reliable"),
        "B": _("Usually reliable"),
        "C": _("Fairly reliable"),
        "D": _("Not usually reliable"),
        "E": _("Unreliable"),
        "F": _("Reliability cannot be judged"),
    }


def credibility_labels() -> dict[str, str]:
    """Return the Admiralty code's credibility of information by digit (``geo.model.claims.CREDIBILITY``)."""
    return {
        "1": _("Confirmed by other sources"),
        "2": _("Probably true"),
        "3": _("Possibly true"),
        "4": _("Doubtful"),
        "5": _("Improbable"),
        "6": _("Truth cannot be judged"),
    }


def _grade_halves() -> tuple[dict[str, str], dict[str, str]]:
    """Both halves of a grade as they read inside a sentence (lower case in English, nouns kept in German)."""
    reliability = {
        "A": pgettext("grade", "completely reliable"),
        "B": pgettext("grade", "usually reliable"),
        "C": pgettext("grade", "fairly reliable"),
        "D": pgettext("grade", "not usually reliable"),
        "E": pgettext("grade", "unreliable"),
        "F": pgettext("grade", "reliability cannot be judged"),
    }
    credibility = {
        "1": pgettext("grade", "confirmed by other sources"),
        "2": pgettext("grade", "probably true"),
        "3": pgettext("grade", "possibly true"),
        "4": pgettext("grade", "doubtful"),
        "5": pgettext("grade", "improbable"),
        "6": pgettext("grade", "truth cannot be judged"),
    }
    return reliability, credibility


def grade_in_words(code: Any) -> str:
    """Return an Admiralty grade in words, as ``geo.model.claims.grade_words`` does, in the interface language.

    ``F5`` gives ``reliability cannot be judged, improbable``; ``""`` for anything that is no grade.
    """
    if not isinstance(code, str) or len(code) != 2 or code[0] not in RELIABILITY or code[1] not in CREDIBILITY:
        return ""
    reliability, credibility = _grade_halves()
    return _("{reliability}, {credibility}").format(reliability=reliability[code[0]], credibility=credibility[code[1]])
