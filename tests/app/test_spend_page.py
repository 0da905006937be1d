"""The Spend shift page under AppTest, on the sample data and on deliberately bad copies of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
CHARTS = ("by_group", "acute_share", "waterfall", "pools", "pool_table", "clusters", "variance",
          "asc")  # the last is the council's real return, beside the synthetic spend  # fmt: skip


def open_spend(query: dict | None = None) -> AppTest:
    return open_app("spend", query)


def tiles(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def charts(at: AppTest) -> dict[str, dict]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == len(CHARTS), [s["layout"]["title"]["text"] for s in specs]
    return dict(zip(CHARTS, specs, strict=True))


def headline(at: AppTest) -> str:
    return at.header[0].value


def test_oldham_opens_with_a_headline_four_tiles_and_eight_charts():
    at = open_spend()
    assert at.title[0].value == "Oldham: spend shift"
    assert re.fullmatch(
        r"In Oldham, the acute \(hospital\) share of spend fell from \d+\.\d% in 2015/16 to "
        r"\d+\.\d% in 2024/25, and the community-to-acute ratio rose from \d\.\d\d to \d\.\d\d: "
        r"money is moving from hospital to community care\.",
        headline(at),
    )
    got = tiles(at)
    assert list(got) == [
        "Acute share of spend",
        "Community-to-acute ratio",
        "Total spend (cash)",
        "Acute spend target",
    ]
    assert re.fullmatch(r"£[\d,]+\.\dm", got["Total spend (cash)"][0])
    assert got["Acute spend target"][0] == "None set"
    for name, spec in charts(at).items():
        assert spec["layout"]["title"]["text"], name
        footer = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
        assert "Source:" not in footer, name  # the caption is kept outside the figure
    captions = [c.value for c in at.caption if c.value.startswith("Source: ")]
    assert len(captions) == len(CHARTS)  # one caption under each chart
    for caption in captions[:-1]:
        assert "As at 2024/25 outturn" in caption and "Synthetic data (illustrative)" in caption
    assert "As at 2014/15" in captions[-1] and "Real data." in captions[-1]  # the return
    assert any("Synthetic data" in w.value for w in at.warning)
    assert len(
        [b for b in at.get("download_button") if b.label == "Download the data (CSV)"]
    ) == len(CHARTS)


def test_changing_place_cluster_organisation_and_prices_changes_the_numbers():
    at = open_spend()
    seen = [tiles(at)]
    at.selectbox(key="place").set_value("Bolton").run()
    assert at.title[0].value == "Bolton: spend shift"
    seen.append(tiles(at))
    at.selectbox(key="cluster").set_value("Bolton East").run()
    assert headline(at).startswith("In Bolton East,")
    seen.append(tiles(at))
    at.multiselect(key="spend_orgs").set_value(["council_asc"]).run()
    seen.append(tiles(at))
    assert "Council adult social care" in str(charts(at)["pools"]["data"])
    at.radio(key="spend_prices").set_value("Real terms").run()
    assert not at.exception
    seen.append(tiles(at))
    assert list(seen[-1])[2] == "Total spend (2024/25 prices)"
    for before, after in zip(seen, seen[1:], strict=False):
        assert before != after
    # real terms at 2024/25 prices: the last year is unchanged, growth since 2015/16 is smaller
    cash, real = seen[-2]["Total spend (cash)"], seen[-1]["Total spend (2024/25 prices)"]
    assert cash[0] == real[0]
    assert float(real[1].split("%")[0]) < float(cash[1].split("%")[0])
    assert "2024/25 prices" in charts(at)["by_group"]["layout"]["yaxis"]["title"]["text"]


def test_choices_come_from_the_url():
    at = open_spend(
        {
            "place": "Wirral",
            "spend_prices": "Real terms",
            "spend_base": "2019/20",
            "spend_per": "Per need-weighted head",
        }
    )
    assert at.radio(key="spend_prices").value == "Real terms"
    assert at.selectbox(key="spend_base").value == "2019/20"
    spec = charts(at)["by_group"]
    assert (
        spec["layout"]["yaxis"]["title"]["text"]
        == "Spend (£ per need-weighted head, 2019/20 prices)"
    )


def test_wirral_reproduces_the_pooled_fund_table():
    at = open_spend({"place": "Wirral"})
    table = charts(at)["pool_table"]["data"][0]
    years = table["header"]["values"]
    cells = table["cells"]["values"]
    rows = {cells[0][i]: [col[i] for col in cells[1:]] for i in range(len(cells[0]))}
    at_years = [years.index(y) - 1 for y in ("2017/18", "2018/19", "2019/20", "2020/21")]
    assert [rows["Council adult social care"][i] for i in at_years] == [
        "73.9",
        "80.8",
        "85.2",
        "83.4",
    ]
    assert [rows["Council public health"][i] for i in at_years] == ["25.6", "24.5", "24.0", "24.0"]
    assert rows["<b>Total</b>"][at_years[0]] == "<b>592.9</b>"
    assert rows["NHS (CCG or ICB)"][at_years[0]] == "493.4"


def test_manchester_missed_its_acute_target_in_2020_21_and_reached_it_later():
    """The tile says both the target year's status and the later years the chart draws, so it
    never contradicts the chart: -17.0% in 2020/21 against -20%, -20.0% in 2022/23."""
    at = open_spend({"place": "Manchester"})
    assert tiles(at)["Acute spend target"][0] == "Missed, reached later"
    assert "Missed in 2020/21 (-17.0% against -20%); reached in 2022/23." in [
        c.value for c in at.caption
    ]
    note = " ".join(c.value for c in at.caption)
    assert (
        "Acute spend was 17.0% below 2015/16 in 2020/21 against a target of 20.0% below 2015/16"
        in note
    )
    assert "off track by 3.0 percentage points" in note
    spec = charts(at)["acute_share"]
    assert [t["name"] for t in spec["data"][2:]] == ["Actual", "Trajectory", "Target"]


@pytest.mark.parametrize("place", ["Bolton", "Manchester", "Oldham", "Wirral"])
def test_every_cluster_of_every_place_gets_an_answer(place):
    at = open_spend({"place": place})
    for cluster in at.selectbox(key="cluster").options[1:]:
        at.selectbox(key="cluster").set_value(cluster).run()
        assert not at.exception, (place, cluster)
        assert headline(at).startswith(f"In {cluster}, the acute (hospital) share of spend"), (
            cluster
        )
        assert re.fullmatch(r"\d{1,2}\.\d%", tiles(at)["Acute share of spend"][0])
        assert f"<b>▶ {cluster}</b>" in charts(at)["clusters"]["data"][0]["y"]


def copy_catalog(tmp_path: Path, **replace: Path) -> Path:
    """The sample catalog with absolute paths, some datasets pointing at files in tmp_path."""
    text = (SAMPLE / "catalog.toml").read_text()
    text = re.sub(
        r'path = "([^"]+)"', lambda m: f'path = "{(SAMPLE / m.group(1)).as_posix()}"', text
    )
    for name, path in replace.items():
        suffix = path.suffix
        text = text.replace(
            f'path = "{(SAMPLE / (name + suffix)).as_posix()}"', f'path = "{path.as_posix()}"'
        )
    out = tmp_path / "catalog.toml"
    out.write_text(text)
    return out


def test_bad_input_is_named_gaps_stay_gaps_and_negatives_are_kept(tmp_path, monkeypatch):
    settings = pl.read_csv(SAMPLE / "settings.csv").filter(pl.col("setting") != "ae")
    settings.write_csv(tmp_path / "settings.csv")
    spend = pl.read_parquet(SAMPLE / "spend.parquet")
    gap = (pl.col("area_code") == "E08000004-north") & (pl.col("financial_year") == "2019/20")
    refund = (
        (pl.col("area_code") == "E08000004-east")
        & (pl.col("setting") == "home_care")
        & (pl.col("financial_year") == "2024/25")
    )
    spend = spend.filter(~gap).with_columns(
        amount_gbp=pl.when(refund).then(-pl.col("amount_gbp")).otherwise(pl.col("amount_gbp"))
    )
    spend.write_parquet(tmp_path / "spend.parquet")
    monkeypatch.setenv(
        "PLACEWISE_CATALOG",
        str(
            copy_catalog(
                tmp_path, settings=tmp_path / "settings.csv", spend=tmp_path / "spend.parquet"
            )
        ),
    )

    at = open_spend()
    warning = " ".join(w.value for w in at.warning)
    assert "setting codes that are not defined: ae" in warning
    assert "Known setting codes: care\\_homes\\_nursing" in warning  # listed, markdown-escaped
    info = " ".join(i.value for i in at.info)
    assert "No spend recorded for Oldham North 2019/20: shown as gaps, never as zero" in info
    assert "negative amounts (refunds or transfers)" in info

    at.selectbox(key="cluster").set_value("Oldham North").run()
    spec = charts(at)
    shares = spec["acute_share"]["data"][0]["y"]
    assert shares[4] is None and all(v is not None for v in shares[:4] + shares[5:])
    by_group = spec["by_group"]
    assert all("2019/20" not in trace["x"] for trace in by_group["data"])
    assert any(
        a.get("text") == "No data" and a.get("x") == "2019/20"
        for a in by_group["layout"]["annotations"]
    )


def test_real_terms_without_deflators_says_why_and_stays_in_cash(tmp_path, monkeypatch):
    text = copy_catalog(tmp_path).read_text()
    text = text[: text.index("[datasets.deflators]")]  # a catalog without the deflators dataset
    (tmp_path / "catalog.toml").write_text(text)
    monkeypatch.setenv("PLACEWISE_CATALOG", str(tmp_path / "catalog.toml"))
    at = open_spend({"spend_prices": "Real terms"})
    warnings = " ".join(w.value for w in at.warning)
    assert "Real terms (figures are in cash instead) cannot be shown" in warnings
    assert "deflators" in warnings
    assert warnings.count("figures are in cash instead") == 1  # said once, not per chart
    assert "Total spend (cash)" in tiles(at)
    assert at.selectbox(key="spend_base").options == ["none"]
    assert at.selectbox(key="spend_base").disabled is False  # real terms asked for
    assert "cash" in charts(at)["by_group"]["layout"]["yaxis"]["title"]["text"]


def test_unknown_codes_are_reported_once_on_the_page(tmp_path, monkeypatch):
    settings = pl.read_csv(SAMPLE / "settings.csv").filter(pl.col("setting") != "ae")
    settings.write_csv(tmp_path / "settings.csv")
    monkeypatch.setenv(
        "PLACEWISE_CATALOG", str(copy_catalog(tmp_path, settings=tmp_path / "settings.csv"))
    )
    at = open_spend()
    said = [w.value for w in at.warning if "codes that are not defined" in w.value]
    assert len(said) == 1  # one notice for the page, not one per chart
    assert said[0].startswith("Spend has setting codes that are not defined: ae (")


def test_every_chart_can_be_added_to_a_deck_with_every_choice_of_the_page():
    query = {
        "place": "Wirral",
        "spend_orgs": ["Council adult social care", "NHS (CCG or ICB)"],
        "spend_pools": ["Section 75 pooled fund", "Better Care Fund"],
        "spend_groups": ["Acute (hospital)", "Community"],
        "spend_prices": "Real terms",
        "spend_base": "2019/20",
        "spend_per": "Per resident",
        "spend_table_pool": "Better Care Fund",
    }
    at = open_spend(query)
    assert at.multiselect(key="spend_orgs").value == ["council_asc", "nhs"]  # labels in the URL
    assert at.selectbox(key="spend_table_pool").value == "Better Care Fund"
    for key in ("spend_pool_table", "spend_by_group", "spend_clusters"):
        at.button(key=f"{key}_add_to_deck").click().run()
    slides = at.session_state["_placewise_my_deck"]
    assert [s.view for s in slides] == ["spend_pool_table", "spend_by_group", "spend_clusters"]
    for slide in slides:
        assert {"year_from", "year_to"} <= set(slide.params)
    for slide in slides:  # before panels, the deck kept prices, base and per only
        assert dict(slide.params) | {"year_from": None, "year_to": None} == {
            "organisations": ["council_asc", "nhs"],
            "pools": ["pooled", "bcf"],
            "setting_groups": ["acute", "community"],
            "prices": "real",
            "base": "2019/20",
            "per": "resident",
            "table_pool": "bcf",
            "year_from": None,
            "year_to": None,
        }
        link = {k: v for k, v in slide.to_query({"E08000015": "Wirral"}).items() if k != "period"}
        assert link == query  # the slide's link opens the page as it was
    table = charts(at)["pool_table"]
    assert table["layout"]["title"]["text"].startswith("Better Care Fund: ")


def test_the_council_s_real_return_is_shown_as_real_beside_the_synthetic_spend():
    at = open_spend()
    assert "Real adult social care spend: the council's return" in [h.value for h in at.header]
    asc = charts(at)["asc"]
    assert asc["layout"]["title"]["text"].startswith(
        "Oldham: £49.8m gross spend on long-term adult social care in 2014/15"
    )
    captions = " ".join(c.value for c in at.caption)
    assert "NHS Digital PSS-EX1 2014-15" in captions and "Real data." in captions
    assert any("Synthetic data" in w.value for w in at.warning)  # the spend above stays marked
