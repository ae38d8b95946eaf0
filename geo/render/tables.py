"""HTML tables of plain text: every cell escaped, readable on a phone."""

from __future__ import annotations

from collections.abc import Sequence

import pandas

#: Long cells wrap anywhere, and a table wider than a phone scrolls sideways in its own box.
TABLE_CSS = (
    "<style>.text-table-box{overflow-x:auto;max-width:100%}"
    ".text-table{border-collapse:collapse;width:100%;font-size:14px;overflow-wrap:anywhere}"
    ".text-table th,.text-table td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
    ".text-table td{min-width:5em}.text-table th{white-space:nowrap}</style>"
)


def text_table(rows: Sequence[Sequence[object]], columns: Sequence[str], css_class: str) -> str:
    """Return ``rows`` as an HTML table whose every cell and heading is HTML-escaped text.

    Not ``st.table``: it renders cells as Markdown, and GitHub-flavoured Markdown turns any bare
    ``http://`` or ``www.`` in uploaded text into a live link, backslash escapes or not.

    Parameters
    ----------
    rows : sequence of sequences
        The cells, one sequence per row.
    columns : sequence of str
        The headings.
    css_class : str
        An extra class for the table (tests and page CSS find it by this).

    Returns
    -------
    str
    """
    frame = pandas.DataFrame(list(rows), columns=list(columns))
    table = frame.to_html(index=False, border=0, classes=f"text-table {css_class}", justify="left", escape=True)
    return f'{TABLE_CSS}<div class="text-table-box">{table}</div>'
