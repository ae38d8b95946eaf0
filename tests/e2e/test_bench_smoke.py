"""``python -m bench --smoke`` runs end to end and reports every section and every budget line (no timing)."""

import re
import subprocess
import sys

from bench.sections import BUDGET_IDS
from tests.browser import ROOT, require_chromium

SECTIONS = ("## Machine", "## Budgets", "## P1", "## P2", "## P3", "## P4", "## Load test")
PAGES = ("app", "bare", "naive")


def test_smoke_benchmark_reports_every_section_and_budget(tmp_path):
    require_chromium()
    out = tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert report in done.stdout
    for heading in SECTIONS:
        assert heading in report, heading
    budget_lines = re.findall(r"^- \*\*(PASS|FAIL)\*\* `([\w-]+)`", report, flags=re.M)
    assert [budget for _, budget in budget_lines] == list(BUDGET_IDS)
    p2 = report.split("## P2")[1].split("## P3")[0]
    for case in ("shipped", "200"):
        for page in PAGES:
            assert f"| {case} | {page} |" in p2, (case, page)
    load = report.split("## Load test")[1]
    assert re.search(r"^\| 2 \| \d+ \|", load, flags=re.M), load
    p3 = report.split("## P3")[1].split("## P4")[0]
    # Both pages load Leaflet's script and stylesheet; the stylesheet arrives after the first shape, and a
    # list read at the first shape once put it "beyond bare" (3.4 KB) for one page and not the other.
    app_row = next(line for line in p3.splitlines() if line.startswith("| app |"))
    assert app_row.split("|")[3].strip() == "0.0 KB", app_row
