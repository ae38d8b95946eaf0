"""Read bytes and files into JSON values, refusing what RFC 8259 and the limits refuse, never raising."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from geo.validate.problems import UNREADABLE, InputError, Limits, Problem
from geo.validate.wording import short

UTF8_BOM = b"\xef\xbb\xbf"
#: Leading bytes of files that are often uploaded by mistake, and what they are.
NOT_TEXT = (
    (b"\xff\xfe", "UTF-16 text; GeoJSON must be UTF-8: re-save it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text; GeoJSON must be UTF-8: re-save it as UTF-8"),
    (b"PK\x03\x04", "a ZIP archive (a zipped shapefile or KMZ?), not GeoJSON: unzip it or export GeoJSON"),
    (b"\x1f\x8b", "a gzip-compressed file, not GeoJSON: decompress it first"),
    (b"SQLite format 3\x00", "an SQLite database (a GeoPackage?), not GeoJSON: export the layer as GeoJSON"),
    (b"\x00\x00\x27\x0a", "an ESRI shapefile (.shp), not GeoJSON: export the layer as GeoJSON"),
    (b"%PDF", "a PDF document, not GeoJSON"),
    (b"\x89PNG", "a PNG image, not GeoJSON"),
    (b"\xff\xd8\xff", "a JPEG image, not GeoJSON"),
)
#: Python's JSON error messages in plain words.
JSON_ERRORS = {
    "Expecting value": 'expected a value (a number, "text", true, false, null, a [list] or an {object})',
    "Expecting property name enclosed in double quotes": (
        "expected a name in double quotes (JSON allows no trailing comma, no comment and no 'single quotes')"
    ),
    "Expecting ',' delimiter": "expected a comma between two items",
    "Expecting ':' delimiter": "expected a colon after a name",
    "Extra data": "there is more text after the end of the JSON value",
    "Invalid control character at": "a text value contains a raw line break, tab or control character",
    "Invalid \\escape": "a backslash in a text value starts no valid escape (write \\\\ for a backslash)",
    "Invalid \\uXXXX escape": "a \\u escape in a text value needs 4 hexadecimal digits",
}


def parse_json(data: bytes, path: str, limits: Limits = Limits()) -> tuple[Any, list[Problem]]:
    """Decode and parse a JSON document, refusing what RFC 8259 and the limits refuse.

    Parameters
    ----------
    data : bytes
        The raw file contents.
    path : str
        Name used in messages.
    limits : Limits
        Size and nesting caps.

    Returns
    -------
    tuple
        The parsed value (``UNREADABLE`` if there is none) and the problems found; never raises.

    """
    warnings: list[Problem] = []
    duplicates: Counter[str] = Counter()
    try:
        text = _decode(data, limits, warnings, path)
        value = _loads(text, duplicates, limits)
        check_depth(value, limits)
    except InputError as exc:
        return UNREADABLE, [*warnings, *_duplicate_warnings(duplicates, path), Problem(path, str(exc))]
    return value, [*warnings, *_duplicate_warnings(duplicates, path)]


def _decode(data: bytes, limits: Limits, warnings: list[Problem], path: str) -> str:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputError(f"the input is {type(data).__name__}, not the bytes of a file")
    data = bytes(data)
    if len(data) > limits.max_bytes:
        raise InputError(_too_big(len(data), limits))
    for magic, what in NOT_TEXT:
        if data.startswith(magic):
            raise InputError(f"the file is {what}")
    if data.startswith(UTF8_BOM):
        message = "the file starts with a UTF-8 byte order mark (BOM), which GeoJSON does not use; it was ignored"
        warnings.append(Problem(path, message, warning=True))
        data = data[len(UTF8_BOM) :]
    return _text(data)


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, byte {exc.start}): "
            "GeoJSON must be UTF-8, so re-save the file as UTF-8"
        ) from None
    if not text.strip():
        raise InputError("the file is empty" if not text else "the file is empty (only spaces or line breaks)")
    if text.lstrip().startswith("<"):
        raise InputError("the file looks like XML or HTML (KML or GML?), not GeoJSON: export it as GeoJSON")
    return text


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{size} bytes"


def _too_big(size: int, limits: Limits, more: str = "") -> str:
    """Say that a file of ``size`` bytes (or more than it, with ``more="more than "``) is over the limit."""
    found, limit = _size(size), _size(limits.max_bytes)
    if found == limit:
        found, limit = f"{size:,} bytes", f"{limits.max_bytes:,} bytes"
    return f"the file is {more}{found}; the size limit is {limit}"


def _loads(text: str, duplicates: Counter[str], limits: Limits) -> Any:
    hooks = {"object_pairs_hook": _pairs_hook(duplicates), "parse_constant": _reject_constant}
    try:
        return json.loads(text, parse_float=_parse_float, **hooks)
    except json.JSONDecodeError as exc:
        raise InputError(_loads_error(exc, text)) from None
    except RecursionError:
        raise InputError(_too_deep(limits)) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise InputError("the file holds a number with thousands of digits, too long to read") from None


def _pairs_hook(duplicates: Counter[str]):
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates[key] += 1
            result[key] = value
        return result

    return hook


def _duplicate_warnings(duplicates: Counter[str], path: str) -> list[Problem]:
    problems = []
    for key, count in duplicates.items():
        times = "" if count == 1 else f" ({count} times in the file)"
        message = f"the name {short(key)} appears twice in one object{times}; the last value was kept"
        problems.append(Problem(path, message, warning=True, field=key))
    return problems


def _reject_constant(name: str) -> Any:
    raise InputError(f"the file contains {name}, which JSON does not allow: use a number or null")


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InputError(f"the file contains the number {short(text, 30)}, which is too large to use")
    return value


def _too_deep(limits: Limits) -> str:
    depth = limits.max_depth
    return f"the file nests lists and objects more than {depth} levels deep; the nesting limit is {depth}"


def check_depth(value: Any, limits: Limits) -> None:
    """Raise ``InputError`` if ``value`` nests lists and objects deeper than the limit allows."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.max_depth:
            raise InputError(_too_deep(limits))
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _loads_error(exc: json.JSONDecodeError, text: str) -> str:
    where = f"line {exc.lineno}, column {exc.colno}"
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return f"the file ends too early (at {where}): it looks truncated, as if the download or copy was cut off"
    plain = JSON_ERRORS.get(exc.msg, exc.msg)
    return f"the file is not valid JSON: {plain} at {where}, found {short(text[exc.pos : exc.pos + 20], 30)}"


def read_document(path: Path, limits: Limits = Limits()) -> tuple[Any, list[Problem]]:
    """Read and parse a file, reading no more than the size limit.

    Parameters
    ----------
    path : Path
        The file.
    limits : Limits
        Size and nesting caps.

    Returns
    -------
    tuple
        The parsed value (``UNREADABLE`` if there is none) and the problems found; never raises.

    """
    name = str(path)
    try:
        data = _read_bounded(Path(path), limits)
    except InputError as exc:
        return UNREADABLE, [Problem(name, str(exc))]
    return parse_json(data, name, limits)


def _read_bounded(path: Path, limits: Limits) -> bytes:
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file")
        with path.open("rb") as handle:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise InputError(_too_big(size, limits))
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise InputError("file not found") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise InputError(_too_big(limits.max_bytes, limits, "more than "))
    return data
