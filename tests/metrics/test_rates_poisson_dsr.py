"""Counts, crude rates and directly standardised rates as OHID computes them, checked by hand.

Counts and rates: exact Poisson limits below 10 events, Byar's from 10. Exact limits for x
events at confidence 1 - alpha solve, for X ~ Poisson(mu):
    lower: P(X >= x; mu) = alpha/2        upper: P(X <= x; mu) = alpha/2
which for x = 0 and 1 have closed forms (written out below); for 9 events each test also puts
the limits back into the Poisson sums, written here independently of metrics.rates.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from metrics.rates import (
    ESP2013,
    byar_ci,
    dsr_ci,
    exact_poisson_limits,
    poisson_limits,
    rate_ci,
    with_intervals,
)


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), summed term by term."""
    return sum(math.exp(-mu) * mu**j / math.factorial(j) for j in range(k + 1))


def test_no_events_has_lower_0_and_upper_minus_log_alpha_half():
    # P(X <= 0; U) = e^-U = 0.025  ->  U = -ln 0.025 = 3.688879 events; per 1,000 people
    # per 100,000: 368.888
    rate, lower, upper = rate_ci(0, 1000)
    assert (rate, lower) == (0.0, 0.0)
    assert upper == pytest.approx(368.8879, abs=1e-4)
    # 99.8%: U = -ln 0.001 = 6.907755
    assert rate_ci(0, 1, 0.998, multiplier=1)[2] == pytest.approx(6.907755, abs=1e-6)


def test_one_event_95():
    # lower: P(X >= 1; L) = 1 - e^-L = 0.025  ->  L = -ln 0.975 = 0.0253178
    # upper: P(X <= 1; U) = e^-U (1 + U) = 0.025  ->  U = 5.571643 (e^-5.571643 * 6.571643
    #        = 0.0038043 * 6.571643 = 0.025000)
    _, lower, upper = rate_ci(1, 1, multiplier=1)
    assert lower == pytest.approx(-math.log(0.975), abs=1e-9)
    assert upper == pytest.approx(5.571643, abs=1e-6)
    assert math.exp(-upper) * (1 + upper) == pytest.approx(0.025, abs=1e-12)


def test_one_event_998_lower_limit_is_not_negative():
    # Byar's formula goes below zero: 1 * (1 - 1/9 - 3.090232/3)^3 = (-0.141188)^3 = -0.0028145
    assert byar_ci(1, 1, 0.998, multiplier=1)[1] == pytest.approx(-0.0028145, abs=1e-6)
    # exact: 1 - e^-L = 0.001  ->  L = -ln 0.999 = 0.00100050; e^-U (1 + U) = 0.001  ->  U = 9.233413
    _, lower, upper = rate_ci(1, 1, 0.998, multiplier=1)
    assert lower >= 0
    assert lower == pytest.approx(-math.log(0.999), abs=1e-9)
    assert upper == pytest.approx(9.233413, abs=1e-6)
    # per 100,000 for 1 event in 2,000 people: 0.0500 to 461.67
    rate, lo, hi = rate_ci(1, 2000, 0.998)
    assert rate == 50.0
    assert lo == pytest.approx(0.050025, abs=1e-6) and hi == pytest.approx(461.6707, abs=1e-4)


@pytest.mark.parametrize(
    ("confidence", "lower", "upper"),
    # exact limits for 9 events; the check that they are right is the Poisson sums below
    # (95%: 4.12 and 17.08 in the usual tables of exact Poisson limits)
    [(0.95, 4.115373, 17.084803), (0.998, 2.452424, 22.657373)],
)
def test_nine_events_are_exact(confidence, lower, upper):
    lo, hi = rate_ci(9, 1, confidence, multiplier=1)[1:]
    assert lo == pytest.approx(lower, abs=1e-5) and hi == pytest.approx(upper, abs=1e-5)
    alpha = 1 - confidence
    # the limits put back into the Poisson sums: P(X >= 9; L) = alpha/2, P(X <= 9; U) = alpha/2
    assert 1 - poisson_cdf(8, lo) == pytest.approx(alpha / 2, abs=1e-10)
    assert poisson_cdf(9, hi) == pytest.approx(alpha / 2, abs=1e-10)
    assert (lo, hi) != pytest.approx(byar_ci(9, 1, confidence, multiplier=1)[1:], abs=1e-3)


def test_ten_events_switch_to_byar():
    # Byar by hand: 10 * (1 - 1/90 - 1.959964/(3*sqrt 10))^3 = 10 * 0.782291^3 = 4.78745
    #               11 * (1 - 1/99 + 1.959964/(3*sqrt 11))^3 = 11 * 1.186883^3 = 18.39146
    rate, lower, upper = rate_ci(10, 1000)
    assert rate == 1000.0
    assert lower == pytest.approx(478.745, abs=1e-3) and upper == pytest.approx(1839.146, abs=1e-3)
    assert (lower, upper) == byar_ci(10, 1000)[1:]
    # the exact limits at 10 would have been 4.795389 and 18.390356 (PHE: 479.5, 1839.0)
    assert exact_poisson_limits(10.0) == pytest.approx((4.795389, 18.390356), abs=1e-6)
    # 99.8%, still Byar: 10 * (1 - 1/90 - 3.090232/9.486833)^3 = 10 * 0.663150^3 = 2.91632
    assert poisson_limits(10, 0.998)[0] == pytest.approx(2.91632, abs=1e-4)


def test_rate_ci_without_population_or_count_is_nan():
    assert all(math.isnan(v) for v in rate_ci(3, 0))
    assert all(math.isnan(v) for v in rate_ci(-1, 100))


def test_vectorised_rate_limits_switch_at_ten_like_the_scalar_ones():
    frame = pl.DataFrame(
        {"numerator": [0.0, 1.0, 9.0, 10.0, None], "denominator": [1000.0] * 4 + [10.0]}
    )
    for confidence in (0.95, 0.998):
        out = with_intervals(frame, "rate", 100_000.0, confidence)
        for row, x in enumerate((0, 1, 9, 10)):
            _, lo, hi = rate_ci(x, 1000, confidence)
            assert out["lower"][row] == pytest.approx(lo) and out["upper"][row] == pytest.approx(hi)
        assert out["lower"][4] is None and out["upper"][4] is None
    assert with_intervals(frame, "rate", 100_000.0, 0.998)["lower"].min() == 0.0


# -- directly standardised rates -------------------------------------------------------------


def test_esp2013_has_19_bands_summing_to_100000():
    assert list(ESP2013)[:2] == ["0-4", "5-9"] and list(ESP2013)[-2:] == ["85-89", "90+"]
    assert len(ESP2013) == 19 and sum(ESP2013.values()) == 100_000


# PHEindicatormethods' DSR vignette, "zero deaths for a specific age band within a small
# geography": no deaths are given for 10-14, 15-19 and 20-24 (the vignette replaces the NAs
# with 0). No published output of it was found, so the values below are worked by hand.
VIGNETTE_POPS = [30, 35, 35, 35, 40, 40, 45, 50, 50, 50, 60, 60, 70, 75, 70, 60, 20, 20, 15]
VIGNETTE_DEATHS = {
    "0-4": 1, "5-9": 1, "25-29": 1, "30-34": 1, "35-39": 3, "40-44": 3, "45-49": 3,
    "50-54": 3, "55-59": 10, "60-64": 10, "65-69": 10, "70-74": 10, "75-79": 8, "80-84": 8,
    "85-89": 8, "90+": 8,
}  # fmt: skip


def test_dsr_with_missing_bands_by_hand():
    # O = 1+1+1+1 + 3*4 + 10*4 + 8*4 = 88 deaths; sum of weights 100,000
    # sum w x / n = 5000/30 + 5500/35 + 0 + 0 + 0 + 6000/40 + 6500/45 + 3*7000*3/50 + 7000*3/60
    #   + 6500*10/60 + 6000*10/70 + 5500*10/75 + 5000*10/70 + 4000*8/60 + 2500*8/20
    #   + 1500*8/20 + 1000*8/15 = 8283.0159  ->  DSR = 8283.0159 per 100,000
    # var = sum w^2 x / n^2 / 100000^2 = 849809.0 / 1e10 = 8.49809e-5
    # sqrt(var / O) = sqrt(8.49809e-5 / 88) = 9.82696e-4
    # Byar of 88 at 95%: 88 * (1 - 1/792 - 1.959964/(3*sqrt 88))^3 = 88 * 0.929093^3 = 70.5765
    #                    89 * (1 - 1/801 + 1.959964/(3*sqrt 89))^3 = 89 * 1.068004^3 = 108.4197
    # lower = 0.0828302 + 9.82696e-4 * (70.5765 - 88) = 0.0657082  -> 6570.8
    # upper = 0.0828302 + 9.82696e-4 * (108.4197 - 88) = 0.1028966 -> 10289.7
    value, lower, upper = dsr_ci(VIGNETTE_DEATHS, VIGNETTE_POPS, ESP2013)
    assert value == pytest.approx(8283.016, abs=1e-3)
    assert lower == pytest.approx(6570.8, abs=0.1) and upper == pytest.approx(10289.7, abs=0.1)
    # the same as a sequence, the missing bands as None or 0
    deaths = [VIGNETTE_DEATHS.get(band) for band in ESP2013]
    assert deaths[2:5] == [None, None, None]
    assert dsr_ci(deaths, VIGNETTE_POPS, ESP2013) == pytest.approx((value, lower, upper))
    zeros = [d or 0 for d in deaths]
    assert dsr_ci(zeros, VIGNETTE_POPS, ESP2013) == pytest.approx((value, lower, upper))


def test_dsr_at_998():
    # Byar of 88 at 99.8% (z = 3.090232): 88 * (1 - 1/792 - 3.090232/28.142495)^3
    #   = 88 * 0.888930^3 = 61.8138;  89 * (1 - 1/801 + 3.090232/28.301943)^3 = 89 * 1.107940^3
    #   = 121.0428
    # lower = 0.0828302 + 9.82696e-4 * (61.8138 - 88) = 0.0570967 -> 5709.7
    # upper = 0.0828302 + 9.82696e-4 * (121.0428 - 88) = 0.1153012 -> 11530.1
    value, lower, upper = dsr_ci(VIGNETTE_DEATHS, VIGNETTE_POPS, ESP2013, confidence=0.998)
    assert value == pytest.approx(8283.016, abs=1e-3)
    assert lower == pytest.approx(5709.7, abs=0.1) and upper == pytest.approx(11530.1, abs=0.1)


def test_dsr_two_bands_and_a_multiplier():
    # standard weights 3 and 1; 20 events in 1,000 and 30 in 500
    # value = (3*20/1000 + 1*30/500) / 4 = (0.06 + 0.06) / 4 = 0.03 -> 3,000 per 100,000
    # var = (9*20/1000^2 + 1*30/500^2) / 16 = (0.00018 + 0.00012) / 16 = 1.875e-5
    # sqrt(var / 50) = sqrt(3.75e-7) = 6.12372e-4
    # Byar of 50: 50 * (1 - 1/450 - 1.959964/(3*sqrt 50))^3 = 50 * 0.905384^3 = 37.1081
    #             51 * (1 - 1/459 + 1.959964/(3*sqrt 51))^3 = 51 * 1.089305^3 = 65.9202
    # lower = 0.03 + 6.12372e-4 * (37.1081 - 50) = 0.0221054; upper = 0.03 + 6.12372e-4 * 15.9202
    #       = 0.0397491; per 1,000: 22.105 and 39.749
    value, lower, upper = dsr_ci(
        {"old": 30, "young": 20}, {"young": 1000, "old": 500}, {"young": 3, "old": 1}, 0.95, 1000
    )
    assert value == pytest.approx(30.0)
    assert lower == pytest.approx(22.105, abs=1e-3) and upper == pytest.approx(39.749, abs=1e-3)


def test_dsr_below_10_events_in_all_is_nan():
    # 9 events in all (no band with more than 3): not computed, value and limits NaN
    counts = {"65-69": 3, "70-74": 3, "75-79": 3}
    assert all(math.isnan(v) for v in dsr_ci(counts, [1000] * 19, ESP2013))
    # one more event and it is computed
    counts["80-84"] = 1
    assert not any(math.isnan(v) for v in dsr_ci(counts, [1000] * 19, ESP2013))
    assert all(math.isnan(v) for v in dsr_ci([0] * 19, [1000] * 19, ESP2013))


def test_dsr_refuses_what_it_cannot_standardise():
    with pytest.raises(ValueError, match="unknown band.*'95\\+'"):
        dsr_ci({"95+": 12}, [1000] * 19, ESP2013)
    with pytest.raises(ValueError, match="18 value\\(s\\) for the standard's 19 bands"):
        dsr_ci([1] * 18, [1000] * 19, ESP2013)
    with pytest.raises(ValueError, match="populations: no value for band 90\\+"):
        dsr_ci([1] * 19, {b: 1000 for b in list(ESP2013)[:-1]}, ESP2013)
    with pytest.raises(ValueError, match="more than 0 people: 0-4 \\(0.0\\)"):
        dsr_ci([1] * 19, [0] + [1000] * 18, ESP2013)
    with pytest.raises(ValueError, match="cannot be negative"):
        dsr_ci([-1] + [1] * 18, [1000] * 19, ESP2013)
