"""Benchmark comparisons (metrics.compare), against numbers worked by hand.

Wilson, 30 of 100: z = 1.959964 (95%), z^2 = 3.841459; centre 2x + z^2 = 63.841459, spread
z * sqrt(z^2 + 4x(1 - p)) = 1.959964 * sqrt(87.841459) = 18.369532, bottom 2(n + z^2) =
207.682918: limits 21.895% and 39.585%. At 99.8% (z = 3.090232): 18.102% and 45.385%.
Byar, 10 events: 10 (1 - 1/90 - z/(3 sqrt 10))^3 = 4.78745, 11 (1 - 1/99 + z/(3 sqrt 11))^3 =
18.39146 (95%); upper 24.19372 at 99.8%. Exact Poisson, 9 events (chi-squared tables):
chi2(0.025, 18)/2 = 4.11537, chi2(0.975, 20)/2 = 17.08480. 0 events: upper -ln(0.025) = 3.68888.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from metrics import compare as cmp


def test_proportion_uses_wilson_on_the_percentage_scale():
    value, lower, upper = cmp.interval("proportion", 30, 100, multiplier=100)
    assert value == 30.0
    assert lower == pytest.approx(21.895, abs=1e-3)
    assert upper == pytest.approx(39.585, abs=1e-3)
    _, lower, upper = cmp.interval("proportion", 30, 100, confidence=0.998, multiplier=100)
    assert (lower, upper) == (pytest.approx(18.102, abs=1e-3), pytest.approx(45.385, abs=1e-3))


def test_rate_is_exact_below_10_events_and_byar_from_10():
    value, lower, upper = cmp.interval("rate", 9, 10_000, multiplier=100_000)
    assert value == 90.0
    assert lower == pytest.approx(41.1537, abs=1e-3)
    assert upper == pytest.approx(170.8480, abs=1e-3)
    value, lower, upper = cmp.interval("rate", 10, 10_000, multiplier=100_000)
    assert value == 100.0
    assert lower == pytest.approx(47.8745, abs=1e-3)
    assert upper == pytest.approx(183.9146, abs=1e-3)
    assert cmp.interval("rate", 0, 10_000, multiplier=100_000) == pytest.approx(
        (0.0, 0.0, 36.8888), abs=1e-3
    )


def test_count_has_its_own_poisson_limits_and_bad_inputs_none():
    assert cmp.interval("count", 9, None) == pytest.approx((9, 4.11537, 17.0848), abs=1e-4)
    for args in (
        ("proportion", 5, None),
        ("proportion", 12, 10),
        ("rate", None, 10),
        ("mean", 1, 2),
    ):
        assert all(math.isnan(v) for v in cmp.interval(*args, multiplier=100))


def test_standardised_rate_is_dobson_on_esp2013():
    # every band 10 events in 10,000 people: the DSR is 100 per 100,000 whatever the weights
    bands = list(cmp.ESP2013)
    value, lower, upper = cmp.standardised(dict.fromkeys(bands, 10), dict.fromkeys(bands, 10_000))
    assert value == pytest.approx(100.0)
    assert lower < 100 < upper
    assert all(math.isnan(v) for v in cmp.standardised({"90+": 9}, dict.fromkeys(bands, 100)))


def totals() -> pl.DataFrame:
    return pl.DataFrame(
        {"area_code": ["a", "b", "c"], "area_name": ["Alpha", "Beta", "Gamma"],
         "numerator": [30.0, 10.0, 20.0], "denominator": [100.0, 10_000.0, 50.0]}
    )  # fmt: skip


def test_a_proportion_differs_at_95_but_not_at_99_8():
    rows = cmp.against(totals()[:1], 40.0, value_type="proportion", polarity="higher_is_better",
                       multiplier=100)  # fmt: skip
    row = rows.row(0, named=True)
    assert (row["side_95"], row["vs_95"]) == ("lower", "worse")
    assert (row["side_99_8"], row["vs_99_8"]) == ("similar", "similar")
    assert row["benchmark"] == 40.0
    assert cmp.words(row["side_95"], row["vs_95"], "Oldham") == (
        "significantly lower than Oldham (worse)"
    )


def test_a_rate_below_the_benchmark_is_better_when_lower_is_better_and_lower_when_neutral():
    one = totals()[1:2]
    rows = cmp.against(one, 200.0, value_type="rate", polarity="lower_is_better",
                       multiplier=100_000)  # fmt: skip
    assert rows["vs_95"].to_list() == ["better"]  # 183.9 < 200
    assert rows["vs_99_8"].to_list() == ["similar"]  # 241.9 > 200
    neutral = cmp.against(one, 200.0, value_type="rate", polarity="neutral", multiplier=100_000)
    assert neutral["vs_95"].to_list() == ["lower"]
    assert cmp.against(one, None, value_type="rate", polarity="neutral",
                       multiplier=100_000)["vs_95"].to_list() == ["not compared"]  # fmt: skip


def test_finding_names_the_highest_and_what_differs_in_significance_words():
    rows = cmp.against(totals(), 30.0, value_type="proportion", polarity="lower_is_better",
                       multiplier=100)  # fmt: skip
    # Gamma 40% of 50 (Wilson 27.6% to 53.7%: similar), Alpha 30% (similar), Beta 0.1% (lower)
    text = cmp.finding(rows, indicator_name="Delayed discharges", benchmark_name="Oldham")
    assert text == (
        "Gamma has the highest delayed discharges, similar to Oldham; also significantly "
        "different at 95%: Beta (lower, better)"
    )
    assert not any(w in text.lower() for w in cmp.SPC_WORDS)
    high = cmp.against(totals(), 10.0, value_type="proportion", polarity="neutral", multiplier=100)
    assert cmp.finding(high, indicator_name="Share", benchmark_name="Oldham", level="99.8") == (
        "Gamma has the highest share, significantly higher than Oldham; also significantly "
        "different at 99.8%: Alpha (higher), Beta (lower)"
    )


def test_periods_are_the_latest_12_months_then_complete_financial_years():
    months = [date(2023, 7, 1).replace(month=m) for m in range(7, 13)]
    months += [date(2024, m, 1) for m in range(1, 13)] + [date(2025, m, 1) for m in (1, 2, 3, 4)]
    got = cmp.periods(months)
    assert [p.code for p in got] == [cmp.LATEST, "2024/25"]
    assert got[0].label == "the 12 months May 2024 to Apr 2025"
    assert (got[1].start, got[1].end) == (date(2024, 4, 1), date(2025, 3, 1))
    assert cmp.periods(months[:11]) == []
    assert cmp.find_period(got, "2019/20") is None


def test_period_totals_sum_the_months_numerators_and_denominators():
    obs = pl.DataFrame(
        {"indicator_id": ["x"] * 3 + ["y"], "area_code": ["a", "a", "a", "a"],
         "period_start": [date(2024, 3, 1), date(2024, 4, 1), date(2024, 5, 1), date(2024, 4, 1)],
         "numerator": [100.0, 3.0, 4.0, 50.0], "denominator": [1.0, 10.0, 20.0, 1.0]}
    )  # fmt: skip
    period = cmp.Period("2024/25", "2024/25", date(2024, 4, 1), date(2025, 3, 1))
    got = cmp.period_totals(obs, "x", period).row(0, named=True)
    assert (got["numerator"], got["denominator"], got["months"]) == (7.0, 30.0, 2)
