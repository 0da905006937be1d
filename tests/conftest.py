"""Shared fixtures: paths and helpers for writing tiny catalogs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "sample_data" / "catalog.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def write_catalog(tmp_path):
    """Write a catalog TOML (dedented) into tmp_path and return its path."""

    def _write(text: str, name: str = "catalog.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
