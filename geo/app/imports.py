"""The page's import section: upload GeoJSON files as session layers and report every problem."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from geo.model.layers import Layer
from geo.render.escape import escape_markdown
from geo.render.i18n import _, ngettext
from geo.render.tables import text_table
from geo.validate import Limits, Region, as_region
from geo.validate.imports import COLUMNS, ImportResult, import_file

UPLOAD_KEY = "upload"
PROBLEM_TABLE_CLASS = "problem-table"
#: Where the page's import report starts; the sidebar's note on each upload links there.
REPORT_ANCHOR = "import-report"


def upload_limits() -> Limits:
    """Return the import limits; the size cap is Streamlit's ``server.maxUploadSize`` (10 MB in our config).

    Change it in ``.streamlit/config.toml`` or with ``streamlit run app.py --server.maxUploadSize 20``.
    """
    return Limits(max_bytes=int(st.get_option("server.maxUploadSize") * 1024 * 1024))


# Shared by every session. A 10 MB upload pickles to about 14 MB (about 65 MB once unpickled for a rerun), and
# checking it again takes seconds: 64 MB keeps the files of a few analysts at work, and an hour frees them after.
# Its spinner is ``upload_controls``', in the interface language.
@st.cache_data(show_spinner=False, max_entries=16, max_size="64MB", ttl="1h")
def _import(
    name: str, data: bytes, taken: frozenset[str], limits: Limits, region: Region | None = None
) -> ImportResult:
    return import_file(name, data, limits, taken, region)


def case_region(case: dict) -> Region | None:
    """Return the case's region for the swapped-axis hint, or ``None`` where the catalog gives none or a bad one."""
    try:
        return as_region(case.get("region"))
    except ValueError:
        return None


def upload_controls(
    taken_ids: Iterable[str], box: st.delta_generator.DeltaGenerator, region: Region | None = None
) -> list[ImportResult]:
    """Draw the uploader in ``box`` and return one result per uploaded file, in upload order.

    ``region`` is the case's (see ``case_region``): coordinates that fall in it only once swapped get a hint.
    """
    box.header(_("Import your claims"))
    files = box.file_uploader(
        _("GeoJSON files (FeatureCollection, Feature or geometry)"),
        type=["geojson", "json"],
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        help=_("Shown beside the case for this session only; the shipped data is never changed."),
    )
    taken, limits, results = set(taken_ids), upload_limits(), []
    for file in files or []:
        with box.spinner(_("Checking the file…")):
            result = _import(file.name, file.getvalue(), frozenset(taken), limits, region)
        taken.add(result.layer.id)
        results.append(result)
        # Beside the uploader, where the reader looks: the full report sits below the table.
        link = _("The problems, feature by feature")
        details = f"  \n[{link}](#{REPORT_ANCHOR})" if result.problems else ""
        getattr(box, note_kind(result))(escape_markdown(result.summary()) + details)
    return results


def note_kind(result: ImportResult) -> str:
    """Return how an upload's outcome is shown: ``success``, ``warning`` (some problems) or ``error`` (nothing in)."""
    return "success" if not result.problems else "warning" if result.accepted else "error"


def show_reports(results: list[ImportResult]) -> None:
    """Say what each upload brought in, and list every problem by feature in plain words."""
    if not results:
        return
    st.html(f'<div id="{REPORT_ANCHOR}"></div>')
    st.subheader(_("Imported files"))
    for result in results:
        getattr(st, note_kind(result))(escape_markdown(result.summary()))
        if result.unsourced:
            count = len(result.unsourced)
            st.caption(
                ngettext(
                    "{count} feature carries no citation: marked “unsourced”.",
                    "{count} features carry no citation: marked “unsourced”.",
                    count,
                ).format(count=count)
            )
        if result.problems:
            heading = _("Problems in {file} ({count})").format(
                file=escape_markdown(result.name), count=len(result.problems)
            )
            with st.expander(heading, expanded=not result.accepted):
                st.html(problem_table(result))


def problem_table(result: ImportResult) -> str:
    """Return an upload's problems as an HTML table whose every cell is HTML-escaped text."""
    return text_table(result.rows(), COLUMNS, PROBLEM_TABLE_CLASS)


def imported_layers(results: Iterable[ImportResult]) -> list[tuple[Layer, dict[str, Any]]]:
    """Return the session layers of the uploads that brought in at least one feature.

    A file that failed to import is no layer: its report says why.
    """
    return [(result.layer, result.collection) for result in results if result.accepted]
