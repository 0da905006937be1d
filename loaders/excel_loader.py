"""Spreadsheets (xlsx, xls, ods) through the calamine reader (fastexcel)."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.errors import MissingDependencyError
from loaders.registry import register_loader


@register_loader("excel")
class ExcelLoader(FileLoader):
    """Reads one sheet of an xlsx/xls/ods workbook; `sheet` names it (default: the first)."""

    options: ClassVar[OptionTypes] = {"sheet": (str, int), "skip_rows": int}
    suffixes = (".xlsx", ".xlsm", ".xls", ".ods")
    header_lines: int = 1  # the header row and the rows skipped above it (set by `load`)

    def load(self) -> pl.DataFrame:
        try:
            import fastexcel  # noqa: F401
        except ImportError as exc:  # pragma: no cover - fastexcel is in requirements.txt
            raise MissingDependencyError(
                "Reading spreadsheets needs the 'fastexcel' package: pip install fastexcel"
            ) from exc
        sheet = self.opts.get("sheet")
        skip = int(self.opts.get("skip_rows", 0))
        self.header_lines = 1 + skip
        return pl.read_excel(
            self.path,
            engine="calamine",
            read_options={"header_row": skip},
            sheet_id=sheet if isinstance(sheet, int) else None,
            sheet_name=sheet if isinstance(sheet, str) else None,
        )
