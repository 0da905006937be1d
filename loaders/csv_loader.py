"""Delimited text files. Every column is read as text; the funnel coerces against the contract."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.registry import register_loader


@register_loader("csv")
class CsvLoader(FileLoader):
    """Reads CSV/TSV text with polars, all columns as strings so bad values can be named by row."""

    options: ClassVar[OptionTypes] = {
        "separator": str,
        "encoding": str,
        "skip_rows": int,
        "null_values": (str, list),
        "comment_prefix": str,
    }
    suffixes = (".csv", ".tsv", ".txt")
    header_lines: int = 1  # the header row and the rows skipped above it (set by `load`)
    _record_lines: list[int] | None = None  # where each data record starts, once asked

    def _encoding(self) -> str:
        encoding: str = self.opts.get("encoding", "utf8")
        return encoding

    def _is_utf8(self) -> bool:
        return self._encoding().lower().replace("-", "").replace("_", "") in ("utf8", "utf8lossy")

    def load(self) -> pl.DataFrame:
        encoding = self._encoding()
        source: Path | bytes = self.path
        if not self._is_utf8():
            # polars reads UTF-8 natively; other encodings are decoded here first
            source = self.path.read_bytes().decode(encoding).encode("utf-8")
            encoding = "utf8"
        self.header_lines = 1 + int(self.opts.get("skip_rows", 0))
        self._record_lines = None
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

    def line_of(self, row: int) -> int | None:
        """The physical line (1-based) on which data row `row` (0-based) starts in the file.

        A quoted value can span lines, so a record's number and its line differ after the
        first quoted newline; a person fixing the file in an editor needs the line. Worked out
        only when a message asks (an error path), by re-reading the file with the csv module.
        """
        lines = self._record_lines
        if lines is None:
            lines = self._record_lines = self._data_record_lines()
        return lines[row] if 0 <= row < len(lines) else None

    def _data_record_lines(self) -> list[int]:
        encoding = "utf-8-sig" if self._is_utf8() else self._encoding()
        comment = self.opts.get("comment_prefix")
        to_skip = int(self.opts.get("skip_rows", 0)) + 1  # title rows, then the header
        starts: list[int] = []
        start = 1
        # streamed, so a large file is not held twice in memory just to number its lines
        with self.path.open(encoding=encoding, errors="replace", newline="") as text:
            reader = csv.reader(text, delimiter=self.opts.get("separator", ","))
            for record in reader:
                first = record[0] if record else ""
                if not (comment and first.startswith(comment)):
                    if to_skip:
                        to_skip -= 1
                    else:
                        starts.append(start)
                start = reader.line_num + 1
        return starts
