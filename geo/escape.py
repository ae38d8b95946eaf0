"""The one escaping layer between data and HTML: every string shown in a page passes here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SAFE_SCHEMES = frozenset({"http", "https"})


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


def safe_url(url: Any) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL, else ``None``.

    ``javascript:``, ``data:`` and relative URLs are never made clickable.
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
