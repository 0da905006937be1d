"""load_dataset: build the loader, load, rename, coerce, validate, and wrap every failure."""

from __future__ import annotations

import contextlib
import difflib
import inspect
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

import polars as pl

from loaders import last_good
from loaders.catalog import Catalog, DatasetSpec, load_catalog, resolve_options
from loaders.contracts import columns
from loaders.errors import (
    ContractError,
    DataError,
    DatasetNotFoundError,
    LoaderError,
    MissingDependencyError,
)
from loaders.parquet_loader import where_expr
from loaders.registry import get_loader, suggest
from loaders.secrets import is_secret_key, mask_connection, secrets_of
from loaders.transforms import (
    SOURCE_ROW,
    Applied,
    TransformError,
    apply_after_rename,
    apply_before_rename,
    derivable,
    with_source_rows,
)
from loaders.validate import MAX_ROWS_SHOWN, coerce_and_validate

if TYPE_CHECKING:
    import geopandas as gpd
    from typing_extensions import TypeIs

    from loaders.base import FilteringLoader, Loader


@dataclass(frozen=True)
class LoadReport:
    """What happened when a dataset was loaded, for the Data page."""

    name: str
    rows: int
    seconds: float
    loaded_at: float
    #: True when the source could not be reached and the last good copy was served instead
    stale: bool = False
    #: when a stale copy was loaded from its source (epoch seconds); None for fresh data
    as_at: float | None = None
    #: the "data as at ..." sentence to show beside a stale dataset; "" for fresh data
    note: str = ""
    #: what each catalog transform did (loaders.transforms), in the order they ran
    steps: tuple[str, ...] = ()


def load_dataset(
    name: str, catalog: Catalog | None = None, *, where: Mapping[str, Any] | None = None
) -> pl.DataFrame | gpd.GeoDataFrame:
    """The dataset `name`, validated against its contract (polars DataFrame or GeoDataFrame).

    `where` (canonical column -> value or list of values) keeps only the matching rows. It is
    pushed down to loaders whose `load` accepts `where` (sql: bound parameters; parquet: a lazy
    filter in the scan); any other loader's frame is filtered after validation.
    """
    frame, _ = load_dataset_with_report(name, catalog, where=where)
    return frame


def served_report(
    name: str,
    rows: int,
    started: float,
    as_at: float | None,
    note: str,
    steps: tuple[str, ...] = (),
) -> LoadReport:
    """The LoadReport of a `last_good.serve` result: stale when `as_at` says a copy was served."""
    return LoadReport(
        name,
        rows,
        time.perf_counter() - started,
        time.time() if as_at is None else as_at,
        stale=as_at is not None,
        as_at=as_at,
        note=note,
        steps=steps,
    )


def load_dataset_with_report(
    name: str, catalog: Catalog | None = None, *, where: Mapping[str, Any] | None = None
) -> tuple[pl.DataFrame | gpd.GeoDataFrame, LoadReport]:
    """Like load_dataset, plus a LoadReport (rows, time taken, and whether the data is a last
    good copy served because the source was unreachable: see loaders.last_good)."""
    catalog, spec = dataset_spec(name, catalog)
    started = time.perf_counter()
    key = ("load", tuple(sorted((k, repr(v)) for k, v in (where or {}).items())))
    steps: list[str] = []
    out, as_at, note = last_good.serve(catalog, spec, key, lambda: _load(spec, where, steps))
    return out, served_report(name, len(out), started, as_at, note, tuple(steps))


def dataset_spec(name: str, catalog: Catalog | None) -> tuple[Catalog, DatasetSpec]:
    """(catalog, spec) for `name`; the default catalog when none is given."""
    catalog = catalog if catalog is not None else load_catalog()
    if name not in catalog.datasets:
        raise DatasetNotFoundError(
            f"The catalog {catalog.path} has no dataset '{name}' "
            f"({suggest(name, tuple(catalog.datasets))})",
            dataset=name,
        )
    return catalog, catalog.datasets[name]


def _load(
    spec: DatasetSpec, where: Mapping[str, Any] | None, steps: list[str] | None = None
) -> pl.DataFrame | gpd.GeoDataFrame:
    """The dataset read, transformed, renamed and validated; `steps` collects what each catalog
    transform did."""
    raw, loader, pushed = _read(spec, where)
    out: pl.DataFrame | gpd.GeoDataFrame
    if _is_geo(raw):
        out = _finish_geo(spec, loader, raw)
    else:
        out = _finish_table(spec, loader, raw, steps if steps is not None else [])
    if where and not pushed:
        out = _filter_after_load(spec, out, where)
    return out


def _accepts_where(loader: Loader) -> TypeGuard[FilteringLoader]:
    try:
        return "where" in inspect.signature(loader.load).parameters
    except (TypeError, ValueError):
        return False


def _source_where(spec: DatasetSpec, where: Mapping[str, Any]) -> dict[str, Any]:
    """`where` with canonical column names turned back into the source's (undoing rename)."""
    source_of = {canonical: source for source, canonical in spec.rename.items()}
    return {source_of.get(column, column): value for column, value in where.items()}


def _filter_after_load(
    spec: DatasetSpec, out: pl.DataFrame | gpd.GeoDataFrame, where: Mapping[str, Any]
) -> pl.DataFrame | gpd.GeoDataFrame:
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
        import pandas as pd  # a GeoDataFrame is a pandas frame: pandas is there

        mask = pd.Series(True, index=out.index)
        for column, value in where.items():
            values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
            mask &= out[column].isin(values)
        return out[mask].reset_index(drop=True)
    return out.filter(where_expr(where))


def _where(spec: DatasetSpec) -> str:
    return f"Dataset '{spec.name}'" + (f" (file {spec.path})" if spec.path else "")


def known_secrets(spec: DatasetSpec) -> list[str]:
    """The secrets in the spec's options (a connection string's password and secret parameters,
    any option named like a password or token), resolved from the environment where they can
    be, so a message that echoes one without its connection string is masked too."""
    out: list[str] = []
    for key, value in spec.options.items():
        if isinstance(value, Mapping) and set(value) == {"env"}:
            value = os.environ.get(str(value["env"]))
        if not isinstance(value, str) or not value:
            continue
        out += secrets_of(value)
        if is_secret_key(key):
            out.append(value)
    return out


def _reads_database(spec: DatasetSpec) -> bool:
    try:
        return bool(getattr(get_loader(spec.loader, dataset=spec.name), "reads_database", False))
    except DataError:
        return False


def make_loader(spec: DatasetSpec) -> Loader:
    """The spec's loader, built from its options (secrets resolved from the environment)."""
    cls = get_loader(spec.loader, dataset=spec.name)
    options = resolve_options(spec)
    kwargs = dict(options)
    if spec.path is not None:
        kwargs["path"] = spec.path
    try:
        loader = cls(**kwargs)
    except TypeError as exc:
        secrets = known_secrets(spec)
        text = mask_connection(str(exc), secrets)
        raise LoaderError(
            f"{_where(spec)}: the '{spec.loader}' loader rejected its options: {text}",
            dataset=spec.name,
            path=str(spec.path),
            from_database=bool(getattr(cls, "reads_database", False)),
        ) from (exc if text == str(exc) else None)
    return loader


def _read(
    spec: DatasetSpec, where: Mapping[str, Any] | None = None
) -> tuple[pl.DataFrame | gpd.GeoDataFrame, Loader, bool]:
    """(raw frame, loader, whether `where` was pushed down to the loader)."""
    loader = make_loader(spec)
    filtering = loader if where and _accepts_where(loader) else None
    with wrap_errors(spec):
        if filtering is not None:
            return filtering.load(where=_source_where(spec, where or {})), loader, True
        return loader.load(), loader, False


@contextlib.contextmanager
def wrap_errors(spec: DatasetSpec) -> Iterator[None]:
    """Every failure inside becomes a DataError naming the dataset (and its file), with every
    secret of the dataset's connection masked (also one a driver echoed without its URI)."""
    try:
        yield
    except DataError as exc:
        if exc.dataset is None:
            exc.dataset = spec.name
        if exc.args and f"Dataset '{spec.name}'" not in str(exc):
            exc.args = (f"{_where(spec)}: {exc.args[0]}", *exc.args[1:])
        if exc.args:
            exc.args = (mask_connection(exc.args[0], known_secrets(spec)), *exc.args[1:])
        if exc.path is None and spec.path is not None:
            exc.path = str(spec.path)
        if _reads_database(spec) and not isinstance(exc, ContractError):
            exc.from_database = True
        raise
    except FileNotFoundError as exc:
        raise LoaderError(
            f"{_where(spec)}: file not found. Check 'path' in the catalog {spec.name} entry.",
            dataset=spec.name,
            path=str(spec.path),
            from_database=_reads_database(spec),
        ) from exc
    except ImportError as exc:
        raise MissingDependencyError(
            f"{_where(spec)}: the '{spec.loader}' loader needs a package that is not installed: "
            + mask_connection(str(exc), known_secrets(spec)),
            dataset=spec.name,
            from_database=_reads_database(spec),
        ) from exc
    except Exception as exc:  # every foreign error becomes ours, naming the dataset and file
        secrets = known_secrets(spec)
        detail = str(exc).strip().splitlines()
        first = mask_connection(detail[0] if detail else type(exc).__name__, secrets)
        error = LoaderError(
            f"{_where(spec)}: the '{spec.loader}' loader could not read it: "
            f"{type(exc).__name__}: {first}",
            dataset=spec.name,
            path=str(spec.path),
            from_database=_reads_database(spec),
        )
        if mask_connection(str(exc), secrets) == str(exc):
            raise error from exc
        # the foreign error quotes a secret: do not chain it (a traceback would print it)
        error.unreachable = last_good.is_unreachable(exc)
        raise error from None


def _is_geo(obj: pl.DataFrame | gpd.GeoDataFrame) -> TypeIs[gpd.GeoDataFrame]:
    return hasattr(obj, "geometry") and hasattr(obj, "crs")


def _rename_and_check_columns(
    spec: DatasetSpec, frame_columns: list[str], added: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The catalog's renames, checked; `added` names the columns transforms will add."""
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
    renamed = [spec.rename.get(c, c) for c in frame_columns if c != SOURCE_ROW]
    wanted = columns(spec.contract)
    have = set(renamed) | added
    missing = [c for c, (_, _, required) in wanted.items() if required and c not in have]
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


def _finish_table(
    spec: DatasetSpec, loader: Loader, frame: pl.DataFrame, steps: list[str]
) -> pl.DataFrame:
    """Transforms (loaders.transforms, in their fixed order), rename, coerce and validate."""
    t, where = spec.transform, _where(spec)
    wanted = columns(spec.contract)
    try:
        before = Applied(frame)
        if not t.empty:
            before = apply_before_rename(t, with_source_rows(frame), where, spec.name)
        added = derivable(t, wanted, before.frame, spec.rename)
        rename = _rename_and_check_columns(spec, list(before.frame.columns), added)
        frame = before.frame.rename(rename) if rename else before.frame
        after = apply_after_rename(t, Applied(frame), wanted, where, spec.name)
    except TransformError as exc:
        exc.path = exc.path or (str(spec.path) if spec.path else None)
        raise
    steps.extend([*before.steps, *after.steps])
    return coerce_and_validate(spec, loader, after.frame)


def _finish_geo(spec: DatasetSpec, loader: Loader, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate a GeoDataFrame's attributes against the contract and its geometry (EPSG:4326)."""
    geom_name = gdf.geometry.name
    attr_cols = [c for c in gdf.columns if c != geom_name]
    rename = _rename_and_check_columns(spec, attr_cols)
    if rename:
        gdf = gdf.rename(columns=rename)
    attrs = pl.from_pandas(gdf.drop(columns=geom_name).reset_index(drop=True))
    checked = coerce_and_validate(spec, loader, attrs)
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
