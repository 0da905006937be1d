"""Statistical disclosure control on person counts for small areas.

Counts of 1 to 7 are suppressed (shown as `*`), others rounded to the nearest 5. When a group
(e.g. the clusters of a place, whose total is shown) has exactly one suppressed cell in a
column, the next smallest non-zero cell is suppressed as well, so the suppressed one cannot be
recovered by subtracting the others from the total.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from metrics.rates import with_intervals

SUPPRESSED = "*"
LOW, HIGH = 1, 7
BASE = 5
MIN_EVENTS = 8  # rates from fewer events are not shown


def suppress_counts(
    frame: pl.DataFrame,
    columns: Sequence[str],
    *,
    group_by: str | Sequence[str] | None = None,
    low: int = LOW,
    high: int = HIGH,
    base: int = BASE,
    secondary: bool = True,
    force: str | None = None,
) -> pl.DataFrame:
    """Return `frame` with each count in `columns` rounded to `base`, or null where suppressed.

    A boolean `{column}_suppressed` is added for each column. Cells from `low` to `high`
    are suppressed; with `secondary`, a group (all rows, or each `group_by` group) with exactly
    one suppressed cell also loses its smallest other non-zero cell. Zero stays zero. `force`
    names a boolean column of rows whose first column is suppressed whatever its size (e.g. a
    proportion whose complement is small).
    """
    keys = [group_by] if isinstance(group_by, str) else list(group_by or [])
    out = frame.with_row_index("__row")
    for column in columns:
        flag = f"{column}_suppressed"
        # modelled counts can be fractional: judge the whole number (7.4 people is 7, suppressed)
        value = pl.col(column).round(0) if frame.schema[column].is_float() else pl.col(column)
        primary = ((value >= low) & (value <= high)).fill_null(False)
        if force and column == columns[0]:
            primary = primary | pl.col(force).fill_null(False)
        out = out.with_columns(primary.alias(flag))
        if secondary:
            out = _secondary(out, column, flag, keys)
        dtype = frame.schema[column]
        rounded = ((value / base).round(0) * base).cast(dtype if dtype.is_float() else pl.Int64)
        out = out.with_columns(pl.when(pl.col(flag)).then(None).otherwise(rounded).alias(column))
    return out.sort("__row").drop("__row")


def _secondary(out: pl.DataFrame, column: str, flag: str, keys: list[str]) -> pl.DataFrame:
    over = keys or None
    count = pl.col(flag).sum().over(over) if over else pl.col(flag).sum()
    candidate = (~pl.col(flag)) & (pl.col(column) > 0)
    rank_value = pl.when(candidate).then(pl.col(column)).otherwise(None)
    smallest = rank_value.min().over(over) if over else rank_value.min()
    first_row = (
        pl.when(candidate & (pl.col(column) == smallest)).then(pl.col("__row")).otherwise(None)
    )
    first = first_row.min().over(over) if over else first_row.min()
    extra = (count == 1) & (pl.col("__row") == first)
    return out.with_columns((pl.col(flag) | extra.fill_null(False)).alias(flag))


def display_counts(
    frame: pl.DataFrame,
    columns: Sequence[str],
    *,
    flag: str | None = "suppressed",
    flagged: Sequence[str] = ("numerator",),
) -> pl.DataFrame:
    """`frame` with counts in `columns` as whole-number text and suppressed cells as `*`.

    A cell is suppressed when its own `{column}_suppressed` is true, or when it is one of
    `flagged`, empty, and the row's `flag` column is true (as protect_values leaves it).
    """
    exprs = []
    for column in columns:
        own = f"{column}_suppressed"
        text = pl.col(column).cast(pl.Float64).round(0).cast(pl.Int64).cast(pl.String)
        if own in frame.columns:
            text = pl.when(pl.col(own)).then(pl.lit(SUPPRESSED)).otherwise(text)
        elif flag and flag in frame.columns and column in flagged:
            hidden = pl.col(flag) & pl.col(column).is_null()
            text = pl.when(hidden).then(pl.lit(SUPPRESSED)).otherwise(text)
        exprs.append(text.alias(column))
    return frame.with_columns(exprs)


RULE = (
    "Disclosure control: counts of 1 to 7 people or events below place level are withheld, "
    "other counts below place level are rounded to the nearest 5, and every rate, proportion "
    "and confidence limit below place level is recomputed from the rounded counts (or withheld "
    "with them). For a proportion, the people not counted (denominator minus numerator) are "
    "checked too."
)


def whole(column: str) -> pl.Expr:
    """A count judged as the whole number it stands for (a modelled 7.4 people is 7)."""
    return pl.col(column).cast(pl.Float64).round(0)


def small_complement(value_type: str) -> pl.Expr:
    """True where a proportion's complement (denominator minus numerator) is 1 to 7: "3 of 250
    were not at home" identifies people as surely as "3 were"."""
    if value_type != "proportion":
        return pl.lit(False)
    return (whole("denominator") - whole("numerator")).is_between(LOW, HIGH).fill_null(False)


def value_from_counts(value_type: str, multiplier: float | None) -> pl.Expr:
    """The value recomputed from the (rounded) `numerator` and `denominator`.

    A count is its numerator; a proportion or rate is numerator / denominator x multiplier; a
    mean with both counts is their ratio. Without a multiplier a proportion or rate cannot be
    recomputed and is withheld (fail closed). A row with no counts keeps its given value: it
    holds no count that could be worked back.
    """
    num, den = pl.col("numerator").cast(pl.Float64), pl.col("denominator").cast(pl.Float64)
    given = pl.col("value")
    if value_type == "count":
        return pl.coalesce(num, given)
    if value_type in ("proportion", "rate"):
        if multiplier is None:
            return pl.when(num.is_null()).then(given).otherwise(None)
        ratio = pl.when(den > 0).then(num / den * multiplier)
        return pl.when(num.is_null() & den.is_null()).then(given).otherwise(ratio)
    return pl.when(num.is_not_null() & (den > 0)).then(num / den).otherwise(given)


def protect_values(
    rows: pl.DataFrame,
    value_type: str,
    *,
    disclosure: bool,
    group_by: str | None,
    multiplier: float | None = None,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Suppress `numerator` and `denominator` person counts and derive every figure from them.

    Counts of 1 to 7 are suppressed (and, for a proportion, counts whose complement is 1 to 7),
    the rest rounded to 5, with secondary suppression per `group_by`. The value, `lower` and
    `upper` are then recomputed from the rounded counts (Wilson for proportions, Byar for
    rates, with `multiplier` and `confidence`), so no exact figure sits beside a rounded count
    from which the exact count could be searched for. A suppressed row, or a rate from fewer
    than 8 events, loses its value, interval and comparisons. Adds `suppressed`.
    """
    if not disclosure:
        return rows.with_columns(suppressed=pl.lit(False))
    if "denominator" not in rows.columns:
        rows = rows.with_columns(denominator=pl.lit(None, pl.Float64))
    columns = ["numerator"]
    if rows["denominator"].drop_nulls().len():
        columns.append("denominator")
    small = (whole("numerator") < MIN_EVENTS) if value_type == "rate" else pl.lit(False)
    rows = suppress_counts(
        rows.with_columns(__small=small.fill_null(False), __force=small_complement(value_type)),
        columns,
        group_by=group_by,
        force="__force",
    )
    hidden = pl.col("numerator_suppressed") | pl.col("__small")
    if "denominator_suppressed" in rows.columns:
        hidden = hidden | pl.col("denominator_suppressed")
    rows = rows.with_columns(value=value_from_counts(value_type, multiplier))
    if "lower" in rows.columns or "upper" in rows.columns:
        if value_type in ("proportion", "rate") and multiplier is not None:
            rows = with_intervals(rows, value_type, multiplier, confidence)
        else:
            rows = rows.with_columns(lower=pl.lit(None, pl.Float64), upper=pl.lit(None, pl.Float64))
    stats = [c for c in ("lower", "upper", "vs_place", "vs_england") if c in rows.columns]
    rows = rows.with_columns(
        value=pl.when(hidden).then(None).otherwise(pl.col("value")),
        **{c: pl.when(hidden).then(None).otherwise(pl.col(c)) for c in stats},
    )
    extra = [c for c in rows.columns if c.endswith("_suppressed") and c != "numerator_suppressed"]
    out = rows.with_columns(pl.col("numerator_suppressed").alias("suppressed"))
    return out.drop("numerator_suppressed", "__small", "__force", *extra)


def round_people(
    frame: pl.DataFrame, pattern: str = r"population$", base: int = BASE
) -> pl.DataFrame:
    """`frame` with every person-count column whose name matches `pattern` rounded to `base`.

    For the denominators shown beside figures below place level (cluster populations behind a
    per-head figure): large counts, published in total, rounded like any other count that leaves
    the app so that no download holds an exact small-area person count.
    """
    columns = [c for c in frame.columns if re.search(pattern, c) and frame.schema[c].is_numeric()]
    return frame.with_columns(
        ((pl.col(c) / base).round(0) * base).cast(frame.schema[c]) for c in columns
    )
