"""The acute spend target said so that it never contradicts the chart beside it: the status in
the target's year and what the later years drawn show (issue: 'Off track' under a chart at -21%)."""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.spend_target import AcuteTarget, target_words


def target(actuals: dict[str, float], *, goal: float = -20.0, year: str = "2020/21") -> AcuteTarget:
    """A target of `goal`% change in acute spend by `year`, with the actual change each year."""
    starts = {fy: date(int(fy[:4]), 4, 1) for fy in actuals}
    series = pl.DataFrame({"financial_year": list(actuals), "year_start": list(starts.values()),
                           "actual": list(actuals.values())})  # fmt: skip
    actual = actuals[year]
    summary = {"kind": "target", "financial_year": year, "year_start": starts[year],
               "target": goal, "actual": actual, "gap": actual - goal,
               "status": "on track" if actual <= goal else "off track"}  # fmt: skip
    return AcuteTarget("E08000003", series, None, summary, "2015/16")


def test_missed_in_its_year_and_reached_later_says_both():
    # Manchester's sample: -17.0% in 2020/21 against -20%; -18.5, then -20.0 in 2022/23
    t = target({"2020/21": -16.999999998, "2021/22": -18.5, "2022/23": -20.0, "2023/24": -20.5})
    assert target_words(t) == (
        "Missed, reached later",
        "missed in 2020/21 (-17.0% against -20%); reached in 2022/23",
    )


def test_later_years_beyond_the_chart_are_not_told():
    t = target({"2020/21": -17.0, "2021/22": -18.5, "2022/23": -20.0})
    assert target_words(t, until=date(2021, 4, 1)) == (
        "Missed",
        "missed in 2020/21 (-17.0% against -20%); not reached by 2021/22 (-18.5%)",
    )
    assert target_words(t, until=date(2020, 4, 1)) == (
        "Missed",
        "missed in 2020/21 (-17.0% against -20%)",
    )


def test_met_then_slipped_and_reached_then_slipped():
    met = target({"2020/21": -21.0, "2021/22": -19.9})
    assert target_words(met) == (
        "Met, since slipped",
        "met in 2020/21 (-21.0% against -20%); not met in 2021/22 (-19.9%)",
    )
    back = target({"2020/21": -17.0, "2021/22": -20.04, "2022/23": -19.0})  # -20.04 shows -20.0
    assert target_words(back) == (
        "Missed, reached, slipped",
        "missed in 2020/21 (-17.0% against -20%); reached in 2021/22, not met in 2022/23 (-19.0%)",
    )


def test_no_target_is_none():
    t = target({"2020/21": -17.0})
    assert target_words(AcuteTarget(None, t.series, None, None, "2015/16")) is None
