"""Delimited text files. Every column is read as text; the funnel coerces against the contract."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from loaders.base import FileLoader
from loaders.registry import register_loader


@register_loader("csv")
class CsvLoader(FileLoader):
    """Reads CSV/TSV text with polars, all columns as strings so bad values can be named by row."""

    options: ClassVar = {
        "separator": str,
        "encoding": str,
        "skip_rows": int,
        "null_values": (str, list),
        "comment_prefix": str,
    }
    suffixes = (".csv", ".tsv", ".txt")
    header_lines: ClassVar[int] = 1

    def load(self) -> pl.DataFrame:
        encoding = self.opts.get("encoding", "utf8")
        source: object = self.path
        if encoding.lower().replace("-", "") not in ("utf8", "utf8lossy"):
            # polars reads UTF-8 natively; other encodings are decoded here first
            source = self.path.read_bytes().decode(encoding).encode("utf-8")
            encoding = "utf8"
        self.header_lines = 1 + int(self.opts.get("skip_rows", 0))
        return pl.read_csv(
            source,
            separator=self.opts.get("separator", ","),
            encoding=encoding,
            skip_rows=int(self.opts.get("skip_rows", 0)),
            null_values=self.opts.get("null_values"),
            comment_prefix=self.opts.get("comment_prefix"),
            infer_schema=False,
            raise_if_empty=True,
        )
