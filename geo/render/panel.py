"""HTML for the side panel of a clicked feature, the sources list and the legend: all escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale, UnknownLocaleError

from geo.model.citation import format_citation
from geo.model.claims import UNSOURCED
from geo.model.schema import FIELDS
from geo.render.escape import Html, escape_text, link
from geo.render.style import STATUS_LABELS, style_for

PANEL_CSS = Html(
    "<style>"
    ".claim-panel{font:15px/1.45 sans-serif;overflow-wrap:anywhere;max-width:100%}"
    ".claim-panel h3{margin:0 0 .3em;font-size:1.15em}"
    ".claim-panel dl{margin:.4em 0}.claim-panel dt{font-weight:600;margin-top:.45em}"
    ".claim-panel dd{margin:0}.claim-panel blockquote{margin:.3em 0;padding-left:.7em;border-left:3px solid #bbb}"
    ".claim-panel .status{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-size:.85em}"
    ".claim-panel table{border-collapse:collapse;font-size:.9em}.claim-panel td,.claim-panel th"
    "{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
    ".claim-legend{list-style:none;padding:0;margin:0;font:14px/1.6 sans-serif}"
    ".claim-legend .swatch{display:inline-block;width:28px;vertical-align:middle;margin-right:6px}"
    ".sources-list{font:14px/1.5 sans-serif;overflow-wrap:anywhere;padding-left:1.2em}"
    "</style>"
)


def _row(label: str, value: Any) -> Html:
    if value in (None, ""):
        return Html("")
    return Html("<dt>{}</dt><dd>{}</dd>").format(label, value)


#: The language the page is written in: translations are in it, and language names are given in it.
PAGE_LANGUAGE = "en"


def _quote(text: Any, lang: str) -> Html:
    if not text:
        return Html("")
    if not lang:
        return Html("<blockquote>{}</blockquote>").format(escape_text(text))
    return Html('<blockquote lang="{}">{}</blockquote>').format(lang, escape_text(text))


def source_language(source: Mapping[str, Any] | None) -> str:
    """Return the CSL ``language`` of a source as a BCP 47 tag, or ``""`` if it has none Babel knows."""
    tag = source.get("language") if source else None
    if not isinstance(tag, str):
        return ""
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return ""
    return tag


def quote_label(language: str) -> str:
    """Return the quote's row label, naming its language in English: ``Quote (German, verbatim)``."""
    if not language:
        return "Quote (verbatim)"
    name = Locale.parse(language, sep="-").get_display_name(PAGE_LANGUAGE)
    return f"Quote ({name}, verbatim)"


def status_badge(status: Any) -> Html:
    """Return a coloured badge naming a status (unknown statuses read as unsourced)."""
    known = status if isinstance(status, str) and status in STATUS_LABELS else UNSOURCED
    return Html('<span class="status" style="background:{}">{}</span>').format(style_for(known)["color"], known)


def claim_panel(
    properties: Mapping[str, Any],
    sources: Mapping[str, dict[str, Any]],
    titles: Mapping[str, str] | None = None,
    unsourced: Iterable[str] = (),
) -> Html:
    """Return the side panel for one feature: claim, claimant, status, date, quotes, denial, source.

    Parameters
    ----------
    properties : Mapping
        The feature's original (unescaped) properties.
    sources : Mapping
        CSL-JSON items by id.
    titles : Mapping, optional
        Feature titles by id, to name the features in ``counter_claims``.
    unsourced : iterable of str
        Why the feature counts as unsourced, if it does (imports).

    Returns
    -------
    Html
    """
    reasons = list(unsourced)
    source_id = properties.get("source_id")
    source = sources.get(source_id) if isinstance(source_id, str) else None
    language = source_language(source)
    rows = [
        _row("Claim", escape_text(properties.get("claim"))),
        _row("Claimant", escape_text(properties.get("claimant"))),
        _row("Status", status_badge(UNSOURCED if reasons else properties.get("status"))),
        _row("Date", _date(properties)),
        _row(quote_label(language), _quote(properties.get("quote"), language)),
        _row("Translation", _quote(properties.get("quote_en"), PAGE_LANGUAGE)),
        _row("Denied by", _denial(properties, language)),
        _row("Answered by", _counter_claims(properties.get("counter_claims"), titles or {})),
        _row("Source chain", escape_text(properties.get("source_chain"))),
        _row("Source", _source(properties, source)),
        _row("Geometry", _geometry_note(properties)),
        _row("Unsourced", Html("<br>").join(escape_text(reason) for reason in reasons)),
    ]
    title = escape_text(properties.get("title") or properties.get("id") or "Feature")
    body = Html("").join(rows)
    extra = other_properties(properties)
    return Html('{}<div class="claim-panel"><h3>{}</h3><dl>{}</dl>{}</div>').format(PANEL_CSS, title, body, extra)


def _date(properties: Mapping[str, Any]) -> Html:
    date, basis = properties.get("event_date"), properties.get("date_basis")
    if not date:
        return Html("")
    if not basis:
        return escape_text(date)
    return Html("{}<br><small>{}</small>").format(date, basis)


def _denial(properties: Mapping[str, Any], language: str) -> Html:
    if not properties.get("denied_by"):
        return Html("")
    return Html("{}{}").format(properties["denied_by"], _quote(properties.get("denial_quote"), language))


def _counter_claims(ids: Any, titles: Mapping[str, str]) -> Html:
    names = [titles.get(item, item) for item in str(ids or "").split(",") if item]
    return Html("<br>").join(escape_text(name) for name in names)


def _source(properties: Mapping[str, Any], source: dict[str, Any] | None) -> Html:
    if source is None:
        return escape_text(properties.get("source"))
    return cite(source)


def cite(source: Mapping[str, Any]) -> Html:
    """Return a source's citation with its URL as a link (http(s) only) and its note."""
    url = source.get("URL")
    citation = format_citation({key: value for key, value in source.items() if key != "URL"})
    note = Html("<br><small>{}</small>").format(source["note"]) if source.get("note") else Html("")
    return Html("{} {}{}").format(citation, link(url) if url else "", note)


def _geometry_note(properties: Mapping[str, Any]) -> Html:
    method = properties.get("method")
    if not method:
        return Html("")
    precision, uncertainty = properties.get("precision"), properties.get("uncertainty_km")
    head = f"Precision: {precision or 'not given'}" + (f", ± {uncertainty} km" if uncertainty not in (None, "") else "")
    return Html("{}<br><small>{}</small>").format(head, method)


def other_properties(properties: Mapping[str, Any]) -> Html:
    """Return a table of the properties outside the claim model (imports, measures), escaped."""
    extra = {key: value for key, value in properties.items() if key not in FIELDS and not str(key).startswith("_")}
    if not extra:
        return Html("")
    rows = Html("").join(Html("<tr><th>{}</th><td>{}</td></tr>").format(k, _plain(v)) for k, v in extra.items())
    return Html("<details><summary>Other properties</summary><table>{}</table></details>").format(rows)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def sources_list(sources: Iterable[dict[str, Any]]) -> Html:
    """Return the list of every cited source, with http(s) links only."""
    items = [Html('<li id="source-{}">{}</li>').format(source.get("id"), cite(source)) for source in sources]
    return Html('{}<ol class="sources-list">{}</ol>').format(PANEL_CSS, Html("").join(items))
