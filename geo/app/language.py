"""The interface language of each run: the switch, the link's ``lang``, and widget choices kept across a switch.

Streamlit keeps a widget's choice as the text its option shows. Where that text is in the interface language
(a standing's name, a day in words), a switch of language would leave the widget holding words it no longer
offers: the filter would keep nothing, or fall back to its default. ``chosen_language`` therefore writes those
widgets' choices back as values (the model's codes, days) on the run that changes the language.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.render import i18n

#: Session state and query parameter: the language the reader chose.
LANGUAGE_KEY = "lang"
#: Session state: the language of the last run.
SHOWN_KEY = "lang:shown"


def chosen_language(is_worded: Callable[[str], bool] = lambda key: False) -> str:
    """Return the interface language: the switch's, else the link's ``lang``, else English; and use it.

    Parameters
    ----------
    is_worded : callable
        True for the key of a widget whose options show words of the interface language: when the language
        changes, its choice is kept (``keep_choices``).

    Returns
    -------
    str
        One of ``geo.render.i18n.LANGUAGES``.
    """
    wanted = st.session_state.get(LANGUAGE_KEY) or st.query_params.get(LANGUAGE_KEY)
    code = wanted if isinstance(wanted, str) and i18n.is_supported(wanted) else i18n.LANGUAGES[0]
    language = i18n.use_language(code).language
    if st.session_state.get(SHOWN_KEY) not in (None, language):
        keep_choices([key for key in st.session_state if isinstance(key, str) and is_worded(key)])
    st.session_state[SHOWN_KEY] = language
    return language


def keep_choices(keys: list[str]) -> None:
    """Write each widget's choice back as its value, before the widget is drawn in the new language.

    Read before the widget is drawn, a choice is still read with the options of the last run (the old
    language's words); written back, it is shown with the new ones.
    """
    for key in keys:
        st.session_state[key] = st.session_state[key]


def language_switch() -> None:
    """Draw the English / Deutsch switch (the link remembers it as ``lang``)."""
    names = i18n.language_names()
    if st.session_state.get(LANGUAGE_KEY) not in names:
        st.session_state[LANGUAGE_KEY] = i18n.current_language()
    st.radio("Language / Sprache", list(names), format_func=names.get, key=LANGUAGE_KEY, horizontal=True)
