"""Wilson and Byar intervals against hand-checked published values, and Fingertips comparisons."""

from __future__ import annotations

import math

import polars as pl
import pytest

from metrics.rates import byar_ci, compare, compare_column, wilson_ci, with_intervals, z_value


def test_z_values_for_fingertips_levels():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


def test_wilson_40_of_100_is_30_9_to_49_9_percent():
    value, lower, upper = wilson_ci(40, 100)
    assert value == 0.4
    assert lower == pytest.approx(0.3094, abs=5e-5)
    assert upper == pytest.approx(0.4980, abs=5e-5)


def test_wilson_998_is_wider_and_edges_stay_in_range():
    _, lo95, hi95 = wilson_ci(40, 100)
    _, lo998, hi998 = wilson_ci(40, 100, 0.998)
    assert lo998 < lo95 and hi998 > hi95
    assert lo998 == pytest.approx(0.2638, abs=5e-5)
    assert wilson_ci(0, 50)[1] == 0.0 and wilson_ci(50, 50)[2] == 1.0
    assert all(math.isnan(v) for v in wilson_ci(1, 0))


def test_byar_10_events_per_1000_per_100000():
    # Byar's formula by hand: 10 * (1 - 1/90 - 1.96/(3*sqrt(10)))**3 = 4.7874; 11 * (...)**3 = 18.3915
    rate, lower, upper = byar_ci(10, 1000)
    assert rate == 1000.0
    assert lower == pytest.approx(478.74, abs=0.05)
    assert upper == pytest.approx(1839.15, abs=0.05)
    # and it is within 0.2% of the exact Poisson limits published by PHE (479.5, 1839.0)
    assert lower == pytest.approx(479.5, rel=0.002) and upper == pytest.approx(1839.0, rel=0.002)


def test_byar_zero_events_and_wider_998():
    assert byar_ci(0, 1000)[1] == 0.0
    # by hand: (1 - 1/9 + 1.96/3)**3 = 3.668 events (exact Poisson 3.689)
    assert byar_ci(0, 1000)[2] == pytest.approx(366.80, abs=0.05)
    assert byar_ci(10, 1000, 0.998)[1] < byar_ci(10, 1000)[1]


def test_vectorised_intervals_match_the_scalar_ones():
    frame = pl.DataFrame({"numerator": [40.0, 10.0, 0.0], "denominator": [100.0, 1000.0, 50.0]})
    wil = with_intervals(frame, "proportion", 100.0)
    assert wil["lower"][0] == pytest.approx(wilson_ci(40, 100)[1] * 100)
    assert wil["upper"][2] == pytest.approx(wilson_ci(0, 50)[2] * 100)
    byar = with_intervals(frame, "rate", 100_000.0)
    assert byar["lower"][1] == pytest.approx(byar_ci(10, 1000)[1])
    assert byar["lower"][2] == 0.0
    assert with_intervals(frame, "count", 1.0)["lower"].null_count() == 3


@pytest.mark.parametrize(
    ("lower", "upper", "bench", "polarity", "expected"),
    [
        (30.9, 49.9, 25.0, "higher_is_better", "better"),
        (30.9, 49.9, 25.0, "lower_is_better", "worse"),
        (30.9, 49.9, 25.0, "neutral", "higher"),
        (30.9, 49.9, 55.0, "neutral", "lower"),
        (30.9, 49.9, 55.0, "higher_is_better", "worse"),
        (30.9, 49.9, 40.0, "higher_is_better", "similar"),
        (None, 49.9, 40.0, "neutral", "not compared"),
        (30.9, 49.9, None, "neutral", "not compared"),
    ],
)
def test_compare_follows_fingertips(lower, upper, bench, polarity, expected):
    assert compare(lower, upper, bench, polarity) == expected


def test_compare_column():
    frame = pl.DataFrame({"lower": [1.0, 5.0], "upper": [2.0, 6.0]})
    assert compare_column(frame, 3.0, "neutral")["comparison"].to_list() == ["lower", "higher"]
