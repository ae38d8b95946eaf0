"""The benchmark's report: machine facts, one section per measurement, and the budget lines."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import psutil

from bench.floor import floor, floor_map
from bench.report import (
    MB,
    Budget,
    kilobytes,
    limit_budget,
    load_rows,
    median,
    megabytes,
    ratio_budget,
    seconds,
    spread,
    table,
)

PACKAGES = ("streamlit", "streamlit-folium", "folium", "branca", "shapely", "geopandas", "playwright", "psutil")
#: Every budget line the report carries, in order (the smoke test checks they are all there).
BUDGET_IDS = (
    "P1",
    "P2-bare",
    "P2-naive",
    "P3",
    "100k-rerun",
    "100k-first-draw",
    "100k-memory",
    "100k-longtask",
    "load",
)
MEMORY_LIMIT = 1.5 * 1024 * MB
METHOD = """\
- Before measuring, each checkout's bytecode is written (`bench.run.compile_pages`), as `pip install` does: this
  machine sets `PYTHONDONTWRITEBYTECODE`, which would have every fresh server compile the app from source.
- P1: a fresh `streamlit run` per measurement; the clock runs from starting the server to the first
  `path.leaflet-interactive`, marker or canvas in a laid-out map iframe. Tiles are answered locally.
- P2: `streamlit.testing.v1.AppTest` in a subprocess per page, case and round (`CLAIM_MAP_DATA`): one run, then
  the first layer shown by default is switched off and on; each rerun is timed. Switching off shows a view the
  process has not drawn yet; switching on again shows the opening view, whose claims group the app keeps
  (`geo.app.groupscript`), so min and max tell the two apart. The app's toggle reruns the sections it changes
  alone (`geo.app.toggles`): that rerun is what is timed, and an untimed run of the whole page follows it, since
  AppTest then holds only those sections. Cases larger than a page can handle within the cap are skipped, with
  the reason.
- P3: the map component's `json_args` gzipped, plus the map files from `/app/static/` that the bare page does
  not load, gzipped (listed once the map's stylesheets have loaded); the floor is the features the default view
  draws (`geo.render.mapview.is_drawn`), each layer weighed on its own for the case's zoom as the map weighs it,
  as minimal GeoJSON at display precision, gzipped. The computed row is the bare page's map with those features
  as one unstyled `folium.GeoJson` (`bench.floor.floor_map`): the least a Streamlit-Folium page sends for them.
- P4: server RSS (children included) polled every 100 ms while Chromium loads the page, switches a layer
  off and drags the map in steps; long tasks come from a `longtask` PerformanceObserver in the map iframe.
- Load test: N contexts in one Chromium, concurrently, against a fresh server per level; each step may take
  `bench.load.STEP_TIMEOUT` seconds before it counts as an error, and each session checks its map every 100 ms
  (`bench.load.POLL_MS`). Page load runs from opening the page to the map drawn and Streamlit idle. A download
  is identical when the features of it that the map draws (`geo.render.mapview.is_drawn`) match the map's
  shapes per layer (`claim-layer-<id>`) and, where Leaflet's layers carry ids, the set of (layer, id)."""


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def machine_facts(app_root: Path, before: Path | None = None) -> dict[str, str]:
    """Return the date, the machine (cores, RAM, load) and the versions the run used (and the checkout before)."""
    facts = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "app": f"{app_root} at {_git(app_root, 'rev-parse', '--short', 'HEAD')}",
        **({"before": f"{before} at {_git(before, 'rev-parse', '--short', 'HEAD')}"} if before else {}),
        "cores": f"{os.cpu_count()} logical, {psutil.cpu_count(logical=False)} physical",
        "RAM": megabytes(psutil.virtual_memory().total),
        "load average at start": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "Python": platform.python_version(),
    }
    facts.update({name: metadata.version(name) for name in PACKAGES})
    return facts


def command(results) -> str:
    """Return the command line that made the report (``--smoke``, ``--before`` as given)."""
    smoke = " --smoke" if results.plan.name == "smoke" else ""
    before = f" --before {results.apps['before'].parent}" if "before" in results.apps else ""
    return f"python -m bench{smoke}{before}"


def drawn_text(drawn) -> str:
    """Return one P1 measurement in words."""
    return drawn.failed or f"{drawn.total:.2f} s (page {drawn.page:.2f} s)"


def rerun_text(rerun) -> str:
    """Return one P2 measurement in words."""
    if rerun.skipped:
        return rerun.skipped
    return f"first {rerun.first:.2f} s, toggles {', '.join(f'{t:.2f}' for t in rerun.toggles)} s"


def p1_section(results) -> tuple[str, dict[str, float | None]]:
    """Return P1's table and each page's median cold start."""
    rows, medians = [], {}
    for name, draws in results.p1.items():
        totals = [draw.total for draw in draws if draw.total is not None]
        medians[name] = median(totals)
        failed = sum(draw.failed is not None for draw in draws)
        rows.append([name, spread(totals), spread(draw.page for draw in draws if draw.page is not None), failed])
    headers = ["page", "server start → first shape (min / median / max)", "page load → first shape", "not drawn"]
    return table(headers, rows), medians


def p2_section(results) -> tuple[str, dict[tuple[str, str], float | None]]:
    """Return P2's table and the median toggle time per (case, page)."""
    rows, medians = [], {}
    for case in results.cases:
        for name in results.apps:
            reruns = results.p2.get(case.name, {}).get(name, [])
            toggles = [value for rerun in reruns for value in rerun.toggles]
            medians[(case.name, name)] = median(toggles)
            skipped = results.p2_skipped.get((case.name, name), "")
            args = [rerun.args_bytes for rerun in reruns if rerun.args_bytes]
            gz = [rerun.args_gzip for rerun in reruns if rerun.args_gzip]
            first = spread(rerun.first for rerun in reruns)
            sizes = [kilobytes(median(args)), kilobytes(median(gz))]
            rows.append([case.name, name, spread(toggles), first, *sizes, skipped])
    headers = ["case", "page", "rerun after toggle", "first run", "map args", "gzipped", "note"]
    return table(headers, rows), medians


def p3_section(results) -> tuple[str, Budget]:
    """Return P3's table (default view bytes per page against the floor) and its budget.

    A page's default view is its map's arguments plus the files its map loads from ``/app/static/`` that the
    bare page does not (Leaflet itself, which every Folium map needs, counts with the floor page), gzipped.
    """
    floor_size, decimals, source = floor(results.cases[0])
    files_of = {name: next((d.files for d in draws if d.files), {}) for name, draws in results.p1.items()}
    common = files_of.get("bare", {})
    rows, app_total = [], None
    for name in results.apps:
        reruns = results.p2.get(results.cases[0].name, {}).get(name, [])
        args = median(rerun.args_gzip for rerun in reruns if rerun.args_gzip)
        files = files_of.get(name, {})
        extra = sum(size for url, size in files.items() if url not in common)
        total = None if args is None else args + extra
        app_total = total if name == "app" else app_total
        ratio = f"{total / floor_size:.2f} ×" if total else "—"
        rows.append([name, kilobytes(args), kilobytes(extra), kilobytes(sum(files.values())), kilobytes(total), ratio])
    least = floor_map(results.cases[0])
    if least is not None:
        label = "bare map drawing the floor's features, unstyled (computed)"
        rows.append([label, kilobytes(least), "", "", kilobytes(least), f"{least / floor_size:.2f} ×"])
    rows.append([f"floor ({decimals} decimals, by {source})", "", "", "", kilobytes(floor_size), "1.00 ×"])
    headers = ["page", "map args", "map files beyond bare", "all map files", "default view", "against floor"]
    budget = ratio_budget("P3", "default view bytes ≤ 1.5 × floor", app_total, floor_size, 1.5)
    text = table(headers, rows)
    if least is not None:
        room = 1.5 * floor_size - least
        text += (
            f"\n\nThe budget (1.5 × floor = {kilobytes(1.5 * floor_size)}) leaves {kilobytes(room)} beyond the "
            "bare map drawing the floor's features, for everything else the app's map sends: styles, tooltips, "
            "keyboard access, the doubt drawn around places, the legend."
        )
    return text, budget


def p4_section(results, shipped_draw: float | None) -> tuple[str, list[Budget]]:
    """Return P4's table at the largest case and its budgets."""
    pan, largest = results.p4, results.cases[-1].name
    tasks = pan.long_tasks if pan else []
    rows = [
        ["first shape drawn (server start)", seconds(pan.first_draw if pan else None)],
        ["toggle → redraw", seconds(pan.toggle if pan else None)],
        ["peak server memory (RSS, children too)", megabytes(pan.peak_memory if pan else None)],
        ["long tasks while dragging", f"{len(tasks)}, longest {max(tasks, default=0):.0f} ms"],
        ["failure", (pan.failed if pan else "not run") or "none"],
    ]
    longest = max(tasks, default=0.0) if pan and pan.failed is None else None
    memory = pan.peak_memory / MB if pan and pan.peak_memory else None
    rerun = results.p2_medians.get((largest, "app"))
    budgets = [
        limit_budget("100k-rerun", f"{largest}: rerun after toggle ≤ 2 s script time", rerun, 2.0, "s"),
        ratio_budget(
            "100k-first-draw",
            f"{largest}: first map drawn ≤ 3 × the shipped case",
            pan.first_draw if pan else None,
            shipped_draw,
            3.0,
        ),
        limit_budget("100k-memory", f"{largest}: peak server memory ≤ 1.5 GB", memory, MEMORY_LIMIT / MB, "MB"),
        limit_budget("100k-longtask", f"{largest}: no long task > 200 ms while panning", longest, 200.0, "ms"),
    ]
    return table(["at " + largest, "measured"], rows), budgets


def report(results) -> str:
    """Return the whole report as Markdown."""
    p1, p1_medians = p1_section(results)
    p2, results.p2_medians = p2_section(results)
    p3, p3_budget = p3_section(results)
    p4, p4_budgets = p4_section(results, p1_medians.get("app"))
    shipped = results.cases[0].name
    ten_k = next((case.name for case in results.cases if case.claims == 10_000), results.cases[-1].name)
    naive, app = results.p2_medians.get((ten_k, "naive")), results.p2_medians.get((ten_k, "app"))
    levels = results.levels
    top = levels[-1] if levels else None
    budgets = [
        ratio_budget("P1", "cold start ≤ 1.2 × bare", p1_medians.get("app"), p1_medians.get("bare"), 1.2),
        ratio_budget(
            "P2-bare",
            f"{shipped}: rerun after toggle ≤ 1.2 × bare",
            results.p2_medians.get((shipped, "app")),
            results.p2_medians.get((shipped, "bare")),
            1.2,
        ),
        Budget(
            "P2-naive",
            f"{ten_k}: rerun after toggle ≥ 10 × faster than naive",
            None if not (naive and app) else naive / app >= 10,
            "not measured" if not (naive and app) else f"naive {naive:.3g} s, app {app:.3g} s: {naive / app:.1f} ×",
        ),
        p3_budget,
        *p4_budgets,
        Budget(
            "load",
            f"{top.sessions if top else '?'} sessions with 0 errors",
            None if top is None else not top.errors(),
            "not run" if top is None else f"{len(top.errors())} errors",
        ),
    ]
    errors = [f"- {level.sessions} sessions: {error}" for level in levels for error in level.errors()[:5]]
    facts = "\n".join(f"- {key}: {value}" for key, value in results.facts.items())
    parts = [
        "# Performance",
        f"Made by `{command(results)}` in {results.seconds:.0f} s. Figures are min / median / max; the machine "
        "is shared, so read ratios.",
        "## Machine\n\n" + facts,
        "## Budgets\n\n" + "\n".join(budget.line() for budget in budgets),
        "## P1: cold start to the first shape in Chromium (shipped case)\n\n" + p1,
        "## P2: script time of a rerun after a layer toggle (AppTest)\n\n" + p2,
        "## P3: bytes of the default view against the floor\n\n" + p3,
        f"## P4: memory and long tasks at {results.cases[-1].name}\n\n" + p4,
        "## Load test\n\n" + table(*load_rows(levels)) + ("\n\nErrors:\n\n" + "\n".join(errors) if errors else ""),
        "## How it is measured\n\n" + METHOD,
    ]
    return "\n\n".join(parts) + "\n"
