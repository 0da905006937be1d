"""Spend shift from acute to community care: acute share, ratios and headline totals.

Inputs are the canonical ``spend`` and ``settings`` tables (see docs/DESIGN.md). Money is in
pounds (float) and every aggregate is a sum of amounts, never an average of rates. The
grouping of settings into acute, community and so on comes from the ``settings`` frame only:
it is data a user can edit, not code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from loaders.contracts import MEASURES, SETTING_GROUPS
from metrics.periods import (
    financial_year_expr,
    financial_year_start_expr,
    year_start_from_label_expr,
)

YEAR_COLUMNS = ("financial_year", "year_start")
_MAX_LISTED = 5
_ALL = "__all__"  # constant grouping key used when no ``by`` columns are given


def _by_columns(by: str | Sequence[str] | None) -> list[str]:
    """Return ``by`` as a list of column names without the year columns (added separately)."""
    if by is None:
        return []
    names = [by] if isinstance(by, str) else list(by)
    return [name for name in dict.fromkeys(names) if name not in YEAR_COLUMNS]


def _list_some(values: Sequence[object]) -> str:
    """Return up to five values quoted, plus a count of the rest."""
    shown = ", ".join("<null>" if v is None else repr(v) for v in values[:_MAX_LISTED])
    rest = len(values) - _MAX_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def _require_columns(frame: pl.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise ValueError naming the columns of ``frame`` that are missing."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {_list_some(missing)}; it has: {', '.join(frame.columns)}"
        )


def _prepared(spend: pl.DataFrame, measure: str, by: list[str]) -> pl.DataFrame:
    """Return the rows of ``measure`` with year_start (1 April), financial_year (from year_start) and amount_gbp (Float64)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    _require_columns(spend, ["measure", "amount_gbp", *by], "spend")
    if "year_start" not in spend.columns:
        _require_columns(spend, ["financial_year"], "spend")
        spend = spend.with_columns(year_start=year_start_from_label_expr("financial_year"))
    return spend.filter(pl.col("measure") == measure).with_columns(
        year_start=financial_year_start_expr("year_start"),
        financial_year=financial_year_expr("year_start"),
        amount_gbp=pl.col("amount_gbp").cast(pl.Float64),
    )


def _with_setting_group(spend: pl.DataFrame, settings: pl.DataFrame) -> pl.DataFrame:
    """Return ``spend`` with a setting_group column from ``settings``; raise ValueError for unknown or conflicting codes."""
    _require_columns(spend, ["setting"], "spend")
    _require_columns(settings, ["setting", "setting_group"], "settings")
    lookup = settings.select("setting", "setting_group").unique()
    bad_groups = sorted(set(lookup["setting_group"].drop_nulls()) - set(SETTING_GROUPS))
    if bad_groups or lookup["setting_group"].null_count():
        raise ValueError(
            f"settings has setting_group value(s) {_list_some(bad_groups or [None])}; "
            f"allowed: {', '.join(SETTING_GROUPS)}"
        )
    conflicting = lookup.filter(pl.col("setting").is_duplicated())["setting"].unique().sort()
    if len(conflicting):
        raise ValueError(
            f"settings puts setting(s) {_list_some(conflicting.to_list())} in more than one "
            "setting_group; each setting needs exactly one group"
        )
    unknown = (
        spend.select("setting")
        .unique()
        .join(lookup, on="setting", how="anti", nulls_equal=True)["setting"]
        .sort(nulls_last=True)
        .to_list()
    )
    if unknown:
        raise ValueError(
            f"spend has {len(unknown)} setting code(s) not in the settings lookup: "
            f"{_list_some(unknown)}; add them to settings (setting, setting_name, setting_group)"
        )
    return spend.join(lookup, on="setting", how="left")


def acute_share(
    spend: pl.DataFrame,
    settings: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    measure: str = "outturn",
) -> pl.DataFrame:
    """Return per group and financial year acute, community and total spend (£), acute share (0-100) and community-to-acute ratio.

    Columns: ``*by, financial_year, year_start, acute_gbp, community_gbp, total_gbp,
    acute_share, community_to_acute_ratio``, sorted by group then year. ``community_gbp``
    counts only the ``community`` setting group; every group counts in ``total_gbp``.
    ``acute_share`` is null when the total is 0 and the ratio is null when acute spend is 0.
    Only rows of ``measure`` are used, and only their settings must be in ``settings``.
    """
    keys = _by_columns(by)
    rows = _with_setting_group(_prepared(spend, measure, keys), settings)
    amount, group = pl.col("amount_gbp"), pl.col("setting_group")
    totals = rows.group_by([*keys, "year_start", "financial_year"]).agg(
        acute_gbp=amount.filter(group == "acute").sum(),
        community_gbp=amount.filter(group == "community").sum(),
        total_gbp=amount.sum(),
    )
    acute, community, total = pl.col("acute_gbp"), pl.col("community_gbp"), pl.col("total_gbp")
    return (
        totals.with_columns(
            acute_share=pl.when(total != 0).then(acute / total * 100),
            community_to_acute_ratio=pl.when(acute != 0).then(community / acute),
        )
        .select(
            *keys,
            "financial_year",
            "year_start",
            "acute_gbp",
            "community_gbp",
            "total_gbp",
            "acute_share",
            "community_to_acute_ratio",
        )  # fmt: skip
        .sort([*keys, "year_start"], nulls_last=True)
    )


def spend_by_setting_group(
    spend: pl.DataFrame,
    settings: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    measure: str = "outturn",
) -> pl.DataFrame:
    """Return spend (£) per group, financial year and setting group, with its share of the year's total (0-100).

    Columns: ``*by, financial_year, year_start, setting_group, amount_gbp, share``; sorted by
    group, year and the order of ``SETTING_GROUPS``. Setting groups with no spend are absent.
    """
    keys = _by_columns(by)
    rows = _with_setting_group(_prepared(spend, measure, keys), settings)
    year_keys = [*keys, "year_start", "financial_year"]
    sums = rows.group_by([*year_keys, "setting_group"]).agg(amount_gbp=pl.col("amount_gbp").sum())
    year_total = pl.col("amount_gbp").sum().over(year_keys)
    order = pl.col("setting_group").replace_strict(
        list(SETTING_GROUPS), list(range(len(SETTING_GROUPS))), return_dtype=pl.Int32
    )
    return (
        sums.with_columns(
            share=pl.when(year_total != 0).then(pl.col("amount_gbp") / year_total * 100)
        )
        .sort([*keys, "year_start", order], nulls_last=True)
        .select(*keys, "financial_year", "year_start", "setting_group", "amount_gbp", "share")
    )


def latest_total(
    spend: pl.DataFrame,
    measure: str = "outturn",
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Return total spend (£) in the latest financial year present, per group, with the previous year's total and the change (%).

    Columns: ``*by, financial_year, year_start, total_gbp, previous_gbp, change_pct``. The
    latest year is the latest over all rows of ``measure`` (not per group), so every row is
    the same year; groups with no spend that year are absent. ``previous_gbp`` is null when
    the group has no spend in the year before and ``change_pct`` is null when it is null or 0.
    An empty input gives an empty frame with these columns.
    """
    keys = _by_columns(by)
    rows = _prepared(spend, measure, keys).with_columns(pl.lit(0).alias(_ALL))
    latest = rows["year_start"].max()
    out_columns = [*keys, "financial_year", "year_start", "total_gbp", "previous_gbp", "change_pct"]
    if latest is None:
        schema = {k: spend.schema[k] for k in keys}
        schema |= {"financial_year": pl.String(), "year_start": pl.Date()}
        schema |= dict.fromkeys(out_columns[-3:], pl.Float64())
        return pl.DataFrame(schema=schema)
    assert isinstance(latest, date)
    previous = date(latest.year - 1, latest.month, latest.day)
    group_keys = [*keys, _ALL]
    amount, year = pl.col("amount_gbp"), pl.col("year_start")
    current = rows.filter(year == latest).group_by(group_keys).agg(total_gbp=amount.sum())
    prior = rows.filter(year == previous).group_by(group_keys).agg(previous_gbp=amount.sum())
    prev = pl.col("previous_gbp")
    return (
        current.join(prior, on=group_keys, how="left", nulls_equal=True)
        .with_columns(
            financial_year=financial_year_expr(pl.lit(latest)),
            year_start=pl.lit(latest),
            change_pct=pl.when(prev != 0).then((pl.col("total_gbp") - prev) / prev * 100),
        )
        .sort(group_keys, nulls_last=True)
        .select(out_columns)
    )


TARGET_INDICATORS = ("acute_share", "acute_spend_change_pct")


def indicator_series(
    yearly: pl.DataFrame, indicator_id: str, targets: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Return ``financial_year, year_start, actual`` from :func:`acute_share` output for a spend indicator.

    ``acute_share``: the acute share (%). ``acute_spend_change_pct``: acute spend against the
    base year, % change; the base is the first period of ``targets`` when given, else the
    first year, and the change is null when the base year has no acute spend.
    """
    if indicator_id not in TARGET_INDICATORS:
        known = ", ".join(TARGET_INDICATORS)
        raise ValueError(f"no spend indicator {indicator_id!r}; known: {known}")
    if indicator_id == "acute_share":
        return yearly.select("financial_year", "year_start", actual="acute_share")
    has_targets = targets is not None and targets.height > 0
    base = (
        targets["period_start"].min()
        if targets is not None and has_targets
        else yearly["year_start"].min()
    )
    base_acute = yearly.filter(pl.col("year_start") == base)["acute_gbp"]
    base_value = base_acute.item() if base_acute.len() == 1 else None
    change = (
        (pl.col("acute_gbp") / base_value - 1) * 100 if base_value else pl.lit(None, pl.Float64)
    )
    return yearly.select("financial_year", "year_start", actual=change)


def first_and_last(
    frame: pl.DataFrame, column: str
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Return the first and last rows (by year) where ``column`` is not null, or None if there is none."""
    rows = frame.drop_nulls(column).sort("year_start")
    return (rows.row(0, named=True), rows.row(-1, named=True)) if rows.height else None


def target_progress(
    series: pl.DataFrame, targets: pl.DataFrame, lower_is_better: bool = True
) -> pl.DataFrame:
    """Return each target or trajectory point against the actual value: ``kind, financial_year, year_start, target, actual, gap, status``.

    ``targets`` holds one indicator for one area (canonical targets rows). ``gap`` is actual
    minus target in the indicator's units; status is "on track" when the actual is at or
    better than the target, "off track" otherwise, "no data" when there is no actual.
    """
    points = targets.select(
        "kind", year_start=financial_year_start_expr("period_start"), target="value"
    )
    out = points.join(series.select("year_start", "actual"), on="year_start", how="left")
    gap = pl.col("actual") - pl.col("target")
    better = gap <= 0 if lower_is_better else gap >= 0
    status = pl.when(pl.col("actual").is_null()).then(pl.lit("no data"))
    return (
        out.with_columns(
            financial_year=financial_year_expr("year_start"),
            gap=gap,
            status=status.when(better).then(pl.lit("on track")).otherwise(pl.lit("off track")),
        )
        .select("kind", "financial_year", "year_start", "target", "actual", "gap", "status")
        .sort("year_start", "kind")
    )


def target_summary(progress: pl.DataFrame) -> dict[str, Any] | None:
    """Return the point to headline: the latest final target with an actual value, else the latest trajectory point with one (None if neither)."""
    known = progress.filter(pl.col("actual").is_not_null())
    for kind in ("target", "trajectory"):
        rows = known.filter(pl.col("kind") == kind)
        if rows.height:
            return rows.row(-1, named=True)
    return None


def targets_for(
    targets: pl.DataFrame, indicator_id: str, area_codes: Sequence[str | None]
) -> tuple[str | None, pl.DataFrame]:
    """Return the first of ``area_codes`` with targets rows for ``indicator_id`` (a cluster, then its place) and those rows; (None, no rows) when none has any."""
    rows = targets.filter(pl.col("indicator_id") == indicator_id)
    for code in filter(None, area_codes):
        found = rows.filter(pl.col("area_code") == code)
        if found.height:
            return code, found
    return None, rows.clear()
