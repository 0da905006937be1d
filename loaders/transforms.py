"""Transforms declared in the catalog: a council's own files brought to a contract without code.

A dataset's `[datasets.NAME.transform]` table names the steps it needs. `parse_transform`
checks the table with the rest of the catalog (every problem at once); `apply` runs the steps
in this fixed order, between loading and the contract, and says what each one did:

1. `skip`: drop rows whose column matches a pattern (totals, notes), and wholly blank rows;
2. `unpivot`: wide to long: `index` columns kept, every other column (or those matching
   `columns`) becomes a row, its header in `name` and its cell in `value`;
3. `keep`: keep only rows whose column holds one of the values (one line of a return);
4. the catalog's `rename` (source names to contract names);
5. `constants`: columns with one value for the whole file (`place_code` of a one-place file);
6. `recode`: value maps per column, inline or from a two-column CSV beside the catalog;
   a value with no mapping is an error naming it and its row count, never dropped;
7. `units`: money columns read as amounts (`£1,234.50`, `(1,234)` and `1,234-` negative,
   blank or `:` missing) and scaled from pounds, thousands or millions to pounds;
8. financial years: a `financial_year` column in any common form becomes "2019/20", and
   `year_start` is derived from it (or `financial_year` from `year_start`) when the contract
   has both and the file only one.

The frame carries its source row in a hidden column (`SOURCE_ROW`) through every step, so a
message about a row the contract rejects names the row of the file, not of the reshaped frame.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from formatting import (
    ACCEPTED_FORMS,
    FinancialYearError,
    financial_year_label,
    parse_financial_year,
)
from loaders.coerce import coerce_expr
from loaders.errors import ContractError

SOURCE_ROW = "__placewise_source_row"
UNITS = {"pounds": 1.0, "thousands": 1_000.0, "millions": 1_000_000.0}
TRANSFORM_KEYS = ("skip", "unpivot", "keep", "constants", "recode", "units")
MISSING_AMOUNTS = ("", ":", "-", "..", "n/a", "N/A", "x", "c")
EXAMPLES = 5  # unmapped values and unreadable cells named in a message


@dataclass(frozen=True)
class Unpivot:
    index: tuple[str, ...]
    name: str
    value: str
    columns: str | None = None  # a pattern: only the headers matching it become rows


@dataclass(frozen=True)
class Transform:
    """The checked `transform` table of one dataset."""

    skip: tuple[tuple[str, str], ...] = ()  # (column, pattern)
    unpivot: Unpivot | None = None
    keep: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, values)
    constants: Mapping[str, str | int | float | bool] = field(default_factory=dict)
    recode: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    recode_files: Mapping[str, str] = field(default_factory=dict)  # column -> CSV, for reports
    units: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.skip or self.unpivot or self.keep or self.constants or self.recode
                    or self.units)  # fmt: skip


NO_TRANSFORM = Transform()


# --- the catalog table -----------------------------------------------------------------------


def parse_transform(where: str, raw: Any, base: Path, problems: list[str]) -> Transform:
    """The dataset's `transform` table checked; each problem appended, naming dataset and key."""
    if raw is None:
        return NO_TRANSFORM
    if not isinstance(raw, dict):
        problems.append(f"{where}: key 'transform' must be a table")
        return NO_TRANSFORM
    from loaders.registry import suggest

    before = len(problems)
    for key in raw:
        if key not in TRANSFORM_KEYS:
            problems.append(
                f"{where}: unknown key 'transform.{key}' ({suggest(key, TRANSFORM_KEYS)})"
            )
    skip = _rules(where, "skip", raw.get("skip", []), "pattern", problems)
    keep = _rules(where, "keep", raw.get("keep", []), "values", problems)
    unpivot = _unpivot(where, raw.get("unpivot"), problems)
    constants = _table(where, "constants", raw.get("constants", {}), problems)
    for column, value in constants.items():
        if not isinstance(value, str | int | float | bool):
            problems.append(
                f"{where}: key 'transform.constants.{column}' must be one value, got {value!r}"
            )
    recode, files = _recodes(where, raw.get("recode", {}), base, problems)
    units = _table(where, "units", raw.get("units", {}), problems)
    for column, unit in units.items():
        if unit not in UNITS:
            problems.append(
                f"{where}: key 'transform.units.{column}': unknown unit {unit!r} "
                f"(expected one of {', '.join(UNITS)})"
            )
    if len(problems) > before:
        return NO_TRANSFORM
    return Transform(
        skip=tuple((c, str(p)) for c, p in skip),
        unpivot=unpivot,
        keep=tuple((c, tuple(str(v) for v in vs)) for c, vs in keep),
        constants=constants,
        recode=recode,
        recode_files=files,
        units={c: str(u) for c, u in units.items()},
    )


def _table(where: str, key: str, raw: Any, problems: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: key 'transform.{key}' must be a table (column = ...)")
        return {}
    return dict(raw)


def _rules(
    where: str, key: str, raw: Any, wanted: str, problems: list[str]
) -> list[tuple[str, Any]]:
    """`skip` ({column, pattern}) or `keep` ({column, values}) rules, as a list of tables."""
    shape = f'{{ column = "...", {wanted} = ' + ('"..."' if wanted == "pattern" else '["..."]')
    if not isinstance(raw, list):
        problems.append(f"{where}: key 'transform.{key}' must be a list of {shape} }}")
        return []
    out: list[tuple[str, Any]] = []
    for i, rule in enumerate(raw, start=1):
        label = f"{where}: key 'transform.{key}' rule {i}"
        if not isinstance(rule, dict) or set(rule) != {"column", wanted}:
            problems.append(f"{label} must be {shape} }}, got {rule!r}")
            continue
        column, value = rule["column"], rule[wanted]
        if not isinstance(column, str) or not column:
            problems.append(f"{label}: 'column' must name a column, got {column!r}")
            continue
        if wanted == "pattern":
            if not isinstance(value, str):
                problems.append(f"{label}: 'pattern' must be text, got {value!r}")
                continue
            try:
                re.compile(value)
            except re.error as exc:
                problems.append(f"{label}: 'pattern' {value!r} is not a regular expression: {exc}")
                continue
        elif not isinstance(value, list) or not value:
            problems.append(f"{label}: 'values' must be a non-empty list, got {value!r}")
            continue
        out.append((column, value))
    return out


def _unpivot(where: str, raw: Any, problems: list[str]) -> Unpivot | None:
    if raw is None:
        return None
    label = f"{where}: key 'transform.unpivot'"
    if not isinstance(raw, dict):
        problems.append(f"{label} must be a table (index, name, value, columns)")
        return None
    unknown = set(raw) - {"index", "name", "value", "columns"}
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(sorted(unknown))}")
    index = raw.get("index")
    if not isinstance(index, list) or not all(isinstance(c, str) for c in index):
        problems.append(f"{label}: 'index' must list the columns kept on every row")
        return None
    name, value, columns = raw.get("name"), raw.get("value"), raw.get("columns")
    for key, text in (("name", name), ("value", value)):
        if not isinstance(text, str) or not text:
            problems.append(f"{label}: '{key}' must name the new column, got {text!r}")
            return None
    if columns is not None:
        try:
            re.compile(str(columns))
        except re.error as exc:
            problems.append(f"{label}: 'columns' {columns!r} is not a regular expression: {exc}")
            return None
    return Unpivot(tuple(index), str(name), str(value), None if columns is None else str(columns))


def _recodes(
    where: str, raw: Any, base: Path, problems: list[str]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Each column's map: inline ({ "from" = "to" }) or the path of a two-column CSV."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: key 'transform.recode' must be a table (column = map or file)")
        return {}, {}
    maps: dict[str, dict[str, str]] = {}
    files: dict[str, str] = {}
    for column, value in raw.items():
        label = f"{where}: key 'transform.recode.{column}'"
        if isinstance(value, dict):
            if not all(isinstance(v, str) for v in value.values()):
                problems.append(f"{label}: every value must map to text")
                continue
            maps[column] = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, str):
            path = (base / value).resolve()
            read = _read_mapping(path, label, problems)
            if read is not None:
                maps[column], files[column] = read, str(path)
        else:
            problems.append(f"{label} must be a table of values or the path of a CSV file")
    return maps, files


def _read_mapping(path: Path, label: str, problems: list[str]) -> dict[str, str] | None:
    """A mapping CSV: a header row, then the file's value and the code it maps to."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(f"{label}: mapping file not found: {path}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{label}: mapping file {path} cannot be read: {exc}")
        return None
    rows = list(csv.reader(text.splitlines()))
    out: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(
                f"{label}: mapping file {path} line {line}: expected 2 columns (value, code), "
                f"got {len(row)}: {row!r}"
            )
            return None
        key, code = row[0].strip(), row[1].strip()
        if key in out and out[key] != code:
            problems.append(
                f"{label}: mapping file {path} line {line}: {key!r} is mapped twice "
                f"({out[key]!r} and {code!r})"
            )
            return None
        out[key] = code
    if not out:
        problems.append(
            f"{label}: mapping file {path} maps nothing (a header, then value,code rows)"
        )
        return None
    return out


# --- applying it -----------------------------------------------------------------------------


@dataclass
class Applied:
    """The frame after the steps, and one sentence per step that changed something."""

    frame: pl.DataFrame
    steps: list[str] = field(default_factory=list)


class TransformError(ContractError):
    """A declared transform cannot be applied to the file (a column it names is missing, a
    value has no mapping, a cell is not an amount, a year cannot be read)."""


def with_source_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(SOURCE_ROW)


def derivable(
    t: Transform,
    contract_columns: Mapping[str, Any],
    frame: pl.DataFrame,
    rename: Mapping[str, str],
) -> frozenset[str]:
    """The contract columns the steps after the rename will add (constants, a year derived from
    the other), so the required-column check does not ask the file for them."""
    named = {rename.get(c, c) for c in frame.columns}
    out = set(t.constants)
    both = "financial_year" in contract_columns and "year_start" in contract_columns
    if both and "financial_year" in named | out:
        out.add("year_start")
    if both and "year_start" in named | out:
        out.add("financial_year")
    return frozenset(out)


def apply_before_rename(t: Transform, frame: pl.DataFrame, where: str, dataset: str) -> Applied:
    """Steps 1 to 3 (skip, unpivot, keep), on the file's own column names."""
    out = Applied(frame)
    _skip(t, out, where, dataset)
    if t.unpivot is not None:
        _do_unpivot(t.unpivot, out, where, dataset)
    for column, values in t.keep:
        _need(out.frame, column, "keep", where, dataset)
        before = out.frame.height
        out.frame = out.frame.filter(pl.col(column).cast(pl.String).str.strip_chars().is_in(values))
        out.steps.append(
            f"keep: {out.frame.height:,} of {before:,} rows where '{column}' is "
            + ", ".join(repr(v) for v in values)
        )
    return out


def apply_after_rename(
    t: Transform, out: Applied, contract_columns: Mapping[str, Any], where: str, dataset: str
) -> Applied:
    """Steps 5 to 8 (constants, recode, units, financial years), on the contract's names."""
    for column, value in t.constants.items():
        _constant(out, column, value, where, dataset)
    for column, mapping in t.recode.items():
        _recode(out, column, mapping, t.recode_files.get(column), where, dataset)
    for column, unit in t.units.items():
        _amounts(out, column, unit, where, dataset)
    _years(out, contract_columns, where, dataset)
    return out


def _fail(
    message: str, where: str, dataset: str, failures: list[dict[str, object]] | None = None
) -> TransformError:
    return TransformError(f"{where}: {message}", dataset=dataset, failures=failures)


def _need(frame: pl.DataFrame, column: str, step: str, where: str, dataset: str) -> None:
    if column not in frame.columns:
        shown = ", ".join(f"'{c}'" for c in frame.columns if c != SOURCE_ROW)
        raise _fail(
            f"transform '{step}' names column '{column}', which the file does not have. "
            f"Columns: {shown}",
            where,
            dataset,
        )


def _row(frame: pl.DataFrame, i: int) -> int:
    """The file's data row (1-based) of frame row `i`."""
    return int(frame[SOURCE_ROW][i]) + 1 if SOURCE_ROW in frame.columns else i + 1


def _skip(t: Transform, out: Applied, where: str, dataset: str) -> None:
    frame = out.frame
    data = [c for c in frame.columns if c != SOURCE_ROW]
    blank = pl.all_horizontal(
        pl.col(c).cast(pl.String).str.strip_chars().fill_null("") == "" for c in data
    )
    before = frame.height
    frame = frame.filter(~blank)
    if frame.height < before:
        out.steps.append(f"skip: {before - frame.height:,} blank row(s)")
    for column, pattern in t.skip:
        _need(frame, column, "skip", where, dataset)
        hit = pl.col(column).cast(pl.String).fill_null("").str.contains(pattern)
        dropped = frame.filter(hit).height
        frame = frame.filter(~hit)
        out.steps.append(f"skip: {dropped:,} row(s) where '{column}' matches {pattern!r}")
    out.frame = frame


def _do_unpivot(u: Unpivot, out: Applied, where: str, dataset: str) -> None:
    frame = out.frame
    for column in u.index:
        _need(frame, column, "unpivot", where, dataset)
    rest = [c for c in frame.columns if c not in u.index and c != SOURCE_ROW]
    on = [c for c in rest if u.columns is None or re.search(u.columns, c)]
    if not on:
        raise _fail(
            f"transform 'unpivot': no column matches {u.columns!r} to turn into rows",
            where,
            dataset,
        )
    for new in (u.name, u.value):
        if new in frame.columns:
            raise _fail(
                f"transform 'unpivot' would make a column '{new}', which the file already has",
                where,
                dataset,
            )
    keys = [*u.index, SOURCE_ROW] if SOURCE_ROW in frame.columns else list(u.index)
    long = (
        frame.select(*keys, *on)
        .with_columns(pl.col(on).cast(pl.String))
        .unpivot(index=keys, on=on, variable_name=u.name, value_name=u.value)
    )
    dupes = long.select(*u.index, u.name).is_duplicated()
    if dupes.any():
        first = long.filter(dupes).row(0, named=True)
        key = ", ".join(f"{c}={first[c]!r}" for c in (*u.index, u.name))
        raise _fail(
            f"transform 'unpivot' makes {int(dupes.sum()):,} rows with the same key "
            f"(index columns and '{u.name}'), e.g. {key} (rows {_row(long, int(dupes.arg_max() or 0))} "
            "and others): add the column that tells them apart to 'index'",
            where,
            dataset,
        )
    out.frame = long
    dropped = [c for c in rest if c not in on]
    out.steps.append(
        f"unpivot: {len(on)} column(s) into '{u.name}' and '{u.value}' "
        f"({frame.height:,} rows to {long.height:,})"
        + (f"; not kept: {', '.join(repr(c) for c in dropped)}" if dropped else "")
    )


def _constant(out: Applied, column: str, value: Any, where: str, dataset: str) -> None:
    frame = out.frame
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if column in frame.columns:
        held = frame[column].cast(pl.String).str.strip_chars()
        other = frame.filter(held.is_not_null() & (held != "") & (held != text))
        if other.height:
            first = other.row(0, named=True)
            raise _fail(
                f"transform 'constants' sets '{column}' to {text!r} for the whole file, but "
                f"column '{column}' holds {first[column]!r} (row {_row(other, 0)}; "
                f"{other.height:,} row(s) differ)",
                where,
                dataset,
                [
                    {
                        "column": column,
                        "row": _row(other, 0),
                        "value": first[column],
                        "expected": text,
                    }
                ],  # fmt: skip
            )
    out.frame = frame.with_columns(pl.lit(text).alias(column))
    out.steps.append(f"constants: '{column}' = {text!r} on every row")


def _recode(
    out: Applied,
    column: str,
    mapping: Mapping[str, str],
    file: str | None,
    where: str,
    dataset: str,
) -> None:
    frame = out.frame
    _need(frame, column, "recode", where, dataset)
    text = pl.col(column).cast(pl.String).str.strip_chars()
    known = text.is_in(list(mapping))
    unmapped = (
        frame.filter(~known & text.is_not_null())
        .group_by(text.alias("value"))
        .agg(pl.len().alias("rows"), pl.col(SOURCE_ROW).min().alias("first"))
        .sort(["rows", "value"], descending=[True, False])
    )
    if unmapped.height:
        shown = unmapped.head(EXAMPLES)
        words = "; ".join(
            f"{rows:,} row(s) with {value!r} (first: row {first + 1})"
            for value, rows, first in shown.iter_rows()
        )
        more = (
            f"; and {unmapped.height - shown.height} more value(s)"
            if unmapped.height > EXAMPLES
            else ""
        )
        source = f" in {file}" if file else ""
        raise _fail(
            f"transform 'recode' of column '{column}': {unmapped.height} value(s) have no "
            f"mapping{source}: {words}{more}. Add each to the map; no row is dropped.",
            where,
            dataset,
            [
                {"column": column, "row": first + 1, "value": value, "expected": "a mapped value"}
                for value, _, first in shown.iter_rows()
            ],  # fmt: skip
        )
    out.frame = frame.with_columns(text.replace_strict(dict(mapping), default=None).alias(column))
    out.steps.append(
        f"recode: '{column}' mapped ({frame.height:,} rows, {len(mapping)} value(s) known"
        + (f", from {Path(file).name})" if file else ")")
    )


_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")


def read_amount(text: str | None) -> float | None:
    """'£1,234.50' -> 1234.5; '(1,234)', '1,234-' and '-£1,234' -> -1234; blank or ':' -> None.

    ValueError for anything else (the caller names the row)."""
    if text is None:
        return None
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in MISSING_AMOUNTS:
        return None
    sign = 1.0
    if cleaned.startswith("(") and cleaned.endswith(")"):
        sign, cleaned = -1.0, cleaned[1:-1]
    elif cleaned.endswith("-"):
        sign, cleaned = -1.0, cleaned[:-1]
    cleaned = cleaned.replace("£", "", 1) if cleaned.lstrip("-").startswith("£") else cleaned
    if cleaned in ("", "-", ".") or not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    return sign * float(cleaned.replace(",", ""))


def _amounts(out: Applied, column: str, unit: str, where: str, dataset: str) -> None:
    frame = out.frame
    _need(frame, column, "units", where, dataset)
    values: list[float | None] = []
    bad: list[tuple[int, str]] = []
    for i, cell in enumerate(frame[column].cast(pl.String).to_list()):
        try:
            values.append(read_amount(cell))
        except ValueError:
            values.append(None)
            bad.append((i, cell))
    if bad:
        shown = "; ".join(f"row {_row(frame, i)}: {cell!r}" for i, cell in bad[:EXAMPLES])
        raise _fail(
            f"transform 'units' of column '{column}': {len(bad):,} cell(s) are not amounts: "
            f"{shown}. Expected a number like 1,234.50, £1,234, (1,234) or 1,234- (negative), "
            "or blank",
            where,
            dataset,
            [
                {"column": column, "row": _row(frame, i), "value": cell, "expected": "an amount"}
                for i, cell in bad[:EXAMPLES]
            ],  # fmt: skip
        )
    scale = UNITS[unit]
    out.frame = frame.with_columns(
        (pl.Series(column, values, dtype=pl.Float64) * scale).alias(column)
    )
    out.steps.append(
        f"units: '{column}' read as amounts in {unit}"
        + (f" (times {scale:,.0f}, to pounds)" if scale != 1 else "")
    )


def _years(out: Applied, contract_columns: Mapping[str, Any], where: str, dataset: str) -> None:
    """Financial years in any common form as "2019/20"; year_start and financial_year each
    derived from the other when the contract has both and the file one."""
    frame = out.frame
    wants_both = "financial_year" in contract_columns and "year_start" in contract_columns
    if "financial_year" in frame.columns and "financial_year" in contract_columns:
        labels: dict[str, str] = {}
        why: dict[str, str] = {}  # each unreadable value and the reason
        years = frame["financial_year"].cast(pl.String)
        for cell in years.drop_nulls().unique(maintain_order=True).to_list():
            if cell.strip() == "":
                continue
            try:
                labels[cell] = financial_year_label(parse_financial_year(cell))
            except FinancialYearError as exc:
                why[cell] = exc.why
        if why:
            rows = (
                frame.with_columns(years)
                .with_row_index("__i")
                .filter(pl.col("financial_year").is_in(list(why)))
            )
            first = list(rows.head(EXAMPLES).select("__i", "financial_year").iter_rows())
            shown = "; ".join(f"row {_row(frame, i)}: {cell!r} ({why[cell]})" for i, cell in first)
            raise _fail(
                f"column 'financial_year': {rows.height:,} value(s) are not financial years: "
                f"{shown}. Accepted forms: {ACCEPTED_FORMS}",
                where,
                dataset,
                [
                    {
                        "column": "financial_year",
                        "row": _row(frame, i),
                        "value": cell,
                        "expected": "a financial year like 2019/20",
                    }
                    for i, cell in first
                ],  # fmt: skip
            )
        changed = {k: v for k, v in labels.items() if k != v}
        if changed:
            frame = frame.with_columns(pl.col("financial_year").cast(pl.String).replace(changed))
            examples = ", ".join(f"{k!r} as {v!r}" for k, v in list(changed.items())[:3])
            out.steps.append(f"financial years: {len(changed)} form(s) read ({examples})")
        if wants_both and "year_start" not in frame.columns:
            frame = frame.with_columns(
                pl.col("financial_year")
                .map_elements(lambda y: parse_financial_year(y), return_dtype=pl.Date)
                .alias("year_start")
            )
            out.steps.append(
                "financial years: 'year_start' (1 April) derived from 'financial_year'"
            )
    elif wants_both and "year_start" in frame.columns and "financial_year" not in frame.columns:
        start = coerce_expr("year_start", frame.schema["year_start"], "Date")
        frame = frame.with_columns(
            start.map_elements(lambda d: financial_year_label(d), return_dtype=pl.String).alias(
                "financial_year"
            )
        )
        out.steps.append("financial years: 'financial_year' derived from 'year_start'")
    out.frame = frame
