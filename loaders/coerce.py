"""Coerce loaded columns to contract dtypes, remembering which rows could not be converted."""

from __future__ import annotations

import polars as pl

TRUE_WORDS = ("y", "yes", "true", "t", "1")
FALSE_WORDS = ("n", "no", "false", "f", "0")
# UK order first: a plain 02/01/2025 is 2 January. Excel-style US timestamps carry AM/PM.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
)
EXPECTED = {
    "String": "text",
    "Float64": "a number",
    "Int64": "a whole number",
    "Boolean": "true/false (Y/N, yes/no, 1/0)",
    "Date": "a date (YYYY-MM-DD or DD/MM/YYYY)",
}


def _text(col: pl.Expr) -> pl.Expr:
    stripped = col.cast(pl.String).str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def coerce_expr(name: str, source: pl.DataType, target: str) -> pl.Expr:
    """Expression converting column `name` (currently `source`) to `target` (polars dtype name)."""
    col = pl.col(name)
    if target == "String":
        if source == pl.String:  # typed text (parquet, sql): only a blank cell changes, to missing
            return pl.when(col.str.strip_chars() == "").then(None).otherwise(col)
        if source.is_float():
            whole = col.round(0) == col
            return (
                pl.when(whole)
                .then(col.cast(pl.Int64).cast(pl.String))
                .otherwise(col.cast(pl.String))
            )
        return _text(col)
    if target in ("Float64", "Int64"):
        if source == pl.String:
            cleaned = _text(col).str.replace_all(r"^£|,", "")
            as_float = cleaned.cast(pl.Float64, strict=False)
        elif source == pl.Boolean:
            as_float = col.cast(pl.Float64)
        else:
            as_float = col.cast(pl.Float64, strict=False)
        # NaN and infinity are not amounts: they fail like any other unreadable value
        as_float = pl.when(as_float.is_finite()).then(as_float).otherwise(None)
        if target == "Float64":
            return as_float
        return pl.when(as_float.round(0) == as_float).then(as_float.cast(pl.Int64)).otherwise(None)
    if target == "Boolean":
        if source == pl.Boolean:
            return col
        text = _text(col).str.to_lowercase()
        return (
            pl.when(text.is_in(TRUE_WORDS))
            .then(True)
            .when(text.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        )
    if target == "Date":
        if source == pl.Date:
            return col
        if isinstance(source, pl.Datetime):
            return col.dt.date()
        text = _text(col)
        return pl.coalesce([text.str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS])
    raise ValueError(f"no coercion to {target}")


def coerce_frame(
    frame: pl.DataFrame, dtypes: dict[str, str], nullable: frozenset[str] = frozenset()
) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
    """Coerce the listed columns; returns the new frame and, per column, the rows that failed.

    A row fails when its value was present (not blank) but could not be converted. Infinity
    always fails. NaN fails in a required number column, but in a `nullable` one it is the
    usual spelling of "missing" (pandas writes it so) and becomes null, for the page to report.
    Each failure frame has `row` (0-based position) and `value` (the original, as text).
    """
    exprs = []
    todo = []
    for name, target in dtypes.items():
        if name not in frame.columns:
            continue
        source = frame.schema[name]
        if str(source) == target and target not in ("Float64", "String"):
            continue  # floats: still reject NaN/inf; text: still read a blank cell as missing
        exprs.append(coerce_expr(name, source, target).alias(name))
        todo.append(name)
    if not exprs:
        return frame, {}
    coerced = frame.with_columns(exprs)
    failures: dict[str, pl.DataFrame] = {}
    for name in todo:
        original_present = _text(pl.col(name)).is_not_null()
        if name in nullable and dtypes[name] == "Float64":
            original_present = original_present & (_text(pl.col(name)).str.to_lowercase() != "nan")
        bad = (
            frame.with_row_index("row")
            .select(
                "row", pl.col(name).cast(pl.String).alias("value"), original_present.alias("had")
            )
            .with_columns(coerced.get_column(name).is_null().alias("now_null"))
            .filter(pl.col("had") & pl.col("now_null"))
            .select("row", "value")
        )
        if bad.height:
            failures[name] = bad
    return coerced, failures
