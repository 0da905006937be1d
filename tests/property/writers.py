"""Write a generated (header, rows) table as CSV, Parquet or XLSX, as the source systems would."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import polars as pl

SUFFIX = {"csv": ".csv", "parquet": ".parquet", "excel": ".xlsx"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows([[_text(v) for v in row] for row in rows])


def _series(name: str, cells: list[Any]) -> pl.Series:
    """One typed column when every present cell has the same type, else text (as a CSV export would)."""
    kinds = {type(v) for v in cells if v is not None}
    if kinds == {int, float}:
        return pl.Series(name, [None if v is None else float(v) for v in cells], pl.Float64)
    dtypes = {int: pl.Int64, float: pl.Float64, bool: pl.Boolean, str: pl.String}
    dtypes |= {dt.date: pl.Date, dt.datetime: pl.Datetime}
    if len(kinds) == 1 and (kind := next(iter(kinds))) in dtypes:
        return pl.Series(name, cells, dtypes[kind], strict=False)
    if not kinds:
        return pl.Series(name, cells, pl.String)
    return pl.Series(name, [None if v is None else _text(v) for v in cells], pl.String)


def write_parquet(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    columns = [[row[i] for row in rows] for i in range(len(header))]
    frame = pl.DataFrame([_series(h, c) for h, c in zip(header, columns, strict=True)])
    frame.write_parquet(path)


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    """Cells keep their own types (a spreadsheet column can mix numbers, text and dates)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, float) and not math.isfinite(value):
                value = str(value)  # a spreadsheet cell cannot hold NaN or infinity
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    wb.save(path)


WRITERS = {"csv": write_csv, "parquet": write_parquet, "excel": write_xlsx}


def write(fmt: str, folder: Path, name: str, header: list[str], rows: list[list[Any]]) -> Path:
    path = folder / f"{name}{SUFFIX[fmt]}"
    WRITERS[fmt](path, header, rows)
    return path
