"""formatting.py: hand-computed expectations, including the edges (zero, rounding to zero, None, NaN)."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

import charts.theme
import formatting
from formatting import (
    NOT_AVAILABLE,
    day,
    format_gbp_m,
    format_pct,
    format_value,
    gbp,
    ratio_text,
    signed_gbp_m,
)


@pytest.mark.parametrize(
    ("amount", "decimals", "expected"),
    [
        (430_100_000, 1, "£430.1m"),
        (430_123_456, 1, "£430.1m"),  # 430.123456 -> 430.1
        (430_123_456, 0, "£430m"),
        (1_500_000, 2, "£1.50m"),
        (1_234_500_000, 1, "£1,234.5m"),  # thousands separator in the millions
        (-12_340_000, 1, "-£12.3m"),
        (-50_000, 1, "-£0.1m"),  # -0.05 rounds away from zero (binary -0.05000...03)
        (-49_999, 1, "£0.0m"),  # rounds to -0.0: no sign on a zero
        (-40_000, 1, "£0.0m"),
        (-0.04, 1, "£0.0m"),
        (0, 1, "£0.0m"),
        (49_999, 1, "£0.0m"),
        (50_000, 1, "£0.1m"),
        (None, 1, "n/a"),
        (math.nan, 1, "n/a"),
    ],
)
def test_format_gbp_m(amount, decimals, expected):
    assert format_gbp_m(amount, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (52.06, 1, "52.1%"),
        (52.06, 0, "52%"),
        (99.95, 1, "100.0%"),
        (1234.5, 1, "1,234.5%"),
        (-0.04, 1, "0.0%"),  # -0.0 is written without its sign
        (-0.06, 1, "-0.1%"),
        (0, 1, "0.0%"),
        (None, 1, "n/a"),
        (math.nan, 1, "n/a"),
    ],
)
def test_format_pct(value, decimals, expected):
    assert format_pct(value, decimals) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1_200_000, "+£1.2m"),
        (50_000, "+£0.1m"),
        (40_000, "£0.0m"),  # rounds to zero: no plus
        (0, "£0.0m"),
        (-400_000, "-£0.4m"),
        (None, "n/a"),
        (math.nan, "n/a"),
    ],
)
def test_signed_gbp_m(amount, expected):
    assert signed_gbp_m(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234.5, "£1,234"),  # round half to even: 1234.5 -> 1234
        (1235.5, "£1,236"),
        (-1234.4, "-£1,234"),
        (430_100_000, "£430,100,000"),
        (0, "£0"),
        (0.5, "£0"),
        (-0.4, "-£0"),  # the sign follows the amount, not its rounding (as before the move)
        (None, "n/a"),
    ],
)
def test_gbp(amount, expected):
    assert gbp(amount) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(2, "2.00"), (0.12345, "0.12"), (1.256, "1.26"), (0, "0.00"), (None, "not defined")],
)
def test_ratio_text(ratio, expected):
    assert ratio_text(ratio) == expected


def test_day():
    assert day(date(2019, 3, 31)) == "31 Mar 2019"
    assert day(date(2024, 1, 5)) == "5 Jan 2024"  # no leading zero on the day
    assert day(datetime(2024, 12, 9, 13, 45)) == "9 Dec 2024"
    assert day(None) == "n/a"


@pytest.mark.parametrize(
    ("value", "value_type", "unit", "expected"),
    [
        (82.345, "proportion", "%", "82.3%"),
        (0.823, "proportion", "proportion", "0.8"),  # a proportion not in % gets no sign
        (1902.4, "rate", "per 100,000", "1,902"),
        (100.0, "rate", "per 100,000", "100"),
        (99.96, "rate", "per 100,000", "100.0"),  # under 100 before rounding: one decimal
        (35.44, "rate", "per 100,000", "35.4"),
        (8428.0, "count", "attendances", "8,428"),
        (8428.5, "count", "attendances", "8,428.5"),
        (23.0, "mean", "days", "23.0"),
        (None, "count", "", "n/a"),
        (math.nan, "count", "", "n/a"),
        (math.inf, "rate", "", "n/a"),
    ],
)
def test_format_value(value, value_type, unit, expected):
    assert format_value(value, value_type, unit) == expected


def test_not_available_is_one_word_everywhere():
    assert NOT_AVAILABLE == "n/a"
    assert (
        format_gbp_m(None) == format_pct(None) == gbp(None) == day(None) == format_value(None, "")
    )


def test_charts_theme_still_offers_the_moved_names():
    """Callers of charts.theme keep working: the same objects, not copies."""
    assert charts.theme.format_gbp_m is formatting.format_gbp_m
    assert charts.theme.format_pct is formatting.format_pct
    assert charts.theme.NOT_AVAILABLE == formatting.NOT_AVAILABLE


AMOUNTS = [None, 0, 0.5, -0.4, 1234.5, -49_999, -50_000, 40_000, 1_234_500_000, -12_340_000]


def test_copies_match_the_chart_modules_they_came_from():
    """charts/spend_text.py and charts/care_homes.py still hold their own copies until they import these."""
    from charts import care_homes, spend_text

    for x in AMOUNTS:
        assert signed_gbp_m(x) == spend_text.signed_gbp_m(x)
        assert gbp(x) == spend_text.gbp(x)
        assert ratio_text(x) == spend_text.ratio_text(x)
    for d in (None, date(2019, 3, 31), date(2024, 1, 5)):
        assert day(d) == care_homes.day(d)
