"""A short fingerprint of the data behind the catalog, so a saved link can tell if it changed.

A "snapshot link" records this fingerprint. Opening the link later, the app compares it with
the fingerprint of the data it has now and says whether the figures may differ from what the
sender saw. The fingerprint covers each dataset's name, the bytes of its file(s) and its
declared period; a dataset without a file (a database query) contributes its loader, options
and description, which is all the app can know about it without running the query.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from pathlib import Path

from loaders.catalog import Catalog, DatasetSpec

SHORT = 12  # hex characters kept: plenty to tell versions of one catalog apart
_CHUNK = 1 << 20
_lock = threading.Lock()
_file_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, remembered by path, size and modification time.

    Re-hashing every data file on every page view would cost seconds on real extracts; a
    changed file changes its size or mtime, so the remembered hash is safe to reuse.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _file_hashes:
            return _file_hashes[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    value = digest.hexdigest()
    with _lock:
        _file_hashes[key] = value
    return value


def _content(spec: DatasetSpec) -> str:
    """What identifies this dataset's data: its file(s) content, or its query description."""
    if spec.path is None:
        options = sorted((k, repr(v)) for k, v in spec.options.items())
        return f"{spec.loader}|{options}|{spec.description}"
    path = spec.path
    try:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            return ";".join(f"{p.relative_to(path)}={file_hash(p)}" for p in files)
        return file_hash(path)
    except OSError as exc:  # a missing file is a state worth fingerprinting too
        return f"unreadable:{type(exc).__name__}"


def dataset_fingerprints(catalog: Catalog) -> dict[str, str]:
    """A short fingerprint per dataset name (name, content and declared period)."""
    out = {}
    for name in sorted(catalog.datasets):
        spec = catalog.datasets[name]
        text = f"{name}\n{_content(spec)}\n{spec.period}"
        out[name] = hashlib.sha256(text.encode()).hexdigest()[:SHORT]
    return out


def catalog_fingerprint(catalog: Catalog) -> str:
    """One short hash over every dataset's fingerprint: equal means the same data."""
    parts = dataset_fingerprints(catalog)
    text = "\n".join(f"{name}={value}" for name, value in parts.items())
    return hashlib.sha256(text.encode()).hexdigest()[:SHORT]


def describe_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Plain sentences saying which datasets were added, removed or refreshed between two
    `dataset_fingerprints` results."""
    changes = [f"{name}: added" for name in sorted(set(new) - set(old))]
    changes += [f"{name}: removed" for name in sorted(set(old) - set(new))]
    changes += [
        f"{name}: refreshed" for name in sorted(set(old) & set(new)) if old[name] != new[name]
    ]
    return changes
