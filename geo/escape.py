"""The one escaping layer between data and HTML: every string shown in a page passes here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SAFE_SCHEMES = frozenset({"http", "https"})
#: CommonMark lets a backslash escape any ASCII punctuation; Streamlit adds ``:`` directives and ``$`` maths.
#: Characters that start Markdown syntax in a one-line label (links, emphasis, code, HTML, headings,
#: tables, strikethrough, LaTeX). Parentheses and dots are left alone: without ``[`` they make no link.
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>#|~$")


def escape_text(value: Any) -> Markup:
    """Return ``value`` as HTML-escaped text; ``None`` becomes an empty string.

    Parameters
    ----------
    value : Any
        A string, number or anything else with a ``str()``.

    Returns
    -------
    markupsafe.Markup
        Text safe to place in an HTML element or a quoted attribute.

    """
    return escape("" if value is None else value)


def escape_markdown(value: Any) -> str:
    """Return ``value`` as Markdown that shows as the same literal text (for Streamlit labels).

    Streamlit renders widget labels, captions and ``st.markdown`` as Markdown: a title such as
    ``[x](javascript:...)`` or ``**bold**`` must show as typed. Every character of ``MARKDOWN_SPECIAL`` is
    backslash-escaped and line breaks become spaces; ``None`` becomes an empty string.

    Parameters
    ----------
    value : Any
        A string, number or anything else with a ``str()``.

    Returns
    -------
    str
    """
    text = "" if value is None else str(value)
    text = " ".join(text.splitlines())
    return "".join("\\" + char if char in MARKDOWN_SPECIAL else char for char in text)


def safe_url(url: Any) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL, else ``None``.

    ``javascript:``, ``data:``, ``vbscript:``, scheme-relative (``//host``) and relative URLs are never
    made clickable, however they are cased or padded with whitespace or control characters.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def link(url: Any, label: Any = None) -> Markup:
    """Return an escaped ``<a>`` for a safe URL, or the escaped text of an unsafe one."""
    href = safe_url(url)
    text = escape_text(url if label is None else label)
    if href is None:
        return text
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(href, text)


def escape_properties(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a copy of a feature's properties with every key and string value escaped.

    Numbers and booleans are kept as they are; nested values become escaped JSON-like text.
    """
    return {str(escape_text(key)): _escape_value(value) for key, value in (properties or {}).items()}


def _escape_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(escape_text(value))


def escape_feature_collection(collection: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of a FeatureCollection whose properties are all escaped for HTML."""
    features = [
        {**feature, "properties": escape_properties(feature.get("properties"))}
        for feature in collection.get("features", [])
    ]
    return {**collection, "features": features}
