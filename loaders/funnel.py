"""load_dataset: build the loader, load, rename, coerce, validate, and wrap every failure."""

from __future__ import annotations

import difflib
import inspect
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandera.errors as pa_errors
import polars as pl

from loaders.catalog import Catalog, DatasetSpec, load_catalog, resolve_options
from loaders.coerce import EXPECTED, coerce_frame
from loaders.contracts import CONTRACTS, columns
from loaders.errors import (
    ContractError,
    DataError,
    DatasetNotFoundError,
    LoaderError,
    MissingDependencyError,
)
from loaders.parquet_loader import where_expr
from loaders.registry import get_loader, suggest

MAX_ROWS_SHOWN = 5
MAX_CHECKS_SHOWN = 8


@dataclass(frozen=True)
class LoadReport:
    """What happened when a dataset was loaded, for the Data page."""

    name: str
    rows: int
    seconds: float
    loaded_at: float


def load_dataset(
    name: str, catalog: Catalog | None = None, *, where: Mapping[str, Any] | None = None
) -> Any:
    """The dataset `name`, validated against its contract (polars DataFrame or GeoDataFrame).

    `where` (canonical column -> value or list of values) keeps only the matching rows. It is
    pushed down to loaders whose `load` accepts `where` (sql: bound parameters; parquet: a lazy
    filter in the scan); any other loader's frame is filtered after validation.
    """
    frame, _ = load_dataset_with_report(name, catalog, where=where)
    return frame


def load_dataset_with_report(
    name: str, catalog: Catalog | None = None, *, where: Mapping[str, Any] | None = None
) -> tuple[Any, LoadReport]:
    """Like load_dataset, plus a LoadReport (rows, time taken)."""
    catalog = catalog if catalog is not None else load_catalog()
    if name not in catalog.datasets:
        raise DatasetNotFoundError(
            f"The catalog {catalog.path} has no dataset '{name}' "
            f"({suggest(name, tuple(catalog.datasets))})",
            dataset=name,
        )
    spec = catalog.datasets[name]
    started = time.perf_counter()
    raw, loader, pushed = _read(spec, where)
    if _is_geo(raw):
        out = _finish_geo(spec, loader, raw)
    else:
        out = _finish_table(spec, loader, raw)
    if where and not pushed:
        out = _filter_after_load(spec, out, where)
    report = LoadReport(name, len(out), time.perf_counter() - started, time.time())
    return out, report


def _accepts_where(loader: Any) -> bool:
    try:
        return "where" in inspect.signature(loader.load).parameters
    except (TypeError, ValueError):
        return False


def _source_where(spec: DatasetSpec, where: Mapping[str, Any]) -> dict[str, Any]:
    """`where` with canonical column names turned back into the source's (undoing rename)."""
    source_of = {canonical: source for source, canonical in spec.rename.items()}
    return {source_of.get(column, column): value for column, value in where.items()}


def _filter_after_load(spec: DatasetSpec, out: Any, where: Mapping[str, Any]) -> Any:
    names = list(out.columns)
    unknown = [c for c in where if c not in names]
    if unknown:
        raise LoaderError(
            f"{_where(spec)}: cannot filter on column(s) "
            + ", ".join(f"'{c}'" for c in unknown)
            + "; columns: "
            + ", ".join(f"'{c}'" for c in names[:40]),
            dataset=spec.name,
            path=str(spec.path),
        )
    if _is_geo(out):
        mask = None
        for column, value in where.items():
            values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
            term = out[column].isin(values)
            mask = term if mask is None else mask & term
        return out[mask].reset_index(drop=True)
    return out.filter(where_expr(where))


def _where(spec: DatasetSpec) -> str:
    return f"Dataset '{spec.name}'" + (f" (file {spec.path})" if spec.path else "")


def _read(spec: DatasetSpec, where: Mapping[str, Any] | None = None) -> tuple[Any, Any, bool]:
    """(raw frame, loader, whether `where` was pushed down to the loader)."""
    cls = get_loader(spec.loader, dataset=spec.name)
    options = resolve_options(spec)
    kwargs = dict(options)
    if spec.path is not None:
        kwargs["path"] = spec.path
    try:
        loader = cls(**kwargs)
    except TypeError as exc:
        raise LoaderError(
            f"{_where(spec)}: the '{spec.loader}' loader rejected its options: {exc}",
            dataset=spec.name,
            path=str(spec.path),
        ) from exc
    pushed = bool(where) and _accepts_where(loader)
    try:
        if pushed:
            return loader.load(where=_source_where(spec, where or {})), loader, True
        return loader.load(), loader, False
    except DataError as exc:
        if exc.dataset is None:
            exc.dataset = spec.name
        if exc.args and f"Dataset '{spec.name}'" not in str(exc):
            exc.args = (f"{_where(spec)}: {exc.args[0]}", *exc.args[1:])
        if exc.path is None and spec.path is not None:
            exc.path = str(spec.path)
        raise
    except FileNotFoundError as exc:
        raise LoaderError(
            f"{_where(spec)}: file not found. Check 'path' in the catalog {spec.name} entry.",
            dataset=spec.name,
            path=str(spec.path),
        ) from exc
    except ImportError as exc:
        raise MissingDependencyError(
            f"{_where(spec)}: the '{spec.loader}' loader needs a package that is not installed: "
            f"{exc}",
            dataset=spec.name,
        ) from exc
    except Exception as exc:  # every foreign error becomes ours, naming the dataset and file
        detail = str(exc).strip().splitlines()
        first = detail[0] if detail else type(exc).__name__
        raise LoaderError(
            f"{_where(spec)}: the '{spec.loader}' loader could not read it: "
            f"{type(exc).__name__}: {first}",
            dataset=spec.name,
            path=str(spec.path),
        ) from exc


def _is_geo(obj: Any) -> bool:
    return hasattr(obj, "geometry") and hasattr(obj, "crs")


def _row_label(loader: Any, row: int) -> str:
    header = getattr(loader, "header_lines", 0)
    label = f"row {row + 1}"
    if header:
        label += f" (line {row + 1 + header})"
    return label


def _rename_and_check_columns(spec: DatasetSpec, frame_columns: list[str]) -> dict[str, str]:
    missing_sources = [src for src in spec.rename if src not in frame_columns]
    if missing_sources:
        raise ContractError(
            f"{_where(spec)}: the catalog renames column(s) "
            + ", ".join(f"'{c}'" for c in missing_sources)
            + " but the file has no such column. Columns in the file: "
            + ", ".join(f"'{c}'" for c in frame_columns[:40]),
            dataset=spec.name,
            path=str(spec.path),
        )
    renamed = [spec.rename.get(c, c) for c in frame_columns]
    wanted = columns(spec.contract)
    missing = [c for c, (_, _, required) in wanted.items() if required and c not in renamed]
    if missing:
        hints = []
        for col in missing:
            close = difflib.get_close_matches(col, renamed, n=1, cutoff=0.6)
            hints.append(f"'{col}'" + (f" (closest in file: '{close[0]}')" if close else ""))
        raise ContractError(
            f"{_where(spec)}: missing required column(s) for the '{spec.contract}' contract: "
            + ", ".join(hints)
            + ". Columns in the file: "
            + ", ".join(f"'{c}'" for c in renamed[:40])
            + ". Add a [datasets."
            + spec.name
            + ".rename] entry mapping the source column to the expected name.",
            dataset=spec.name,
            path=str(spec.path),
        )
    return {k: v for k, v in spec.rename.items() if k != v}


def _finish_table(spec: DatasetSpec, loader: Any, frame: pl.DataFrame) -> pl.DataFrame:
    rename = _rename_and_check_columns(spec, list(frame.columns))
    if rename:
        frame = frame.rename(rename)
    return _coerce_and_validate(spec, loader, frame)


def _coerce_and_validate(spec: DatasetSpec, loader: Any, frame: pl.DataFrame) -> pl.DataFrame:
    wanted = columns(spec.contract)
    dtypes = {c: dtype for c, (dtype, _, _) in wanted.items()}
    nullable = frozenset(c for c, (_, can_be_null, _) in wanted.items() if can_be_null)
    coerced, failures = coerce_frame(frame, dtypes, nullable)
    if failures:
        lines = []
        report = []
        for col, bad in failures.items():
            shown = bad.head(MAX_ROWS_SHOWN)
            examples = "; ".join(f"{_row_label(loader, r)}: {v!r}" for r, v in shown.iter_rows())
            more = f" (and {bad.height - shown.height} more)" if bad.height > shown.height else ""
            lines.append(
                f"column '{col}': expected {EXPECTED.get(dtypes[col], dtypes[col])}, "
                f"{bad.height} value(s) could not be read: {examples}{more}"
            )
            report.extend(
                {"column": col, "row": r + 1, "value": v, "expected": EXPECTED.get(dtypes[col])}
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
        raise _contract_error(spec, loader, exc.failure_cases) from None
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


def _contract_error(spec: DatasetSpec, loader: Any, cases: pl.DataFrame) -> ContractError:
    lines = []
    report = []
    cases = cases.with_columns(pl.col("check").cast(pl.String), pl.col("column").cast(pl.String))
    groups = cases.group_by(["column", "check"], maintain_order=True)
    for i, ((col, check), rows) in enumerate(groups):
        if i >= MAX_CHECKS_SHOWN:
            lines.append(f"... and {cases.height - sum(len(r) for r in report)} more failures")
            break
        shown = rows.head(MAX_ROWS_SHOWN)
        examples = []
        for failure_case, index in shown.select("failure_case", "index").iter_rows():
            where = _row_label(loader, int(index)) if index is not None else "whole table"
            examples.append(f"{where}: {failure_case!r}")
            report.append(
                {
                    "column": col,
                    "row": None if index is None else int(index) + 1,
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


def _finish_geo(spec: DatasetSpec, loader: Any, gdf: Any) -> Any:
    """Validate a GeoDataFrame's attributes against the contract and its geometry (EPSG:4326)."""
    geom_name = gdf.geometry.name
    attr_cols = [c for c in gdf.columns if c != geom_name]
    rename = _rename_and_check_columns(spec, attr_cols)
    if rename:
        gdf = gdf.rename(columns=rename)
    attrs = pl.from_pandas(gdf.drop(columns=geom_name).reset_index(drop=True))
    checked = _coerce_and_validate(spec, loader, attrs)
    if gdf.crs is None:
        raise ContractError(
            f"{_where(spec)}: the file has no coordinate reference system; expected EPSG:4326 "
            "(WGS84 longitude/latitude) or a CRS that can be converted to it.",
            dataset=spec.name,
            path=str(spec.path),
        )
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if bool(empty.any()):
        rows = [int(i) for i in empty.to_numpy().nonzero()[0][:MAX_ROWS_SHOWN]]
        codes = [checked["area_code"][r] for r in rows] if "area_code" in checked.columns else rows
        raise ContractError(
            f"{_where(spec)}: column 'geometry': expected a polygon, {int(empty.sum())} feature(s) "
            f"have none: "
            + "; ".join(
                f"feature {r + 1}: area_code {c!r}" for r, c in zip(rows, codes, strict=False)
            ),
            dataset=spec.name,
            path=str(spec.path),
        )
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    import geopandas as gpd

    out = gpd.GeoDataFrame(
        checked.to_pandas(), geometry=gdf.geometry.reset_index(drop=True).values, crs=4326
    )
    return out
