"""``python -m bench``: measure the app against a bare page (the floor) and a naive page, in one run.

The three pages run interleaved (A/B/C, A/B/C...) so that the machine's load at any moment burdens them alike;
budgets are ratios between them, or figures at 100,000 claims. See ``docs/performance.md`` for a report.
"""

from __future__ import annotations

import argparse
import compileall
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import apptime, browser, cases, load, sections

ROOT = Path(__file__).resolve().parents[1]
APPS_DIR = ROOT / "bench" / "apps"
_STARTED: dict[str, float] = {}
REPORT = ROOT / "docs" / "performance.md"
#: Folders inside a checkout that ``compile_pages`` leaves alone: hidden ones (``.git``, ``.streamlit``) and the
#: test artefacts.
SKIPPED = r"(?:.*[/\\])?(?:\.|artifacts[/\\])"


@dataclass(frozen=True)
class Plan:
    """How much the run measures: repetitions, case sizes, load levels and time caps (seconds)."""

    name: str
    p1_rounds: int
    sizes: tuple[int, ...]
    #: Interleaved rounds of P2 per case size (the shipped case is ``None``); each round toggles twice.
    p2_rounds: dict[int | None, int]
    levels: tuple[int, ...]
    p2_cap: float = 90.0
    draw_cap: float = 150.0
    step_timeout: float = load.STEP_TIMEOUT
    pan_seconds: float = 5.0


FULL = Plan("full", 3, (1_000, 10_000, 100_000), {None: 2, 1_000: 1, 10_000: 1, 100_000: 1}, load.LEVELS)
SMOKE = Plan("smoke", 1, (200,), {None: 1, 200: 1}, (2,), p2_cap=120.0, step_timeout=90.0, pan_seconds=1.0)


@dataclass
class Results:
    """Everything one run measured (see ``bench.sections`` for how it is reported)."""

    plan: Plan
    apps: dict[str, Path]
    cases: list[cases.Case]
    p1: dict[str, list[browser.FirstDraw]] = field(default_factory=dict)
    p2: dict[str, dict[str, list[apptime.Rerun]]] = field(default_factory=dict)
    p2_skipped: dict[tuple[str, str], str] = field(default_factory=dict)
    p4: browser.Pan | None = None
    levels: list[load.Level] = field(default_factory=list)
    p2_medians: dict[tuple[str, str], float | None] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def toggle_key(app: str, case: cases.Case) -> str:
    """Return the widget key of the checkbox P2 toggles on ``app``."""
    if app == "bare":
        return "bare:shape"
    return f"{'naive' if app == 'naive' else 'layer'}:{case.toggle_layer()}"


def say(message: str) -> None:
    """Print progress at once, with the seconds since the first line (the run takes minutes)."""
    _STARTED.setdefault("at", time.perf_counter())
    print(f"[{time.perf_counter() - _STARTED['at']:4.0f} s] {message}", flush=True)


def compile_pages(apps: dict[str, Path]) -> None:
    """Write the bytecode of every page's checkout, as ``pip install`` does for an installed package.

    Python reads bytecode even where ``PYTHONDONTWRITEBYTECODE`` keeps it from writing any (this machine sets
    it): without this step every fresh server would compile the app's modules from source, which no deployed
    app does after its first start, while the bare page has next to nothing to compile.
    """
    for folder in dict.fromkeys(_checkout(app) for app in apps.values()):
        # compileall matches the whole path: anchor at the checkout, which may itself sit in a hidden folder.
        skipped = re.compile(re.escape(str(folder)) + r"[/\\]" + SKIPPED)
        compileall.compile_dir(folder, quiet=1, rx=skipped, workers=1)


def _checkout(app: Path) -> Path:
    """Return the checkout a page belongs to: the folder holding ``geo`` or ``bench`` above ``app``."""
    for folder in app.resolve().parents:
        if (folder / "geo").is_dir() or (folder / "bench").is_dir():
            return folder
    return app.resolve().parent


def measure_browser(results: Results) -> None:
    """P1 on the shipped case (fresh server each time, interleaved), then P4 at the largest case."""
    from playwright.sync_api import sync_playwright

    shipped, largest = results.cases[0], results.cases[-1]
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        results.facts["Chromium"] = chromium.version
        for round_number in range(results.plan.p1_rounds):
            for name, app in results.apps.items():
                drawn = browser.first_draw(chromium, app, shipped.data, results.plan.draw_cap)
                results.p1.setdefault(name, []).append(drawn)
                say(f"P1 round {round_number + 1} {name}: {sections.drawn_text(drawn)}")
        key = toggle_key("app", largest)
        results.p4 = browser.pan(
            chromium, results.apps["app"], largest.data, key, results.plan.draw_cap, results.plan.pan_seconds
        )
        say(f"P4 at {largest.name}: {results.p4}")
        chromium.close()


def measure_reruns(results: Results) -> None:
    """P2: each case, interleaved rounds of each page in its own subprocess; skip what would pass the cap."""
    previous: cases.Case | None = None
    for case in results.cases:
        rounds = results.plan.p2_rounds.get(case.claims, 1)
        per_app = results.p2.setdefault(case.name, {})
        for round_number in range(rounds):
            for name, app in results.apps.items():
                reason = _predicted_skip(results, name, previous, case)
                if reason:
                    results.p2_skipped[(case.name, name)] = reason
                    continue
                rerun = apptime.run(app, case.data, toggle_key(name, case), 2, results.plan.p2_cap)
                if rerun.skipped:
                    results.p2_skipped[(case.name, name)] = rerun.skipped
                else:
                    per_app.setdefault(name, []).append(rerun)
                say(f"P2 {case.name} round {round_number + 1} {name}: {sections.rerun_text(rerun)}")
        previous = case


def _predicted_skip(results: Results, app: str, previous: cases.Case | None, case: cases.Case) -> str | None:
    """Return why ``app`` is not run on ``case``, or ``None`` to run it.

    It is not run where it already failed, or where its first run on the smaller case times the size ratio
    would pass the cap.
    """
    if (case.name, app) in results.p2_skipped:
        return results.p2_skipped[(case.name, app)]
    if previous is None or not previous.claims or not case.claims:
        return None
    if (previous.name, app) in results.p2_skipped:
        return f"skipped at {previous.name} already"
    firsts = [rerun.first for rerun in results.p2.get(previous.name, {}).get(app, [])]
    if not firsts:
        return None
    expected = min(firsts) * case.claims / previous.claims
    if expected <= results.plan.p2_cap:
        return None
    return (
        f"skipped: its first run took {min(firsts):.1f} s at {previous.name}, so about {expected:.0f} s here,"
        f" beyond the {results.plan.p2_cap:.0f} s cap"
    )


def measure_load(results: Results) -> None:
    """The load test at each level, a fresh server each, on the shipped case."""
    shipped = results.cases[0]
    for sessions in results.plan.levels:
        level = load.run_level(
            results.apps["app"], shipped.data, sessions, shipped.toggle_layer(), results.plan.step_timeout
        )
        results.levels.append(level)
        say(f"load {sessions} sessions: {len(level.errors())} errors, {level.seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report and write it to ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny: shipped case and 200 claims, 1 round, 2 sessions")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the checkout whose app.py is measured")
    parser.add_argument("--out", type=Path, default=REPORT, help=f"the report (default: {REPORT.relative_to(ROOT)})")
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout of the app (an earlier commit), measured as page 'before' in the same run for P1-P3",
    )
    args = parser.parse_args(argv)
    plan = SMOKE if args.smoke else FULL
    app_root = args.app_root.resolve()
    start = time.perf_counter()
    say(f"making cases: shipped + {', '.join(cases.label(size) for size in plan.sizes)} claims")
    made = [cases.shipped(app_root), *(cases.synthetic(size) for size in plan.sizes)]
    apps = {"app": app_root / "app.py", "bare": APPS_DIR / "bare.py", "naive": APPS_DIR / "naive.py"}
    if args.before:
        apps = {"before": args.before.resolve() / "app.py", **apps}
    results = Results(plan, apps, made, facts=sections.machine_facts(app_root, args.before))
    say("writing each checkout's bytecode")
    compile_pages(apps)
    measure_browser(results)
    measure_reruns(results)
    measure_load(results)
    results.seconds = time.perf_counter() - start
    text = sections.report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    say(f"written to {args.out} in {results.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
