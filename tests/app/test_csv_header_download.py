"""A source column named like a formula reaches the downloaded CSV as text ("Trust II").

Extra columns pass the contracts (`strict = False`), so a file with a column named
`=HYPERLINK("http://x","y")` puts that name in the header of the Data page's download; a
spreadsheet would run it. The header cell must be neutralised like any other cell.
"""

from __future__ import annotations

import csv
import io
import shutil

import polars as pl
import pytest

from tests.app.conftest import ROOT, open_app
from tests.app.test_download_audit import FORMULA_START, Recorder

FORMULA = '=HYPERLINK("http://127.0.0.1:9/","y")'


@pytest.fixture
def formula_columns(tmp_path, monkeypatch):
    """The sample data with a formula-named extra column in a CSV and in a parquet source."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", folder)
    events = pl.read_csv(folder / "events.csv", infer_schema=False)
    events.with_columns(pl.lit("x").alias(FORMULA)).write_csv(folder / "events.csv")
    homes = pl.read_parquet(folder / "care_homes.parquet")
    homes.with_columns(pl.lit("x").alias(FORMULA)).write_parquet(folder / "care_homes.parquet")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(folder / "catalog.toml"))


@pytest.mark.parametrize("dataset", ["events", "care_homes"])
def test_the_data_page_download_neutralises_a_formula_header(formula_columns, monkeypatch, dataset):
    recorder = Recorder()
    recorder.install(monkeypatch)
    at = open_app("data")
    at.selectbox(key="download_dataset").set_value(dataset).run()
    assert not at.exception
    downloads = [
        d
        for d in recorder.take("data", "")
        if d.file_name.startswith(dataset.replace("_", "-") + "_")
    ]
    assert downloads, "the Data page offered no download of the dataset"
    lines = [line for line in downloads[-1].text.splitlines() if not line.startswith("#")]
    header = next(csv.reader(io.StringIO(lines[0])))
    assert any("HYPERLINK" in h for h in header), header  # the extra column is there
    assert [h for h in header if h.startswith(FORMULA_START)] == []
    assert [h for h in header if "HYPERLINK" in h][0].startswith("'=HYPERLINK(")
