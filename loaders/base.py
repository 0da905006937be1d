"""The Loader protocol: a loader reads one source and returns a frame; nothing more."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

import polars as pl


@runtime_checkable
class Loader(Protocol):
    """A data source. Constructed with keyword options from the catalog."""

    kind: ClassVar[str]
    #: option name -> python type(s) accepted; the catalog rejects any other option
    options: ClassVar[Mapping[str, type | tuple[type, ...]]]
    #: whether the catalog must give a `path`
    needs_path: ClassVar[bool]

    def load(self) -> pl.DataFrame | Any:
        """Read the source and return a polars DataFrame (or a GeoDataFrame for boundaries).

        Optional: a loader that can filter at the source declares `load(self, *, where=None)`.
        `where` maps source column names to a value or a list of values (rows kept where the
        column equals one of them); `load_dataset(..., where=...)` passes it only to loaders
        whose `load` accepts it and filters the loaded frame itself for the others.
        """
        ...

    def describe(self) -> dict[str, Any]:
        """What this loader reads, for messages and the Data page."""
        ...


class FileLoader:
    """Shared base for loaders that read one local file."""

    options: ClassVar[Mapping[str, type | tuple[type, ...]]] = {}
    needs_path: ClassVar[bool] = True
    suffixes: ClassVar[tuple[str, ...]] = ()
    kind: ClassVar[str] = "file"

    def __init__(self, *, path: str | Path, **options: Any):
        self.path = Path(path)
        self.opts = dict(options)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), **self.opts}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={str(self.path)!r})"
