"""UK financial years (1 April to 31 March): labels, parsing and polars expressions.

A financial year is labelled by its start and end years, ``"2019/20"``, and stored by its
start date, ``date(2019, 4, 1)``.

Financial years are read by :func:`formatting.parse_financial_year` (re-exported here), which
lists the forms it accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

# the parser is below the data layer, which reads a council's years too; re-exported here
from formatting import ACCEPTED_FORMS as ACCEPTED_FORMS
from formatting import FY_START_DAY as FY_START_DAY
from formatting import FY_START_MONTH as FY_START_MONTH
from formatting import financial_year_label as financial_year_label
from formatting import parse_financial_year as parse_financial_year


def _start_year(d: date) -> int:
    """Return the calendar year in which the financial year containing ``d`` starts."""
    return d.year if d.month >= FY_START_MONTH else d.year - 1


def financial_year(d: date) -> str:
    """Return the label (``"2019/20"``) of the financial year containing date ``d``."""
    return financial_year_label(_start_year(d))


def financial_year_start(d: date) -> date:
    """Return the start date (1 April) of the financial year containing date ``d``."""
    return date(_start_year(d), FY_START_MONTH, FY_START_DAY)


def financial_year_end(d: date) -> date:
    """Return the last day (31 March) of the financial year containing date ``d``."""
    return date(_start_year(d) + 1, FY_START_MONTH - 1, 31)


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
