"""The layout of ``geo/`` is a design, not a folder list: each subpackage has one rule, checked over the import graph.

Every import statement of every module under ``geo/`` is read with ``ast`` (nothing is imported or run), in the
spirit of datasette's tested docs: the rules below are the documentation, and the test keeps them true.
"""

import ast
from pathlib import Path

import pytest

from tests.browser import ROOT

GEO = ROOT / "geo"
#: Which other subpackages of ``geo`` each subpackage may import.
MAY_IMPORT = {
    "model": set(),
    "store": {"model"},
    "validate": {"model", "store"},
    "derive": {"model", "store", "validate"},
    "render": {"model"},
    "export": {"model", "store", "render"},
    "app": {"model", "store", "validate", "render", "export"},
}
#: Third-party packages only some subpackages may import.
ONLY_IN = {
    "streamlit": {"app"},
    "streamlit_folium": {"app"},
    "markupsafe": {"render"},
    "branca": {"render"},
    "folium": {"render", "export"},
}
#: File-system calls the model never makes (it has no I/O).
IO_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "iterdir", "glob"}


def modules():
    return sorted(path for path in GEO.rglob("*.py") if path.parent != GEO)


def package_of(path: Path) -> str:
    return path.relative_to(GEO).parts[0]


def imported(path: Path) -> set[str]:
    """Every module name an import statement in ``path`` names (``from geo import x`` gives ``geo.x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module in {"geo", *(f"geo.{package}" for package in MAY_IMPORT)}:
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def geo_packages(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("geo.") and name.split(".")[1] in MAY_IMPORT}


def test_every_module_lives_in_a_subpackage_with_a_rule():
    top = sorted(path.name for path in GEO.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], "only the package marker and the command line stay at the top"
    assert {package_of(path) for path in modules()} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(GEO).as_posix())
def test_a_module_imports_only_what_its_subpackage_may(path):
    package = package_of(path)
    names = imported(path)
    assert geo_packages(names) - {package} <= MAY_IMPORT[package]
    for library, packages in ONLY_IN.items():
        if any(name == library or name.startswith(library + ".") for name in names):
            assert package in packages, f"{library} is for {sorted(packages)} only"


def test_the_running_app_never_imports_the_build_time_derivations():
    importers = [
        path for path in modules() if "derive" in geo_packages(imported(path)) and package_of(path) != "derive"
    ]
    assert importers == []


@pytest.mark.parametrize("path", [p for p in modules() if package_of(p) == "model"], ids=lambda p: p.name)
def test_the_model_does_no_file_io(path):
    calls = [
        node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
    ]
    assert IO_CALLS.isdisjoint(calls)


def test_the_rules_catch_a_forbidden_import(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("from geo.app import page\nfrom geo.store import case\nimport streamlit as st\n")
    assert geo_packages(imported(module)) == {"app", "store"}
    assert "streamlit" in imported(module)
