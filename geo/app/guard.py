"""Each section of the page on its own: one that fails says so in plain words, and the others stay standing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from geo.render.escape import escape_markdown
from geo.render.i18n import gettext as _
from geo.store.catalog import DataError

T = TypeVar("T")

log = logging.getLogger(__name__)


def guarded(title: str, render: Callable[..., T], *args: Any) -> T | None:
    """Run one section of the page; if it fails, say so in plain words there and log the details.

    One failing section never takes the others down, and nobody sees a traceback or a server path.

    Parameters
    ----------
    title : str
        The section as a reader knows it, in English and marked with ``N_``, e.g. ``N_("map")``: the log
        names it so, the reader sees it translated.
    render : callable
        Draws the section; called with ``args``.

    Returns
    -------
    object or None
        What ``render`` returned, or ``None`` if it failed.
    """
    # Streamlit's st.rerun and st.stop raise BaseException subclasses: they pass through untouched.
    started = time.perf_counter()
    try:
        return render(*args)
    except DataError as exc:
        log.exception("the %s section failed on a data file", title)
        st.error(_data_error(title, exc))
    except Exception:
        log.exception("the %s section failed", title)
        st.error(
            _("The {title} cannot be shown because of an internal error. The details are in the server log.").format(
                title=_(title)
            )
        )
    finally:
        log.debug("%s section: %.3f s", title, time.perf_counter() - started)
    return None


def _data_error(title: str, exc: DataError) -> str:
    """Say, Markdown-inert, that section ``title`` cannot be shown because of a broken data file."""
    if exc.path is None:
        return _("The {title} cannot be shown because a data file is broken.").format(title=_(title))
    return _("The {title} cannot be shown: {file}: {reason}.").format(
        title=_(title), file=escape_markdown(exc.path.name), reason=escape_markdown(exc.reason)
    )
