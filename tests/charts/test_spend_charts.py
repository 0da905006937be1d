"""Spend shift figures: titles state the finding, gaps stay gaps, rows match what is drawn."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from charts import spend as series_charts
from charts import spend_breakdown as breakdown
from charts import spend_text as words
from charts.spend_text import target_clause, trend_title
from loaders import load_catalog, load_dataset
from loaders.contracts import SETTING_GROUPS
from metrics import money
from metrics.periods import with_all_years
from metrics.spend import acute_share, spend_by_setting_group
from tests.conftest import SAMPLE_CATALOG

FOOTER = words.Footer(prices="cash")
YEARS = ["2019/20", "2020/21", "2021/22"]


def yearly(shares: list[float | None], ratios: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "financial_year": YEARS,
            "year_start": [date(y, 4, 1) for y in (2019, 2020, 2021)],
            "acute_gbp": [50.0, 45.0, 40.0],
            "community_gbp": [20.0, 25.0, 30.0],
            "total_gbp": [100.0, 100.0, 100.0],
            "acute_share": shares,
            "community_to_acute_ratio": ratios,
        }
    )


def footer_text(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


# -- words ---------------------------------------------------------------------------------------
def test_headline_says_which_way_the_money_moves():
    text = words.headline(yearly([52.06, None, 47.3], [0.4, None, 0.75]), "Oldham")
    assert text == (
        "In Oldham, the acute (hospital) share of spend fell from 52.1% in 2019/20 to 47.3% in "
        "2021/22, and the community-to-acute ratio rose from 0.40 to 0.75: money is moving from "
        "hospital to community care."
    )
    back = words.headline(yearly([40.0, 45.0, 50.0], [0.9, 0.8, 0.7]), "Bolton")
    assert "rose from 40.0%" in back and back.endswith("money is moving towards hospital care.")
    level = words.headline(yearly([40.0, 45.0, 40.0], [0.9, 0.8, 0.9]), "Wirral")
    assert "was unchanged at 40.0% between 2019/20 and 2021/22" in level
    assert level.endswith("no clear shift between hospital and community care.")
    assert words.headline(yearly([None] * 3, [None] * 3), "Nowhere").startswith("No spend outturn")


def test_target_text_for_manchesters_acute_trajectory():
    summary = {
        "kind": "target",
        "financial_year": "2020/21",
        "target": -20.0,
        "actual": -17.0,
        "gap": 3.0,
        "status": "off track",
    }
    long = words.target_text(summary, "acute_spend_change_pct", "2015/16", "Manchester")
    assert long == (
        "Acute spend was 17.0% below 2015/16 in 2020/21 against a target of 20.0% below 2015/16: "
        "off track by 3.0 percentage points (Manchester's target; cash, all organisations)."
    )
    short = words.target_text(
        summary, "acute_spend_change_pct", "2015/16", "Manchester", short=True
    )
    assert (
        short
        == "Acute spend 17.0% below 2015/16 in 2020/21; target 20.0% below 2015/16: off track by 3.0 points"
    )
    assert words.target_text(None, "acute_spend_change_pct", "", "Oldham").startswith("No target")


def test_money_formats():
    assert words.signed_gbp_m(1_234_000) == "+£1.2m"
    assert words.signed_gbp_m(-400_000) == "-£0.4m"
    assert words.signed_gbp_m(20_000) == "£0.0m"
    assert words.gbp(1234.4) == "£1,234" and words.gbp(None) == "n/a"


# -- setting groups ------------------------------------------------------------------------------
GROUPS = SETTING_GROUPS


def by_group(years: list[str]) -> pl.DataFrame:
    rows = [
        (y, date(int(y[:4]), 4, 1), g, (i + 1) * 1e6 * (1 + n / 10))
        for n, y in enumerate(years)
        for i, g in enumerate(GROUPS)
    ]
    return pl.DataFrame(
        rows, schema=["financial_year", "year_start", "setting_group", "amount_gbp"], orient="row"
    )


def test_setting_groups_fold_to_five_series_and_a_missing_year_is_a_gap():
    fig, rows = series_charts.setting_group_figure(
        by_group(["2019/20", "2021/22"]), years=YEARS, footer=FOOTER, area_name="Oldham North"
    )
    assert [t.name for t in fig.data] == [
        "Acute (hospital)",
        "Community",
        "Primary care, mental health and other",
        "Residential and nursing care",
        "Prevention",
    ]
    folded = rows.filter(pl.col("setting_group") == series_charts.FOLDED)
    assert folded["amount_gbp"].to_list() == pytest.approx([(3 + 4 + 7) * 1e6, (3 + 4 + 7) * 1.1e6])
    assert "2020/21" not in fig.data[0].x and fig.data[0].y[0] == pytest.approx(1.0)  # £m
    assert any(a.text == "No data" and a.x == "2020/21" for a in fig.layout.annotations)
    assert (
        fig.layout.title.text
        == "Community spend rose 10% and acute spend rose 10%, 2019/20 to 2021/22"
    )
    assert fig.layout.yaxis.title.text == "Spend (£m, cash)"
    assert "Source" not in footer_text(fig)  # the caption is kept outside the figure (panels)


def test_setting_groups_per_head():
    frame = by_group(YEARS).with_columns(per_head=pl.col("amount_gbp") / 1e4)
    fig, _ = series_charts.setting_group_figure(
        frame, years=YEARS, footer=FOOTER, area_name="Bolton", value="per_head", per="resident"
    )
    assert fig.data[0].y[0] == pytest.approx(100.0)  # £ per person, not £m
    assert fig.layout.yaxis.title.text == "Spend (£ per resident, cash)"
    assert fig.layout.title.text.startswith("Community spend per resident rose 20%")


# -- acute share, target and events --------------------------------------------------------------
def test_acute_share_figure_with_target_and_events():
    series = pl.DataFrame(
        {
            "financial_year": YEARS,
            "year_start": [date(y, 4, 1) for y in (2019, 2020, 2021)],
            "actual": [0.0, -5.0, -12.0],
        }
    )
    progress = pl.DataFrame(
        {"kind": ["trajectory", "trajectory", "target"], "financial_year": ["2019/20", "2020/21", "2020/21"],
         "year_start": [date(2019, 4, 1), date(2020, 4, 1), date(2020, 4, 1)], "target": [0.0, -10.0, -10.0]}
    )  # fmt: skip
    events = pl.DataFrame(
        {"date": [date(2018, 4, 1), date(2020, 7, 1), date(2021, 1, 5)], "area_code": [None, "P1", "P2"],
         "label": ["Before the range", "Teams merge", "Elsewhere"], "detail": [None, None, None]}
    )  # fmt: skip
    fig, rows = series_charts.acute_share_figure(
        yearly([52.0, None, 47.3], [0.4, None, 0.75]), footer=FOOTER, area_name="P1",
        target_series=series, progress=progress, target_base="2019/20", events=events, event_areas=("P1",),
    )  # fmt: skip
    assert (
        fig.layout.title.text == "Acute share of spend fell from 52.0% to 47.3%, 2019/20 to 2021/22"
    )
    assert list(fig.data[0].y) == [52.0, None, 47.3]  # the gap stays a gap
    assert [t.name for t in fig.data[2:]] == ["Actual", "Trajectory", "Target"]
    panels = [a.text for a in fig.layout.annotations if a.yref and a.yref.endswith("domain")]
    assert panels == ["Acute<br>share (%)", "Community<br>÷ acute", "Acute vs<br>2019/20 (%)"]
    assert fig.layout.yaxis3.title.text is None  # horizontal labels, not rotated titles
    key = footer_text(fig)
    assert (
        "<b>1</b> 1 Jul 2020: Teams merge" in key and "Elsewhere" not in key and "Before" not in key
    )
    assert rows.filter(pl.col("financial_year") == "2020/21")["events"].to_list() == ["Teams merge"]
    assert rows.columns[-4:] == ["acute_change_pct", "trajectory", "target", "events"]


def test_acute_share_figure_without_target_has_two_panels():
    fig, _ = series_charts.acute_share_figure(
        yearly([40.0, 40.0, 40.0], [1.0, 1.0, 1.0]), footer=FOOTER, area_name="Bolton"
    )
    assert len(fig.data) == 2 and "yaxis3" not in fig.layout
    assert (
        fig.layout.title.text == "Acute share of spend was unchanged at 40.0%, 2019/20 to 2021/22"
    )


# -- breakdowns ----------------------------------------------------------------------------------
def test_waterfall_steps_from_first_total_to_last():
    change = pl.DataFrame(
        {"setting": [f"s{i:02d}" for i in range(12)], "from_gbp": [10e6] * 12,
         "to_gbp": [10e6 + d for d in (5e6, -3e6, 2e6, 0, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 0.5e6, 0.2e6)]}
    ).with_columns(change_gbp=pl.col("to_gbp") - pl.col("from_gbp"))  # fmt: skip
    settings = pl.DataFrame({"setting": ["s00", "s01"], "setting_name": ["Home care", "A&E"]})
    fig, rows = breakdown.waterfall_figure(
        change, settings, year_from="2019/20", year_to="2021/22", footer=FOOTER, area_name="P1"
    )
    steps = list(fig.data[0].y)
    assert steps[0] == "2019/20 total" and steps[-1] == "2021/22 total"
    assert steps[1] == "Home care" and steps[-2] == "2 other settings"  # ten biggest, then the rest
    assert (
        list(fig.data[0].text)[:2] == ["£120.0m", "+£5.0m"]
        and list(fig.data[0].text)[-1] == "£130.7m"
    )
    assert fig.layout.title.text == "Spend rose by £10.7m (8.9%) from 2019/20 to 2021/22"
    # setting names are data: Plotly text, so '&' is an entity (Plotly shows "A&E")
    assert "largest fall: A&amp;E (-£3.0m)" in fig.layout.title.subtitle.text
    assert rows["amount_gbp"].sum() == pytest.approx(120e6 + 10.7e6 + 130.7e6)


@pytest.fixture(scope="module")
def wirral_pools():
    catalog = load_catalog(SAMPLE_CATALOG)
    spend, settings = load_dataset("spend", catalog), load_dataset("settings", catalog)
    rows = money.select_spend(spend, settings, place_code="E08000015")
    return money.totals_by(rows, ["organisation", "pool"])


def test_wirral_pooled_fund_table_reproduces_the_seed(wirral_pools):
    years = ["2017/18", "2018/19", "2019/20", "2020/21"]
    fig, _ = breakdown.pooled_table_figure(
        wirral_pools, pool="pooled", years=years, footer=FOOTER, area_name="Wirral"
    )
    header, cells = fig.data[0].header.values, fig.data[0].cells.values
    assert list(header) == ["Organisation", *years]
    table = {row: [col[i] for col in cells[1:]] for i, row in enumerate(cells[0])}
    assert table["Council adult social care"] == ["73.9", "80.8", "85.2", "83.4"]
    assert table["Council public health"] == ["25.6", "24.5", "24.0", "24.0"]
    assert table["NHS (CCG or ICB)"][0] == "493.4"
    assert table["<b>Total</b>"][0] == "<b>592.9</b>"
    assert fig.layout.title.text.startswith("Section 75 pooled fund: £592.9m in 2017/18")


def test_pool_figure_title_names_the_largest_pool(wirral_pools):
    fig, rows = breakdown.pool_figure(
        wirral_pools, year="2017/18", footer=FOOTER, area_name="Wirral"
    )
    total = rows["amount_gbp"].sum()
    assert (
        fig.layout.title.text
        == f"{round(592.9e6 / total * 100)}% of 2017/18 spend (£592.9m) was in the Section 75 pooled fund"
    )
    assert {t.name for t in fig.data} <= set(words.POOL_LABELS.values())


def test_cluster_figure_marks_the_selected_cluster_and_shows_gaps():
    clusters = pl.DataFrame(
        {"area_code": ["C1", "C2", "C3"], "area_name": ["North", "South", "East"], "per_resident": [2000.0, 1500.0, None],
         "per_resident_period": [date(2020, 6, 30)] * 3, "per_weighted_head": [1900.0, 1700.0, None],
         "per_weighted_head_period": [date(2024, 4, 1)] * 3}
    )  # fmt: skip
    fig, _ = breakdown.cluster_figure(
        clusters, selected="C2", year="2024/25", footer=FOOTER, place_name="Oldham"
    )
    assert list(fig.data[0].y) == ["North", "<b>▶ South</b>", "East"]
    assert list(fig.data[1].text) == ["£1,900", "£1,700", "No data"]
    assert (
        fig.layout.title.text == "Spend per need-weighted head: £1,700 to £1,900 across 2 clusters"
    )
    assert "residents: ONS mid-2020" in fig.layout.title.subtitle.text
    assert "need-weighted: NHS 2024/25" in fig.layout.title.subtitle.text


def test_variance_figure_states_the_last_year():
    variance = (
        pl.DataFrame(
            {
                "financial_year": YEARS,
                "budget_gbp": [100e6, 100e6, 200e6],
                "outturn_gbp": [101e6, 98e6, 190e6],
            }
        )
        .with_columns(variance_gbp=pl.col("outturn_gbp") - pl.col("budget_gbp"))
        .with_columns(variance_pct=pl.col("variance_gbp") / pl.col("budget_gbp") * 100)
    )
    fig, _ = series_charts.variance_figure(variance, years=YEARS, footer=FOOTER, area_name="P1")
    assert fig.layout.title.text == "Outturn was £10.0m (5.0%) under budget in 2021/22"
    assert list(fig.data[0].text) == ["+£1.0m", "-£2.0m", "-£10.0m"]
    assert "over budget in 1 of 3 years" in fig.layout.title.subtitle.text


def test_figures_on_the_sample_data_have_titles_footers_and_units():
    catalog = load_catalog(SAMPLE_CATALOG)
    spend, settings = load_dataset("spend", catalog), load_dataset("settings", catalog)
    rows = money.select_spend(spend, settings, place_code="E08000004")
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2015, 2025)]
    fig, _ = series_charts.setting_group_figure(
        spend_by_setting_group(rows, settings), years=years, footer=FOOTER, area_name="Oldham"
    )
    assert "Community spend rose" in fig.layout.title.text and "£m" in fig.layout.yaxis.title.text
    fig, _ = series_charts.acute_share_figure(
        with_all_years(acute_share(rows, settings), years), footer=FOOTER, area_name="Oldham"
    )
    assert fig.layout.title.text == "Acute share of spend fell in 7 of 9 years, to 32.7% in 2024/25"


def test_acute_share_title_is_the_year_on_year_trend_against_the_target():
    rows = yearly([52.0, 47.3, 48.0], [0.4, 0.5, 0.75])
    fig, _ = series_charts.acute_share_figure(
        rows, footer=FOOTER, area_name="P1", target_words=target_clause(None)
    )
    assert fig.layout.title.text == (
        "Acute share of spend fell in 1 of 2 years, to 48.0% in 2021/22; "
        "no acute spend target is set"
    )
    falling = yearly([52.0, 47.3, 45.0], [0.4, 0.5, 0.75])
    summary = {"kind": "trajectory", "status": "off track", "financial_year": "2021/22"}
    assert trend_title(falling, target_clause(summary)) == (
        "Acute share of spend fell every year, to 45.0% in 2021/22; "
        "acute spend off track against its trajectory in 2021/22"
    )
    assert trend_title(yearly([47.0, 47.0, 47.04], [0.4, 0.4, 0.4])) == (
        "Acute share of spend was unchanged at 47.0%, 2019/20 to 2021/22"
    )
    # headline (first year against last) and trend never say the same thing
    headline_fig, _ = series_charts.headline_figure(rows, area_name="P1", target_note="")
    assert headline_fig.layout.title.text != fig.layout.title.text


def test_headline_figure_sets_the_first_year_against_the_last():
    fig, rows = series_charts.headline_figure(
        yearly([52.0, None, 47.5], [0.4, None, 0.75]), area_name="Oldham", target_note="No target."
    )
    assert list(fig.data[0].x) == ["2019/20", "2021/22"] and list(fig.data[0].text) == [
        "52.0%",
        "47.5%",
    ]
    assert (
        rows["financial_year"].to_list() == ["2019/20", "2021/22"]
        and "year_start" not in rows.columns
    )
    # the first year against the last, community spend against acute (the trend is slide 2's)
    assert (
        fig.layout.title.text
        == "Community spend rose 50% and acute spend fell 20%, 2019/20 to 2021/22"
    )
    assert fig.layout.title.subtitle.text.endswith("hospital to community care. No target.")
    assert not fig.layout.annotations  # no source line in the figure


def test_tiles_figure_shows_each_value_label_and_change_as_plotly_text():
    fig = series_charts.tiles_figure(
        [("Acute share", "47.5%", "-4.5 points"), ("Target", "None set", None)],
        title="Acute share fell", subtitle="No target for <b>A&E</b> place.",
    )  # fmt: skip
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["<b>47.5%</b>", "Acute share", "-4.5 points", "<b>None set</b>", "Target", ""]
    assert [a.x for a in fig.layout.annotations][::3] == [0.25, 0.75]
    assert "&lt;b&gt;A&amp;E&lt;/b&gt;" in fig.layout.title.subtitle.text  # data text escaped


def test_headline_when_the_ratio_is_not_defined_in_one_year():
    text = words.headline(yearly([52.0, None, 47.3], [None, None, 0.75]), "Oldham")
    assert text == (
        "In Oldham, the acute (hospital) share of spend fell from 52.0% in 2019/20 to 47.3% in "
        "2021/22, and the community-to-acute ratio went from not defined to 0.75: no clear shift "
        "between hospital and community care."
    )


def test_a_tile_without_a_value_says_no_data():
    fig = series_charts.tiles_figure([("Residents", None, None)], title="t", subtitle="s")
    assert fig.layout.annotations[0].text == "<b>No data</b>"
