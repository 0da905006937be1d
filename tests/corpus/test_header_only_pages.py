"""A header-only file loads as an empty table (see cases.toml): no page may crash on it, and the
Data page names it, so an empty chart is explained rather than mysterious."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "catalog.toml"
PAGES = (
    "overview",
    "spend",
    "care_homes",
    "neighbourhoods",
    "outcomes",
    "benchmarks",
    "data",
    "about",
)


@pytest.fixture
def header_only_events(tmp_path, monkeypatch) -> Path:
    """The sample catalog with events.csv and targets.csv replaced by their header lines only."""
    text = SAMPLE.read_text(encoding="utf-8")
    for name in ("events.csv", "targets.csv"):
        header = (SAMPLE.parent / name).read_text(encoding="utf-8").splitlines()[0]
        (tmp_path / name).write_text(header + "\n", encoding="utf-8")
    text = re.sub(
        r'^path = "([^"]+)"',
        lambda m: (
            f'path = "{m[1]}"'
            if m[1] in ("events.csv", "targets.csv")
            else f'path = "{(SAMPLE.parent / m[1]).as_posix()}"'
        ),
        text,
        flags=re.MULTILINE,
    )
    (tmp_path / "catalog.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(tmp_path / "catalog.toml"))
    return tmp_path


def test_every_page_runs_and_the_data_page_names_the_empty_datasets(header_only_events):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    for page in PAGES:
        at.switch_page(f"views/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
    at.switch_page("views/data.py")
    at.run()
    table = at.dataframe[0].value
    rows = dict(zip(table["dataset"], table["rows"], strict=True))
    assert rows["events"] == 0 and rows["targets"] == 0 and rows["spend"] > 0
    notes = " ".join(i.value for i in at.info)
    assert "No rows in 'events', 'targets'." in notes
    assert "column names but no data" in notes
    assert not at.error  # empty is not a failure
