"""Format CSL-JSON source items as one-line human-readable citations."""

from __future__ import annotations

from typing import Any


def format_date(item: dict[str, Any], key: str = "issued") -> str:
    """Return a CSL date (``{"date-parts": [[y, m, d]]}``) as ISO text, or ``""``."""
    parts = (item.get(key) or {}).get("date-parts") or [[]]
    return "-".join(f"{int(value):02d}" if index else str(value) for index, value in enumerate(parts[0]))


def format_authors(item: dict[str, Any]) -> str:
    """Return the item's authors as ``Family, Given`` joined by semicolons."""
    names = []
    for author in item.get("author", []):
        name = ", ".join(part for part in (author.get("family"), author.get("given")) if part)
        names.append(name or author.get("literal", ""))
    return "; ".join(name for name in names if name)


def format_citation(item: dict[str, Any]) -> str:
    """Return a one-line citation: authors, title, container or publisher, version, date, URL.

    Parameters
    ----------
    item : dict
        A CSL-JSON item.

    Returns
    -------
    str

    """
    parts = [
        format_authors(item),
        item.get("title", ""),
        item.get("container-title") or item.get("publisher", ""),
        f"version {item['version']}" if item.get("version") else "",
        format_date(item),
        item.get("URL", ""),
    ]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."
