"""Fixtures for the end-to-end tests: one app server per session, a page per test, artifacts on failure."""

from __future__ import annotations

import re
import weakref
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, CHROMIUM_FLAGS, NetworkLog, StreamlitServer, require_chromium, stub_tiles

#: Streamlit reruns the script and swaps the map iframe after each interaction: give that time on slow CI.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    """Mark every test in this folder ``browser`` (select or deselect them with ``-m``)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(require_chromium()), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def app_server():
    require_chromium()
    server = StreamlitServer().start()
    yield server
    server.stop()


@pytest.fixture
def network(context, page):
    """Record every request of the test's browser context (page and iframes) and its WebSockets."""
    return NetworkLog().attach(context, page)


@pytest.fixture
def tiles(context):
    """Answer map-tile requests with a blank tile (tests never fetch real tiles); return the tile URLs asked for."""
    return stub_tiles(context)


_CONSOLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def console_of(page) -> list[str]:
    """Return the console messages and page errors of ``page`` (its iframes' too), recording from now on."""
    if page not in _CONSOLES:
        messages: list[str] = []
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        _CONSOLES[page] = messages
    return _CONSOLES[page]


@pytest.fixture
def console(page):
    """Collect the page's console messages and page errors (also from frames)."""
    return console_of(page)


@pytest.fixture(autouse=True)
def _record_console(request):
    """Record the console of every test that drives a page, so a failure can save it."""
    if "page" in request.fixturenames:
        console_of(request.getfixturevalue("page"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed test, save a screenshot and the console log while its page is still open."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
    if report.when != "call" or not report.failed:
        return
    page = item.funcargs.get("page")
    server = item.funcargs.get("app_server")
    if server is not None:
        report.sections.append(("streamlit log", server.log()[-5000:]))
    if page is None or page.is_closed():
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", item.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    except Exception as error:  # a broken page must not hide the test's own failure
        report.sections.append(("screenshot", f"no screenshot: {error}"))
    (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(console_of(page)), encoding="utf-8")
