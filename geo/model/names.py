"""Names made from data: slugs for ids and file names, and free names that avoid a clash."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def slug(text: str) -> str:
    """Return a file-name-safe slug of ``text`` (lower case, hyphens), never empty."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "layer"


def free_name(name: str, taken: Iterable[str], separator: str = "_", fold: Callable[[str], str] = str) -> str:
    """Return ``name``, or ``name_2``, ``name_3``... whichever is first not in ``taken``.

    Parameters
    ----------
    name : str
        The name wanted.
    taken : iterable of str
        The names in use.
    separator : str
        What goes between the name and its number.
    fold : callable
        Names are compared as ``fold`` gives them (``str.casefold``: regardless of case).

    Returns
    -------
    str
    """
    used = {fold(item) for item in taken}
    candidate, number = name, 2
    while fold(candidate) in used:
        candidate, number = f"{name}{separator}{number}", number + 1
    return candidate
