"""Every page under Streamlit's AppTest, on the sample data and on broken catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TIMEOUT = 60


def run(page: str | None = None, query: dict | None = None) -> AppTest:
    return open_app(page, query)


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_tiles_show_numbers_for_oldham():
    at = run()
    tiles = metric_values(at)
    assert set(tiles) == {
        "Total spend (cash)",
        "Acute share of spend",
        "Community-to-acute ratio",
        "Care home beds rated Good or better",
        "Outcome indicators improving",
        "Residents",
        "Neighbourhood clusters",
    }
    header = [m.value for m in at.markdown if "badge" in m.value]  # the data status, above the fold
    assert any("Includes synthetic data (illustrative)" in b for b in header), header
    # Oldham's synthetic KPIs in March 2026, as the grid below reads them
    assert tiles["Outcome indicators improving"] == "4 of 6"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Care home beds rated Good or better"] == "+33.1 points, better"
    assert deltas["Acute share of spend"] == "-2.5 points, better"
    assert "2024/25 outturn; change since 2015/16" in [c.value for c in at.caption]
    assert "as at 27 Feb 2025; change since 1 Apr 2015" in [c.value for c in at.caption]
    assert "No acute spend target is set." in [c.value for c in at.caption]
    assert re.fullmatch(r"£[\d,]+\.\dm", tiles["Total spend (cash)"])
    assert re.fullmatch(r"\d{1,2}\.\d%", tiles["Acute share of spend"])
    assert re.fullmatch(r"\d{1,3}\.\d%", tiles["Care home beds rated Good or better"])
    assert tiles["Neighbourhood clusters"] == "5"
    assert at.selectbox(key="place").value == "Oldham"
    captions = " ".join(c.value for c in at.caption)
    assert "Synthetic" in captions and "outturn" in captions


def test_changing_the_place_changes_the_tiles():
    at = run()
    before = metric_values(at)
    at.selectbox(key="place").set_value("Manchester").run()
    after = metric_values(at)
    assert after["Residents"] != before["Residents"]
    assert after["Total spend (cash)"] != before["Total spend (cash)"]
    assert at.title[0].value.startswith("Manchester")


def test_choosing_a_cluster_narrows_the_figures():
    at = run()
    place_residents = int(metric_values(at)["Residents"].replace(",", ""))
    clusters = at.selectbox(key="cluster").options
    assert clusters[0] == "All clusters" and len(clusters) == 6
    at.selectbox(key="cluster").set_value(clusters[1]).run()
    cluster_residents = int(metric_values(at)["Residents"].replace(",", ""))
    assert 30_000 <= cluster_residents <= 80_000 < place_residents


def test_place_can_be_chosen_through_the_url():
    at = run(query={"place": "Wirral"})
    assert at.selectbox(key="place").value == "Wirral"
    assert at.title[0].value.startswith("Wirral")


def test_data_page_lists_every_dataset_as_loaded():
    at = run("data")
    table = at.dataframe[0].value
    assert set(table["status"]) == {"Loaded"}
    assert {"areas", "spend", "care_homes", "cqc_ratings", "boundaries"} <= set(table["dataset"])
    assert set(table["data"]) == {"Real", "Synthetic", "Partly synthetic"}
    assert (table["rows"] > 0).all()
    assert any("datasets loaded" in m.value for m in at.markdown)


def test_about_page_has_sources_and_licence():
    at = run("about")
    text = " ".join(m.value for m in at.markdown)
    assert "Open Government Licence v3.0" in text
    assert "synthetic" in text.lower()
    assert len(at.dataframe[0].value) >= 10


def broken_catalog(tmp_path: Path, spend_path: str) -> Path:
    text = (SAMPLE / "catalog.toml").read_text()
    text = re.sub(
        r'path = "([^"]+)"', lambda m: f'path = "{(SAMPLE / m.group(1)).as_posix()}"', text
    )
    text = text.replace(
        f'path = "{(SAMPLE / "spend.parquet").as_posix()}"', f'path = "{spend_path}"'
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    return path


def test_a_corrupt_dataset_only_takes_down_its_own_tiles(tmp_path, monkeypatch):
    bad = tmp_path / "spend.parquet"
    bad.write_bytes(b"not a parquet file at all")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(broken_catalog(tmp_path, bad.as_posix())))
    at = run()
    errors = " ".join(e.value for e in at.error)
    assert "Dataset 'spend' could not be loaded" in errors and "spend.parquet" in errors
    tiles = metric_values(at)
    assert "Total spend (cash)" not in tiles
    assert re.fullmatch(r"\d{1,3}\.\d%", tiles["Care home beds rated Good or better"])
    data = run("data")
    table = data.dataframe[0].value
    assert table.loc[table["dataset"] == "spend", "status"].item() == "Failed"
    assert (table.loc[table["dataset"] != "spend", "status"] == "Loaded").all()


def test_a_broken_catalog_is_explained_and_about_still_works(tmp_path, monkeypatch):
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[datasets.areas]\nloader = "parquett"\ncontract = "area"\npath = "nowhere.parquet"\n'
    )
    monkeypatch.setenv("PLACEWISE_CATALOG", str(path))
    data = run("data")
    errors = " ".join(e.value for e in data.error)
    assert "3 problems in the catalog" in errors
    assert "did you mean 'parquet'" in errors.replace("\\", "")
    overview = run()
    assert overview.error, "the overview must say why it has no numbers"
    assert not overview.metric
    about = run("about")
    assert any("Open Government Licence" in m.value for m in about.markdown)


def test_synthetic_notice_names_care_homes_only_where_they_are_synthetic():
    oldham = " ".join(w.value for w in run().warning)
    assert "Synthetic data" in oldham and "Outcome KPIs" in oldham
    assert "Care homes" not in oldham  # Oldham's CQC data is real
    bolton = " ".join(w.value for w in run(query={"place": "Bolton"}).warning)
    assert "Care homes and CQC ratings in this area" in bolton
