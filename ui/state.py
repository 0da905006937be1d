"""The only caching in the app: the catalog and each dataset, keyed by the catalog fingerprint."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from loaders import Catalog, DatasetSpec, load_catalog, load_dataset_with_report
from loaders.catalog import catalog_path
from loaders.errors import CatalogError, DataError

log = logging.getLogger("placewise")


@dataclass(frozen=True)
class Loaded:
    """A dataset load attempt: the frame, or the error that explains why there is none."""

    name: str
    frame: Any | None
    error: DataError | None
    rows: int
    seconds: float
    loaded_at: datetime
    spec: DatasetSpec | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.frame is not None


def _catalog_key(path: Path) -> tuple:
    try:
        st_ = path.stat()
        return (str(path.resolve()), st_.st_size, st_.st_mtime_ns)
    except OSError:
        return (str(path), None, None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_catalog(key: tuple) -> tuple[Catalog | None, CatalogError | None]:
    try:
        return load_catalog(Path(key[0])), None
    except CatalogError as exc:
        return None, exc


def get_catalog() -> tuple[Catalog | None, CatalogError | None]:
    """The catalog in use (from $PLACEWISE_CATALOG or the sample data), or its error."""
    return _cached_catalog(_catalog_key(catalog_path()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_dataset(name: str, fingerprint: str, _catalog: Catalog) -> Loaded:
    spec = _catalog.datasets.get(name)
    started = time.perf_counter()
    try:
        frame, report = load_dataset_with_report(name, _catalog)
        return Loaded(name, frame, None, report.rows, report.seconds, datetime.now(), spec)
    except DataError as exc:
        log.warning("dataset %s failed: %s", name, exc)
        error = exc
    except Exception as exc:  # a bug must not take down pages that don't need this dataset
        log.exception("unexpected failure loading dataset %s", name)
        error = DataError(
            f"Dataset '{name}' could not be loaded because of an unexpected "
            f"{type(exc).__name__}: {exc}. The details are in the server log.",
            dataset=name,
        )
    return Loaded(name, None, error, 0, time.perf_counter() - started, datetime.now(), spec)


def dataset(name: str) -> Loaded:
    """Load (once per catalog fingerprint) the dataset `name`; never raises."""
    catalog, error = get_catalog()
    if catalog is None:
        return Loaded(name, None, error, 0, 0.0, datetime.now(), None)
    if name not in catalog.datasets:
        from loaders.errors import DatasetNotFoundError
        from loaders.registry import suggest

        err = DatasetNotFoundError(
            f"The catalog {catalog.path} has no dataset '{name}', which this page needs "
            f"({suggest(name, tuple(catalog.datasets))}).",
            dataset=name,
        )
        return Loaded(name, None, err, 0, 0.0, datetime.now(), None)
    spec = catalog.datasets[name]
    return _cached_dataset(name, catalog.text_hash + repr(spec.source_state()), catalog)


def reload_data() -> None:
    """Forget every cached catalog and dataset so the next run reads the files again."""
    _cached_catalog.clear()
    _cached_dataset.clear()
    _cached_derived.clear()


def all_datasets() -> list[Loaded]:
    """A load attempt for every dataset in the catalog (empty if the catalog failed)."""
    catalog, _ = get_catalog()
    return [dataset(name) for name in catalog.names()] if catalog else []


def status_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the Data page: status, real or synthetic, rows, period, timings."""
    from metrics.coverage import period_covered

    rows = []
    for item in loaded:
        spec = item.spec
        rows.append(
            {
                "dataset": item.name,
                "title": spec.title if spec else "",
                "status": "Loaded" if item.ok else "Failed",
                "data": spec.data_status if spec else "",
                "rows": item.rows if item.ok else None,
                "period covered": period_covered(item.frame, spec.contract)
                if item.ok and spec
                else "",
                "loader": spec.loader if spec else "",
                "file": spec.path.name if spec and spec.path else "",
                "load time (ms)": round(item.seconds * 1000, 1),
                "last loaded": item.loaded_at.strftime("%d %b %Y %H:%M:%S"),
            }
        )
    return pl.DataFrame(rows, schema_overrides={"rows": pl.Int64})


def last_loaded(loaded: list[Loaded]) -> datetime | None:
    """When data was most recently read, for the footer."""
    times = [item.loaded_at for item in loaded if item.ok]
    return max(times) if times else None


def sources_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the About page: source, real or synthetic, period, licence."""
    return pl.DataFrame(
        [
            {
                "dataset": item.spec.title or item.name,
                "source": item.spec.source,
                "data": item.spec.data_status,
                "period": item.spec.period,
                "licence": item.spec.licence,
                "last loaded": item.loaded_at.strftime("%d %b %Y %H:%M") if item.ok else "failed",
            }
            for item in loaded
            if item.spec is not None
        ]
    )


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_derived(key: str, fingerprint: str, _fn: Any, _frames: tuple, _params: dict) -> Any:
    return _fn(*_frames, **_params)


def derived(key: str, fn: Any, *inputs: Loaded, **params: Any) -> Any:
    """`fn(*frames, **params)` computed once per version of the input datasets and params.

    For expensive pure results a page reuses across reruns (dissolved outlines, simplified
    geometry, whole-series metrics). Inputs must have loaded (`item.ok`).
    """
    fingerprint = "|".join(f"{i.name}@{i.loaded_at.isoformat()}" for i in inputs)
    fingerprint += "|" + repr(sorted(params.items()))
    return _cached_derived(key, fingerprint, fn, tuple(i.frame for i in inputs), params)
