import json
import shutil
import subprocess
import sys

import pytest

from geo.store.case import load_case
from tests.browser import ROOT

DATA = ROOT / "data"


@pytest.fixture(scope="session")
def case():
    return load_case(DATA)


@pytest.fixture(scope="session")
def shipped_validation():
    """``python -m geo validate`` over the shipped data/, run once per session and shared by the tests."""
    command = [sys.executable, "-m", "geo", "--data", str(DATA), "validate"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/, for tests that change files."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))
