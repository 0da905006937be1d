"""Numbers, money, percentages and dates as Placewise writes them: standard library only.

Every layer may use these (metrics' tiles and sentences, charts, slides, pages), so this module
imports nothing but the standard library: no plotly, no streamlit, no polars.
"""

from __future__ import annotations

import math
from datetime import date

NOT_AVAILABLE = "n/a"


def format_gbp_m(amount_gbp: float | None, decimals: int = 1) -> str:
    """Return pounds as millions with thousands separators, e.g. 430_100_000 -> "£430.1m" (None/NaN -> "n/a").

    An amount that rounds to zero has no sign: -40_000 -> "£0.0m".
    """
    if amount_gbp is None or math.isnan(amount_gbp):
        return NOT_AVAILABLE
    millions = round(float(amount_gbp) / 1_000_000, decimals)
    sign = "-" if millions < 0 else ""
    return f"{sign}£{abs(millions):,.{decimals}f}m"


def format_pct(x: float | None, decimals: int = 1) -> str:
    """Return a value already on a 0-100 scale as a percentage, e.g. 52.06 -> "52.1%" (None/NaN -> "n/a")."""
    if x is None or math.isnan(x):
        return NOT_AVAILABLE
    value = round(float(x), decimals)
    return f"{value + 0.0:,.{decimals}f}%"


def signed_gbp_m(x: float | None) -> str:
    """'+£1.2m', '-£0.4m', '£0.0m' (no sign when it rounds to zero), 'n/a'."""
    return ("+" if x is not None and round(x / 1e6, 1) > 0 else "") + format_gbp_m(x)


def gbp(x: float | None) -> str:
    """Whole pounds with separators, '£1,234' (None: 'n/a')."""
    return NOT_AVAILABLE if x is None else f"{'-' if x < 0 else ''}£{abs(x):,.0f}"


def ratio_text(x: float | None) -> str:
    """A ratio to two decimals, '1.25' (None: 'not defined', as a ratio to nothing is)."""
    return "not defined" if x is None else f"{x:.2f}"


def day(d: date | None) -> str:
    """Return a date as "31 Mar 2019" ("n/a" for None)."""
    return f"{d.day} {d:%b %Y}" if d else NOT_AVAILABLE


def format_value(value: float | None, value_type: str, unit: str = "") -> str:
    """A figure as a board member would quote it: '82.3%', '1,902', '23' (None or not finite: 'n/a')."""
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    if value_type == "proportion" and "%" in unit:
        return f"{value:,.1f}%"
    if value_type == "rate":
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    if value_type == "count" and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"
