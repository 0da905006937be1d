"""Parquet files, read lazily so column selection and filters push down to the file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import polars as pl

from loaders.base import FileLoader
from loaders.registry import register_loader


@register_loader("parquet")
class ParquetLoader(FileLoader):
    """Reads a Parquet file (or a glob of them) with polars."""

    options: ClassVar = {"columns": list}
    suffixes = (".parquet", ".pq")
    header_lines: ClassVar[int] = 0

    def lazy(self, where: Mapping[str, Any] | None = None) -> pl.LazyFrame:
        """A lazy scan; `where` (column -> value or list of values) is pushed into the read."""
        frame = pl.scan_parquet(self.path)
        if where:
            frame = frame.filter(where_expr(where))
        columns = self.opts.get("columns")
        return frame.select(columns) if columns else frame

    def load(self, *, where: Mapping[str, Any] | None = None) -> pl.DataFrame:
        return self.lazy(where).collect()


def where_expr(where: Mapping[str, Any]) -> pl.Expr:
    """Rows where every column equals its value (or one of its list of values)."""
    terms = []
    for column, value in where.items():
        values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
        terms.append(pl.col(column).is_in(values) if values else pl.lit(False))
    return pl.all_horizontal(terms)
