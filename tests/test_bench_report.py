"""The benchmark: P4's long-task budget, the page before in P1, the load table's percentiles, the bytecode step."""

from pathlib import Path
from types import SimpleNamespace

from bench import run
from bench.browser import Pan
from bench.cases import Case
from bench.sections import p4_section
from tests.browser import ROOT


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


def test_an_earlier_checkout_is_measured_as_the_page_before_and_toggles_the_same_layer():
    from bench.browser import FirstDraw
    from bench.run import toggle_key
    from bench.sections import p1_section

    case = Case(name="shipped", data=ROOT / "data")
    assert toggle_key("before", case) == toggle_key("app", case) != toggle_key("naive", case)
    draws = {"before": [FirstDraw(total=10.0, page=8.5)], "app": [FirstDraw(total=8.0, page=6.5)]}
    table, medians = p1_section(SimpleNamespace(p1=draws))
    assert medians == {"before": 10.0, "app": 8.0}
    assert [line.split("|")[1].strip() for line in table.splitlines()[2:]] == ["before", "app"]


def test_the_report_names_the_command_with_the_checkout_before():
    from bench.run import FULL, SMOKE
    from bench.sections import command

    assert command(SimpleNamespace(plan=FULL, apps={"app": ROOT / "app.py"})) == "python -m bench"
    before = SimpleNamespace(plan=SMOKE, apps={"before": Path("/tmp/before/app.py"), "app": ROOT / "app.py"})
    assert command(before) == "python -m bench --smoke --before /tmp/before"


def test_the_load_table_reports_page_load_percentiles_of_the_sessions_that_loaded():
    from bench.load import Level, Session
    from bench.report import load_rows

    loads = [float(seconds) for seconds in range(10, 30)]  # 20 sessions loading in 10 … 29 s
    level = Level(sessions=21, results=[Session(load=load, toggle=2.0) for load in loads])
    level.results.append(Session(error="loading the page: TimeoutError"))
    headers, [row] = load_rows([level])
    cells = dict(zip(headers, row, strict=True))
    assert (cells["page load p50"], cells["errors"]) == ("19.00 s", 1)
    assert row[headers.index("page load p50") + 1] == "28.00 s"  # its p95, by nearest rank


def test_each_page_checkout_gets_bytecode_and_its_hidden_folders_none(tmp_path):
    checkout = tmp_path / ".cache" / "checkout"
    files = ("app.py", "geo/__init__.py", "geo/app/page.py", "geo/artifacts_of.py", ".streamlit/helper.py")
    files += ("tests/artifacts/left.py",)
    for path in files:
        (checkout / path).parent.mkdir(parents=True, exist_ok=True)
        (checkout / path).write_text("VALUE = 1\n", encoding="utf-8")
    bare = tmp_path / "other" / "bench" / "apps" / "bare.py"
    bare.parent.mkdir(parents=True)
    bare.write_text("VALUE = 2\n", encoding="utf-8")

    run.compile_pages({"app": checkout / "app.py", "bare": bare})

    compiled = {path.parent.parent.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.pyc")}
    assert compiled == {".cache/checkout", ".cache/checkout/geo", ".cache/checkout/geo/app", "other/bench/apps"}
    assert (checkout / "geo" / "__pycache__").is_dir() and len(list((checkout / "geo").rglob("artifacts_of*.pyc"))) == 1
