"""The one escaping layer between data and HTML: every string shown in a page or map passes here.

Data must stay inert in every syntax it passes through on its way out:

- **HTML** (panels, tooltips, popups, layer names): markupsafe escapes ``<>&'"``.
- **Jinja2**: branca compiles each rendered map script a second time as a template
  (``MacroElement.render`` wraps the text it rendered in ``Element``, whose ``__init__`` calls
  ``jinja2.Template``), in a normal, non-sandboxed environment. ``{{ }}`` in data would run on the server and
  ``{#`` or ``{%`` would break the page. HTML escaping and JSON encoding leave braces alone, so here they
  become the character references ``&#123;`` and ``&#125;``: no Jinja tag can start, and a browser shows the
  braces literally. Every value interpolated into HTML built with :class:`Html` gets the same treatment.
- **Markdown** (Streamlit labels, captions, table cells): :func:`escape_markdown`.
- **GeoJSON foreign members**: what is drawn is rebuilt from ``type``, ``coordinates`` and ``geometries``
  only, so ``bbox`` and foreign members never reach a map (:func:`drawable_geometry`).
"""

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


GEOMETRY_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"})
#: Braces as HTML character references: inert to Jinja2, shown literally by a browser (see the module docstring).
TEMPLATE_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


class Html(Markup):
    """Trusted HTML whose interpolated values are escaped for HTML *and* template syntax.

    Build every HTML fragment with ``Html("<b>{}</b>").format(value)`` (or ``Html.join``): each value that is
    not itself ``Html`` or ``Markup`` goes through :func:`escape_text`.
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any) -> Html:
        """Return ``s`` escaped for HTML with its braces as character references; trusted HTML is kept."""
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(str(escape(s)).translate(TEMPLATE_BRACES))


def escape_text(value: Any) -> Html:
    """Return ``value`` as HTML-escaped text, braces included; ``None`` becomes an empty string.

    Parameters
    ----------
    value : Any
        A string, number or anything else with a ``str()``.

    Returns
    -------
    Html
        Text safe to place in an HTML element or a quoted attribute, and inert as Jinja2 template text.

    """
    return Html.escape("" if value is None else value)


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


def link(url: Any, label: Any = None) -> Html:
    """Return an escaped ``<a>`` for a safe URL, or the escaped text of an unsafe one."""
    href = safe_url(url)
    text = escape_text(url if label is None else label)
    if href is None:
        return text
    return Html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(href, text)


def escape_properties(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a copy of a feature's properties with every key and string value escaped.

    Numbers and booleans are kept as they are; nested values become escaped JSON-like text.
    """
    return {str(escape_text(key)): _escape_value(value) for key, value in (properties or {}).items()}


def _escape_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(escape_text(value))


def drawable_geometry(geometry: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return a GeoJSON geometry rebuilt from ``type``, ``coordinates`` and ``geometries`` only.

    ``bbox`` and foreign members are dropped. Anything that is not a geometry of numbers (a string among
    the coordinates, an unknown type) gives ``None``: it is not drawn.
    """
    if not isinstance(geometry, Mapping):
        return None
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        members = [drawable_geometry(member) for member in geometry.get("geometries") or []]
        return None if None in members else {"type": kind, "geometries": members}
    coordinates = geometry.get("coordinates")
    if kind not in GEOMETRY_TYPES or not _numbers_only(coordinates):
        return None
    return {"type": kind, "coordinates": coordinates}


def _numbers_only(value: Any) -> bool:
    if isinstance(value, list):
        return all(_numbers_only(item) for item in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def escape_feature_collection(collection: Mapping[str, Any]) -> dict[str, Any]:
    """Return the FeatureCollection a map draws: escaped ids and properties, bare geometries, nothing else.

    Members other than ``type``, ``id``, ``geometry`` and ``properties`` (``bbox``, foreign members) are
    dropped at both levels.
    """
    features = []
    for feature in collection.get("features", []):
        drawn = {"type": "Feature", "geometry": drawable_geometry(feature.get("geometry"))}
        if drawn["geometry"] is None:
            continue
        if feature.get("id") is not None:
            drawn["id"] = _escape_value(feature["id"])
        drawn["properties"] = escape_properties(feature.get("properties"))
        features.append(drawn)
    return {"type": "FeatureCollection", "features": features}
