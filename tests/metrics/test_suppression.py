"""Disclosure control: 1-7 suppressed, rounding to 5, and secondary suppression against a total."""

from __future__ import annotations

import polars as pl
import pytest

from metrics.rates import wilson_ci
from metrics.suppression import display_counts, protect_values, round_people, suppress_counts


def test_small_counts_suppressed_others_rounded_zero_kept():
    frame = pl.DataFrame({"n": [0, 1, 7, 8, 12, 13, 1234]})
    out = suppress_counts(frame, ["n"], secondary=False)
    assert out["n"].to_list() == [0, None, None, 10, 10, 15, 1235]
    assert out["n_suppressed"].to_list() == [False, True, True, False, False, False, False]


def test_secondary_suppression_hides_the_next_smallest_in_the_group():
    frame = pl.DataFrame({"place": ["A", "A", "A", "B", "B", "B"], "n": [5, 40, 30, 3, 6, 100]})
    out = suppress_counts(frame, ["n"], group_by="place")
    # place A: one cell suppressed (5), so the smallest other (30) goes too;
    # place B: two cells already suppressed, so nothing more is needed
    assert out["n_suppressed"].to_list() == [True, False, True, True, True, False]
    assert out["n"].to_list() == [None, 40, None, None, None, 100]
    # the suppressed cell cannot be recovered from the place total minus the shown cells
    shown = out.filter(pl.col("place") == "A")["n"].drop_nulls().sum()
    assert 75 - shown == 35  # two cells together, not the single small one


def test_secondary_suppression_keeps_row_order_and_skips_zero():
    frame = pl.DataFrame({"n": [0, 50, 4, 20]})
    out = suppress_counts(frame, ["n"])
    assert out["n_suppressed"].to_list() == [False, False, True, True]


def test_display_marks_suppressed_cells_with_a_star():
    out = display_counts(
        suppress_counts(pl.DataFrame({"n": [3, 18]}), ["n"], secondary=False), ["n"]
    )
    assert out["n"].to_list() == ["*", "20"]


def test_protect_values_hides_the_value_and_interval_of_a_suppressed_row():
    rows = pl.DataFrame(
        {
            "numerator": [5.0, 400.0, 300.0],
            "denominator": [1500.0, 1600.0, 1700.0],
            "value": [0.33, 25.0, 17.6],
            "lower": [0.1, 23.0, 16.0],
            "upper": [0.8, 27.0, 19.5],
            "vs_place": ["similar", "higher", "lower"],
        }
    )
    out = protect_values(rows, "proportion", disclosure=True, group_by=None, multiplier=100.0)
    assert out["suppressed"].to_list() == [True, False, True]
    assert out["value"][0] is None and out["lower"][0] is None and out["vs_place"][0] is None
    assert out["numerator"][1] == 400.0 and out["denominator"][0] == 1500.0
    free = protect_values(rows, "proportion", disclosure=False, group_by=None)
    assert not free["suppressed"].any()


def test_rates_from_fewer_than_8_events_are_not_shown():
    rows = pl.DataFrame(
        {"numerator": [0.0, 9.0], "denominator": [1000.0, 1000.0], "value": [0.0, 900.0]}
    )
    out = protect_values(rows, "rate", disclosure=True, group_by=None, multiplier=100_000)
    # 9 events round to 10: 10 / 1,000 x 100,000, from the rounded count, not the exact 900
    assert out["value"].to_list() == [None, 1000.0]


def test_a_rate_without_its_multiplier_is_withheld_rather_than_left_exact():
    rows = pl.DataFrame({"numerator": [19.0], "denominator": [1000.0], "value": [1900.0]})
    out = protect_values(rows, "rate", disclosure=True, group_by=None)
    assert out["value"].to_list() == [None]


def test_values_and_limits_are_recomputed_from_the_rounded_counts():
    # 91 of 103 at home: counts publish as 90 of 105, so the value and Wilson limits must be
    # those of 90 / 105, not of 91 / 103 (which, beside the rounded counts, give 91 and 103 back)
    rows = pl.DataFrame(
        {
            "numerator": [91.0],
            "denominator": [103.0],
            "value": [91 / 103 * 100],
            "lower": [80.0],
            "upper": [93.0],
        }
    )
    out = protect_values(rows, "proportion", disclosure=True, group_by=None, multiplier=100.0)
    value, lower, upper = wilson_ci(90, 105)
    assert out["numerator"].to_list() == [90.0] and out["denominator"].to_list() == [105.0]
    assert out["value"][0] == pytest.approx(value * 100)
    assert out["lower"][0] == pytest.approx(lower * 100)
    assert out["upper"][0] == pytest.approx(upper * 100)


def test_a_proportion_whose_complement_is_small_is_withheld():
    # 247 of 250 at home: 3 people were not, as identifying as 3 who were
    rows = pl.DataFrame(
        {"numerator": [247.0, 200.0], "denominator": [250.0, 250.0], "value": [98.8, 80.0]}
    )
    out = protect_values(rows, "proportion", disclosure=True, group_by=None, multiplier=100.0)
    assert out["suppressed"].to_list() == [True, True]  # the second by secondary suppression
    assert out["numerator"].to_list() == [None, None]
    assert out["value"].to_list() == [None, None]
    alone = protect_values(rows.head(1), "rate", disclosure=True, group_by=None, multiplier=100.0)
    assert alone["suppressed"].to_list() == [False]  # only proportions have a complement


def test_display_stars_rows_flagged_by_protect_values():
    rows = pl.DataFrame(
        {"numerator": [3.0, 40.0], "denominator": [None, None], "value": [3.0, 40.0]}
    )
    shown = display_counts(
        protect_values(rows, "count", disclosure=True, group_by=None), ["numerator", "denominator"]
    )
    assert shown["numerator"].to_list() == [
        "*",
        "*",
    ]  # the second hidden too: secondary suppression
    assert shown["denominator"].to_list() == [None, None]


def test_a_fractional_count_is_judged_as_the_whole_number_it_rounds_to():
    frame = pl.DataFrame({"area": ["a", "b", "c"], "count": [7.4, 7.6, 12.5]})
    out = suppress_counts(frame, ["count"], secondary=False)
    assert out["count_suppressed"].to_list() == [True, False, False]
    assert out["count"].to_list() == [None, 10.0, 10.0]


def test_round_people_rounds_population_columns_only():
    frame = pl.DataFrame(
        {"per_head": [12.34], "per_head_population": [40_123], "amount_gbp": [1_234_567.0]}
    )
    out = round_people(frame)
    assert out.row(0) == (12.34, 40_125, 1_234_567.0)
    assert out.schema == frame.schema
