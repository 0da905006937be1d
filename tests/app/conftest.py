"""Shared AppTest set-up: every page test runs the real entry script on the sample data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def sample_catalog(monkeypatch):
    """Use the embedded sample data unless a test points PLACEWISE_CATALOG elsewhere."""
    monkeypatch.delenv("PLACEWISE_CATALOG", raising=False)
    monkeypatch.delenv("PLACEWISE_ACCESS", raising=False)  # open access unless a test signs in


def open_app(
    page: str | None = None,
    query: dict | None = None,
    setup: Callable[[AppTest], None] | None = None,
) -> AppTest:
    """Run dashboard.py (with `query` in the URL), switch to views/<page>.py, assert no exception.

    `setup` prepares the session before the first run (e.g. secrets and a signed-in user).
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    if setup is not None:
        setup(at)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
