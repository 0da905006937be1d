"""Errors raised by the data layer: each names the dataset, file, column, row and value.

The full message (`str(error)`) is for the people who manage the data and for the server log:
it names server paths, connection targets and values from any row of the file. Its connection
strings always have their secrets masked (loaders.secrets.mask_connection), however the message
was built or later edited. `summary` is what everyone else is shown: which dataset failed and
whom to tell.
"""

from __future__ import annotations

from loaders.secrets import mask_connection

#: whom a person who may not see the details should tell
TELL = "Tell the person who manages Placewise's data (the Data page shows them the details)."


class DataError(Exception):
    """Root of every error the data layer raises; carries the dataset name when known.

    `from_database` is set when the dataset's database could not be read (the sql loader), so
    `summary` says so without naming the connection.
    """

    def __init__(
        self,
        message: str,
        *,
        dataset: str | None = None,
        path: str | None = None,
        from_database: bool = False,
    ):
        self.dataset = dataset
        self.path = path
        self.from_database = from_database
        super().__init__(mask_connection(message))

    def __str__(self) -> str:
        # args may be edited after __init__ (funnel.wrap_errors prefixes the dataset): mask again
        return mask_connection(super().__str__())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @property
    def title(self) -> str:
        """A short heading for the on-page message."""
        if self.dataset:
            return f"Dataset '{self.dataset}' could not be loaded"
        return "The data could not be loaded"

    @property
    def summary(self) -> str:
        """The message for people who may not see the details: no path, row value or server."""
        if self.dataset and self.from_database:
            return f"Dataset '{self.dataset}' could not be read from its database. {TELL}"
        if self.dataset:
            return f"Dataset '{self.dataset}' did not load. {TELL}"
        return f"The data did not load. {TELL}"


class CatalogError(DataError):
    """The catalog file is missing, unreadable or has one or more mistakes."""

    def __init__(self, problems: list[str], *, path: str | None = None):
        self.problems = [mask_connection(p) for p in problems]
        where = f" in {path}" if path else ""
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the catalog{where}:\n{lines}", path=path)

    @property
    def title(self) -> str:
        return "The data catalog has mistakes"

    @property
    def summary(self) -> str:
        return f"The data catalog could not be read, so no data can be shown. {TELL}"


class DatasetNotFoundError(DataError):
    """A page asked for a dataset the catalog does not define."""


class UnknownLoaderError(DataError):
    """No loader is registered for the requested kind."""


class MissingDependencyError(DataError):
    """An optional package needed by a loader is not installed."""


class LoaderError(DataError):
    """A loader could not read its source (missing file, malformed content, bad option)."""

    #: the source could not be reached at all, so the last good copy may be served (loaders.last_good)
    unreachable: bool = False


class ContractError(DataError):
    """Loaded data does not match its contract; `failures` holds the bounded report rows."""

    def __init__(
        self,
        message: str,
        *,
        dataset: str | None = None,
        path: str | None = None,
        failures: list[dict[str, object]] | None = None,
    ):
        self.failures = failures or []
        super().__init__(message, dataset=dataset, path=path)
