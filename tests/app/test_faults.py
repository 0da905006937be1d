"""Faults while the app runs: a data file replaced, a catalog edited into an invalid state."""

from __future__ import annotations

import shutil

import pytest

from tests.app.conftest import ROOT, open_app


@pytest.fixture
def live_catalog(tmp_path, monkeypatch):
    """A copy of the sample data the test may edit, as a running deployment's files would be."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", folder)
    monkeypatch.setenv("PLACEWISE_CATALOG", str(folder / "catalog.toml"))
    return folder


def texts(at, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def tile_values(at) -> list[str]:
    return [m.value for m in at.metric]


def test_a_catalog_edited_into_an_invalid_state_keeps_serving_the_last_good_data(live_catalog):
    before = tile_values(open_app(query={"place": "Oldham"}))
    assert any(v and v[0].isdigit() for v in before), before

    catalog = live_catalog / "catalog.toml"
    catalog.write_text(catalog.read_text() + "\n[datasets.spend\nloader = 'csv'\n")
    at = open_app(query={"place": "Oldham"})

    warning = " ".join(texts(at, "warning"))
    assert "last good version is still in use" in warning
    assert "catalog.toml" in warning and "line" in warning
    assert tile_values(at) == before


def test_a_data_file_replaced_while_running_is_picked_up_or_explained(live_catalog):
    at = open_app("spend", {"place": "Oldham"})
    assert not texts(at, "error")

    settings = live_catalog / "settings.csv"
    settings.write_text("setting_code,label\nAE,A&E\n")  # the setting_group column is gone
    at = open_app("spend", {"place": "Oldham"})
    shown = " ".join(texts(at, "error") + texts(at, "warning")).replace("\\", "")
    assert "settings.csv" in shown and "'setting_group'" in shown and "missing" in shown

    # the pages that do not need the settings keep working on the same run
    at = open_app("care_homes", {"place": "Oldham"})
    assert not texts(at, "exception")
    assert len(at.get("plotly_chart")) >= 1
