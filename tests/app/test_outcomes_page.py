"""The Outcomes page and the Overview's summary grid under AppTest, on sample and broken data."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TIMEOUT = 60
OLDHAM_INDICATORS = [
    "A&E attendances",
    "Carers identified",
    "Delayed discharges (delayed transfers of care)",
    "Emergency admissions, aged 65+",
    "Permanent admissions to residential and nursing care, aged 65+",
    "Still at home 91 days after discharge into reablement",
]


def run(page: str | None = None, query: dict | None = None) -> AppTest:
    return open_app(page, query)


def grid(at: AppTest) -> str:
    found = [h.value for h in at.html if "pw-grid" in h.value]
    assert len(found) == 1, "the Overview shows one summary grid"
    return found[0]


def links(html: str) -> list[dict[str, str]]:
    hrefs = [unescape(h) for h in re.findall(r'<a href="([^"]+)"', html)]
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        assert parts.path == "outcomes" and not parts.scheme  # relative, same app
        out.append({k: v[0] for k, v in parse_qs(parts.query).items()})
    return out


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def sentence(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and " in " in m.value)


def test_the_outcomes_page_charts_an_indicator_and_its_clusters():
    at = run("outcomes")
    assert at.title[0].value == "Oldham: outcomes"
    assert at.selectbox(key="outcomes_indicator").options == OLDHAM_INDICATORS
    assert charts(at) == 2
    assert sentence(at).startswith("**A&E attendances in Oldham: special cause concern since")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the data (CSV)", "Picture (PNG)", "Picture (SVG)"] * 2
    table = at.dataframe[0].value
    assert len(table) == 108 and {"month", "value", "mean", "upper_limit", "variation"} <= set(
        table.columns
    )
    text = " ".join(c.value for c in at.caption) + " ".join(w.value for w in at.warning)
    assert "Synthetic data" in text


def test_changing_the_indicator_and_the_cluster_changes_the_reading():
    at = run("outcomes")
    before = sentence(at)
    at.selectbox(key="outcomes_indicator").set_value("Carers identified").run()
    assert sentence(at).startswith("**Carers identified in Oldham:")
    at.selectbox(key="cluster").set_value("Oldham East").run()
    assert sentence(at).startswith("**Carers identified in Oldham East:") and sentence(at) != before
    assert at.title[0].value == "Oldham East: outcomes"


def test_recalculating_the_limits_at_an_event():
    at = run("outcomes", {"outcomes_indicator": "Delayed discharges (delayed transfers of care)"})
    events = at.multiselect(key="outcomes_rebase").options
    assert "Jul 2019: Community health staff transfer" in events
    assert set(at.dataframe[0].value["limits period"]) == {1}
    at.multiselect(key="outcomes_rebase").set_value(["Jul 2019: Community health staff transfer"])
    at.run()
    assert not at.exception
    assert set(at.dataframe[0].value["limits period"]) == {1, 2}


def test_the_overview_grid_has_a_cell_for_each_indicator_and_area():
    at = run()
    html = grid(at)
    assert html.count("<tr>") == 1 + 6  # header and one row per indicator
    cells = links(html)
    assert len(cells) == 6 * 6  # Oldham and its five clusters
    assert {c.get("cluster") for c in cells} == {
        None,
        "Oldham Central",
        "Oldham East",
        "Oldham North",
        "Oldham South",
        "Oldham West (Chadderton)",
    }
    assert {c["outcomes_indicator"] for c in cells} == set(OLDHAM_INDICATORS)
    # icons have text alternatives and the meaning is also printed in words
    assert html.count('alt="') >= 6 * 6
    assert "Hit and miss" in html and "Improving" in html and "No change" in html
    assert re.search(r"<th[^>]*>Oldham<span class='pw-sub'>whole place</span>", html)
    assert len(at.metric) == 7  # seven tiles; the grid adds no st.metric


def test_a_grid_cell_opens_the_outcomes_page_with_its_cluster_and_indicator():
    cells = links(grid(run()))
    cell = next(
        c
        for c in cells
        if c.get("cluster") == "Oldham North"
        and c["outcomes_indicator"] == "Delayed discharges (delayed transfers of care)"
    )
    at = run("outcomes", cell)
    assert at.selectbox(key="cluster").value == "Oldham North"
    assert at.selectbox(key="outcomes_indicator").value == cell["outcomes_indicator"]
    assert at.title[0].value == "Oldham North: outcomes"
    assert sentence(at).startswith(
        "**Delayed discharges (delayed transfers of care) in Oldham North:"
    )


def test_the_chosen_cluster_is_marked_and_a_new_place_gets_its_own_grid():
    at = run(query={"cluster": "Oldham South"})
    chosen = re.findall(
        r'class="[^"]*pw-chosen[^"]*">(?:<a [^>]*aria-label="([^"]*)"|([^<]*))', grid(at)
    )
    assert len(chosen) == 7  # the Oldham South column: its heading and six cells
    assert chosen[0][1] == "Oldham South" and all(" in Oldham South" in a for a, _ in chosen[1:])
    at.selectbox(key="place").set_value("Manchester").run()
    html = grid(at)
    assert len(links(html)) == 6 * 13
    assert "Wythenshawe" in html and "Oldham" not in html


PLACES = {"Bolton": 6, "Manchester": 12, "Oldham": 5, "Wirral": 7}


@pytest.mark.parametrize("place", list(PLACES))
def test_every_cluster_of_every_place_gets_its_charts(place):
    at = run("outcomes", {"place": place})
    clusters = at.selectbox(key="cluster").options[1:]
    assert len(clusters) == PLACES[place]
    for cluster in clusters:
        at.selectbox(key="cluster").set_value(cluster).run()
        assert not at.exception, (place, cluster, [e.value for e in at.exception])
        assert charts(at) == 2, (place, cluster)
        assert not at.warning or all("cannot be charted" not in w.value for w in at.warning)


def catalog_with(tmp_path: Path, **replacements: Path) -> Path:
    """A copy of the sample catalog with absolute paths, some datasets pointing elsewhere."""
    text = (SAMPLE / "catalog.toml").read_text()
    text = re.sub(
        r'path = "([^"]+)"', lambda m: f'path = "{(SAMPLE / m.group(1)).as_posix()}"', text
    )
    for name, path in replacements.items():
        text = text.replace(f'path = "{(SAMPLE / name).as_posix()}"', f'path = "{path.as_posix()}"')
    out = tmp_path / "catalog.toml"
    out.write_text(text)
    return out


def test_bad_series_are_named_and_the_rest_of_the_grid_still_renders(tmp_path, monkeypatch):
    obs = pl.read_parquet(SAMPLE / "outcomes.parquet")
    gap = (
        (pl.col("indicator_id") == "delayed_discharges")
        & (pl.col("area_code") == "E08000004-north")
        & (pl.col("period_start") == pl.date(2020, 6, 1))
    )
    nan = (
        (pl.col("indicator_id") == "carers_identified")
        & (pl.col("area_code") == "E08000004-east")
        & pl.col("period_start").is_in([date(2021, 1, 1), date(2021, 2, 1)])
    )
    bad = obs.filter(~gap).with_columns(
        value=pl.when(nan).then(float("nan")).otherwise("value"),
        numerator=pl.when(nan).then(None).otherwise("numerator"),
    )
    path = tmp_path / "outcomes.parquet"
    bad.write_parquet(path)
    monkeypatch.setenv(
        "PLACEWISE_CATALOG", str(catalog_with(tmp_path, **{"outcomes.parquet": path}))
    )
    at = run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert (
        "Delayed discharges (delayed transfers of care) in Oldham North: 1 month is missing "
        "from the series (Jun 2020)" in warning
    )
    assert (
        "Carers identified in Oldham East: the value is missing or not a number for Jan 2021 to Feb 2021"
        in warning
    )
    assert (
        "the Oldham figure cannot be added up for Jun 2020 because there is no usable figure from Oldham North"
        in warning
    )
    html = grid(at)
    assert html.count("Data problem") == 4  # two clusters and the place twice
    assert len(links(html)) == 36 and html.count("Improving") > 5
    assert len(at.metric) == 7
    page = run("outcomes", {"cluster": "Oldham North", "outcomes_indicator": OLDHAM_INDICATORS[2]})
    assert any("cannot be charted" in w.value for w in page.warning)
    assert charts(page) == 1  # the clusters' small multiples still draw


def test_a_corrupt_outcomes_file_only_takes_down_the_grid(tmp_path, monkeypatch):
    path = tmp_path / "outcomes.parquet"
    path.write_bytes(b"not parquet")
    monkeypatch.setenv(
        "PLACEWISE_CATALOG", str(catalog_with(tmp_path, **{"outcomes.parquet": path}))
    )
    at = run()
    errors = " ".join(e.value for e in at.error)
    assert "Dataset 'outcomes' could not be loaded" in errors and "The outcomes grid" in errors
    assert len(at.metric) == 6 and not [h for h in at.html if "pw-grid" in h.value]
    page = run("outcomes")
    assert "Dataset 'outcomes' could not be loaded" in " ".join(e.value for e in page.error)


def test_without_targets_the_grid_has_no_assurance_icons(tmp_path, monkeypatch):
    path = tmp_path / "targets.csv"
    path.write_text("nothing,useful\n1,2\n")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(catalog_with(tmp_path, **{"targets.csv": path})))
    table = grid(run()).split('class="pw-legend"')[0]
    assert "Hit and miss" not in table
    assert table.count("No target") + table.count("Not shown:") == 36  # withheld: no reading


def test_a_cluster_series_of_small_numbers_is_withheld_and_says_why():
    at = run(
        "outcomes",
        {
            "cluster": "Oldham Central",
            "outcomes_indicator": "Delayed discharges (delayed transfers of care)",
        },
    )
    info = " ".join(i.value for i in at.info)
    assert "Delayed discharges (delayed transfers of care) in Oldham Central is not shown" in info
    assert "disclosure control" in info
    assert len(at.get("plotly_chart")) == 1  # the clusters chart only, no XmR of the cluster
    captions = " ".join(c.value for c in at.caption)
    assert "Not shown under disclosure control" in captions and "Oldham Central" in captions
