"""Imports point down only (DESIGN.md, "Layers"): the pure layers never reach up to figures or pages.

metrics/, loaders/ and access/ (and formatting.py, which every layer uses) may not import plotly,
streamlit, or any of our figure, page or panel packages, not even lazily inside a function.
geo/clusters.py and geo/boundaries.py sit in these same layers (DESIGN.md), so metrics may use
them, and they are held to the same rule here; geo/maps.py builds figures and is forbidden.
formatting.py imports nothing but the standard library.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = ("plotly", "streamlit", "charts", "geo", "present", "exports", "ui", "views", "panels")
# Modules under a forbidden package that DESIGN.md puts in the pure layers.
ALLOWED = ("geo.clusters", "geo.boundaries")

PURE_FILES = sorted(
    [
        ROOT / "formatting.py",
        ROOT / "geo" / "clusters.py",
        ROOT / "geo" / "boundaries.py",
        *(p for folder in ("metrics", "loaders", "access") for p in (ROOT / folder).rglob("*.py")),
    ]
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, anywhere in the file, with its line: ``from geo import clusters`` gives ``geo.clusters``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                package = path.relative_to(ROOT).parent.parts
                base = ".".join(package[: len(package) - node.level + 1])
                module = ".".join(p for p in (base, node.module or "") if p)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            if any(ok.startswith(module + ".") for ok in ALLOWED):  # ``from geo import clusters``
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def forbidden(module: str) -> bool:
    if any(module == ok or module.startswith(ok + ".") for ok in ALLOWED):
        return False
    if any(ok.startswith(module + ".") for ok in ALLOWED):
        return False  # the package itself, on the way to an allowed module (``from geo import clusters``)
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN)


def test_the_pure_layers_exist():
    names = {p.relative_to(ROOT).as_posix() for p in PURE_FILES}
    assert {
        "formatting.py",
        "metrics/headlines.py",
        "loaders/funnel.py",
        "access/scope.py",
    } <= names


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pure_layers_import_no_figures_or_pages(path: Path):
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for line, module in imported_modules(path)
        if forbidden(module)
    ]
    assert not bad, "\n".join(bad)


def test_formatting_imports_only_the_standard_library():
    path = ROOT / "formatting.py"
    bad = [
        f"formatting.py:{line} imports {module}"
        for line, module in imported_modules(path)
        if module.split(".")[0] not in sys.stdlib_module_names | {"__future__"}
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import plotly.express as px", ["plotly.express"]),
        ("from charts.theme import format_pct", ["charts.theme"]),
        ("def f():\n    import streamlit as st", ["streamlit"]),
        ("from geo import maps", ["geo.maps"]),
        ("from geo import clusters", []),
        ("from geo.clusters import area_lookup", []),
        ("import polars as pl\nfrom metrics.spend import acute_share", []),
        ("from ui.layout import page_header", ["ui.layout"]),
        ("from panels import registry", ["panels"]),
        ("import exports.csv, loaders", ["exports.csv"]),
        ("from views import spend", ["views"]),
    ],
)
def test_the_check_catches_what_it_should(tmp_path: Path, source: str, expected: list[str]):
    """The rule itself, on small sources: a check that cannot fail is a defect."""
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert [m for _, m in imported_modules(path) if forbidden(m)] == expected
