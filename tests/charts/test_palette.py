"""One meaning per colour: a spend setting has one colour in every chart, and no setting shares
a colour with a budget judgement, a CQC rating or a benchmark comparison (greys mean "not
classified" wherever they are used)."""

from __future__ import annotations

from datetime import date

import polars as pl

from charts import spend as series_charts
from charts import spend_text as words
from charts.theme import (
    CQC_RATING_COLOURS,
    NEUTRAL_GREYS,
    OVERSPEND,
    SETTING_COLOURS,
    UNDERSPEND,
)
from loaders.contracts import SETTING_GROUPS
from metrics.rates import COMPARISON_COLOURS

FOOTER = words.Footer(prices="cash")


def meaningful(colours) -> set[str]:
    return {c.upper() for c in colours} - {g.upper() for g in NEUTRAL_GREYS}


def test_every_setting_has_its_own_colour_and_no_other_meaning():
    assert set(SETTING_COLOURS) == set(SETTING_GROUPS)
    settings = [c for c in SETTING_COLOURS.values() if c not in NEUTRAL_GREYS]
    assert len(settings) == len(set(settings)) == 6
    others = meaningful([OVERSPEND, UNDERSPEND, *CQC_RATING_COLOURS.values(),
                         *COMPARISON_COLOURS.values()])  # fmt: skip
    assert meaningful(settings).isdisjoint(others)
    assert OVERSPEND != UNDERSPEND


def test_prevention_is_pink_in_the_spend_chart_and_an_overspend_is_not():
    years = ["2023/24", "2024/25"]
    rows = [
        (y, date(int(y[:4]), 4, 1), g, 1e6 * (i + 1))
        for y in years
        for i, g in enumerate(("acute", "community", "residential", "prevention"))
    ]
    by_group = pl.DataFrame(
        rows, schema=["financial_year", "year_start", "setting_group", "amount_gbp"], orient="row"
    )
    fig, _ = series_charts.setting_group_figure(
        by_group, years=years, footer=FOOTER, area_name="Oldham"
    )
    colour = {t.name: t.marker.color for t in fig.data}
    assert colour["Prevention"] == SETTING_COLOURS["prevention"] == "#AE2573"
    assert colour["Acute (hospital)"] == SETTING_COLOURS["acute"]

    variance = pl.DataFrame(
        {"financial_year": years, "budget_gbp": [100e6, 100e6], "outturn_gbp": [103e6, 97e6]}
    ).with_columns(
        variance_gbp=pl.col("outturn_gbp") - pl.col("budget_gbp"),
        variance_pct=(pl.col("outturn_gbp") - pl.col("budget_gbp")) / pl.col("budget_gbp") * 100,
    )
    fig, _ = series_charts.variance_figure(variance, years=years, footer=FOOTER, area_name="P")
    assert list(fig.data[0].marker.color) == [OVERSPEND, UNDERSPEND]
    assert OVERSPEND not in SETTING_COLOURS.values()
