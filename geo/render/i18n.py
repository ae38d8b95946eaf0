"""The interface language: gettext catalogs read with Babel, one language per Streamlit run.

The language lives in a ``contextvars.ContextVar``, so every thread (each Streamlit session's script run) and
every ``asyncio`` task has its own; it starts as English. Messages are English in the code and translated at
render time: call ``_`` where the text is shown, never at import time. A constant that tests or other
modules read keeps its English text marked with ``N_`` and is passed through ``_`` where it is shown.

Catalogs are ``locale/<language>/LC_MESSAGES/messages.po``; no ``.mo`` is committed: each ``.po`` is compiled in
memory the first time its language is used. After changing messages in ``geo/``, from the repository root::

    pybabel extract -F babel.cfg --sort-by-file --no-wrap --project "Claim Map" -o /tmp/claim-map.pot .
    pybabel update -i /tmp/claim-map.pot -d geo/render/locale -l de --no-wrap --ignore-obsolete

then write the German of every new (empty) or changed (``#, fuzzy``: check it, then remove the flag)
``msgstr`` in ``geo/render/locale/de/LC_MESSAGES/messages.po``; ``python -m pytest tests/test_i18n.py`` lists
what is missing. Keep every ``{name}`` placeholder of a message in its translation. Claim data (titles,
quotes) is never translated. The template (``.pot``) is not committed: it is made afresh each time.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from string import Formatter
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from geo.render.escape import Html, escape_text

#: The interface languages, the default first. English is the language of the messages in the code.
LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = LANGUAGES[0]
#: The Babel locale dates and numbers are written in, by interface language (day before month in English).
LOCALES = {"en": "en_GB", "de": "de_DE"}
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("claim_map_language", default=DEFAULT_LANGUAGE)


def is_supported(code: Any) -> bool:
    """True if ``code`` names an interface language (``de``, ``DE``, ``de-AT`` and ``de_DE`` name German)."""
    return _base(code) in LANGUAGES


def _base(code: Any) -> str:
    return code.replace("_", "-").split("-")[0].strip().lower() if isinstance(code, str) else ""


def language_of(code: Any) -> str:
    """Return the interface language ``code`` names, or English if it names none (``"xx"``, ``None``)."""
    return _base(code) if is_supported(code) else DEFAULT_LANGUAGE


class LanguageScope:
    """The language set by ``use_language``; as a context manager it restores the previous one on exit."""

    def __init__(self, code: Any):
        self.language = language_of(code)
        self._token: Token[str] = _language.set(self.language)

    def __enter__(self) -> str:
        return self.language

    def __exit__(self, *exc_info: object) -> None:
        _language.reset(self._token)


def use_language(code: Any) -> LanguageScope:
    """Set the interface language of the current thread or task, English if ``code`` names none.

    Call it at the start of every script run (a new run starts in English), or use it as a context manager
    to set a language for a block only.

    Parameters
    ----------
    code : Any
        A language code such as ``de`` or ``de-DE``; anything else means English.

    Returns
    -------
    LanguageScope
        Its ``language`` is the language now in use. ``with use_language("de"):`` restores the previous
        language when the block ends.
    """
    return LanguageScope(code)


def current_language() -> str:
    """Return the interface language in use: one of ``LANGUAGES``."""
    return _language.get()


def current_locale() -> str:
    """Return the Babel locale of the interface language, for dates and numbers: ``en_GB`` or ``de_DE``."""
    return LOCALES[current_language()]


def format_number(value: float) -> str:
    """Return a number as the interface language writes it: ``1,234`` in English, ``1.234`` in German."""
    return format_decimal(value, locale=current_locale())


def language_names() -> dict[str, str]:
    """Return each interface language's name in itself, for a language switch: ``English``, ``Deutsch``."""
    return {code: Locale.parse(code).get_display_name(code).capitalize() for code in LANGUAGES}


def catalog_path(language: str) -> Path:
    """Return the path of a language's ``.po`` catalog."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """Return the compiled catalog of a language (compiled in memory once; fuzzy entries are left out).

    English, the language of the messages themselves, has no catalog: its messages stay as written.
    """
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str) -> str:
    """Return ``message`` in the interface language (as written where it has no translation)."""
    return translations(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural of a message for ``n``, in the interface language."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Return ``message`` in the interface language, as meant in ``context`` (``pgettext("standing", "confirmed")``)."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802  (the gettext name extraction looks for)
    """Mark ``message`` for extraction without translating it: translate it with ``_`` where it is shown."""
    return message


def format_html(message: str, /, **values: Any) -> Html:
    """Return a translated message as HTML text, each ``{name}`` filled by ``values[name]``.

    Call it as ``format_html(_("Source: {source}"), source=link)``. The message's text is escaped like any
    text (``escape_text``); each value too, unless it is ``Html`` already (a link, a list).
    """
    parts = []
    for text, name, _spec, _conversion in Formatter().parse(message):
        parts.append(escape_text(text))
        if name is not None:
            parts.append(escape_text(values[name]))
    return Html("").join(parts)
