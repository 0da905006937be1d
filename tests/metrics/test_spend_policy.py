"""One selection policy for spend: rows with codes nothing defines are left out everywhere, and reported in one sentence.

The Overview's tiles (headlines.spend_tiles) and the Spend page (money.select_spend, then
spend.acute_share, as views/spend.py calls them) must give the same acute share.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics import headlines, money, spend
from metrics.periods import with_all_years

SETTINGS = pl.DataFrame(
    {
        "setting": ["ae", "home_care", "gp"],
        "setting_name": ["A&E", "Home care", "GP"],
        "setting_group": ["acute", "community", "primary_care"],
    }
)


def _row(setting: str, amount: float, **overrides: object) -> dict[str, object]:
    return {
        "place_code": "P1",
        "area_code": "C1",
        "financial_year": "2020/21",
        "year_start": date(2020, 4, 1),
        "organisation": "nhs",
        "setting": setting,
        "pool": "pooled",
        "measure": "outturn",
        "amount_gbp": amount,
    } | overrides


# 2020/21 outturn: acute 60m, community 30m, primary care 10m, and 50m on a setting code that
# the settings dataset does not define.
SPEND = pl.DataFrame(
    [
        _row("ae", 60e6),
        _row("home_care", 30e6),
        _row("gp", 10e6),
        _row("mystery_ward", 50e6),
        _row("ae", 999e6, measure="budget"),  # budgets never count in the outturn figures
    ]
)
# Left out: acute share 60 / (60 + 30 + 10) = 60.0%, total £100.0m, ratio 30 / 60 = 0.50.
# (Counted in, it would be 60 / 150 = 40.0%.)


def spend_page_acute_share(frame: pl.DataFrame) -> float:
    """What views/spend.py computes for the headline: select_spend with the page's choices, then acute_share."""
    years = ["2020/21"]
    choice = {
        "organisations": [],
        "pools": [],
        "setting_groups": [],
        "year_from": years[0],
        "year_to": years[-1],
    }
    rows = money.select_spend(frame, SETTINGS, place_code="P1", area_code=None, **choice)
    yearly = with_all_years(spend.acute_share(rows, SETTINGS), years)
    return yearly["acute_share"][-1]


def test_overview_and_spend_page_give_the_same_acute_share():
    assert spend_page_acute_share(SPEND) == 60.0
    total, acute = headlines.spend_tiles(SPEND, SETTINGS, "P1", None, None, "Place")
    assert acute.value == "60.0%"
    assert acute.detail == "Community-to-acute ratio 0.50"
    assert total.value == "£100.0m"


def test_unknown_organisations_and_pools_are_left_out_of_the_tiles_too():
    frame = pl.concat(
        [
            SPEND,
            pl.DataFrame([_row("ae", 40e6, organisation="mystery_org")]),
            pl.DataFrame([_row("ae", 40e6, pool="mystery_pool")]),
        ]
    )
    assert spend_page_acute_share(frame) == 60.0
    _, acute = headlines.spend_tiles(frame, SETTINGS, "P1", None, None, "Place")
    assert acute.value == "60.0%"


def test_unknown_code_notice_is_the_spend_page_sentence():
    (problem,) = money.unknown_codes(SPEND, SETTINGS)
    assert money.unknown_code_notice(problem) == (
        "Spend has setting codes that are not defined: mystery_ward (1 rows, £50.0m in all). "
        "They are left out of every figure on this page. "
        "Known setting codes: ae, gp, home_care."
    )


def test_unknown_code_notice_for_blank_organisations():
    frame = pl.DataFrame(
        [_row("ae", 1_250_000, organisation=None), _row("gp", 2e6, organisation=None)]
    )
    (problem,) = money.unknown_codes(frame, SETTINGS)
    # 1.25m + 2m = 3.25m, which rounds to even: £3.2m
    assert money.unknown_code_notice(problem) == (
        "Spend has organisation codes that are not defined: <blank> (2 rows, £3.2m in all). "
        "They are left out of every figure on this page. "
        "Known organisation codes: council_asc, council_ph, nhs, other."
    )


def test_a_tile_left_empty_by_unknown_codes_says_so_in_the_same_words():
    only_unknown = SPEND.filter(pl.col("setting") == "mystery_ward")
    total, acute = headlines.spend_tiles(only_unknown, SETTINGS, "P1", None, None, "Place")
    assert total.value is None and acute.value is None
    (problem,) = money.unknown_codes(only_unknown, SETTINGS)
    assert total.empty_reason == (
        "No spend outturn with defined codes for Place up to the latest year. "
        + money.unknown_code_notice(problem)
    )


def test_a_broken_settings_lookup_still_says_why():
    conflicting = pl.concat(
        [
            SETTINGS,
            pl.DataFrame(
                {"setting": ["ae"], "setting_name": ["A&E"], "setting_group": ["community"]}
            ),
        ]
    )
    total, acute = headlines.spend_tiles(SPEND, conflicting, "P1", None, None, "Place")
    assert total.value is None and acute.value is None
    assert acute.empty_reason.startswith(
        "Acute share cannot be worked out: settings puts setting(s) 'ae'"
    )
