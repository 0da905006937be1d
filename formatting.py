"""Numbers, money, percentages and dates as Placewise writes them: standard library only.

Every layer may use these (metrics' tiles and sentences, charts, slides, pages), so this module
imports nothing but the standard library: no plotly, no streamlit, no polars.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

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


# --- financial years (1 April to 31 March) ---------------------------------------------------
# Read here, below every other layer, because loaders normalise the years of a council's own
# files and metrics label them. Accepted by parse_financial_year (case-insensitive, surrounding
# whitespace ignored, an optional "FY" prefix with or without a space):
#
# * 2019/20, 2019-20, 2019/2020, 2019-2020 (also _, en dash, spaces around the separator):
#   start year then end year, which must be the next year;
# * FY2019, FY 2019: a bare four-digit year after FY is the *start* year (FY2019 is 2019/20),
#   the convention of our inputs; a bare year without FY is rejected because it is ambiguous;
# * 19/20, FY19/20, fy19-20: two-digit years are read as 20YY (19/20 is 2019/20);
# * Apr 2019 - Mar 2020, April 2019 to March 2020: the months that open and close the year.
#
# Rejected: non-consecutive years (2019/22), bare two-digit years (FY19: NHS usage varies
# between the start and the end year), and anything else.

FY_START_MONTH = 4
FY_START_DAY = 1

ACCEPTED_FORMS = (
    "2019/20, 2019-20, 2019/2020, 2019-2020, FY2019, FY 2019/20, FY19/20, Apr 2019 - Mar 2020"
)

_SEP = r"\s*[/\-_\u2013\u2014]\s*"
_PAIR = re.compile(rf"^(?:FY\s*)?(?P<start>\d{{4}}|\d{{2}}){_SEP}(?P<end>\d{{4}}|\d{{2}})$")
_FY_YEAR = re.compile(r"^FY\s*(?P<start>\d{4})$")
_MONTHS = re.compile(
    r"^APR(?:IL)?\s*(?P<start>\d{4})\s*(?:[\-\u2013\u2014]|TO)\s*MAR(?:CH)?\s*(?P<end>\d{4})$"
)


def financial_year_label(start: date | int) -> str:
    """Return the label ("2019/20") of the financial year starting on `start` (1 April) or in
    year `start`."""
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(start, date):
        if (start.month, start.day) != (FY_START_MONTH, FY_START_DAY):
            raise ValueError(
                f"financial_year_label expects a 1 April start date, got {start.isoformat()}; "
                "use financial_year() for any date within a year"
            )
        year = start.year
    else:
        year = int(start)
    return f"{year}/{(year + 1) % 100:02d}"


class FinancialYearError(ValueError):
    """`text` is not a financial year; `why` says what is wrong with it, in a few words."""

    def __init__(self, text: object, why: str):
        self.text, self.why = text, why
        super().__init__(
            f"Cannot read {text!r} as a financial year ({why}); accepted forms: {ACCEPTED_FORMS}"
        )


def _reject(text: object, why: str) -> FinancialYearError:
    return FinancialYearError(text, why)


def parse_financial_year(text: str) -> date:
    """Return the start date (1 April) of the financial year written as `text` (the forms are
    listed above); ValueError naming the text and the accepted forms otherwise."""
    if not isinstance(text, str):
        raise _reject(text, "not text")
    cleaned = text.strip().upper()
    match = _FY_YEAR.match(cleaned)
    if match:
        return date(int(match["start"]), FY_START_MONTH, FY_START_DAY)
    match = _PAIR.match(cleaned) or _MONTHS.match(cleaned)
    if not match:
        raise _reject(text, "unrecognised form")
    start_text, end_text = match["start"], match["end"]
    start = int(start_text) if len(start_text) == 4 else 2000 + int(start_text)
    if len(start_text) == 2 and len(end_text) == 4:
        raise _reject(text, "a two-digit start year needs a two-digit end year")
    end_ok = (
        int(end_text) == start + 1 if len(end_text) == 4 else int(end_text) == (start + 1) % 100
    )
    if not end_ok:
        raise _reject(text, f"the end year must follow the start year {start}")
    return date(start, FY_START_MONTH, FY_START_DAY)
