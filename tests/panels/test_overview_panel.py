"""The Overview's tiles are the Spend page's: one selection policy for spend.

Rows with codes nothing defines are left out everywhere and reported in one sentence, so the
overview_tiles and spend_tiles panels give the same acute share on the same rows. A dataset
that cannot be loaded empties its own tiles only.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from loaders.errors import DataError
from metrics import money
from panels.core import Input, Need, PanelProblem
from panels.params import AreaParams
from panels.registry import get_panel
from panels.source import run
from panels.spend import SpendParams
from tests.panels.suite import PanelContractSuite

SETTINGS = pl.DataFrame(
    {
        "setting": ["ae", "home_care", "gp"],
        "setting_name": ["A&E", "Home care", "GP"],
        "setting_group": ["acute", "community", "primary_care"],
    }
)
AREAS = pl.DataFrame(
    {
        "area_code": ["P1", "C1", "L1"],
        "area_name": ["Place", "North", "L1"],
        "area_type": ["place", "cluster", "lsoa"],
        "parent_code": [None, "P1", "C1"],
        "vintage": ["LAD 2024", "Test clusters", "LSOA 2021"],
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


class FrameSource:
    """panels.source.Source over frames in memory; a name mapped to a DataError fails."""

    def __init__(self, **frames: pl.DataFrame | DataError):
        self.frames = {"areas": AREAS, "settings": SETTINGS, **frames}
        self.requests: list[Need] = []

    def get(self, need: Need) -> Input:
        self.requests.append(need)
        item = self.frames.get(need.dataset, DataError("not in this test", dataset=need.dataset))
        if isinstance(item, DataError):
            return Input(need.dataset, None, None, item)
        return Input(need.dataset, item, None, None, str(id(item)))

    def covers_place(self, place_code: str) -> bool:
        return True


def tiles(source: FrameSource, panel_id: str = "overview_tiles") -> dict[str, object]:
    panel = get_panel(panel_id)
    params = SpendParams(place="P1") if panel_id == "spend_tiles" else AreaParams(place="P1")
    result = run(panel, params, source)
    assert not isinstance(result, PanelProblem), result
    return {t.label: t for t in result.tiles} | {"_notices": [n.text for n in result.notices]}


def test_overview_and_spend_page_give_the_same_acute_share():
    overview, spend_page = (
        tiles(FrameSource(spend=SPEND)),
        tiles(FrameSource(spend=SPEND), "spend_tiles"),
    )
    for label in ("Acute share of spend", "Community-to-acute ratio", "Total spend (cash)"):
        assert overview[label].value == spend_page[label].value, label
    assert overview["Acute share of spend"].value == "60.0%"
    assert overview["Community-to-acute ratio"].value == "0.50"
    assert overview["Total spend (cash)"].value == "£100.0m"
    (problem,) = money.unknown_codes(SPEND, SETTINGS)
    assert overview["_notices"] == spend_page["_notices"] == [money.unknown_code_notice(problem)]


def test_unknown_organisations_and_pools_are_left_out_of_the_tiles_too():
    frame = pl.concat(
        [
            SPEND,
            pl.DataFrame([_row("ae", 40e6, organisation="mystery_org")]),
            pl.DataFrame([_row("ae", 40e6, pool="mystery_pool")]),
        ]
    )
    assert tiles(FrameSource(spend=frame))["Acute share of spend"].value == "60.0%"


def test_the_change_since_the_first_year_and_which_way_is_better():
    later = SPEND.with_columns(
        financial_year=pl.lit("2021/22"), year_start=pl.lit(date(2021, 4, 1))
    )
    later = later.with_columns(
        amount_gbp=pl.when(pl.col("setting") == "ae")
        .then(pl.col("amount_gbp") / 2)
        .otherwise(pl.col("amount_gbp"))
    )
    got = tiles(FrameSource(spend=pl.concat([SPEND, later])))
    share = got["Acute share of spend"]
    # 2021/22: acute 30m of 30 + 30 + 10 = 70m, 42.857...% -> 42.9%; 60.0 -> 42.9 is -17.1 points
    assert (share.value, share.period) == ("42.9%", "2021/22 outturn; change since 2020/21")
    assert share.delta == "-17.1 points, better" and share.delta_color == "inverse"
    total = got["Total spend (cash)"]  # more or less spend is neither better nor worse
    assert (total.value, total.delta) == ("£70.0m", "-30.0%")
    assert total.delta_color == "off"
    ratio = got["Community-to-acute ratio"]  # community 30m / acute 30m = 1.00, from 0.50
    assert ratio.delta == "+0.50, better" and ratio.delta_color == "normal"


def test_a_tile_left_empty_by_unknown_codes_says_so_in_the_same_words():
    only_unknown = SPEND.filter(pl.col("setting") == "mystery_ward")
    got = tiles(FrameSource(spend=only_unknown))
    (problem,) = money.unknown_codes(only_unknown, SETTINGS)
    acute = got["Acute share of spend"]
    assert acute.value is None and not acute.failed
    assert acute.empty_reason == (
        "No spend outturn with defined codes for Place in the years chosen. "
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
    acute = tiles(FrameSource(spend=SPEND, settings=conflicting))["Acute share of spend"]
    assert acute.value is None
    assert acute.empty_reason.startswith(
        "Spend cannot be worked out: settings puts setting(s) 'ae'"
    )


def test_a_dataset_that_cannot_be_loaded_empties_its_own_tiles_only():
    broken = DataError("Dataset 'spend' could not be loaded", dataset="spend")
    got = tiles(FrameSource(spend=broken))
    for label in ("Acute share of spend", "Community-to-acute ratio", "Total spend (cash)"):
        assert got[label].failed and got[label].value is None
        assert got[label].empty_reason == (
            "Not available: dataset 'spend' could not be loaded (see the message below)."
        )
    assert got["Care home beds rated Good or better"].failed  # no care homes in this source
    assert got["Residents"].failed
    assert got["Neighbourhood clusters"].value == "1"  # the areas still draw their tile


class TestOverviewTiles(PanelContractSuite):
    panel_id = "overview_tiles"


@pytest.mark.parametrize(("place", "share", "total"), [("E08000004", "32.7%", "£503.9m")])
def test_oldham_tiles_are_the_seed_figures(sample_source, place, share, total):
    """DOMAIN.md's Oldham figures: acute share 32.7% and total £503.9m in 2024/25."""
    result = run(get_panel("overview_tiles"), AreaParams(place=place), sample_source)
    assert not isinstance(result, PanelProblem)
    got = {t.label: t for t in result.tiles}
    assert got["Acute share of spend"].value == share
    assert got["Total spend (cash)"].value == total
    assert result.title.startswith("Oldham: acute share of spend 32.7% (2024/25, ")
    assert result.caption.synthetic == "partly"


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
