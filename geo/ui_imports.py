"""The page's import section: upload GeoJSON files as session layers and report every problem."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from geo.escape import escape_markdown
from geo.imports import IMPORT_GROUP, ImportResult, import_file
from geo.validate import Limits

GROUP = IMPORT_GROUP
UPLOAD_KEY = "upload"


def upload_limits() -> Limits:
    """Return the import limits; the size cap is Streamlit's ``server.maxUploadSize`` (10 MB in our config).

    Change it in ``.streamlit/config.toml`` or with ``streamlit run app.py --server.maxUploadSize 20``.
    """
    return Limits(max_bytes=int(st.get_option("server.maxUploadSize") * 1024 * 1024))


# Shared by every session. A 10 MB upload pickles to about 14 MB (about 65 MB once unpickled for a rerun), and
# checking it again takes seconds: 64 MB keeps the files of a few analysts at work, and an hour frees them after.
@st.cache_data(show_spinner="Checking the file…", max_entries=16, max_size="64MB", ttl="1h")
def _import(name: str, data: bytes, taken: frozenset[str], limits: Limits) -> ImportResult:
    return import_file(name, data, limits, taken)


def upload_controls(taken_ids: Iterable[str], box: st.delta_generator.DeltaGenerator) -> list[ImportResult]:
    """Draw the uploader in ``box`` and return one result per uploaded file, in upload order."""
    box.header("Import your claims")
    files = box.file_uploader(
        "GeoJSON files (FeatureCollection, Feature or geometry)",
        type=["geojson", "json"],
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        help="Shown beside the case for this session only; the shipped data is never changed.",
    )
    taken, limits, results = set(taken_ids), upload_limits(), []
    for file in files or []:
        result = _import(file.name, file.getvalue(), frozenset(taken), limits)
        taken.add(result.layer.id)
        results.append(result)
    return results


def show_reports(results: list[ImportResult]) -> None:
    """Say what each upload brought in, and list every problem by feature in plain words."""
    if not results:
        return
    st.subheader("Imported files")
    for result in results:
        note = st.success if not result.problems else st.warning if result.accepted else st.error
        note(escape_markdown(result.summary()))
        if result.unsourced:
            st.caption(f"{len(result.unsourced)} feature(s) carry no citation: they are marked “unsourced”.")
        if result.problems:
            title = f"Problems in {escape_markdown(result.name)} ({len(result.problems)})"
        with st.expander(title, expanded=not result.accepted):
            st.table(result.rows())
