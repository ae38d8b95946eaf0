"""Word validation errors in plain sentences: where, what was found and what is expected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import ValidationError

from geo.validate.problems import Note


def messages(errors: Iterator[ValidationError], prefix: str | None = None) -> list[Note]:
    """Plain-words notes, one per place: all missing names of one object in one note, first."""
    missing: dict[str, list[str]] = {}
    notes = []
    for error in sorted(errors, key=lambda error: [str(part) for part in error.absolute_path]):
        where = _where(error, prefix)
        if error.validator == "required":
            names = missing.setdefault(where, [])
            names += [name for name in error.validator_value if name not in error.instance and name not in names]
        else:
            notes.append(Note(where, _describe(error, prefix)))
    notes[:0] = [Note(where, _missing(where, names)) for where, names in missing.items()]
    return list(dict.fromkeys(notes))


def _missing(where: str, names: list[str]) -> str:
    return f"{where or 'the feature'} is missing {', '.join(repr(name) for name in names)}" + _hint(names)


def _where(error: ValidationError, prefix: str | None = None) -> str:
    parts = ([prefix] if prefix else []) + list(error.absolute_path)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: ValidationError, prefix: str | None = None) -> str:
    where = _where(error, prefix) or "the feature"
    value, expected = error.instance, error.validator_value
    if error.validator == "type":
        hint = _quoted_hint(value)
        return f"{where} is {kind_and_value(value)}, but must be {_expected_type(expected)}{hint}"
    if error.validator in ("minItems", "maxItems", "anyOf") and isinstance(value, list):
        items = f"{len(value)} item{'' if len(value) == 1 else 's'}"
        return f"{where} has {items}: {error.schema.get('description', error.message)}"
    if error.validator == "not" and "description" in error.schema:
        return f"{where} is {error.schema['description']}"
    if error.validator == "enum":
        return f"{where} is {short(value)}; allowed: {', '.join(map(_allowed, expected))}"
    if error.validator == "const" and expected == "":
        return f"{where} is {short(value)}, but only claims and reports have a standing: leave it empty"
    if error.validator == "const":
        return f"{where} is {short(value)}, but must be {short(expected)}"
    if error.validator == "minLength":
        return f"{where} is empty"
    if error.validator in ("pattern", "format"):
        return f"{where} {short(value)} is not in the expected form{_pattern_hint(where)}"
    if error.validator == "maxLength":
        return f"{where} is text {short(value)}, but must be a number{_quoted_hint(value)}"
    if error.validator == "minimum":
        return f"{where} is {short(value)}; it must be at least {expected}"
    return f"{where}: {error.message[:200]}"


def _allowed(value: Any) -> str:
    """Return one allowed value as a message lists it: empty text shows as ``"" (empty)``, not as nothing."""
    return '"" (empty)' if value == "" else str(value)


def _hint(missing: list[str]) -> str:
    if "geometry" in missing:
        return ' (a feature without a shape needs "geometry": null)'
    return ""


def _quoted_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    try:
        float(value)
    except ValueError:
        return ""
    return " (write the number without quotes)"


EDTF_HINT = ": an EDTF date such as 2020-08-17, an interval 2020-08-17/2020-08-20, or ../2020-08-16 for on or before"


def _pattern_hint(where: str) -> str:
    hints = {
        "event_date": EDTF_HINT,
        "report_date": EDTF_HINT,
        "date": EDTF_HINT,
        "id": ": a slug of lower-case letters, digits and hyphens",
        "feature": ": a feature id, a slug of lower-case letters, digits and hyphens",
    }
    return hints.get(where.rsplit(".", 1)[-1], "")


def json_type(value: Any) -> str:
    """Name the JSON kind of a value in plain words (``a number``, ``text``, ``an object``)."""
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def kind_and_value(value: Any) -> str:
    """Name a value with its kind (``a number 42``); ``null``, ``true`` and ``false`` name themselves."""
    if value is None or isinstance(value, bool):
        return short(value)
    return f"{json_type(value)} {short(value)}"


def _expected_type(expected: Any) -> str:
    names = {"object": "an object", "array": "a list", "string": "text", "number": "a number", "null": "null"}
    items = expected if isinstance(expected, list) else [expected]
    return " or ".join(names.get(item, item) for item in items)


def short(value: Any, limit: int = 60) -> str:
    """Return ``value`` as JSON text cut to ``limit`` characters, encoding no more than it shows."""
    chunks, size = [], 0
    encoder = json.JSONEncoder(ensure_ascii=False)
    try:
        for chunk in encoder.iterencode(value[: limit + 1] if isinstance(value, str) else value):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
    except (ValueError, TypeError, RecursionError):
        return f"({json_type(value)})"
    text = "".join(chunks)
    return text if len(text) <= limit else text[: limit - 3] + "..."
