"""HTML for the side panel of a selected feature: who claims what, who answered, how sure, from where.

Every value is escaped through ``geo.render.escape``; sources link to their entries in the sources list
(``geo.render.sources``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from geo.model.claims import (
    KINDS,
    SHOWN_STANDING_LABELS,
    UNSOURCED,
    answered_ids,
    grade,
    responses,
    shown_standing,
)
from geo.model.schema import FIELDS
from geo.render.css import PANEL_CSS
from geo.render.dates import edtf_in_words
from geo.render.escape import Html, escape_text
from geo.render.i18n import N_, _, format_html
from geo.render.sources import (
    PAGE_LANGUAGE,
    TRANSLATION_LANGUAGE,
    chain_steps,
    cite,
    language_name,
    quote_label,
    source_language,
    source_step,
    source_steps,
    sources_list,
)
from geo.render.style import style_for
from geo.render.uncertainty import precision_words
from geo.render.vocabulary import grade_in_words, kind_labels, response_labels, short_standing_names, standing_labels

__all__ = ["PANEL_CSS", "PAGE_LANGUAGE", "claim_panel", "cite", "quote_label", "source_language", "sources_list"]

#: Said beside every grade: the grades are the project's, not the sources' (English: translated where shown).
GRADE_NOTE = N_("Grades are the project's assessment (Admiralty code).")


def _row(label: str, value: Any) -> Html:
    if value in (None, ""):
        return Html("")
    return Html("<dt>{}</dt><dd>{}</dd>").format(label, value)


def _quote(text: Any, lang: str) -> Html:
    if not text:
        return Html("")
    if not lang:
        return Html("<blockquote>{}</blockquote>").format(escape_text(text))
    return Html('<blockquote lang="{}">{}</blockquote>').format(lang, escape_text(text))


def _small(text: Any) -> Html:
    return Html("<br><small>{}</small>").format(text) if text not in (None, "") else Html("")


def standing_badge(standing: Any) -> Html:
    """Return a coloured badge naming a shown standing, its meaning on hover (unknown ones read as unsourced)."""
    known = standing if isinstance(standing, str) and standing in SHOWN_STANDING_LABELS else UNSOURCED
    return Html('<span class="standing" style="background:{}" title="{}">{}</span>').format(
        style_for(known)["color"], standing_labels()[known], short_standing_names()[known]
    )


def _standing(properties: Mapping[str, Any], reasons: list[str]) -> Html:
    standing = UNSOURCED if reasons else shown_standing({"properties": properties})
    code = grade(properties)
    if not code:
        return standing_badge(standing)
    words = grade_in_words(code)
    note = properties.get("credibility_note")
    summary = _("Why {grade}").format(grade=code)
    why = Html("<details><summary>{}</summary><small>{}</small></details>").format(summary, note) if note else ""
    return Html('{} · <abbr class="grade" title="{}">{}</abbr><br><small>{}: {}. {}</small>{}').format(
        standing_badge(standing), words, code, code, words, _(GRADE_NOTE), why
    )


def _kind(properties: Mapping[str, Any]) -> Html:
    kind = properties.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        return Html("")
    head, _colon, rest = kind_labels()[kind].partition(": ")
    return Html('<p class="kind" title="{}">{}</p>').format(rest, head)


def claim_panel(
    properties: Mapping[str, Any],
    sources: Mapping[str, dict[str, Any]],
    titles: Mapping[str, str] | None = None,
    unsourced: Iterable[str] = (),
) -> Html:
    """Return the side panel for one feature, in reading order.

    Title, kind, standing with its grade and basis, claim, claimant, dates, quote and translation, the
    dated responses (a claim) or what it denies (a denial), the source chain step by step with the other
    sources it cites, where and how surely it is placed, and any properties outside the claim model.

    Parameters
    ----------
    properties : Mapping
        The feature's original (unescaped) properties.
    sources : Mapping
        CSL-JSON items by id.
    titles : Mapping, optional
        Feature titles by id, to name the features in ``responses`` and ``answers``.
    unsourced : iterable of str
        Why the feature counts as unsourced, if it does (imports).

    Returns
    -------
    Html
    """
    reasons = [str(reason) for reason in unsourced]
    titles = titles or {}
    source_id = properties.get("source_id")
    language = source_language(sources.get(source_id) if isinstance(source_id, str) else None)
    rows = [
        _row(_("Standing and grade"), _standing(properties, reasons)),
        _row(_("Why this standing"), escape_text(properties.get("standing_basis"))),
        _row(_("Claim"), escape_text(properties.get("claim"))),
        _row(_("Claimant"), escape_text(properties.get("claimant"))),
        _row(_("Date"), _date(properties)),
        _row(quote_label(language), _quote(properties.get("quote"), language)),
        _row(_("Translation"), _quote(properties.get("quote_en"), TRANSLATION_LANGUAGE)),
        _row(_("Responses"), _responses(properties, sources, titles)),
        _row(_answers_label(properties), _answers(properties, titles)),
        *_source_rows(properties, sources),
        _row(_("Geometry"), _geometry_note(properties)),
        _row(_("Unsourced"), Html("<br>").join(escape_text(reason) for reason in reasons)),
    ]
    title = escape_text(properties.get("title") or properties.get("id") or _("Feature"))
    return Html('{}<div class="claim-panel"><h3>{}</h3>{}<dl>{}</dl>{}</div>').format(
        PANEL_CSS, title, _kind(properties), Html("").join(rows), other_properties(properties)
    )


def _date(properties: Mapping[str, Any]) -> Html:
    event, report = properties.get("event_date"), properties.get("report_date")
    if not event and not report:
        return Html("")
    shown = edtf_in_words(event) or event or _("not given")
    reported = edtf_in_words(report) or report
    return Html("{}{}{}").format(
        shown,
        _small(properties.get("date_basis")),
        Html("<br>{}").format(_("First reported: {date}").format(date=reported)) if reported else "",
    )


def _responses(properties: Mapping[str, Any], sources: Mapping[str, Any], titles: Mapping[str, str]) -> Html:
    items = [_response(item, sources, titles) for item in responses(properties)]
    return Html('<ol class="timeline">{}</ol>').format(Html("").join(items)) if items else Html("")


def _response(item: Mapping[str, Any], sources: Mapping[str, Any], titles: Mapping[str, str]) -> Html:
    date = edtf_in_words(item.get("date")) or item.get("date") or _("undated")
    kind = response_labels().get(str(item.get("type")), item.get("type") or _("answered"))
    source_id = item.get("source")
    language = source_language(sources.get(source_id) if isinstance(source_id, str) else None)
    said = Html("{}{}").format(_quote(item.get("quote"), language), _quote(item.get("quote_en"), TRANSLATION_LANGUAGE))
    if not item.get("quote") and item.get("summary"):
        said = Html("<p><small>{}</small> {}</p>").format(_("In summary, not verbatim:"), item["summary"])
    feature = item.get("feature")
    mapped_as = _("Mapped as: {title}").format(title=titles.get(str(feature), feature)) if feature else ""
    mapped = Html("<br><small>{}</small>").format(mapped_as) if feature else ""
    step = source_step(source_id, sources, note=False) if source_id else ""
    source = Html("<small>{}</small>").format(format_html(_("Source: {source}"), source=step)) if source_id else ""
    head = Html("<time>{}</time>: {} <b>{}</b>").format(date, item.get("by") or _("someone"), kind)
    if language and item.get("quote"):
        verbatim = _("({language}, verbatim)").format(language=language_name(language))
        head = Html("{} <small>{}</small>").format(head, verbatim)
    return Html("<li>{}{}{}{}</li>").format(head, said, source, mapped)


def _answers_label(properties: Mapping[str, Any]) -> str:
    return _("Denies") if properties.get("kind") == "denial" else _("Answers")


def _answers(properties: Mapping[str, Any], titles: Mapping[str, str]) -> Html:
    names = [titles.get(item, item) for item in answered_ids(properties)]
    if not names:
        return Html("")
    return Html("<ul>{}</ul>").format(Html("").join(Html("<li>{}</li>").format(name) for name in names))


def _source_rows(properties: Mapping[str, Any], sources: Mapping[str, Any]) -> list[Html]:
    source_id = properties.get("source_id")
    chain = chain_steps(properties.get("source_chain"), sources)
    fallback = Html("")
    if not chain and isinstance(source_id, str) and isinstance(sources.get(source_id), Mapping):
        fallback = cite(sources[source_id])
    elif not chain:
        fallback = escape_text(properties.get("source"))
    return [
        _row(_("Source chain (origin first)"), chain),
        _row(_("Source"), fallback),
        _row(_("Placed by"), source_steps(properties.get("geometry_source"), sources)),
        _row(_("Also reported by"), source_steps(properties.get("also_reported_by"), sources)),
        _row(_("See also"), source_steps(properties.get("see_also"), sources)),
    ]


def _geometry_note(properties: Mapping[str, Any]) -> Html:
    method = properties.get("method")
    words = precision_words(properties) or (
        _("Precision: {precision}").format(precision=properties["precision"]) if properties.get("precision") else ""
    )
    if not words and not method:
        return Html("")
    return Html("{}{}").format(words, _small(method))


def other_properties(properties: Mapping[str, Any]) -> Html:
    """Return a table of the properties outside the claim model (imports, measures), escaped."""
    extra = {key: value for key, value in properties.items() if key not in FIELDS and not str(key).startswith("_")}
    if not extra:
        return Html("")
    rows = Html("").join(Html("<tr><th>{}</th><td>{}</td></tr>").format(k, _plain(v)) for k, v in extra.items())
    return Html("<details><summary>{}</summary><table>{}</table></details>").format(_("Other properties"), rows)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)
