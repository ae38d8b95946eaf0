"""Fixtures for the end-to-end tests: one app server per session, a page per test, artifacts on failure."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, CHROMIUM_FLAGS, StreamlitServer, require_chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(require_chromium()), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def app_server():
    require_chromium()
    server = StreamlitServer().start()
    yield server
    server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def console(page):
    """Collect the page's console messages and page errors (also from frames)."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


@pytest.fixture(autouse=True)
def _artifacts_on_failure(request):
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or "page" not in request.fixturenames:
        return
    page = request.getfixturevalue("page")
    ARTIFACTS.mkdir(exist_ok=True)
    name = request.node.name.replace("/", "_")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    messages = request.getfixturevalue("console") if "console" in request.fixturenames else []
    (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(messages))
    server = request.getfixturevalue("app_server") if "app_server" in request.fixturenames else None
    if server is not None:
        print(f"--- streamlit log ---\n{server.log()[-5000:]}")
