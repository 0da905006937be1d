"""Which pounds, and how they are measured: selection, totals, change, variance, real terms and per head.

Every function takes canonical ``spend`` rows (see docs/DESIGN.md) or frames derived from
them, money in pounds (float). Amounts are summed, never averaged; a year with no rows is
missing data and stays null, never 0. Real terms: ``amount x deflator(base) / deflator(year)``
with a deflator per financial year (the ``deflators`` table). Per head: the amount divided by
the area's population figure nearest in time (residents, or NHS need-weighted population).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from formatting import format_gbp_m
from geo.clusters import area_lookup
from loaders.contracts import ORGANISATIONS, POOLS
from metrics.periods import (
    financial_year_label,
    financial_year_start_expr,
    parse_financial_year,
)
from metrics.spend import _ALL, _by_columns, _prepared, _with_setting_group

RESIDENTS = "population_total"
WEIGHTED = "nhs_weighted_population"
_HALF_YEAR_DAYS = 182  # from 1 April to about 30 September, the middle of a financial year


@dataclass(frozen=True)
class UnknownCodes:
    """Values of one spend column that nothing defines, the values that are defined, and what they hold."""

    column: str
    unknown: tuple[str, ...]
    known: tuple[str, ...]
    rows: int
    amount_gbp: float


def unknown_codes(spend: pl.DataFrame, settings: pl.DataFrame) -> list[UnknownCodes]:
    """Return the setting codes missing from ``settings`` and the organisations and pools outside the allowed lists (blank counts as unknown)."""
    known = {
        "setting": tuple(settings["setting"].drop_nulls().unique().sort()),
        "organisation": ORGANISATIONS,
        "pool": POOLS,
    }
    out = []
    for column, allowed in known.items():
        bad = spend.filter(pl.col(column).is_in(list(allowed)).not_() | pl.col(column).is_null())
        if bad.height:
            values = sorted("<blank>" if v is None else str(v) for v in bad[column].unique())
            amount = float(bad["amount_gbp"].sum())
            out.append(UnknownCodes(column, tuple(values), allowed, bad.height, amount))
    return out


def unknown_code_notice(problem: UnknownCodes) -> str:
    """The one sentence every page and slide shows for spend codes nothing defines (plain text: escape it for markdown).

    Such rows are left out of every figure (:func:`select_spend`), so the sentence says so.
    """
    return (
        f"Spend has {problem.column} codes that are not defined: {', '.join(problem.unknown)} "
        f"({problem.rows:,} rows, {format_gbp_m(problem.amount_gbp)} in all). They are left out of every "
        f"figure on this page. Known {problem.column} codes: {', '.join(problem.known)}."
    )


def negative_amounts(spend: pl.DataFrame, measure: str = "outturn") -> tuple[int, float]:
    """Return how many ``measure`` rows are negative (refunds, transfers) and their sum (£): they are kept in every total."""
    negative = spend.filter(pl.col("measure") == measure, pl.col("amount_gbp") < 0)
    return negative.height, float(negative["amount_gbp"].sum())


def select_spend(
    spend: pl.DataFrame,
    settings: pl.DataFrame,
    *,
    place_code: str | None = None,
    area_code: str | None = None,
    organisations: Sequence[str] = (),
    pools: Sequence[str] = (),
    setting_groups: Sequence[str] = (),
    year_from: str | None = None,
    year_to: str | None = None,
) -> pl.DataFrame:
    """Return the spend rows of a place or area and of the chosen organisations, pools, setting groups and years (empty choice: all), with their ``setting_group``.

    Rows whose setting, organisation or pool is unknown are left out (report them with
    :func:`unknown_codes`). Both measures are kept; negative amounts are kept.
    """
    conditions = [
        pl.col("organisation").is_in(list(organisations or ORGANISATIONS)),
        pl.col("pool").is_in(list(pools or POOLS)),
        pl.col("setting").is_in(settings["setting"].drop_nulls().implode()),
    ]
    if place_code:
        conditions.append(pl.col("place_code") == place_code)
    if area_code:
        conditions.append(pl.col("area_code") == area_code)
    if year_from:
        conditions.append(pl.col("year_start") >= parse_financial_year(year_from))
    if year_to:
        conditions.append(pl.col("year_start") <= parse_financial_year(year_to))
    rows = _with_setting_group(spend.filter(*conditions), settings)
    if setting_groups:
        rows = rows.filter(pl.col("setting_group").is_in(list(setting_groups)))
    return rows


def totals_by(
    spend: pl.DataFrame, by: str | Sequence[str] | None = None, measure: str = "outturn"
) -> pl.DataFrame:
    """Return spend (£) per group and financial year: ``*by, financial_year, year_start, amount_gbp``, sorted by group then year."""
    keys = _by_columns(by)
    rows = _prepared(spend, measure, keys)
    sums = rows.group_by([*keys, "financial_year", "year_start"]).agg(pl.col("amount_gbp").sum())
    return sums.sort([*keys, "year_start"], nulls_last=True)


def change_between(
    spend: pl.DataFrame,
    year_from: str,
    year_to: str,
    by: str | Sequence[str] = "setting",
    measure: str = "outturn",
) -> pl.DataFrame:
    """Return spend (£) per group in two financial years and the change, largest rise first.

    Columns ``*by, from_gbp, to_gbp, change_gbp, change_pct`` (change_pct null when from_gbp
    is 0). A group with no rows in one of the years spent nothing there (0), but a year with
    no rows at all is missing data, not zero spend: ValueError naming it.
    """
    keys = [*_by_columns(by), _ALL]
    start, end = parse_financial_year(year_from), parse_financial_year(year_to)
    rows = _prepared(spend, measure, keys[:-1]).with_columns(pl.lit(0).alias(_ALL))
    present = set(rows["year_start"].unique().to_list())
    missing = [year for year, d in ((year_from, start), (year_to, end)) if d not in present]
    if missing:
        raise ValueError(
            f"spend has no {measure} rows in {' or '.join(missing)}: a missing year is not zero spend"
        )
    amount, year = pl.col("amount_gbp"), pl.col("year_start")
    sums = rows.group_by(keys).agg(
        from_gbp=amount.filter(year == start).sum(), to_gbp=amount.filter(year == end).sum()
    )
    change = pl.col("to_gbp") - pl.col("from_gbp")
    return (
        sums.with_columns(
            change_gbp=change,
            change_pct=pl.when(pl.col("from_gbp") != 0).then(change / pl.col("from_gbp") * 100),
        )
        .sort(["change_gbp", *keys], descending=[True, *[False] * len(keys)], nulls_last=True)
        .drop(_ALL)
    )


def budget_variance(spend: pl.DataFrame, by: str | Sequence[str] | None = None) -> pl.DataFrame:
    """Return budget and outturn (£) per group and year with the variance, outturn minus budget (£; above 0 is an overspend) and as % of budget.

    Columns ``*by, financial_year, year_start, budget_gbp, outturn_gbp, variance_gbp,
    variance_pct``; a year with only one of the two measures has a null variance.
    """
    keys = [*_by_columns(by), "financial_year", "year_start"]
    budget = totals_by(spend, keys[:-2], "budget").rename({"amount_gbp": "budget_gbp"})
    outturn = totals_by(spend, keys[:-2], "outturn").rename({"amount_gbp": "outturn_gbp"})
    both = budget.join(outturn, on=keys, how="full", coalesce=True, nulls_equal=True)
    variance = pl.col("outturn_gbp") - pl.col("budget_gbp")
    return both.with_columns(
        variance_gbp=variance,
        variance_pct=pl.when(pl.col("budget_gbp") != 0).then(variance / pl.col("budget_gbp") * 100),
    ).sort(keys[:-1], nulls_last=True)


def _as_start(year: str | date) -> date:
    return parse_financial_year(year) if isinstance(year, str) else year


def deflator_factors(deflators: pl.DataFrame, base_year: str | date) -> pl.DataFrame:
    """Return ``year_start, deflator, factor`` with factor = deflator(base year) / deflator(year): cash x factor = real terms at base-year prices.

    Raises ValueError when the base year has no deflator, naming the years that have one.
    """
    base = _as_start(base_year)
    table = deflators.select(
        year_start=financial_year_start_expr("year_start"), deflator=pl.col("deflator")
    ).unique("year_start", keep="first")
    base_value = table.filter(pl.col("year_start") == base)["deflator"]
    if base_value.len() != 1 or not base_value.item():
        raise ValueError(
            f"no deflator for the base year {financial_year_label(base)}; "
            f"deflators cover {_years_text(table['year_start'])}"
        )
    return table.with_columns(factor=base_value.item() / pl.col("deflator")).sort("year_start")


def missing_deflator_years(years: Sequence[str | date], deflators: pl.DataFrame) -> list[str]:
    """Return the labels of ``years`` that have no deflator, oldest first."""
    have = set(deflators.select(y=financial_year_start_expr("year_start"))["y"].to_list())
    starts = sorted({_as_start(y) for y in years})
    return [financial_year_label(d) for d in starts if d not in have]


def to_real_terms(
    frame: pl.DataFrame,
    deflators: pl.DataFrame,
    base_year: str | date,
    columns: Sequence[str] = ("amount_gbp",),
) -> pl.DataFrame:
    """Return ``frame`` with ``columns`` turned into real terms at ``base_year`` prices, by each row's ``year_start``.

    Raises ValueError naming the years with no deflator (and the years that have one).
    """
    factors = deflator_factors(deflators, base_year)
    missing = missing_deflator_years(frame["year_start"].drop_nulls().unique().to_list(), factors)
    if missing:
        raise ValueError(
            f"no deflator for {', '.join(missing)}; deflators cover "
            f"{_years_text(factors['year_start'])}"
        )
    joined = frame.join(factors.select("year_start", _factor="factor"), on="year_start", how="left")
    return joined.with_columns([pl.col(c) * pl.col("_factor") for c in columns]).drop("_factor")


def _years_text(starts: pl.Series) -> str:
    labels = [financial_year_label(d) for d in starts.drop_nulls().sort()]
    return f"{labels[0]} to {labels[-1]}" if labels else "no years"


def area_population(
    population: pl.DataFrame, areas: pl.DataFrame, indicator_id: str, area_type: str
) -> pl.DataFrame:
    """Return ``area_code, period_start, period_end, population`` of ``indicator_id`` for every area of ``area_type``.

    The area's own rows when the data has them, else the sum of its clusters' (or wards',
    or LSOAs') rows: counts are added up, never averaged.
    """
    rows = population.filter(pl.col("indicator_id") == indicator_id).join(
        areas.select("area_code", "area_type"), on="area_code"
    )
    keys = ["area_code", "period_start", "period_end"]
    for level in dict.fromkeys([area_type, "cluster", "ward", "lsoa"]):
        at_level = rows.filter(pl.col("area_type") == level)
        if at_level.is_empty():
            continue
        if level != area_type:
            lookup = area_lookup(areas, level, area_type)
            at_level = (
                at_level.join(lookup, on="area_code")
                .drop_nulls(f"{area_type}_code")
                .drop("area_code")
                .rename({f"{area_type}_code": "area_code"})
            )
        return at_level.group_by(keys).agg(population=pl.col("value").sum()).sort(keys)
    schema = {"area_code": pl.String, "period_start": pl.Date, "period_end": pl.Date}
    return pl.DataFrame(schema=schema | {"population": pl.Float64})


def per_head(
    frame: pl.DataFrame,
    population: pl.DataFrame,
    column: str = "amount_gbp",
    name: str = "per_head",
    area_code: str | None = None,
) -> pl.DataFrame:
    """Return ``frame`` with ``name`` (``column`` in £ per person), ``{name}_population`` and ``{name}_period`` (start of the population figure used).

    Rows are matched on ``area_code`` (or all belong to ``area_code`` when given) and take the
    area's figure whose period is nearest the middle of the row's financial year (the ONS
    mid-year estimate of 30 June 2019 serves 2019/20). No figure, or 0, gives null, never 0.
    """
    if area_code is not None:
        frame = frame.with_columns(area_code=pl.lit(area_code, pl.String))
    start = pl.col("period_start").cast(pl.Int32)
    end = pl.col("period_end").fill_null(pl.col("period_start")).cast(pl.Int32)
    pop = population.select(
        "area_code",
        pl.col("period_start").alias(f"{name}_period"),
        pl.col("population").alias(f"{name}_population"),
        _mid=(start + end) // 2,
    ).sort("_mid")
    rows = frame.with_row_index("_row").with_columns(
        _mid=pl.col("year_start").cast(pl.Int32) + _HALF_YEAR_DAYS
    )
    joined = rows.sort("_mid").join_asof(
        pop, on="_mid", by="area_code", strategy="nearest", check_sortedness=False
    )
    people = pl.col(f"{name}_population")
    value = pl.when(people > 0).then(pl.col(column) / people).alias(name)
    return joined.sort("_row").with_columns(value).drop("_row", "_mid")


def cluster_comparison(
    place_rows: pl.DataFrame,
    areas: pl.DataFrame,
    residents: pl.DataFrame,
    weighted: pl.DataFrame,
    year: str,
) -> pl.DataFrame:
    """Return one row per cluster of the place in ``year``: total (£), £ per resident and £ per need-weighted head.

    Columns ``area_code, area_name, financial_year, year_start, amount_gbp, per_resident,
    per_resident_population, per_resident_period, per_weighted_head, ...``, highest per
    weighted head first. A cluster with no spend rows in the year is kept with null amounts
    (a gap, not zero). ``place_rows`` are the place's spend rows; ``residents`` and
    ``weighted`` come from :func:`area_population` at cluster level.
    """
    start = parse_financial_year(year)
    totals = totals_by(place_rows.filter(pl.col("year_start") == start), "area_code")
    codes = place_rows["place_code"].unique().implode()
    clusters = areas.filter(
        pl.col("area_type") == "cluster", pl.col("parent_code").is_in(codes)
    ).select("area_code", "area_name")
    rows = clusters.join(totals, on="area_code", how="left").with_columns(
        financial_year=pl.lit(financial_year_label(start)), year_start=pl.lit(start)
    )
    rows = per_head(rows, residents, name="per_resident")
    rows = per_head(rows, weighted, name="per_weighted_head")
    return rows.sort("per_weighted_head", "area_name", descending=[True, False], nulls_last=True)
