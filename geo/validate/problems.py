"""The validator's vocabulary: limits, problems, reports, modes and the context of a check."""

from __future__ import annotations

import math
import reprlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Final, NamedTuple

#: A box in degrees: west, south, east, north.
Region = tuple[float, float, float, float]


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
        kind = "warning: " if self.warning else ""
        return f"{self.path}: {self.where()}{kind}{self.message}"

    def where(self) -> str:
        """Return ``feature <id>: ``, or ``feature #<n>: `` counted from 1 as the page's report counts, or ``""``."""
        if self.feature is None:
            return ""
        if isinstance(self.feature, int) and not isinstance(self.feature, bool):
            return f"feature #{self.feature + 1}: "
        return f"feature {self.feature}: "


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
    """What a check needs beyond the document itself; ``mode`` may be given by its name.

    ``region`` is where the case lies (west, south, east, north in degrees, as ``as_region`` reads it):
    positions that fall in it only once swapped get a warning. ``None`` gives no such hint.
    """

    path: str
    mode: Mode = Mode.CLAIMS
    sources: frozenset[str] | None = None
    layer: str | None = None
    limits: Limits = Limits()
    region: Region | None = None

    def __post_init__(self) -> None:
        try:
            mode = Mode(self.mode)
        except ValueError:
            raise ValueError(f"unknown validation mode {self.mode!r}: use one of {', '.join(Mode)}") from None
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "region", as_region(self.region))


def as_region(value: Sequence[float] | None) -> Region | None:
    """Read a case's region, as ``catalog.json`` gives it, into a box the validator can use.

    Parameters
    ----------
    value : sequence of 4 numbers, or None
        West, south, east and north in degrees; west not east of east, south not north of north.

    Returns
    -------
    tuple of 4 float, or None
        The box, or ``None`` for no region.

    Raises
    ------
    ValueError
        If ``value`` is not such a box; the message shows the value.

    """
    if value is None:
        return None
    numbers = list(value) if isinstance(value, list | tuple) else []
    if len(numbers) == 4 and all(_is_degree(number) for number in numbers):
        west, south, east, north = (float(number) for number in numbers)
        if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
            return west, south, east, north
    raise ValueError(
        f"region {reprlib.repr(value)} is not 4 numbers [west, south, east, north] in degrees "
        "(longitudes -180..180, latitudes -90..90, west <= east, south <= north)"
    )


def _is_degree(number: Any) -> bool:
    return isinstance(number, int | float) and not isinstance(number, bool) and math.isfinite(number)
