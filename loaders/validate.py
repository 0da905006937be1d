"""Coerce a loaded frame to its contract and validate it, with messages naming each row.

Split from the funnel so the row-level reporting (which rows, which values, which line of the
file) can be read on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.errors as pa_errors
import polars as pl

from loaders.catalog import DatasetSpec
from loaders.coerce import EXPECTED, coerce_frame
from loaders.contracts import CONTRACTS, columns
from loaders.errors import ContractError
from loaders.transforms import SOURCE_ROW

if TYPE_CHECKING:
    from loaders.base import Loader

MAX_ROWS_SHOWN = 5
MAX_CHECKS_SHOWN = 8


def _where(spec: DatasetSpec) -> str:
    return f"Dataset '{spec.name}'" + (f" (file {spec.path})" if spec.path else "")


def _row_label(loader: Loader | None, row: int) -> str:
    """Labels rows as "row N (line L)": a loader that knows where each record starts (a CSV with quoted
    newlines or comment lines) says so through `line_of`; otherwise the header is counted."""
    label = f"row {row + 1}"
    line_of = getattr(loader, "line_of", None)
    line = line_of(row) if callable(line_of) else None
    header_lines: int = getattr(loader, "header_lines", 0)
    if line is None and header_lines:
        line = row + 1 + header_lines
    return f"{label} (line {line})" if line is not None else label


def coerce_and_validate(
    spec: DatasetSpec, loader: Loader | None, frame: pl.DataFrame
) -> pl.DataFrame:
    wanted = columns(spec.contract)
    origin: list[int] | None = None  # the file's row of each frame row, after catalog transforms
    if SOURCE_ROW in frame.columns:
        origin = [int(r) for r in frame[SOURCE_ROW].to_list()]
        frame = frame.drop(SOURCE_ROW)
    dtypes = {c: dtype for c, (dtype, _, _) in wanted.items()}
    nullable = frozenset(c for c, (_, can_be_null, _) in wanted.items() if can_be_null)
    coerced, failures = coerce_frame(frame, dtypes, nullable)
    if failures:
        lines = []
        report: list[dict[str, object]] = []
        for col, bad in failures.items():
            shown = bad.head(MAX_ROWS_SHOWN)
            examples = "; ".join(
                f"{_row_label(loader, _at(origin, r))}: {v!r}" for r, v in shown.iter_rows()
            )
            more = f" (and {bad.height - shown.height} more)" if bad.height > shown.height else ""
            lines.append(
                f"column '{col}': expected {EXPECTED.get(dtypes[col], dtypes[col])}, "
                f"{bad.height} value(s) could not be read: {examples}{more}"
            )
            report.extend(
                {
                    "column": col,
                    "row": _at(origin, r) + 1,
                    "value": v,
                    "expected": EXPECTED.get(dtypes[col]),
                }  # fmt: skip
                for r, v in shown.iter_rows()
            )
        raise ContractError(
            f"{_where(spec)} does not match the '{spec.contract}' contract:\n  - "
            + "\n  - ".join(lines),
            dataset=spec.name,
            path=str(spec.path),
            failures=report,
        )
    order = list(wanted) + [c for c in coerced.columns if c not in wanted]
    coerced = coerced.select([c for c in order if c in coerced.columns])
    try:
        CONTRACTS[spec.contract].validate(coerced, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise _contract_error(spec, loader, exc.failure_cases, origin) from None
    except pa_errors.SchemaError as exc:
        raise ContractError(
            f"{_where(spec)} does not match the '{spec.contract}' contract: {exc}",
            dataset=spec.name,
            path=str(spec.path),
        ) from None
    return coerced


def _describe_check(check: str) -> str:
    if check.startswith("isin("):
        return "one of " + check[5:-1]
    if check == "not_nullable":
        return "a value (blank found)"
    if "uniqueness" in check or check == "field_uniqueness":
        return "unique key (duplicate found)"
    return check.replace("_", " ")


def _at(origin: list[int] | None, row: int) -> int:
    """The file's row (0-based) of frame row `row`: rows move when transforms drop or reshape."""
    return origin[row] if origin is not None and 0 <= row < len(origin) else row


def _contract_error(
    spec: DatasetSpec, loader: Loader | None, cases: pl.DataFrame, origin: list[int] | None = None
) -> ContractError:
    lines = []
    report: list[dict[str, object]] = []
    cases = cases.with_columns(pl.col("check").cast(pl.String), pl.col("column").cast(pl.String))
    groups = cases.group_by(["column", "check"], maintain_order=True)
    for i, ((col, check), rows) in enumerate(groups):
        if i >= MAX_CHECKS_SHOWN:
            lines.append(f"... and {cases.height - len(report)} more failures")
            break
        shown = rows.head(MAX_ROWS_SHOWN)
        examples = []
        for failure_case, index in shown.select("failure_case", "index").iter_rows():
            row = _at(origin, int(index)) if index is not None else None
            where = _row_label(loader, row) if row is not None else "whole table"
            examples.append(f"{where}: {failure_case!r}")
            report.append(
                {
                    "column": col,
                    "row": None if row is None else row + 1,
                    "value": failure_case,
                    "expected": _describe_check(check),
                }
            )
        more = f" (and {rows.height - shown.height} more)" if rows.height > shown.height else ""
        column_label = f"column '{col}'" if col != CONTRACTS[spec.contract].__name__ else "table"
        key = CONTRACTS[spec.contract].to_schema().unique
        if column_label == "table" and "unique" in check and key:
            column_label = "key columns " + ", ".join(f"'{c}'" for c in key)
        lines.append(
            f"{column_label}: expected {_describe_check(check)}; "
            f"{rows.height} failing: " + "; ".join(examples) + more
        )
    return ContractError(
        f"{_where(spec)} does not match the '{spec.contract}' contract:\n  - "
        + "\n  - ".join(lines),
        dataset=spec.name,
        path=str(spec.path),
        failures=report,
    )
