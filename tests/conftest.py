"""Shared fixtures: paths and helpers for writing tiny catalogs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CATALOG = ROOT / "sample_data" / "catalog.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session: the browser tests (tests/e2e) and the
    deployment tests (tests/deploy) share it, as Playwright's sync API runs one event loop at a
    time and a second browser started while the first is open fails."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def write_catalog(tmp_path):
    """Write a catalog TOML (dedented) into tmp_path and return its path."""

    def _write(text: str, name: str = "catalog.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
