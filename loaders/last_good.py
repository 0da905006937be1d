"""The last good copy of a dataset, served when its database cannot be reached.

Opt-in per dataset with the loader option `keep_last_good = true` (the sql loader). After each
successful load the validated frame is written as an Arrow IPC file (with its load time in a
JSON file beside it) under $PLACEWISE_CACHE, or `.placewise-cache/` next to the catalog. When a
later load fails because the source is unreachable (the loader's error has `unreachable = True`)
and a copy exists, that copy is returned with a LoadReport saying `stale=True` and when the data
was loaded, so a page can say "data as at ..." instead of showing nothing. Any other failure (a
bad query, a contract break) is still raised: an old copy must not hide a real problem.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import polars as pl

from loaders.catalog import Catalog, DatasetSpec
from loaders.errors import DataError

T = TypeVar("T")

CACHE_ENV = "PLACEWISE_CACHE"
FOLDER = "last_good"


def enabled(spec: DatasetSpec) -> bool:
    return spec.options.get("keep_last_good") is True


def cache_dir(catalog: Catalog) -> Path:
    root = os.environ.get(CACHE_ENV)
    base = Path(root) if root else catalog.path.resolve().parent / ".placewise-cache"
    return base / FOLDER


def _stem(catalog: Catalog, spec: DatasetSpec, key: Hashable) -> str:
    """One file per dataset and request: the options (never resolved secrets) and the key."""
    text = repr((str(catalog.path.resolve()), dict(spec.options), key))
    return f"{spec.name}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def save(catalog: Catalog, spec: DatasetSpec, key: Hashable, frame: pl.DataFrame) -> None:
    """Write the copy atomically; a cache that cannot be written must not fail the load."""
    folder = cache_dir(catalog)
    stem = _stem(catalog, spec, key)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(fd)
        frame.write_ipc(tmp)
        os.replace(tmp, folder / f"{stem}.arrow")
        meta = {"dataset": spec.name, "loaded_at": time.time(), "rows": frame.height}
        (folder / f"{stem}.json").write_text(json.dumps(meta))


def read(catalog: Catalog, spec: DatasetSpec, key: Hashable) -> tuple[pl.DataFrame, float] | None:
    """(frame, loaded_at) of the last good copy, or None when there is none or it is unreadable."""
    folder = cache_dir(catalog)
    stem = _stem(catalog, spec, key)
    try:
        meta = json.loads((folder / f"{stem}.json").read_text())
        # read the bytes: the file may be replaced by a newer copy while the frame is in use
        frame = pl.read_ipc(io.BytesIO((folder / f"{stem}.arrow").read_bytes()))
        return frame, float(meta["loaded_at"])
    except (OSError, ValueError, KeyError, pl.exceptions.PolarsError):
        return None


def is_unreachable(exc: BaseException) -> bool:
    """True when the error (or the one it wraps) says the source could not be reached."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        if getattr(current, "unreachable", False):
            return True
        current = current.__cause__
        seen += 1
    return False


def as_at_text(loaded_at: float) -> str:
    return datetime.fromtimestamp(loaded_at).strftime("%d %b %Y %H:%M")


def serve(
    catalog: Catalog, spec: DatasetSpec, key: Hashable, produce: Callable[[], T]
) -> tuple[T | pl.DataFrame, float | None, str]:
    """(frame, stale_as_at, note): run `produce`; keep a copy when enabled; fall back to it
    when the source is unreachable. stale_as_at is None for fresh data."""
    if not enabled(spec):
        return produce(), None, ""
    try:
        frame = produce()
    except DataError as exc:
        if not is_unreachable(exc):
            raise
        copy = read(catalog, spec, key)
        if copy is None:
            raise
        kept, loaded_at = copy
        note = (
            f"Data as at {as_at_text(loaded_at)}: the source of '{spec.name}' cannot be "
            "reached, so the last good copy is shown; reload when it is back."
        )
        return kept, loaded_at, note
    if isinstance(frame, pl.DataFrame):
        save(catalog, spec, key, frame)
    return frame, None, ""
