"""Spreadsheets (xlsx, xls, ods) through the calamine reader (fastexcel)."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.errors import LoaderError, MissingDependencyError
from loaders.registry import register_loader


@register_loader("excel")
class ExcelLoader(FileLoader):
    """Reads one sheet of an xlsx/xls/ods workbook; `sheet` names it (default: the first).

    `sheets` names several sheets of the same layout (one per year, one per place) read as one
    dataset, each row with the name of its sheet in a `sheet` column (for a `recode` or a
    `rename` to turn into a year or a place)."""

    options: ClassVar[OptionTypes] = {"sheet": (str, int), "sheets": list, "skip_rows": int}
    suffixes = (".xlsx", ".xlsm", ".xls", ".ods")
    header_lines: int = 1  # the header row and the rows skipped above it (set by `load`)
    _starts: list[int] | None = None  # the first row of each sheet, when `sheets` were read

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
        self._starts = None
        names = self.opts.get("sheets")
        if names:
            if sheet is not None:
                raise LoaderError(
                    "options 'sheet' and 'sheets' cannot both be given: name one sheet, or list "
                    "the sheets read as one dataset"
                )
            frames = [self._sheet(str(n), skip).with_columns(sheet=pl.lit(str(n))) for n in names]
            self._starts = [0]
            for frame in frames[:-1]:
                self._starts.append(self._starts[-1] + frame.height)
            return pl.concat(frames, how="diagonal_relaxed")
        return self._sheet(sheet, skip)

    def _sheet(self, sheet: str | int | None, skip: int) -> pl.DataFrame:
        return pl.read_excel(
            self.path,
            engine="calamine",
            read_options={"header_row": skip},
            sheet_id=sheet if isinstance(sheet, int) else None,
            sheet_name=sheet if isinstance(sheet, str) else None,
        )

    def line_of(self, row: int) -> int | None:
        """The line (1-based) of data row `row` in its own sheet, when several were read."""
        if not self._starts:
            return None
        start = max(s for s in self._starts if s <= row)
        return row - start + 1 + self.header_lines
