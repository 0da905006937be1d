"""A number labelled as an area is that area's true number, or it is not shown.

People granted some of a place's clusters (not the place) hold only those clusters' rows, so
any sum over them is not the place's figure. These tests sign in as such people (one cluster,
two clusters) and read every place-level label and download the pages offer; a whole-place
grant is the control that shows the place figures do exist. The sidebar's lists are computed
over the person's rows only.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from geo.clusters import area_lookup
from tests.app.conftest import ROOT, open_app, sign_in
from tests.app.test_download_audit import Recorder

ACCESS = """\
[users."alice@oldham.gov.uk"]
places = ["E08000004"]
downloads = true

[users."carol@oldham.gov.uk"]
clusters = ["E08000004-east"]
downloads = true

[users."erin@oldham.gov.uk"]
clusters = ["E08000004-south"]

[users."dan@oldham.gov.uk"]
clusters = ["E08000004-east", "E08000004-west"]
downloads = true
"""
PART = ("carol@oldham.gov.uk", "dan@oldham.gov.uk")
WITHHELD = "Oldham as a whole: not in your access"


@pytest.fixture(autouse=True)
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(path))
    return path


def as_person(email: str, page: str | None = None, query: dict | None = None) -> AppTest:
    return open_app(page, query, setup=sign_in(email))


def drawn(at: AppTest) -> str:
    return " ".join(str(node.proto) for block in (at.main, at.sidebar) for node in block)


def profile_table(at: AppTest):
    return next(d.value for d in at.dataframe if "measure" in d.value.columns)


def csv_tables(recorder: Recorder, page: str) -> list[tuple[str, list[dict]]]:
    out = []
    for item in recorder.take(page, "Oldham"):
        lines = [line for line in item.text.splitlines(keepends=True) if not line.startswith("#")]
        out.append((item.file_name, list(csv.DictReader(io.StringIO("".join(lines))))))
    return out


def test_the_whole_place_grant_sees_the_place_column_and_series():
    """The control: the place figures exist, so their absence below is the rule at work."""
    grid = drawn(as_person("alice@oldham.gov.uk"))
    assert "whole place</span>" in grid and WITHHELD not in grid
    at = as_person("alice@oldham.gov.uk", "outcomes", {"cluster": "Oldham East"})
    assert "A&E attendances across Oldham" in [h.value for h in at.header]


@pytest.mark.parametrize("email", PART)
def test_the_overview_grid_has_no_place_column_for_part_of_a_place(email):
    at = as_person(email)
    html = drawn(at)
    assert "whole place</span>" not in html  # the grid's place column header
    assert WITHHELD in html
    tiles = {m.label: m.value for m in at.metric}
    assert "Neighbourhood clusters" not in tiles  # would count only the visible clusters
    assert tiles["Clusters in your access"] == ("1" if email.startswith("carol") else "2")


@pytest.mark.parametrize("email", PART)
def test_outcome_charts_and_csvs_hold_no_series_labelled_as_the_place(email, monkeypatch):
    recorder = Recorder()
    recorder.install(monkeypatch)
    at = as_person(email, "outcomes", {"cluster": "Oldham East"})
    headers = [h.value for h in at.header]
    assert not any(h.endswith("across Oldham") for h in headers)
    assert WITHHELD in drawn(at)
    tables = csv_tables(recorder, "outcomes")
    assert tables, "the Outcomes page offers its CSVs to this person"
    areas = {row.get("area_name") for _, rows in tables for row in rows}
    assert "Oldham" not in areas and "Oldham East" in areas


@pytest.mark.parametrize("email", PART)
def test_neighbourhoods_has_no_place_comparator_for_part_of_a_place(email, monkeypatch):
    recorder = Recorder()
    recorder.install(monkeypatch)
    at = as_person(email, "neighbourhoods", {"hoods_level": "Small areas (LSOA)"})
    profile = profile_table(at)
    assert profile["place_value"].isna().all()
    assert set(profile["vs_place"]) == {"not compared"}
    tables = dict(csv_tables(recorder, "neighbourhoods"))
    # the numbers behind the map, by small area, named by the first cluster the person may see
    lsoa = tables["oldham-east_cluster-table_mid-2020.csv"]
    assert lsoa and all(row["area_code"].startswith("E01") for row in lsoa)  # small areas
    assert all(row["place_value"] == "" for row in lsoa)
    assert {row["vs_place"] for row in lsoa} <= {"not compared", ""}
    assert WITHHELD in drawn(at)


def test_the_whole_place_grant_keeps_the_place_comparator(monkeypatch):
    at = as_person("alice@oldham.gov.uk", "neighbourhoods", {"cluster": "Oldham East"})
    assert profile_table(at)["place_value"].notna().all()


def test_the_financial_years_list_is_computed_over_the_person_s_rows(tmp_path, monkeypatch):
    """A year with spend only in Bolton must not appear in an Oldham-only person's slider."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", copy)
    spend = pl.read_parquet(copy / "spend.parquet")
    bolton = spend.filter(
        (pl.col("place_code") == "E08000001") & (pl.col("financial_year") == "2024/25")
    ).with_columns(financial_year=pl.lit("2025/26"), year_start=pl.lit(date(2025, 4, 1)))
    pl.concat([spend, bolton]).write_parquet(copy / "spend.parquet")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(copy / "catalog.toml"))
    for email in ("alice@oldham.gov.uk", "carol@oldham.gov.uk"):
        years = as_person(email).select_slider(key="period").options
        assert years[-1] == "2024/25", email
    monkeypatch.delenv("PLACEWISE_ACCESS")
    open_years = open_app().select_slider(key="period").options  # the open app sees Bolton's
    assert open_years[-1] == "2025/26"


def test_a_cluster_s_residents_tile_is_rounded_like_every_small_area_count(monkeypatch):
    monkeypatch.delenv("PLACEWISE_ACCESS")
    population = pl.read_parquet(ROOT / "sample_data" / "population.parquet")
    areas = pl.read_parquet(ROOT / "sample_data" / "areas.parquet")
    lookup = area_lookup(areas, "lsoa", "cluster")
    east = lookup.filter(pl.col("cluster_code") == "E08000004-east")["area_code"]
    rows = population.filter(
        (pl.col("indicator_id") == "population_total") & pl.col("area_code").is_in(east.implode())
    )
    exact = rows.filter(pl.col("period_start") == rows["period_start"].max())["value"].sum()
    at = open_app(query={"place": "Oldham", "cluster": "Oldham East"})
    shown = next(m.value for m in at.metric if m.label == "Residents")
    assert shown == f"{round(exact / 5) * 5:,.0f}"
    assert exact % 5 == 0 or shown != f"{exact:,.0f}"  # the exact count is not on screen


def test_care_home_warnings_are_not_labelled_as_the_place_for_part_of_it():
    """South holds two of Oldham's homes with ratings from before registration: a count of
    theirs must not read as Oldham's (a whole-place grant sees the place's own)."""
    whole = " ".join(w.value for w in as_person("alice@oldham.gov.uk", "care_homes").warning)
    assert "Oldham: " in whole
    part = " ".join(w.value for w in as_person("erin@oldham.gov.uk", "care_homes").warning)
    assert "ratings of" in part and "Oldham: " not in part
    assert "The clusters in your access: " in part


def test_a_withheld_cluster_series_does_not_point_to_a_place_figure_they_cannot_see():
    at = as_person("carol@oldham.gov.uk")
    assert "figure includes them" not in drawn(at)
