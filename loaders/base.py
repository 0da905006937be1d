"""The Loader protocol: a loader reads one source and returns a frame; nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import polars as pl

if TYPE_CHECKING:
    import geopandas as gpd

#: option name -> python type(s) accepted (a loader's ``options``)
OptionTypes = Mapping[str, type | tuple[type, ...]]


@runtime_checkable
class Loader(Protocol):
    """A data source. Constructed with keyword options from the catalog."""

    kind: ClassVar[str]
    #: option name -> python type(s) accepted; the catalog rejects any other option
    options: ClassVar[OptionTypes]
    #: whether the catalog must give a `path`
    needs_path: ClassVar[bool]

    def load(self) -> pl.DataFrame | gpd.GeoDataFrame:
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


class FilteringLoader(Loader, Protocol):
    """A loader that can filter at the source (see `Loader.load`)."""

    def load(
        self, *, where: Mapping[str, Any] | None = None
    ) -> pl.DataFrame | gpd.GeoDataFrame: ...


class AggregatingLoader(Loader, Protocol):
    """A loader that can add up at the source (sql: GROUP BY; parquet: a lazy group-by)."""

    def aggregate(
        self,
        *,
        group_by: Sequence[str],
        sums: Sequence[str],
        count: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pl.DataFrame: ...


class FileLoader:
    """Shared base for loaders that read one local file."""

    options: ClassVar[OptionTypes] = {}
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
