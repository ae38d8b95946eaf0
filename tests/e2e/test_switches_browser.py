"""The sidebar's switches in a browser: a switch reruns the whole page when a section it changes is missing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import ROOT, StreamlitServer


@pytest.fixture
def switch_server():
    server = StreamlitServer(app=ROOT / "tests" / "switch_page.py").start()
    yield server
    server.stop()


def test_a_switch_in_its_fragment_reruns_the_whole_page_when_its_sections_are_missing(switch_server, page):
    page.goto(switch_server.url)
    expect(page.get_by_role("heading", name="Whole runs: 1")).to_be_visible()
    page.get_by_text("A layer").click()
    expect(page.get_by_role("heading", name="Whole runs: 2")).to_be_visible()
    expect(page.get_by_role("checkbox", name="A layer")).to_be_checked()
