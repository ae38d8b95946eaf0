"""The benchmark's P4 section: a pan with no long task at all passes its budget instead of stopping the report."""

from pathlib import Path
from types import SimpleNamespace

from bench.browser import Pan
from bench.cases import Case
from bench.sections import p4_section


def results_with(pan: Pan) -> SimpleNamespace:
    case = Case(name="100k", data=Path("unused"), claims=100_000)
    return SimpleNamespace(p4=pan, cases=[case], p2_medians={("100k", "app"): 0.5})


def test_a_pan_without_long_tasks_reports_zero_and_passes_the_long_task_budget():
    pan = Pan(first_draw=9.0, toggle=1.0, long_tasks=[], peak_memory=300 * 1024 * 1024)
    table, budgets = p4_section(results_with(pan), shipped_draw=6.0)
    assert "| long tasks while dragging | 0, longest 0 ms |" in table
    longtask = next(budget for budget in budgets if budget.id == "100k-longtask")
    assert longtask.passed


def test_a_long_task_over_200_ms_fails_the_long_task_budget():
    pan = Pan(first_draw=9.0, toggle=1.0, long_tasks=[60.0, 250.0], peak_memory=300 * 1024 * 1024)
    table, budgets = p4_section(results_with(pan), shipped_draw=6.0)
    assert "| long tasks while dragging | 2, longest 250 ms |" in table
    assert not next(budget for budget in budgets if budget.id == "100k-longtask").passed
