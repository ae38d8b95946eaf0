"""Tables and budget lines of the benchmark, as Markdown (printed and written to ``docs/performance.md``)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

MB = 1024 * 1024


def spread(values: Iterable[float], unit: str = "s", digits: int = 2) -> str:
    """Return ``min / median / max`` of ``values`` with ``unit``, or ``—`` if there are none."""
    values = sorted(values)
    if not values:
        return "—"
    low, middle, high = values[0], statistics.median(values), values[-1]
    return f"{low:.{digits}f} / {middle:.{digits}f} / {high:.{digits}f} {unit}".rstrip()


def median(values: Iterable[float]) -> float | None:
    """Return the median of ``values``, ``None`` if there are none."""
    values = list(values)
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Return the ``share`` percentile (0–1) of ``values`` by nearest rank, ``None`` if there are none."""
    if not len(values):
        return None
    return float(np.percentile(values, share * 100, method="inverted_cdf"))


def kilobytes(size: float | None) -> str:
    """Return a byte count in KB (``—`` if unknown)."""
    return "—" if size is None else f"{size / 1024:,.1f} KB"


def megabytes(size: float | None) -> str:
    """Return a byte count in MB (``—`` if unknown)."""
    return "—" if size is None else f"{size / MB:,.0f} MB"


def seconds(value: float | None) -> str:
    """Return seconds with two decimals (``—`` if unknown)."""
    return "—" if value is None else f"{value:.2f} s"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class Budget:
    """One budget line: its id, what it promises, whether it holds (``None``: not measured) and the figures."""

    id: str
    promise: str
    passed: bool | None
    detail: str

    def line(self) -> str:
        """Return ``PASS``/``FAIL`` and the promise with its figures (not measured counts as a failure)."""
        verdict = "PASS" if self.passed else "FAIL"
        return f"- **{verdict}** `{self.id}` {self.promise}: {self.detail}"


def ratio_budget(budget_id: str, promise: str, measured: float | None, reference: float | None, limit: float) -> Budget:
    """Return a budget that holds when ``measured / reference <= limit``."""
    if measured is None or not reference:
        return Budget(budget_id, promise, None, "not measured")
    ratio = measured / reference
    return Budget(budget_id, promise, ratio <= limit, f"{measured:.3g} against {reference:.3g}: {ratio:.2f} ×")


def limit_budget(budget_id: str, promise: str, measured: float | None, limit: float, unit: str) -> Budget:
    """Return a budget that holds when ``measured <= limit``."""
    if measured is None:
        return Budget(budget_id, promise, None, "not measured")
    return Budget(budget_id, promise, measured <= limit, f"{measured:.3g} {unit} (limit {limit:g} {unit})")


def load_rows(levels) -> tuple[list[str], list[list[object]]]:
    """Return the load test's table: one row per level (see ``bench.load.Level``)."""
    headers = ["sessions", "errors", "page load p50", "p95", "toggle→redraw p50", "p95", "downloads complete"]
    headers += ["identical", "peak memory", "wall time"]
    rows = []
    for level in levels:
        loads = [result.load for result in level.results if result.load is not None]
        toggles = [result.toggle for result in level.results if result.toggle is not None]
        rows.append(
            [
                level.sessions,
                len(level.errors()),
                seconds(percentile(loads, 0.5)),
                seconds(percentile(loads, 0.95)),
                seconds(percentile(toggles, 0.5)),
                seconds(percentile(toggles, 0.95)),
                f"{sum(result.downloaded for result in level.results)}/{level.sessions}",
                f"{sum(result.identical for result in level.results)}/{level.sessions}",
                megabytes(level.peak_memory),
                seconds(level.seconds),
            ]
        )
    return headers, rows
