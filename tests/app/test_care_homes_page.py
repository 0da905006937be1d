"""The Care home quality page under AppTest: sections, filters, and bad input, on the sample data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
CQC = ROOT / "tests" / "fixtures" / "cqc"
SECTIONS = [
    "Now, and the change since 31 Mar 2016",
    "Trend",
    "Ratings over time",
    "Movement between ratings",
    "Map",
    "Key questions",
    "Care homes",
]


def run(query: dict | None = None) -> AppTest:
    return open_app("care_homes", query)


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures(at: AppTest) -> dict[str, dict]:
    """Each drawn figure by its first trace type, with the main chart titles as keys too."""
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out[spec["layout"]["title"]["text"]] = spec
    return out


def table(at: AppTest):
    """The list of homes: the last table on the page."""
    return at.dataframe[-1].value


def test_oldham_page_has_its_seven_sections_and_numbers():
    at = run()
    assert at.title[0].value == "Oldham: care home quality"
    assert [h.value for h in at.header] == SECTIONS
    values = tiles(at)
    assert re.fullmatch(r"\d{1,3}\.\d%", values["Homes Good or better"])
    assert re.fullmatch(r"\d{1,3}\.\d%", values["Beds Good or better"])
    assert re.fullmatch(r"[+-]\d+\.\d pts", values["Change since 31 Mar 2016"])
    specs = figures(at)
    kinds = [[t["type"] for t in spec["data"]] for spec in specs.values()]
    assert ["heatmap"] in kinds and any("scattermap" in k and "choroplethmap" in k for k in kinds)
    assert len(specs) == 6  # clusters, trend, mix, movement, map, key questions
    assert table(at).shape[0] == 44
    assert any("carried over" in w.value for w in at.warning)
    assert len([b for b in at.get("download_button") if b.label.endswith("(CSV)")]) == 7


def test_trend_shows_the_target_and_the_events():
    at = run()
    trend = next(
        s for t, s in figures(at).items() if t.startswith("Care homes rated Good or better")
    )
    names = [t.get("name", "") for t in trend["data"]]
    assert "Target 80% (from 1 Apr 2019)" in names
    notes = " ".join(a["text"] for a in trend["layout"]["annotations"])
    assert "Care home fees aligned to CQC ratings" in notes
    assert "Source:" not in notes  # the caption is kept outside the figure, under it
    captions = [c.value for c in at.caption if c.value.startswith("Source: ")]
    assert captions and all("Contains public sector information" in c for c in captions)


def test_nursing_filter_narrows_every_section():
    at = run()
    before = tiles(at)
    at.radio(key="homes_setting").set_value("Nursing homes").run()
    assert not at.exception
    assert set(table(at)["setting"]) == {"Nursing"}
    assert tiles(at) != before
    from_url = run({"homes_setting": "Residential homes"})
    assert set(table(from_url)["setting"]) == {"Residential"}


def test_provider_filter_keeps_that_providers_homes():
    at = run()
    options = at.selectbox(key="homes_provider").options
    several = next(o for o in options if o.endswith(" homes)"))
    count = int(several.rsplit("(", 1)[1].split()[0])
    at.selectbox(key="homes_provider").set_value(several).run()
    rows = table(at)
    assert rows.shape[0] == count and rows["provider_id"].nunique() == 1
    closed = next(o for o in options if o.endswith("(closed)"))
    at.selectbox(key="homes_provider").set_value(closed).run()
    assert not at.exception and table(at).shape[0] == 0


def test_rating_filter_and_search_narrow_the_map_and_table_only():
    at = run()
    before = tiles(at)
    at.multiselect(key="homes_rating").set_value(["Requires improvement"]).run()
    rows = table(at)
    assert rows.shape[0] > 0 and set(rows["rating"]) == {"Requires improvement"}
    assert tiles(at) == before
    map_spec = next(s for s in figures(at).values() if s["data"][0]["type"] == "choroplethmap")
    legend = [t["name"] for t in map_spec["data"] if t.get("showlegend") is not False]
    assert legend == [f"Requires improvement ({rows.shape[0]})"]
    at.multiselect(key="homes_rating").set_value([]).run()
    at.text_input(key="homes_search").set_value("royley").run()
    assert table(at)["home"].tolist() == ["Royley House Care Home"]


def test_comparison_date_moves_the_change_and_the_movement():
    at = run()
    at.select_slider(key="homes_since").set_value("31 Mar 2017").run()
    assert "Change since 31 Mar 2017" in tiles(at)
    assert at.header[0].value == "Now, and the change since 31 Mar 2017"
    movement = next(s for t, s in figures(at).items() if "improved their rating" in t)
    assert "31 Mar 2017" in movement["layout"]["title"]["subtitle"]["text"]


def test_a_cluster_narrows_the_page():
    at = run()
    clusters = at.selectbox(key="cluster").options
    at.selectbox(key="cluster").set_value(clusters[1]).run()
    assert at.title[0].value == f"{clusters[1]}: care home quality"
    assert 0 < table(at).shape[0] < 44 and set(table(at)["cluster"]) == {clusters[1]}
    assert len(figures(at)) == 5  # no comparison of clusters inside one cluster


def test_carried_over_ratings_can_be_counted():
    at = run()
    before = tiles(at)
    at.checkbox(key="homes_carried_over").check().run()
    after = tiles(at)
    assert after["Homes Good or better"] != before["Homes Good or better"]
    rated = [c.value for c in at.caption if "rated homes;" in c.value]
    assert rated and "4 not rated yet" in rated[0]


def test_a_synthetic_place_says_so_and_has_no_target():
    at = run({"place": "Bolton"})
    assert at.title[0].value == "Bolton: care home quality"
    assert any("Synthetic data" in w.value for w in at.warning)
    trend = next(s for t, s in figures(at).items() if t.startswith("Care homes rated Good"))
    assert not any(t.get("name", "").startswith("Target") for t in trend["data"])


def catalog_copy(tmp_path: Path, **replace: str) -> Path:
    """The sample catalog with absolute paths, and `dataset = "new TOML body"` replacements."""
    text = (SAMPLE / "catalog.toml").read_text()
    text = re.sub(
        r'path = "([^"]+)"', lambda m: f'path = "{(SAMPLE / m.group(1)).as_posix()}"', text
    )
    for name, body in replace.items():
        text = re.sub(
            rf"\[datasets\.{name}\]\n.*?\[datasets\.{name}\.options\]\n",
            f"[datasets.{name}]\n{body}\n",
            text,
            flags=re.S,
        )
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    return path


def test_unknown_rating_labels_are_listed(tmp_path, monkeypatch):
    frame = pl.read_csv(CQC / "01_March_2025_HSCA_Active_Locations.csv", infer_schema=False)
    frame.with_columns(
        pl.when(pl.col("Location ID") == "1-109570155")
        .then(pl.lit("Excellent"))
        .otherwise(pl.col("Location Latest Overall Rating"))
        .alias("Location Latest Overall Rating")
    ).write_csv(tmp_path / "directory.csv")
    body = (
        f'loader = "cqc_directory"\ncontract = "cqc_ratings"\npath = "{(tmp_path / "directory.csv").as_posix()}"\n'
        '[datasets.cqc_ratings.options]\ntable = "cqc_ratings"'
    )
    monkeypatch.setenv("PLACEWISE_CATALOG", str(catalog_copy(tmp_path, cqc_ratings=body)))
    at = run()
    errors = " ".join(e.value for e in at.error)
    assert "could not be loaded" in errors
    assert "Excellent" in errors and "unknown label" in errors


def test_homes_without_a_position_are_counted_listed_and_left_off_the_map(tmp_path, monkeypatch):
    homes = pl.read_parquet(SAMPLE / "care_homes.parquet")
    gone = ["1-118563363", "1-109570155"]  # Royley House, Neville House: both open
    homes.with_columns(
        [
            pl.when(pl.col("location_id").is_in(gone)).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("latitude", "longitude", "area_code")
        ]
    ).write_parquet(tmp_path / "care_homes.parquet")
    shutil.copy(SAMPLE / "boundaries.geojson", tmp_path / "boundaries.geojson")
    body = f'loader = "parquet"\ncontract = "care_homes"\npath = "{(tmp_path / "care_homes.parquet").as_posix()}"\n[datasets.care_homes.options]'
    monkeypatch.setenv("PLACEWISE_CATALOG", str(catalog_copy(tmp_path, care_homes=body)))
    at = run()
    assert any("2 home(s) have no map position" in i.value for i in at.info)
    listed = at.dataframe[0].value
    assert sorted(listed["location_id"]) == sorted(gone)
    assert table(at).shape[0] == 44  # still counted
    map_spec = next(s for s in figures(at).values() if s["data"][0]["type"] == "choroplethmap")
    drawn = sum(len(t["lat"]) for t in map_spec["data"][2:] if t.get("showlegend") is not False)
    assert drawn == 42


def test_data_page_lists_ratings_dated_before_registration():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception
    assert "Care home ratings set aside" in [s.value for s in at.subheader]
    flagged = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert flagged.shape[0] == 97 and set(flagged["problem"]) == {
        "published before the home was registered"
    }


def test_the_period_filter_reproduces_the_oldham_claim_for_march_2019():
    """Financial years 2016/17 to 2018/19: the page stands at 31 Mar 2019, compared with 31 Mar 2017."""
    at = run()
    at.select_slider(key="period").set_value(("2016/17", "2018/19")).run()
    assert not at.exception
    values = tiles(at)
    assert values["Change since 31 Mar 2017"] == "+31.5 pts"  # 21/39 -> 35/41: 53.85% -> 85.37%
    assert (values["Homes Good or better"], values["Beds Good or better"]) == ("85.4%", "80.5%")
    captions = " ".join(c.value for c in at.caption)
    assert "35 of 41 rated homes" in captions and "as at 31 Mar 2019" in captions
