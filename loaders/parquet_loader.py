"""Parquet files, read lazily so column selection, filters and aggregations push down to the file.

`path` is one file, a glob, or a folder. With `hive_partitioning = true` a folder laid out as
`key=value/.../part.parquet` is read as one table whose partition keys are columns, and a
filter on a key skips whole folders, so a national file set never has to fit in memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.registry import register_loader


@register_loader("parquet")
class ParquetLoader(FileLoader):
    """Reads a Parquet file, a glob or a (hive-partitioned) folder of them with polars."""

    options: ClassVar[OptionTypes] = {"columns": list, "hive_partitioning": bool}
    suffixes = (".parquet", ".pq")
    header_lines: ClassVar[int] = 0

    def scan(self) -> pl.LazyFrame:
        """The lazy scan, before any filter: a folder is read as every parquet file under it."""
        hive = bool(self.opts.get("hive_partitioning", False))
        source: Any = self.path
        if self.path.is_dir():
            source = str(self.path / "**" / "*.parquet")
        return pl.scan_parquet(source, hive_partitioning=hive)

    def lazy(self, where: Mapping[str, Any] | None = None) -> pl.LazyFrame:
        """A lazy scan; `where` (column -> value or list of values) is pushed into the read."""
        frame = self.scan()
        if where:
            frame = frame.filter(where_expr(where))
        columns = self.opts.get("columns")
        return frame.select(columns) if columns else frame

    def load(self, *, where: Mapping[str, Any] | None = None) -> pl.DataFrame:
        return self.lazy(where).collect()

    def aggregate_plan(
        self,
        *,
        group_by: Sequence[str],
        sums: Sequence[str],
        count: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pl.LazyFrame:
        """Filter, group and sum as one lazy plan: only the named columns and matching row
        groups are read (predicate and projection pushdown)."""
        return aggregate_lazy(self.lazy(where), group_by, sums, count)

    def aggregate(
        self,
        *,
        group_by: Sequence[str],
        sums: Sequence[str],
        count: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pl.DataFrame:
        plan = self.aggregate_plan(group_by=group_by, sums=sums, count=count, where=where)
        return plan.collect(engine="streaming")


def where_expr(where: Mapping[str, Any]) -> pl.Expr:
    """Rows where every column equals its value (or one of its list of values)."""
    terms = []
    for column, value in where.items():
        values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
        terms.append(pl.col(column).is_in(values) if values else pl.lit(False))
    return pl.all_horizontal(terms)


def aggregate_lazy(
    frame: pl.LazyFrame, group_by: Sequence[str], sums: Sequence[str], count: str | None = None
) -> pl.LazyFrame:
    """SQL's GROUP BY semantics in polars: a sum is null when its group has no value (as SQL's
    SUM), sums are Float64, and an empty group_by gives one row for the whole frame."""
    aggs = [
        pl.when(pl.col(x).is_not_null().any())
        .then(pl.col(x).cast(pl.Float64).sum())
        .otherwise(None)
        .alias(x)
        for x in sums
    ]
    if count is not None:
        aggs.append(pl.len().cast(pl.Int64).alias(count))
    if not group_by:
        return frame.select(aggs)
    return frame.group_by(list(group_by)).agg(aggs)
