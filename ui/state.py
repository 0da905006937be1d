"""The only caching in the app: the catalog and each dataset, keyed by the catalog fingerprint.

Access control lives here too: `dataset` hands pages a frame already cut down to the signed-in
person's scope (ui/auth.current_scope), cached per scope, so no page can draw or offer for
download a row outside it. The full frames stay in a private cache that only this module reads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from access import AreaTree, Scope, pushdown_where, restrict, visibility
from loaders import Catalog, DatasetSpec, load_catalog, load_dataset_with_report
from loaders.aggregate import aggregate
from loaders.catalog import catalog_path
from loaders.errors import CatalogError, DataError
from ui import auth

log = logging.getLogger("placewise")

RETRY_SECONDS = 30
_STALE_NOTES = "_placewise_stale_notes"
# This run's loads, by (dataset, request): a page asks for the same dataset dozens of times per
# run (every panel's needs), and each cache lookup hashes its key (issue 18). Reset at the start
# of each run by dashboard.py (clear_stale_notes) and by reload_data.
_RUN_LOADS = "_placewise_run_loads"
_CATALOG = "catalog"  # the run's catalog, in the same memo
# Datasets whose source was unreachable at their last load (process-wide, like the cache), when
# to try the source again, and how many times it has been tried (part of the cache key).
_stale: set[str] = set()
_retry_at: dict[str, float] = {}
_attempt: dict[str, int] = {}


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
    request: str = ""  # Request.key: "" for the whole dataset
    scope: str = ""  # Scope.key of the frame: "" for a full load, "all" when unrestricted
    #: the source could not be reached and its last good copy (from `loaded_at`) is served
    stale: bool = False
    note: str = ""  # "data as at ..." for a stale copy
    steps: tuple[str, ...] = ()  # what the catalog's transforms did (loaders.transforms)

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


# The last catalog that parsed, per path, for the whole process: an edit that breaks the catalog
# must not take a running dashboard down in front of a board.
_last_good_catalog: dict[str, Catalog] = {}


def get_catalog() -> tuple[Catalog | None, CatalogError | None]:
    """The catalog in use (from $PLACEWISE_CATALOG or the sample data), or its error.

    When the file has been edited into an invalid state after a good load, the last good
    catalog keeps serving (see `catalog_warning`) instead of the error.
    """
    memo = _run_loads()
    if memo is not None and (hit := memo.get(_CATALOG)) is not None:
        return hit
    key = _catalog_key(catalog_path())
    catalog, error = _cached_catalog(key)
    if catalog is not None:
        _last_good_catalog[key[0]] = catalog
        found: tuple[Catalog | None, CatalogError | None] = (catalog, None)
    else:
        last = _last_good_catalog.get(key[0])
        found = (last, None) if last is not None else (None, error)
    if memo is not None:
        memo[_CATALOG] = found
    return found


CATALOG_KEPT = (
    "The catalog file was changed and can no longer be read, so the last good version is still "
    "in use."
)


def catalog_warning() -> str | None:
    """Why the catalog in use is an earlier good version of the file, or None if it is current."""
    key = _catalog_key(catalog_path())
    catalog, error = _cached_catalog(key)
    if catalog is not None or key[0] not in _last_good_catalog:
        return None
    return f"{CATALOG_KEPT} Fix the file and reload. {error}"


@dataclass(frozen=True)
class Request:
    """Which rows to fetch: those matching `where`, pushed down to the source when its loader
    can (SQL: bound parameters; parquet: a lazy filter). Hashable, so it is a cache key."""

    where: tuple = ()  # ((column, value or tuple of values), ...), sorted by column

    @classmethod
    def of(cls, where: Mapping[str, Any] | None = None) -> Request:
        return cls(tuple(sorted((k, tuple(v) if isinstance(v, list | tuple | set | frozenset) else v)
                                for k, v in (where or {}).items())))  # fmt: skip

    @property
    def key(self) -> str:
        return repr(dict(self.where)) if self.where else ""

    def fetch(self, name: str, catalog: Catalog) -> tuple[Any, Any]:
        where = {k: list(v) if isinstance(v, tuple) else v for k, v in self.where}
        return load_dataset_with_report(name, catalog, where=where or None)


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_dataset(name: str, fingerprint: str, request: Request, _catalog: Catalog) -> Loaded:
    spec = _catalog.datasets.get(name)
    started = time.perf_counter()
    try:
        frame, report = request.fetch(name, _catalog)
        if report.stale:
            _stale.add(name)
            _retry_at.setdefault(name, time.time() + RETRY_SECONDS)
            as_at = datetime.fromtimestamp(report.as_at or report.loaded_at)
            return Loaded(name, frame, None, report.rows, report.seconds, as_at, spec,
                          stale=True, note=report.note, request=request.key,
                          steps=report.steps)  # fmt: skip
        _stale.discard(name)
        _retry_at.pop(name, None)
        return Loaded(name, frame, None, report.rows, report.seconds, datetime.now(), spec,
                      request=request.key, steps=report.steps)  # fmt: skip
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


def _full_dataset(name: str, request: Request = Request()) -> Loaded:  # noqa: B008 - frozen
    """Load (once per catalog fingerprint and request) the dataset `name`; never raises.

    Not scoped: `dataset` and `aggregate` apply the person's scope.
    """
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
    memo = _run_loads()
    if memo is not None and (hit := memo.get((name, request, id(catalog)))) is not None:
        return hit
    spec = catalog.datasets[name]
    fingerprint = catalog.text_hash + repr(spec.source_state())
    if name in _stale and time.time() >= _retry_at.get(name, 0):
        # serving a last good copy: try the source again every RETRY_SECONDS
        _attempt[name] = _attempt.get(name, 0) + 1
        _retry_at[name] = time.time() + RETRY_SECONDS
    fingerprint += f"#{_attempt.get(name, 0)}"
    loaded = _cached_dataset(name, fingerprint, request, catalog)
    if loaded.stale:
        st.session_state.setdefault(_STALE_NOTES, {})[name] = loaded.note
    if memo is not None:
        memo[name, request, id(catalog)] = loaded
    return loaded


def _run_loads() -> dict | None:
    """This run's loads (None outside a run that dashboard.py started)."""
    try:
        return st.session_state.get(_RUN_LOADS)
    except Exception:  # no session (a bare import, a script outside streamlit)
        return None


def stale_notes() -> dict[str, str]:
    """Datasets this run served from a last good copy, with their "data as at" notes."""
    return dict(st.session_state.get(_STALE_NOTES, {}))


def clear_stale_notes() -> None:
    """Start of a run: no stale notes yet, and this run's loads are fetched afresh."""
    st.session_state[_STALE_NOTES] = {}
    st.session_state[_RUN_LOADS] = {}


def _named_by_contract(contract: str) -> str | None:
    catalog, _ = get_catalog()
    if catalog is None:
        return None
    return next((n for n, s in catalog.datasets.items() if s.contract == contract), None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_tree(fingerprint: str, _areas: pl.DataFrame) -> AreaTree:
    return AreaTree.from_frame(_areas)


def area_tree() -> tuple[AreaTree | None, str, str | None]:
    """The full area hierarchy, its version key, or why it is missing (for resolving scopes)."""
    name = _named_by_contract("areas")
    if name is None:
        return None, "", "the catalog has no dataset with the 'areas' contract"
    areas = _full_dataset(name)
    if not areas.ok:
        return None, "", str(areas.error)
    fingerprint = f"{name}@{areas.loaded_at.isoformat()}"
    return _cached_tree(fingerprint, areas.frame), fingerprint, None


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_visibility(tree_key: str, scope_key: str, _tree: AreaTree, _scope: Scope):
    return visibility(_scope, _tree)


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_scoped(key: tuple, _full: Loaded, _seen, _locations) -> Loaded:
    frame = restrict(_full.frame, _full.spec.contract, _seen, locations=_locations)
    return Loaded(_full.name, frame, None, len(frame), _full.seconds, _full.loaded_at, _full.spec,
                  request=_full.request, scope=key[2])  # fmt: skip


def _refused(full: Loaded, scope: Scope, why: str) -> Loaded:
    error = DataError(f"Dataset '{full.name}' cannot be shown: {why}", dataset=full.name)
    return Loaded(full.name, None, error, 0, 0.0, full.loaded_at, full.spec,
                  request=full.request, scope=scope.key)  # fmt: skip


def dataset(name: str, where: Mapping[str, Any] | None = None) -> Loaded:
    """The dataset `name` as the signed-in person may see it; never raises.

    `where` (canonical column -> value or list of values, e.g. the chosen place) is pushed down
    to the source: bound parameters for SQL, a lazy filter for parquet, so only those rows
    cross the wire. Each `where` is cached separately.

    Unrestricted (open deployment, or an every-place grant): the cached load. Otherwise
    the rows outside the scope are removed before the frame is cached for that scope.
    """
    full = _full_dataset(name, Request.of(where))
    scope = auth.current_scope()
    if scope.unrestricted:
        return full
    if not full.ok:
        return full
    tree, tree_key, tree_error = area_tree()
    if tree is None:
        return _refused(full, scope, f"the area hierarchy did not load ({tree_error})")
    seen = _cached_visibility(tree_key, scope.key, tree, scope)
    locations, homes_key = None, ""
    if full.spec.contract == "cqc_ratings":
        homes_name = _named_by_contract("care_homes")
        homes = dataset(homes_name) if homes_name else None
        if homes is None or not homes.ok:
            return _refused(full, scope, "ratings follow care homes, which did not load")
        locations = frozenset(homes.frame["location_id"].to_list())
        homes_key = homes.loaded_at.isoformat()
    key = (name, full.loaded_at.isoformat(), scope.key, tree_key, homes_key, full.request)
    try:
        return _cached_scoped(key, full, seen, locations)
    except Exception as exc:  # fail closed: a frame that cannot be filtered is not shown
        log.exception("could not apply access scope to dataset %s", name)
        return _refused(full, scope, f"its rows could not be limited to your access ({exc})")


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_distinct(
    name: str, column: str, fingerprint: str, where: Request, _catalog: Catalog
) -> list:
    try:  # pushed down: SELECT column, COUNT(*) ... GROUP BY column, or a lazy parquet plan
        filters = {k: list(v) if isinstance(v, tuple) else v for k, v in where.where}
        frame = aggregate(name, _catalog, group_by=[column], count="rows", where=filters or None)
    except DataError as exc:
        log.warning("distinct %s.%s failed: %s", name, column, exc)
        return []
    return sorted(frame.get_column(column).drop_nulls().to_list())


def distinct_values(name: str, column: str) -> list:
    """The distinct values of `column` in dataset `name` (e.g. the financial years with spend)
    among the rows the signed-in person may see, sorted; [] if it cannot be read.

    Unrestricted, or when the scope is a plain filter on area columns (access.pushdown_where),
    it is computed at the source without fetching the rows; otherwise from the scoped frame.
    Either way the person's scope is applied first: a list never offers a value that exists
    only in rows they may not see (a year with spend only in another place).
    """
    catalog, _ = get_catalog()
    if catalog is None or name not in catalog.datasets:
        return []
    spec = catalog.datasets[name]
    fingerprint = catalog.text_hash + repr(spec.source_state())
    scope = auth.current_scope()
    if scope.unrestricted:
        return _cached_distinct(name, column, fingerprint, Request(), catalog)
    tree, tree_key, _ = area_tree()
    if tree is None:
        return []  # fail closed: without the hierarchy the scope cannot be applied
    seen = _cached_visibility(tree_key, scope.key, tree, scope)
    where = pushdown_where(spec.contract, seen)
    if where is not None:
        if any(not codes for codes in where.values()):
            return []
        return _cached_distinct(name, column, fingerprint, Request.of(where), catalog)
    scoped = dataset(name)
    if not scoped.ok or column not in scoped.frame.columns:
        return []
    return sorted(scoped.frame.get_column(column).drop_nulls().unique().to_list())


def reload_data() -> None:
    """Forget every cached catalog and dataset so the next run reads the files again."""
    _cached_catalog.clear()
    if (memo := _run_loads()) is not None:
        memo.clear()
    _retry_at.clear()  # a reload tries every unreachable source again now
    _cached_dataset.clear()
    _cached_derived.clear()
    _cached_tree.clear()
    _cached_visibility.clear()
    _cached_scoped.clear()
    _cached_distinct.clear()


def all_datasets() -> list[Loaded]:
    """A load attempt for every dataset in the catalog (empty if the catalog failed)."""
    catalog, _ = get_catalog()
    return [dataset(name) for name in catalog.names()] if catalog else []


def last_loaded(loaded: list[Loaded]) -> datetime | None:
    """When data was most recently read, for the footer."""
    times = [item.loaded_at for item in loaded if item.ok]
    return max(times) if times else None


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_derived(key: str, fingerprint: str, _fn: Any, _frames: tuple, _params: dict) -> Any:
    return _fn(*_frames, **_params)


def derived(key: str, fn: Any, *inputs: Loaded, **params: Any) -> Any:
    """`fn(*frames, **params)` computed once per version of the input datasets and params.

    For expensive pure results a page reuses across reruns (dissolved outlines, simplified
    geometry, whole-series metrics). Inputs must have loaded (`item.ok`).
    """
    fingerprint = "|".join(
        f"{i.name}@{i.loaded_at.isoformat()}#{i.scope}{i.request}" for i in inputs
    )
    fingerprint += "|" + repr(sorted(params.items()))
    return _cached_derived(key, fingerprint, fn, tuple(i.frame for i in inputs), params)
