"""The import rules of docs/ARCHITECTURE.md: each layer imports only the layers below it.

tests/test_layers.py holds the pure layers (formatting, loaders, access, metrics) to the rule;
this file holds every layer above them: figures, panels, their consumers, and the app.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_layers import ROOT, imported_modules

# Lowest first. A module may import its own layer and any layer below it, never one above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("formatting", ("formatting",)),
    ("data", ("loaders", "access", "geo.boundaries", "geo.__init__")),
    ("metrics", ("metrics", "geo.clusters")),
    ("figures", ("charts", "geo.maps")),
    ("panels", ("panels",)),
    ("consumers", ("present", "exports")),
    ("app", ("ui", "views", "dashboard")),
)
STREAMLIT_LAYER = "app"  # the only layer that may import streamlit


def layer_of(module: str) -> int | None:
    for index, (_, packages) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in packages):
            return index
    if module == "geo":  # ``from geo import x``: judged by x (imported_modules lists it)
        return None
    return None


def files() -> list[Path]:
    out = [ROOT / "dashboard.py", ROOT / "formatting.py"]
    for folder in (
        "loaders",
        "access",
        "metrics",
        "charts",
        "geo",
        "panels",
        "present",
        "exports",
        "ui",
        "views",
    ):
        out += sorted((ROOT / folder).rglob("*.py"))
    return out


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name if name == "geo.__init__" else name.removesuffix(".__init__")


def problems(path: Path, name: str | None = None) -> list[str]:
    """What `path` (module `name`, by default from its place in the tree) imports upwards."""
    name = name or module_name(path)
    own = layer_of(name)
    assert own is not None, f"{name} is in no layer of docs/ARCHITECTURE.md"
    found = []
    for line, module in imported_modules(path):
        if module.split(".")[0] == "streamlit" and LAYERS[own][0] != STREAMLIT_LAYER:
            found.append(f"{name}:{line} imports streamlit")
        target = layer_of(module)
        if target is not None and target > own:
            found.append(
                f"{name}:{line} ({LAYERS[own][0]}) imports {module} "
                f"({LAYERS[target][0]}, a layer above)"
            )
    return found


@pytest.mark.parametrize("path", files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_point_down(path: Path) -> None:
    bad = problems(path)
    assert not bad, "\n".join(bad)


def test_every_package_is_in_a_layer() -> None:
    folders = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {
        "tests",
        "scripts",
    }
    named = {p.split(".")[0] for _, packages in LAYERS for p in packages}
    assert folders <= named, folders - named


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("panels/probe.py", "import streamlit as st", 1),
        ("panels/probe.py", "from ui.state import dataset", 1),
        ("panels/probe.py", "from present.decks import SlideSpec", 1),
        ("panels/probe.py", "from charts.spend import acute_share_figure", 0),
        ("charts/probe.py", "from panels.core import Built", 1),
        ("present/probe.py", "from panels.core import Built", 0),
        ("present/probe.py", "def f():\n    from ui import auth", 1),
        ("ui/probe.py", "from views import spend", 0),
        ("metrics/probe.py", "from panels import core", 1),
    ],
)
def test_the_rule_catches_what_it_should(
    tmp_path: Path, where: str, source: str, expected: int
) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert len(problems(path, where.removesuffix(".py").replace("/", "."))) == expected
