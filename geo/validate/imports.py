"""Import an analyst's GeoJSON file as a session layer, feature by feature, never raising."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from geo.model.claims import mark_unsourced, unsourced_reasons
from geo.model.layers import IMPORTS, Layer
from geo.model.names import free_name, slug
from geo.validate import (
    UNREADABLE,
    Context,
    HasProblems,
    Limits,
    Mode,
    Problem,
    Region,
    Report,
    parse_json,
    validate_document,
)

ID_PREFIX = "import-"
TITLE_PREFIX = "Imported: "
#: The column names of ``problem_rows``.
COLUMNS = ("Feature", "Field", "Problem", "Result")
WHOLE_FILE = "whole file"
REJECTED = "not imported"
KEPT = "imported"
FILE_REJECTED = "file not imported"
EXTENSION = re.compile(r"\.(geo)?json$", re.IGNORECASE)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult(HasProblems):
    """One imported file: its session layer, the accepted features and every problem found.

    Attributes
    ----------
    name : str
        The file name as uploaded.
    layer : Layer
        The session layer (id ``import-<slug>``, group ``imports``, no file on disk).
    collection : dict
        A FeatureCollection of the accepted features, their properties unchanged; those without our
        claim fields are marked unsourced (see ``geo.model.standing.mark_unsourced``).
    problems : list of Problem
        Errors (the feature or file was not imported) and warnings (it was).
    total : int
        How many features the file holds (accepted or not); 0 if it could not be read.
    """

    name: str
    layer: Layer
    collection: dict[str, Any]
    problems: list[Problem]
    total: int = 0

    @property
    def unsourced(self) -> dict[int, list[str]]:
        """Position in ``collection["features"]`` of each feature marked unsourced, and why."""
        features = self.collection["features"]
        return {index: reasons for index, feature in enumerate(features) if (reasons := unsourced_reasons(feature))}

    @property
    def accepted(self) -> int:
        """Number of features imported."""
        return len(self.collection["features"])

    @property
    def rejected(self) -> int:
        """Number of features of the file left out because of an error."""
        return max(self.total - self.accepted, 0)

    def rows(self) -> list[dict[str, str]]:
        """Return the problems as table rows (see ``problem_rows``)."""
        return problem_rows(self.problems)

    def summary(self) -> str:
        """Return one sentence on what was imported, e.g. ``3 of 4 features imported, 1 left out``."""
        if self.total == 0 and self.errors:
            return f"{self.name}: not imported: {self.errors[0].message}"
        left_out = f", {self.rejected} left out (see the problems)" if self.rejected else ""
        return f"{self.name}: {self.accepted} of {self.total} features imported{left_out}"


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Return problems as rows of a table a non-programmer can read.

    Parameters
    ----------
    problems : iterable of Problem
        Problems of one file.

    Returns
    -------
    list of dict
        One row per problem with the keys of ``COLUMNS``: ``Feature`` (``#3``, counting from 1,
        with the id if it has one, or ``whole file``), ``Field`` (where in the feature),
        ``Problem`` (the message) and ``Result`` (``not imported``, ``imported`` or ``file not imported``).
    """
    return [dict(zip(COLUMNS, _row(problem), strict=True)) for problem in problems]


def _row(problem: Problem) -> tuple[str, str, str, str]:
    if problem.index is None:
        result = KEPT if problem.warning else FILE_REJECTED
        return WHOLE_FILE, problem.field or "—", problem.message, result
    feature = f"#{problem.index + 1}"
    if isinstance(problem.feature, str):
        feature += f" (id {problem.feature})"
    return feature, problem.field or "—", problem.message, KEPT if problem.warning else REJECTED


def layer_id(name: str, taken_ids: Iterable[str] = ()) -> str:
    """Return ``import-<slug of the file name>``, made unique against ``taken_ids`` with ``-2``, ``-3``...

    The extension is dropped and accents are stripped (``Grodno Ü.geojson`` gives ``import-grodno-u``).
    """
    ascii_name = unicodedata.normalize("NFKD", EXTENSION.sub("", name)).encode("ascii", "ignore").decode()
    return free_name(ID_PREFIX + slug(ascii_name), taken_ids, separator="-")


def import_layer(name: str, taken_ids: Iterable[str] = ()) -> Layer:
    """Return the session layer of an imported file (nothing on disk, visible by default)."""
    return Layer(
        id=layer_id(name, taken_ids),
        title=TITLE_PREFIX + name,
        group=IMPORTS,
        file="",
        default_visible=True,
    )


def import_file(
    name: str,
    data: bytes,
    limits: Limits = Limits(),
    taken_ids: frozenset[str] = frozenset(),
    region: Region | None = None,
) -> ImportResult:
    """Validate an uploaded GeoJSON file and keep its valid features.

    Uses the validator of ``python -m geo validate`` in ``Mode.IMPORT``: features without our
    claim fields are kept and marked unsourced; one bad feature never rejects the others.

    Parameters
    ----------
    name : str
        The file name, used in messages and in the layer's id and title.
    data : bytes
        The file's contents.
    limits : Limits
        Size, feature-count and nesting caps.
    taken_ids : frozenset of str
        Layer ids already in use (the catalog's and earlier imports').
    region : tuple of 4 float, optional
        The region of the case the file is imported into (west, south, east, north), read with
        ``as_region``: features that fall in it only with latitude and longitude swapped get a warning.
        ``None`` (no case region) gives no such warning.

    Returns
    -------
    ImportResult
        Never raises: unreadable input gives an empty layer and the problem that says why.
    """
    name = str(name)
    report = _report(name, data, limits, region)
    return ImportResult(
        name=name,
        layer=import_layer(name, taken_ids),
        collection={"type": "FeatureCollection", "features": mark_unsourced(report.features, report.unsourced)},
        problems=report.problems,
        total=report.total,
    )


def _report(name: str, data: bytes, limits: Limits, region: Region | None) -> Report:
    try:
        document, problems = parse_json(data, name, limits)
        if document is UNREADABLE:
            return Report(name, problems=problems)
        report = validate_document(document, Context(name, mode=Mode.IMPORT, limits=limits, region=region))
    except Exception as exc:  # the last line of defence: an upload must never take the app down
        log.exception("importing %r failed", name)
        message = f"the file could not be checked because of an internal error ({type(exc).__name__}): please report it"
        return Report(name, problems=[Problem(name, message)])
    report.problems[:0] = problems
    return report
