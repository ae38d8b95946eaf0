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
    # derive: only geo/app/measurements.py, and only inside its functions (see the running-app test below).
    "app": {"model", "store", "validate", "render", "export", "derive"},
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


#: The one module of the running app that may import the build-time derivations, and only inside its functions.
LAZY_DERIVE = GEO / "app" / "measurements.py"


def imported_at_import_time(path: Path) -> set[str]:
    """The module names ``path`` imports when it is itself imported: every import outside a function body."""
    names = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def test_the_running_app_imports_the_derivations_only_lazily_from_measurements(tmp_path):
    importers = [
        path for path in modules() if "derive" in geo_packages(imported(path)) and package_of(path) != "derive"
    ]
    assert [path for path in importers if path != LAZY_DERIVE] == []
    assert "derive" not in geo_packages(imported_at_import_time(LAZY_DERIVE))
    sample = tmp_path / "sample.py"
    sample.write_text("from geo.store import case\n\ndef measure():\n    from geo.derive import zones\n")
    assert geo_packages(imported(sample)) == {"store", "derive"}
    assert geo_packages(imported_at_import_time(sample)) == {"store"}


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
