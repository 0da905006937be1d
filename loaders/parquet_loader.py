"""Parquet files, read lazily so column selection and filters push down to the file."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from loaders.base import FileLoader
from loaders.registry import register_loader


@register_loader("parquet")
class ParquetLoader(FileLoader):
    """Reads a Parquet file (or a glob of them) with polars."""

    options: ClassVar = {"columns": list}
    suffixes = (".parquet", ".pq")
    header_lines: ClassVar[int] = 0

    def lazy(self) -> pl.LazyFrame:
        """A lazy scan; callers may add filters that polars pushes into the read."""
        frame = pl.scan_parquet(self.path)
        columns = self.opts.get("columns")
        return frame.select(columns) if columns else frame

    def load(self) -> pl.DataFrame:
        return self.lazy().collect()
