"""Aggregation pushdown: the sums a page shows, computed where the data lives.

`aggregate(name, catalog, group_by=[...], sums=[...], count="rows", where={...})` returns one
row per group with the canonical column names of the dataset's contract:
- sql loader: `SELECT g.., SUM(x).. FROM t WHERE col IN ($1..) GROUP BY g..` in the read-only
  session (names checked and quoted, values bound), so only the groups cross the wire;
- parquet loader: one polars lazy plan (scan with predicate and projection pushdown, group_by,
  streaming collect), so a national file never sits whole in memory;
- any other loader: the validated frame from load_dataset, grouped in polars.
All three give the same frame: group columns in the contract's types, sums as Float64 (null for
a group with no value, as SQL's SUM), the count as Int64, rows sorted by the group columns.
Pushed-down aggregates read the source's rows without the contract checks a full load makes:
load the dataset in full (the Data page does) to validate it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

import polars as pl

from loaders import last_good
from loaders.catalog import Catalog, DatasetSpec
from loaders.coerce import coerce_expr
from loaders.contracts import columns
from loaders.errors import LoaderError
from loaders.funnel import (
    LoadReport,
    dataset_spec,
    load_dataset,
    make_loader,
    served_report,
    wrap_errors,
)
from loaders.parquet_loader import aggregate_lazy
from loaders.registry import suggest

if TYPE_CHECKING:
    from loaders.base import AggregatingLoader, Loader

NUMERIC = ("Float64", "Int64")
DTYPES = {
    "String": pl.String,
    "Float64": pl.Float64,
    "Int64": pl.Int64,
    "Boolean": pl.Boolean,
    "Date": pl.Date,
}


class AggregateError(LoaderError):
    """The aggregate asked for columns the dataset's contract does not have (or cannot sum)."""


def aggregate(
    name: str,
    catalog: Catalog | None = None,
    *,
    group_by: Sequence[str] = (),
    sums: Sequence[str] = (),
    count: str | None = None,
    where: Mapping[str, Any] | None = None,
) -> pl.DataFrame:
    """One row per group of `group_by` with the sum of each of `sums` (and the row count as
    column `count` when given), over the rows matching `where`; see the module docstring."""
    frame, _ = aggregate_with_report(
        name, catalog, group_by=group_by, sums=sums, count=count, where=where
    )
    return frame


def aggregate_with_report(
    name: str,
    catalog: Catalog | None = None,
    *,
    group_by: Sequence[str] = (),
    sums: Sequence[str] = (),
    count: str | None = None,
    where: Mapping[str, Any] | None = None,
) -> tuple[pl.DataFrame, LoadReport]:
    """Like aggregate, plus a LoadReport (stale when a last good copy was served)."""
    catalog, spec = dataset_spec(name, catalog)
    group_by, sums = list(group_by), list(sums)
    check_request(spec, group_by, sums, count, where or {})
    started = time.perf_counter()
    key = (
        "aggregate",
        tuple(group_by),
        tuple(sums),
        count,
        tuple(sorted((k, repr(v)) for k, v in (where or {}).items())),
    )
    out, as_at, note = last_good.serve(
        catalog, spec, key, lambda: _compute(spec, catalog, group_by, sums, count, where)
    )
    return out, served_report(name, out.height, started, as_at, note)


def check_request(
    spec: DatasetSpec,
    group_by: list[str],
    sums: list[str],
    count: str | None,
    where: Mapping[str, Any],
) -> None:
    """Every name must be a column of the contract (sums numeric) before anything is read."""
    wanted = columns(spec.contract)
    problems = []
    if spec.loader == "geo":
        problems.append("boundaries (loader 'geo') cannot be aggregated")
    if not sums and count is None:
        problems.append("give at least one column in 'sums' or a 'count' column name")
    for role, names in (("group by", group_by), ("filter on", list(where)), ("sum", sums)):
        for column in names:
            if column not in wanted:
                hint = suggest(column, tuple(wanted))
                problems.append(
                    f"cannot {role} '{column}': the '{spec.contract}' contract has no such "
                    f"column ({hint})"
                )
            elif role == "sum" and wanted[column][0] not in NUMERIC:
                problems.append(
                    f"cannot sum '{column}': it is {wanted[column][0]}, not a number "
                    f"(numeric columns: "
                    + ", ".join(f"'{c}'" for c, v in wanted.items() if v[0] in NUMERIC)
                    + ")"
                )
    outputs = group_by + sums + ([count] if count is not None else [])
    repeated = sorted({c for c in outputs if outputs.count(c) > 1})
    if repeated:
        problems.append("each output column once: repeated " + ", ".join(repeated))
    if problems:
        raise AggregateError(f"Dataset '{spec.name}': " + "; ".join(problems), dataset=spec.name)


def _compute(
    spec: DatasetSpec,
    catalog: Catalog,
    group_by: list[str],
    sums: list[str],
    count: str | None,
    where: Mapping[str, Any] | None,
) -> pl.DataFrame:
    loader = make_loader(spec)
    if _can_aggregate(loader):
        source_of = {canonical: source for source, canonical in spec.rename.items()}

        def src(c: str) -> str:
            return source_of.get(c, c)

        with wrap_errors(spec):
            raw = loader.aggregate(
                group_by=[src(c) for c in group_by],
                sums=[src(c) for c in sums],
                count=count,
                where={src(c): v for c, v in (where or {}).items()},
            )
            raw = raw.rename({src(c): c for c in group_by + sums if src(c) != c})
    else:
        frame = load_dataset(spec.name, catalog, where=where)
        if not isinstance(frame, pl.DataFrame):
            raise AggregateError(
                f"Dataset '{spec.name}': its loader returned boundaries, which cannot be aggregated",
                dataset=spec.name,
            )
        raw = aggregate_lazy(frame.lazy(), group_by, sums, count).collect()
    return _canonical(spec, raw, group_by, sums, count)


def _can_aggregate(loader: Loader) -> TypeGuard[AggregatingLoader]:
    """Whether the loader adds up at the source (it has an ``aggregate`` method)."""
    return callable(getattr(loader, "aggregate", None))


def _canonical(
    spec: DatasetSpec, raw: pl.DataFrame, group_by: list[str], sums: list[str], count: str | None
) -> pl.DataFrame:
    """Same types and order whichever engine computed it."""
    wanted = columns(spec.contract)
    exprs = [
        pl.col(c).cast(DTYPES[wanted[c][0]])
        if raw.schema[c] != pl.String
        else coerce_expr(c, pl.String(), wanted[c][0]).alias(c)  # text dates, Y/N flags, ...
        for c in group_by
    ]
    exprs += [pl.col(c).cast(pl.Float64) for c in sums]
    if count is not None:
        exprs.append(pl.col(count).cast(pl.Int64))
    with wrap_errors(spec):
        out = raw.select(exprs)
    return out.sort(group_by, nulls_last=True) if group_by else out
