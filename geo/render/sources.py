"""Sources as the panel and the sources list show them: citations, chains of relays, languages and grades.

Every source a panel names links to its entry in the sources list (``#source-<id>``); every string is
escaped through ``geo.render.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale, UnknownLocaleError

from geo.model.citation import format_citation
from geo.model.claims import RELIABILITY, as_list
from geo.render.css import PANEL_CSS
from geo.render.dates import csl_date_in_words
from geo.render.escape import Html, escape_text, link
from geo.render.i18n import N_, _, current_language, format_html
from geo.render.vocabulary import reliability_labels

#: The language of the translations of quotes (``quote_en``), whatever the interface language.
TRANSLATION_LANGUAGE = "en"
#: The former name of ``TRANSLATION_LANGUAGE``, from when the page was in English only.
PAGE_LANGUAGE = TRANSLATION_LANGUAGE
#: Said wherever a grade is shown: the grades are ours, not the sources' (English: translated where shown).
ASSESSMENT_NOTE = N_("project's assessment")


def source_anchor(source_id: Any) -> str:
    """Return the HTML id of a source's entry in the sources list: ``source-<id>``."""
    return f"source-{source_id}"


def source_language(source: Mapping[str, Any] | None) -> str:
    """Return the CSL ``language`` of a source as a BCP 47 tag, or ``""`` if it has none Babel knows."""
    tag = source.get("language") if isinstance(source, Mapping) else None
    if not isinstance(tag, str):
        return ""
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return ""
    return tag


def language_name(language: str) -> str:
    """Return a language tag's name in the interface language (``de`` gives ``German``, ``Deutsch``); ``""`` if none."""
    return Locale.parse(language, sep="-").get_display_name(current_language()) if language else ""


def quote_label(language: str) -> str:
    """Return the quote's row label, naming its language in the interface language: ``Quote (German, verbatim)``."""
    if not language:
        return _("Quote (verbatim)")
    return _("Quote ({language}, verbatim)").format(language=language_name(language))


def cite(source: Mapping[str, Any]) -> Html:
    """Return a source's citation with its URL as a link (http(s) only) and its note."""
    url = source.get("URL")
    citation = format_citation({key: value for key, value in source.items() if key != "URL"})
    note = Html("<br><small>{}</small>").format(source["note"]) if source.get("note") else Html("")
    return Html("{} {}{}").format(citation, link(url) if url else "", note)


def reliability_badge(source: Mapping[str, Any]) -> Html:
    """Return ``reliability F`` with the letter's meaning on hover; empty if the source has no grade."""
    letter = source.get("reliability")
    if not isinstance(letter, str) or letter not in RELIABILITY:
        return Html("")
    abbr = Html('<abbr class="grade" title="{}">{}</abbr>').format(reliability_labels()[letter], letter)
    return format_html(_("reliability {grade}"), grade=abbr)


def _outlet(source: Mapping[str, Any]) -> Any:
    return source.get("container-title") or source.get("publisher") or source.get("title") or source.get("id")


def source_step(source_id: Any, sources: Mapping[str, Mapping[str, Any]], note: bool = True) -> Html:
    """Return one source as a step of a chain: a link to its entry, its outlet, date, language and grade.

    Parameters
    ----------
    source_id : Any
        The id of a CSL-JSON item.
    sources : Mapping
        CSL-JSON items by id.
    note : bool
        Add the grade's rationale (``reliability_note``) below the step.

    Returns
    -------
    Html
        ``<a href="#source-<id>">outlet</a>, date, language · reliability X`` and the grade's note; the
        escaped id and ``(not in the sources list)`` for an unknown source.
    """
    source = sources.get(source_id) if isinstance(source_id, str) else None
    if not isinstance(source, Mapping):
        return Html("{} <small>({})</small>").format(source_id, _("not in the sources list"))
    facts = [csl_date_in_words(source), language_name(source_language(source))]
    words = Html(", ").join(escape_text(fact) for fact in facts if fact)
    grade = reliability_badge(source)
    head = Html('<a href="#{}">{}</a>').format(source_anchor(source_id), _outlet(source))
    line = Html(", ").join(part for part in (head, words) if part)
    rationale = source.get("reliability_note") if note else None
    return Html("{}{}{}").format(
        line,
        Html(" · {}").format(grade) if grade else "",
        Html("<br><small>{}</small>").format(rationale) if rationale else "",
    )


def chain_steps(chain: Any, sources: Mapping[str, Mapping[str, Any]]) -> Html:
    """Return a source chain, origin first, as an ordered list of linked steps; empty if there is none."""
    ids = [item for item in as_list(chain) if isinstance(item, str) and item]
    if not ids:
        return escape_text(chain) if isinstance(chain, str) else Html("")
    items = []
    for position, source_id in enumerate(ids):
        role = _role(position, len(ids))
        tag = Html('<span class="step-role">{}</span> ').format(role) if role else Html("")
        items.append(Html("<li>{}{}</li>").format(tag, source_step(source_id, sources)))
    return Html('<ol class="chain">{}</ol>').format(Html("").join(items))


def _role(position: int, length: int) -> str:
    if length == 1:
        return _("origin and source read")
    return _("origin") if position == 0 else _("source read") if position == length - 1 else _("relayed by")


def source_steps(ids: Any, sources: Mapping[str, Mapping[str, Any]]) -> Html:
    """Return sources (a list of ids, or one id) as a list of linked steps; empty if there are none."""
    items = [source_step(item, sources) for item in as_list(ids) if isinstance(item, str) and item]
    return (
        Html("<ul>{}</ul>").format(Html("").join(Html("<li>{}</li>").format(item) for item in items))
        if items
        else Html("")
    )


def _relays(source: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> Html:
    via = [item for item in as_list(source.get("via")) if isinstance(item, str) and item]
    if not via:
        return Html("")
    links = [
        Html('<a href="#{}">{}</a>').format(source_anchor(item), _outlet(known[item]))
        if item in known
        else escape_text(item)
        for item in via
    ]
    return Html("<br>{}").format(format_html(_("Relays: {sources}"), sources=Html("; ").join(links)))


def _grade_line(source: Mapping[str, Any]) -> Html:
    grade = reliability_badge(source)
    if not grade:
        return Html("")
    note = source.get("reliability_note")
    meaning = reliability_labels()[source["reliability"]]
    return Html("<br>{}: {}{} <small>({})</small>").format(
        grade, meaning, Html(". {}").format(note) if note else "", _(ASSESSMENT_NOTE)
    )


def sources_list(sources: Iterable[Mapping[str, Any]]) -> Html:
    """Return every source as an anchored entry (``id="source-<id>"``): citation, link, note, grade, relays.

    Parameters
    ----------
    sources : iterable of Mapping
        CSL-JSON items.

    Returns
    -------
    Html
        An ordered list; URLs are links only if they are http(s).
    """
    items = [source for source in sources if isinstance(source, Mapping)]
    known = {source.get("id"): source for source in items if isinstance(source.get("id"), str)}
    entries = [
        Html('<li id="{}">{}{}{}</li>').format(
            source_anchor(source.get("id")), cite(source), _grade_line(source), _relays(source, known)
        )
        for source in items
    ]
    return Html('{}<ol class="sources-list">{}</ol>').format(PANEL_CSS, Html("").join(entries))
