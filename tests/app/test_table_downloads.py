"""Tables and downloads for people (AppTest): human headings, numbers as shown, blanks for
missing values, each code once, CQC provider ids for unnamed providers; files named by area,
view and period, with the area in the rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.app.conftest import open_app
from tests.app.test_download_audit import Recorder

PERIOD = ["2016/17", "2024/25"]


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    rec = Recorder()
    rec.install(monkeypatch)
    return rec


def configs(at) -> list[dict]:
    """Each dataframe's column config (column name -> its config) as the page sent it."""
    return [json.loads(d.proto.columns or "{}") for d in at.dataframe]


def table_with(at, column: str):
    """The first dataframe with `column`, and its column config."""
    for frame, config in zip(at.dataframe, configs(at), strict=True):
        if column in frame.value.columns:
            return frame.value, config
    raise AssertionError(f"no table with {column}: {[list(d.value.columns) for d in at.dataframe]}")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("#")))))  # fmt: skip


def test_the_oldham_east_trend_csv_is_named_for_its_area_view_and_period(recorder):
    open_app("care_homes", {"place": "Oldham", "cluster": "Oldham East", "period": PERIOD})
    downloads = {d.file_name: d.text for d in recorder.take("care_homes", "Oldham East")}
    assert "oldham-east_care-home-trend_2016-2025.csv" in downloads, sorted(downloads)
    assert not [name for name in downloads if name.startswith("placewise_")]
    trend = rows(downloads["oldham-east_care-home-trend_2016-2025.csv"])
    assert trend and list(trend[0])[:2] == ["area_code", "area_name"]
    assert {(r["area_code"], r["area_name"]) for r in trend} == {("E08000004-east", "Oldham East")}


def test_the_pictures_are_named_like_the_csv(recorder):
    from exports.images import export_problem

    if export_problem() is not None:
        pytest.skip(f"no pictures here: {export_problem()}")
    open_app("care_homes", {"place": "Oldham", "cluster": "Oldham East", "period": PERIOD})
    names = {name for name, _ in recorder.items}
    for ext in ("csv", "png", "svg"):
        assert f"oldham-east_care-home-trend_2016-2025.{ext}" in names, sorted(names)


def test_the_place_and_a_cluster_give_different_file_names(recorder):
    open_app("care_homes", {"place": "Oldham", "period": PERIOD})
    place = {d.file_name for d in recorder.take("care_homes", "Oldham")}
    open_app("care_homes", {"place": "Oldham", "cluster": "Oldham East", "period": PERIOD})
    cluster = {d.file_name for d in recorder.take("care_homes", "Oldham East")}
    assert "oldham_care-home-trend_2016-2025.csv" in place
    assert place.isdisjoint(cluster)


def test_the_care_home_table_reads_as_words_with_provider_ids_for_unnamed_providers():
    at = open_app("care_homes", {"place": "Oldham"})
    frame, config = table_with(at, "provider_id")
    assert config["home"]["label"] == "Care home"
    assert config["provider_id"]["label"] == "CQC provider ID"
    assert config["last_rated"]["type_config"] == {"type": "date", "format": "D MMM YYYY"}
    assert "(name not in the data)" not in set(frame["provider"])
    unnamed = frame[frame["provider"].str.startswith("CQC provider id ")]
    assert len(unnamed) > 0  # most Oldham providers are not named in the data
    assert all(p == f"CQC provider id {i}" for p, i in zip(unnamed["provider"],
                                                             unnamed["provider_id"], strict=True))  # fmt: skip
    captions = " ".join(c.value for c in at.caption)
    assert "12 columns: where some are hidden at the right, scroll it sideways" in captions


def test_the_numbers_behind_the_map_show_each_code_once_rounded_with_human_headings():
    at = open_app("neighbourhoods", {"place": "Oldham"})
    frame, config = table_with(at, "numerator")
    assert "cluster_code" not in frame.columns and "cluster_name" not in frame.columns
    assert {config[c]["label"] for c in ("area_code", "numerator", "value", "lower")} == {
        "Area code", "Numerator", "Value", "Lower limit"}  # fmt: skip
    assert config["value"]["type_config"]["format"] == "%,.1f"
    assert all(round(v, 1) == v for v in frame["value"].dropna())  # 20.925926 is 20.9
    assert all(d.proto.placeholder == "" for d in at.dataframe)  # missing is blank, not 'None'


def test_the_data_page_tables_have_human_headings():
    at = open_app("data")
    _, indicators = table_with(at, "value_type")
    assert indicators["value_type"]["label"] == "Value type"
    assert indicators["numerator_definition"]["label"] == "Numerator definition"
    _, status = table_with(at, "load time (ms)")
    assert status["period covered"]["label"] == "Period covered"
    assert status["rows"]["type_config"]["format"] == "%,d"


def test_only_a_table_wider_than_the_page_says_it_scrolls():
    import polars as pl

    from ui.data_tables import PAGE_PIXELS, column_configs, table_pixels

    narrow = pl.DataFrame({"area_code": ["E08000004"], "value": [1.5]})
    wide = pl.DataFrame({f"column_{i}": ["a fairly long piece of text"] for i in range(8)})
    assert table_pixels(narrow, column_configs(narrow)) < PAGE_PIXELS
    assert table_pixels(wide, column_configs(wide)) > PAGE_PIXELS
