"""Driving the page through AppTest where a widget reruns only some sections (``st.fragment``).

After a rerun of fragments alone, AppTest holds only what those fragments drew: the sidebar's widgets are not in
its tree, though a browser keeps showing them. ``checkbox`` runs the whole page first in that case, as a reader's
next interaction would find it.
"""

from streamlit.testing.v1 import AppTest


def checkbox(app: AppTest, key: str):
    """Return the checkbox keyed ``key``, running the whole page first if the last run left it out."""
    return widget(app, "checkbox", key)


def widget(app: AppTest, kind: str, key: str):
    """Return the widget of ``kind`` (``checkbox``, ``text_input``...) keyed ``key``, as ``checkbox`` does."""
    try:
        return getattr(app, kind)(key=key)
    except KeyError:
        app.run()
        return getattr(app, kind)(key=key)
