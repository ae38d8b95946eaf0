"""The validator's vocabulary: limits, problems, reports, modes and the context of a check."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Final, NamedTuple


@dataclass(frozen=True)
class Limits:
    """Hard limits on an input document: bytes, features and nesting depth."""

    max_bytes: int = 10 * 1024 * 1024
    max_features: int = 10_000
    max_depth: int = 64


@dataclass(frozen=True)
class Problem:
    """One problem in a document.

    ``feature`` is the feature's id, else its 0-based position, and ``None`` for the whole file;
    ``index`` is always the position (``None`` for the whole file); ``field`` is where in the feature
    (``geometry.coordinates[0]``, ``properties.status``), empty when the problem has no one place.
    """

    path: str
    message: str
    feature: str | int | None = None
    warning: bool = False
    field: str = ""
    index: int | None = None

    def __str__(self) -> str:
        where = "" if self.feature is None else f"feature {self.feature}: "
        kind = "warning: " if self.warning else ""
        return f"{self.path}: {where}{kind}{self.message}"


class HasProblems:
    """Split a ``problems`` list into errors and warnings (for reports and import results)."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        """Problems that reject a feature or the file."""
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that keep the feature but deserve a look."""
        return [problem for problem in self.problems if problem.warning]


@dataclass
class Report(HasProblems):
    """What validating one document found: the accepted features and every problem.

    ``unsourced`` maps the position of an accepted feature in ``features`` to the reasons it
    lacks a citation (``Mode.IMPORT`` only); ``total`` counts the features the file holds.
    """

    path: str
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unsourced: dict[int, list[str]] = field(default_factory=dict)
    total: int = 0

    @property
    def is_clean(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


class Note(NamedTuple):
    """A problem inside one feature: where (``field``) and the whole sentence (``message``)."""

    field: str
    message: str


class Unreadable(Enum):
    """The type of ``UNREADABLE``, the one value that is no JSON value."""

    UNREADABLE = "unreadable"


#: What ``parse_json`` and ``read_document`` return when the input holds no JSON value at all.
#: ``None`` is the JSON value ``null``, which the document checks reject like any other non-object.
UNREADABLE: Final = Unreadable.UNREADABLE


class InputError(Exception):
    """The document cannot be read or used at all; the message says why."""


class Mode(StrEnum):
    """How strictly ``validate_document`` checks a document.

    ``CLAIMS``: full claim properties, the right-hand rule and at most six decimals demanded (the
    project's own data). ``IMPORT``: features without claim properties are kept and listed in
    ``Report.unsourced``; duplicate ids and the right-hand rule are only warnings. ``STRUCTURE``:
    GeoJSON and geometry only, for base data; the right-hand rule is a warning.
    """

    CLAIMS = "claims"
    IMPORT = "import"
    STRUCTURE = "structure"


@dataclass(frozen=True)
class Context:
    """What a check needs beyond the document itself; ``mode`` may be given by its name."""

    path: str
    mode: Mode = Mode.CLAIMS
    sources: frozenset[str] | None = None
    layer: str | None = None
    limits: Limits = Limits()

    def __post_init__(self) -> None:
        try:
            mode = Mode(self.mode)
        except ValueError:
            raise ValueError(f"unknown validation mode {self.mode!r}: use one of {', '.join(Mode)}") from None
        object.__setattr__(self, "mode", mode)
