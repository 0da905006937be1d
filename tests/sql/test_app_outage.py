"""The app when the database goes away and the process starts cold: last good data, marked stale."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app


@pytest.fixture
def keep_catalog(postgres, tmp_path, monkeypatch):
    """The PostgreSQL catalog with keep_last_good on every sql dataset, and its own cache."""
    text = postgres.catalog_path.read_text(encoding="utf-8")
    text = re.sub(r"(table = \"[^\"]+\")", r"\1\nkeep_last_good = true", text)
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(path))
    monkeypatch.setenv("PLACEWISE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("PLACEWISE_ACCESS", raising=False)
    return path


def run_app(page: str | None = None) -> AppTest:
    return open_app(page, {"place": "Oldham"})


def cold_start() -> None:
    """What a restarted server process has: no cached catalog, datasets or results."""
    from ui import state

    state.reload_data()


def test_a_cold_start_during_an_outage_serves_the_last_good_copy_and_then_reconnects(
    postgres, keep_catalog, monkeypatch
):
    from ui import state

    cold_start()
    tiles = {m.label: m.value for m in run_app().metric}
    assert len(tiles) == 7 and not any("Data as at" in w.value for w in run_app().warning)

    postgres.stop()
    try:
        cold_start()
        at = run_app()
        assert {m.label: m.value for m in at.metric} == tiles
        notes = " ".join(w.value for w in at.warning)
        assert "Data as at" in notes and "cannot be reached" in notes
        assert postgres.uri.split("@")[0] not in notes  # no credentials in the note
        table = run_app("data").dataframe[0].value
        status = dict(zip(table["dataset"], table["status"], strict=True))
        assert status["areas"] == "Stale: last good copy"  # read whole on the Overview
    finally:
        postgres.start()

    at = run_app()  # within RETRY_SECONDS of the failure: still the copy, no reconnect storm
    assert any("Data as at" in w.value for w in at.warning)
    monkeypatch.setattr(state, "_retry_at", {})  # RETRY_SECONDS later: the next run tries again
    at = run_app()
    assert {m.label: m.value for m in at.metric} == tiles
    assert not any("Data as at" in w.value for w in at.warning), [w.value for w in at.warning]
    cold_start()
