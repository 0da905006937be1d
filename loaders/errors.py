"""Errors raised by the data layer: each names the dataset, file, column, row and value."""

from __future__ import annotations


class DataError(Exception):
    """Root of every error the data layer raises; carries the dataset name when known."""

    def __init__(self, message: str, *, dataset: str | None = None, path: str | None = None):
        self.dataset = dataset
        self.path = path
        super().__init__(message)

    @property
    def title(self) -> str:
        """A short heading for the on-page message."""
        if self.dataset:
            return f"Dataset '{self.dataset}' could not be loaded"
        return "The data could not be loaded"


class CatalogError(DataError):
    """The catalog file is missing, unreadable or has one or more mistakes."""

    def __init__(self, problems: list[str], *, path: str | None = None):
        self.problems = list(problems)
        where = f" in {path}" if path else ""
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the catalog{where}:\n{lines}", path=path)

    @property
    def title(self) -> str:
        return "The data catalog has mistakes"


class DatasetNotFoundError(DataError):
    """A page asked for a dataset the catalog does not define."""


class UnknownLoaderError(DataError):
    """No loader is registered for the requested kind."""


class UnknownContractError(DataError):
    """No contract (canonical table) has the requested name."""


class MissingDependencyError(DataError):
    """An optional package needed by a loader is not installed."""


class LoaderError(DataError):
    """A loader could not read its source (missing file, malformed content, bad option)."""


class ContractError(DataError):
    """Loaded data does not match its contract; `failures` holds the bounded report rows."""

    def __init__(
        self,
        message: str,
        *,
        dataset: str | None = None,
        path: str | None = None,
        failures: list[dict] | None = None,
    ):
        self.failures = failures or []
        super().__init__(message, dataset=dataset, path=path)
