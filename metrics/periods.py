"""UK financial years (1 April to 31 March): labels, parsing and polars expressions.

A financial year is labelled by its start and end years, ``"2019/20"``, and stored by its
start date, ``date(2019, 4, 1)``.

Accepted input forms for :func:`parse_financial_year` (case-insensitive, surrounding
whitespace ignored, an optional ``FY`` prefix with or without a space):

* ``2019/20``, ``2019-20``, ``2019/2020``, ``2019-2020`` (also ``_``, en dash, spaces
  around the separator): start year then end year, which must be the next year;
* ``FY2019``, ``FY 2019``: a bare four-digit year after ``FY`` is the **start** year
  (``FY2019`` is 2019/20), the convention of our inputs; a bare year without ``FY`` is
  rejected because it is ambiguous;
* ``19/20``, ``FY19/20``, ``fy19-20``: two-digit years are read as 20YY (``19/20`` is 2019/20).

Rejected: non-consecutive years (``2019/22``), bare two-digit years (``FY19``: NHS usage
varies between the start and the end year), and anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

import polars as pl

FY_START_MONTH = 4
FY_START_DAY = 1

ACCEPTED_FORMS = "2019/20, 2019-20, 2019/2020, 2019-2020, FY2019, FY 2019/20, FY19/20"

_SEP = r"\s*[/\-_\u2013\u2014]\s*"
_PAIR = re.compile(rf"^(?:FY\s*)?(?P<start>\d{{4}}|\d{{2}}){_SEP}(?P<end>\d{{4}}|\d{{2}})$")
_FY_YEAR = re.compile(r"^FY\s*(?P<start>\d{4})$")


def _start_year(d: date) -> int:
    """Return the calendar year in which the financial year containing ``d`` starts."""
    return d.year if d.month >= FY_START_MONTH else d.year - 1


def financial_year_label(start: date | int) -> str:
    """Return the label (``"2019/20"``) of the financial year starting on ``start`` (1 April) or in year ``start``."""
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


def financial_year(d: date) -> str:
    """Return the label (``"2019/20"``) of the financial year containing date ``d``."""
    return financial_year_label(_start_year(d))


def financial_year_start(d: date) -> date:
    """Return the start date (1 April) of the financial year containing date ``d``."""
    return date(_start_year(d), FY_START_MONTH, FY_START_DAY)


def financial_year_end(d: date) -> date:
    """Return the last day (31 March) of the financial year containing date ``d``."""
    return date(_start_year(d) + 1, FY_START_MONTH - 1, 31)


def _reject(text: object, why: str) -> ValueError:
    return ValueError(
        f"Cannot read {text!r} as a financial year ({why}); accepted forms: {ACCEPTED_FORMS}"
    )


def parse_financial_year(text: str) -> date:
    """Return the start date (1 April) of the financial year written as ``text`` (see module docstring)."""
    if not isinstance(text, str):
        raise _reject(text, "not text")
    cleaned = text.strip().upper()
    match = _FY_YEAR.match(cleaned)
    if match:
        return date(int(match["start"]), FY_START_MONTH, FY_START_DAY)
    match = _PAIR.match(cleaned)
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


def financial_years(first: date, last: date) -> list[str]:
    """Return the labels of every financial year from the one containing ``first`` to the one containing ``last``."""
    return [financial_year_label(y) for y in range(_start_year(first), _start_year(last) + 1)]


def _as_expr(col: str | pl.Expr) -> pl.Expr:
    return pl.col(col) if isinstance(col, str) else col


def _start_year_expr(col: str | pl.Expr) -> pl.Expr:
    d = _as_expr(col)
    return d.dt.year() - (d.dt.month() < FY_START_MONTH).cast(pl.Int32)


def financial_year_expr(col: str | pl.Expr) -> pl.Expr:
    """Return an expression turning a date column into its financial-year label (String, ``"2019/20"``; null stays null)."""
    year = _start_year_expr(col)
    end = ((year + 1) % 100).cast(pl.String).str.pad_start(2, "0")
    return pl.concat_str([year.cast(pl.String), pl.lit("/"), end])


def financial_year_start_expr(col: str | pl.Expr) -> pl.Expr:
    """Return an expression turning a date column into the start date (Date, 1 April) of its financial year."""
    return pl.date(_start_year_expr(col), FY_START_MONTH, FY_START_DAY)


def year_start_from_label_expr(col: str | pl.Expr) -> pl.Expr:
    """Return an expression turning canonical labels (``"2019/20"``) into start dates (Date); other text gives null."""
    label = _as_expr(col)
    year = label.str.extract(r"^(\d{4})/\d{2}$", 1).cast(pl.Int32)
    return pl.date(year, FY_START_MONTH, FY_START_DAY)


def financial_years_between(first: str, last: str) -> list[str]:
    """Return the labels of every financial year from ``first`` to ``last`` inclusive (any accepted form in, ``"2019/20"`` out); empty if ``last`` is before ``first``."""
    start, end = parse_financial_year(first), parse_financial_year(last)
    return [financial_year_label(y) for y in range(start.year, end.year + 1)]


def with_all_years(
    frame: pl.DataFrame, years: Sequence[str], by: str | Sequence[str] = ()
) -> pl.DataFrame:
    """Return ``frame`` (with ``financial_year`` and ``year_start``) plus a row of nulls, never zeros, for each of ``years`` a group of ``by`` lacks, so charts show a gap."""
    keys = [by] if isinstance(by, str) else list(by)
    grid = pl.DataFrame({"financial_year": list(years)}, schema={"financial_year": pl.String})
    grid = grid.with_columns(year_start=year_start_from_label_expr("financial_year"))
    if keys:
        grid = frame.select(keys).unique().join(grid, how="cross")
    on = [*keys, "financial_year", "year_start"]
    full = grid.join(frame, on=on, how="left", nulls_equal=True)
    return full.select(frame.columns).sort([*keys, "year_start"], nulls_last=True)


def missing_years(frame: pl.DataFrame, years: Sequence[str], by: str = "area_code") -> pl.DataFrame:
    """Return the ``by, financial_year`` pairs among ``years`` with no row in ``frame``, for every ``by`` value it has."""
    present = frame.select(by, "financial_year").unique()
    labels = pl.DataFrame({"financial_year": list(years)}, schema={"financial_year": pl.String})
    grid = present.select(by).unique().join(labels, how="cross")
    return grid.join(present, on=[by, "financial_year"], how="anti").sort(by, "financial_year")
