"""Hypothesis strategies for canonical tables that are mostly right and sometimes wrong.

A generated table starts from a contract (loaders.contracts): every column gets values of its
type that pass its checks, then some cells are spoiled the way real exports spoil them (blank,
NaN, infinity, text in a number column, a code nobody knows, an impossible date, a duplicate
key) and some columns are dropped, renamed or added. The loaders must either return a frame
that passes the contract or raise a DataError; nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from loaders.contracts import CONTRACTS

FY_YEARS = range(2015, 2027)
CODES = ("E08000001", "E08000003", "E08000004", "E08000015", "E01005000", "E02001234")
# text a finance or CQC export really carries in a cell where a number or date belongs
JUNK_TEXT = ("twelve", "n/a", "-", "£1,234.50", "1,000", "  ", "NaN", "inf", "-Infinity", "TRUE")
JUNK_TEXT += ("31/02/2024", "2024-13-01", "next Tuesday", '=HYPERLINK("x")', "é£€", "1e309")
UNKNOWN_CODES = ("hospital", "Very good", "social", "BUDGET", "", "neighbourhood")


@dataclass(frozen=True)
class Column:
    """What a contract says about one column."""

    name: str
    dtype: str  # polars dtype name
    nullable: bool
    required: bool
    allowed: tuple | None = None
    low: float | None = None
    high: float | None = None
    pattern: str | None = None


def contract_columns(contract: str) -> list[Column]:
    out = []
    for name, col in CONTRACTS[contract].to_schema().columns.items():
        stats: dict[str, Any] = {}
        for check in col.checks:
            stats.update(check.statistics or {})
        out.append(
            Column(
                name=name,
                dtype=str(col.dtype),
                nullable=bool(col.nullable),
                required=bool(col.required),
                allowed=tuple(stats["allowed_values"]) if "allowed_values" in stats else None,
                low=stats.get("min_value"),
                high=stats.get("max_value"),
                pattern=stats.get("pattern"),
            )
        )
    return out


def good_value(column: Column) -> st.SearchStrategy:
    """A value that passes the column's dtype and checks."""
    if column.allowed is not None:
        return st.sampled_from(column.allowed)
    if column.pattern is not None and "/" in column.pattern:  # financial year
        return st.sampled_from(FY_YEARS).map(lambda y: f"{y}/{(y + 1) % 100:02d}")
    if column.dtype == "String":
        if column.name.endswith("_code"):
            return st.sampled_from(CODES)
        return st.text(alphabet="abcdefgh XYZ-'&0123456789", min_size=1, max_size=12).filter(
            lambda s: s.strip() != ""
        )
    if column.dtype == "Date":
        return st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31))
    if column.dtype == "Boolean":
        return st.booleans()
    low = column.low if column.low is not None else -1e9
    high = column.high if column.high is not None else 1e9
    if column.dtype == "Int64":
        return st.integers(int(math.ceil(low)), int(high))
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 4))


def _bad(column: Column) -> st.SearchStrategy:
    """A value a real export might put in this column, often not a valid one."""
    options = [st.none(), st.sampled_from(JUNK_TEXT)]
    if column.dtype in ("Float64", "Int64"):
        options += [
            st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0.5, 1e12]),
            st.integers(-(10**6), 10**6),
        ]
    if column.dtype == "String":
        options += [st.sampled_from(UNKNOWN_CODES), st.integers(0, 99), st.floats(0, 10)]
    if column.dtype == "Date":
        options += [st.sampled_from(["2024-04-01", "01/04/2024", "4/1/2024 12:00:00 AM"])]
        options += [st.integers(0, 50_000), st.datetimes(dt.datetime(1900, 1, 1))]
    if column.dtype == "Boolean":
        options += [st.sampled_from(["Y", "N", "yes", "0", "maybe", 2])]
    return st.one_of(options)


# a text column in each contract's key: made unique per row unless a duplicate is the spoil
KEYS = {
    "spend": "setting",
    "care_homes": "location_id",
    "observations": "indicator_id",
    "areas": "area_code",
    "settings": "setting",
    "cqc_ratings": "location_id",
}
SPOILS = ("none", "cell", "cell", "nonfinite", "cells", "columns", "duplicate")
NONFINITE = (math.nan, math.inf, -math.inf, "NaN", "nan", "inf", "-Infinity", "1e309")


@st.composite
def tables(
    draw, contract: str, max_rows: int = 6, spoils: tuple[str, ...] = SPOILS
) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) for `contract`: valid, or spoiled one way (a cell, many cells, a column, a
    duplicate row)."""
    cols = contract_columns(contract)
    n_rows = draw(st.integers(0, max_rows))
    spoil = draw(st.sampled_from(spoils))
    rate = draw(st.floats(0.05, 0.3)) if spoil == "cells" else 0.0
    header = [c.name for c in cols]
    values = []
    for col in cols:
        cells = []
        for r in range(n_rows):
            bad = rate and draw(st.floats(0, 1)) < rate
            value = draw(_bad(col) if bad else good_value(col))
            if col.name == KEYS.get(contract) and not bad:
                value = f"{value}-{r}"
            cells.append(value)
        values.append(cells)
    if spoil == "cell" and n_rows:  # exactly one bad cell: the loader must judge it alone
        c = draw(st.integers(0, len(cols) - 1))
        values[c][draw(st.integers(0, n_rows - 1))] = draw(_bad(cols[c]))
    numbers = [i for i, c in enumerate(cols) if c.dtype == "Float64"]
    if spoil == "nonfinite" and n_rows and numbers:  # NaN or infinity, as a float or as text
        c = draw(st.sampled_from(numbers))
        values[c][draw(st.integers(0, n_rows - 1))] = draw(st.sampled_from(NONFINITE))
    if spoil == "duplicate" and n_rows >= 2:
        for cells in values:
            cells[-1] = cells[0]
    pairs = list(zip(header, values, strict=True))
    if spoil == "columns":
        i = draw(st.integers(0, len(pairs) - 1))
        action = draw(st.sampled_from(("drop", "rename", "add")))
        if action == "drop":
            del pairs[i]
        elif action == "rename":
            pairs[i] = (pairs[i][0].upper(), pairs[i][1])
        else:
            pairs.append(("notes", [draw(st.sampled_from(JUNK_TEXT)) for _ in range(n_rows)]))
    order = draw(st.permutations(range(len(pairs))))
    pairs = [pairs[i] for i in order]
    rows = [[cells[r] for _, cells in pairs] for r in range(n_rows)]
    return [h for h, _ in pairs], rows
