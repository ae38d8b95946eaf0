"""The sources an export cites, as CSL-JSON (Zotero, Pandoc) or BibTeX."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibTeXWriter

from geo.model.citation import format_date

if TYPE_CHECKING:
    from geo.export.request import Request

#: CSL item types and the BibTeX entry types they become (anything else is ``misc``).
BIBTEX_TYPES = {
    "article-newspaper": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "book": "book",
    "report": "techreport",
    "thesis": "phdthesis",
}
#: The standalone map's layout: the map fills the page beside a panel with the case, legend and sources.


def write_csl_json(request: Request) -> bytes:
    """Return the request's sources as a CSL-JSON list."""
    return json.dumps(list(request.sources.values()), ensure_ascii=False, indent=2).encode("utf-8")


class _BibTeXWriter(BibTeXWriter):
    """pybtex's BibTeX writer, but URLs and DOIs stay verbatim (LaTeX escapes would break the links).

    Braces in text are BibTeX's own syntax, which counts them even after a backslash: an unbalanced one
    (a title such as ``a {% sign``) would break the file. They are written as the LaTeX commands that print
    them.
    """

    VERBATIM = frozenset({"url", "doi"})
    BRACES = str.maketrans({"{": r"\textbraceleft{}", "}": r"\textbraceright{}"})

    def _write_field(self, stream: Any, field: str, value: str) -> None:
        if field not in self.VERBATIM:
            return super()._write_field(stream, field, value.translate(self.BRACES))
        stream.write(f",\n    {field} = {self.quote(value)}")


def bibtex_entry(item: dict[str, Any]) -> Entry:
    """Return a CSL-JSON item as a pybtex BibTeX entry.

    Parameters
    ----------
    item : dict
        A CSL-JSON item: ``type``, ``title``, ``author``, ``container-title``, ``publisher``, ``version``,
        ``issued``, ``accessed``, ``URL``, ``DOI``, ``note``.

    Returns
    -------
    pybtex.database.Entry
        ``article`` for newspaper, journal and magazine articles with a container, ``book``,
        ``techreport``, ``phdthesis``, else ``misc``; the date as ``year`` and biblatex ``date``.
    """
    kind = BIBTEX_TYPES.get(item.get("type", ""), "misc")
    if kind == "article" and not item.get("container-title"):
        kind = "misc"
    issued = format_date(item)
    fields = {
        "title": item.get("title"),
        "journal" if kind == "article" else "howpublished": item.get("container-title"),
        "publisher": item.get("publisher"),
        "version": item.get("version"),
        "year": issued[:4],
        "date": issued,
        "url": item.get("URL"),
        "doi": item.get("DOI"),
        "urldate": format_date(item, "accessed"),
        "note": item.get("note"),
    }
    authors = [_person(author) for author in item.get("author", [])]
    return Entry(kind, fields={key: str(value) for key, value in fields.items() if value}, persons={"author": authors})


def _person(name: dict[str, Any]) -> Person:
    if name.get("family") or name.get("given"):
        return Person(first=name.get("given", ""), last=name.get("family", ""))
    return Person(last="{" + str(name.get("literal", "")) + "}")


def write_bibtex(request: Request) -> bytes:
    """Return the request's sources as a BibTeX file."""
    entries = {item["id"]: bibtex_entry(item) for item in request.sources.values()}
    return _BibTeXWriter().to_string(BibliographyData(entries=entries)).encode("utf-8")
