"""SQL databases through ADBC: read-only sessions, bound parameters, results as Arrow.

A catalog entry names a `table` (optionally schema-qualified) or a `query` (one SELECT), an
optional `columns` list and `where` filter. Identifiers are checked against a strict pattern and
quoted; every value in `where` is sent as a bound parameter, never written into the SQL text.

Connections:
- `postgresql://user:password@host:port/db` via `adbc-driver-postgresql` (libpq URI). The session
  is made read-only and gets a `statement_timeout` before the query runs.
- SQLite: the catalog's `path` (a local file), or `uri = "sqlite:///abs/path.db"` /
  `"file:/abs/path.db"`, via `adbc-driver-sqlite`, always opened with `mode=ro`.
- `snowflake://...` and `bigquery://...` via `adbc-driver-snowflake` / `adbc-driver-bigquery`,
  and any other ADBC driver through `driver = "NAME"` (the ADBC driver manager), e.g. Databricks.
  These are untested here; use read-only credentials and the warehouse's own timeouts.

Errors never carry the URI's password: messages and `describe()` show it as `***`, whatever
characters it holds (loaders.secrets.mask_connection), and so do driver messages that echo it. A
URI whose password holds a raw '@', '/', '?', '#' or space is refused before any driver reads
it (drivers misread it and quote the pieces): write those characters percent-encoded.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, urlsplit

import polars as pl

from loaders import sql_pool
from loaders.base import OptionTypes
from loaders.registry import register_loader

if TYPE_CHECKING:
    from adbc_driver_manager import dbapi
from loaders.secrets import UnsafeConnectionString, check_uri, mask_connection
from loaders.sql_text import (
    IDENTIFIER,
    SqlOptionError,
    _check_query,
    _secrets,
    _values,
    mask_uri,
    quote_identifier,
)

__all__ = ["IDENTIFIER", "SqlLoader", "SqlOptionError", "mask_uri", "quote_identifier"]

DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_ROW_LIMIT = 5_000_000
# scheme -> (python module with a DB-API `connect(uri)`, SQL dialect)
DRIVERS = {
    "postgresql": ("adbc_driver_postgresql.dbapi", "postgresql"),
    "postgres": ("adbc_driver_postgresql.dbapi", "postgresql"),
    "sqlite": ("adbc_driver_sqlite.dbapi", "sqlite"),
    "file": ("adbc_driver_sqlite.dbapi", "sqlite"),
    "snowflake": ("adbc_driver_snowflake.dbapi", "snowflake"),
    "bigquery": ("adbc_driver_bigquery.dbapi", "bigquery"),
}
POSTGRES_TIMEOUT_SQLSTATE = "57014"


class DatabaseError(RuntimeError):
    """The database refused the connection or the query (message has the password masked)."""


class ConnectionFailed(DatabaseError):
    """The database could not be reached at all; `unreachable` lets the funnel serve the last
    good copy of the dataset when the catalog asks for it (`keep_last_good = true`)."""

    unreachable = True


class QueryTimeout(RuntimeError):
    """The query ran longer than `timeout_seconds`."""


class RowLimitExceeded(RuntimeError):
    """The result has more rows than `row_limit`."""


@register_loader("sql")
class SqlLoader:
    """Reads a table or a SELECT from a SQL database (ADBC), read-only, as a polars frame."""

    options: ClassVar[OptionTypes] = {
        "uri": str,
        "driver": str,
        "table": str,
        "query": str,
        "columns": list,
        "where": dict,
        "timeout_seconds": (int, float),
        "row_limit": int,
        "keep_last_good": bool,
    }
    needs_path: ClassVar[bool] = False
    suffixes: ClassVar[tuple[str, ...]] = (".sqlite", ".sqlite3", ".db")
    header_lines: ClassVar[int] = 0
    kind: ClassVar[str] = "sql"
    #: its failures are "could not be read from its database" for people without the details
    reads_database: ClassVar[bool] = True

    def __init__(
        self,
        *,
        uri: str | None = None,
        path: str | Path | None = None,
        driver: str | None = None,
        table: str | None = None,
        query: str | None = None,
        columns: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        row_limit: int = DEFAULT_ROW_LIMIT,
        keep_last_good: bool = False,
    ):
        if (uri is None) == (path is None):
            raise SqlOptionError("give exactly one of 'uri' (options) or 'path' (a SQLite file)")
        if uri is not None:
            try:
                check_uri(uri)
            except UnsafeConnectionString as exc:
                raise SqlOptionError(str(exc)) from None
        if (table is None) == (query is None):
            raise SqlOptionError("give exactly one of the options 'table' or 'query'")
        if not timeout_seconds or timeout_seconds <= 0:
            raise SqlOptionError("'timeout_seconds' must be a positive number")
        if row_limit <= 0:
            raise SqlOptionError("'row_limit' must be a positive whole number")
        self.uri = uri
        self.path = Path(path) if path is not None else None
        self.driver = driver
        self.table = table
        self.query = _check_query(query) if query is not None else None
        self.columns = list(columns) if columns else None
        self.where = dict(where or {})
        self.timeout_seconds = float(timeout_seconds)
        self.row_limit = int(row_limit)
        self.keep_last_good = bool(keep_last_good)  # acted on by the funnel (loaders.last_good)
        self.dialect = self._dialect()
        # validate every identifier now, so a bad catalog fails before any connection
        self.sql({})

    # -- what and where ------------------------------------------------------------------------
    def _scheme(self) -> str:
        if self.path is not None:
            return "sqlite"
        return urlsplit(self.uri or "").scheme.lower()

    def _dialect(self) -> str:
        scheme = self._scheme()
        if scheme in DRIVERS:
            return DRIVERS[scheme][1]
        if self.driver:
            return "databricks" if "databricks" in self.driver.lower() else self.driver.lower()
        raise SqlOptionError(
            f"unsupported URI scheme '{scheme}:' (known: "
            + ", ".join(sorted(DRIVERS))
            + '); for another ADBC driver add the option driver = "NAME"'
        )

    def _sqlite_uri(self) -> str:
        if self.path is not None:
            file = self.path.resolve()
        else:
            parts = urlsplit(self.uri or "")
            file = Path(parts.path)
        if not file.exists():
            raise FileNotFoundError(str(file))
        return f"file:{quote(str(file))}?mode=ro"

    def shown_uri(self) -> str:
        """The connection target with the password masked, for messages and the Data page."""
        if self.path is not None:
            return str(self.path)
        return mask_uri(self.uri or "")

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "uri": self.shown_uri()}
        if self.driver:
            out["driver"] = self.driver
        out["table" if self.table else "query"] = self.table or self.query
        if self.columns:
            out["columns"] = list(self.columns)
        if self.where:
            out["where"] = dict(self.where)
        out["timeout_seconds"] = self.timeout_seconds
        out["row_limit"] = self.row_limit
        if self.keep_last_good:
            out["keep_last_good"] = True
        return out

    def __repr__(self) -> str:
        return f"SqlLoader(uri={self.shown_uri()!r}, {'table' if self.table else 'query'}=...)"

    # -- SQL -----------------------------------------------------------------------------------
    def _placeholder(self, n: int) -> str:
        return f"${n}" if self.dialect == "postgresql" else "?"

    def _quote(self, name: str) -> str:
        return quote_identifier(name, self.dialect)

    def _from_where(self, where: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        """`FROM source [WHERE col IN ($1, ...) AND ...]` and its bound parameters."""
        if self.table is not None:
            source = self._quote(self.table)
        else:
            source = f"({self.query}) AS placewise_query"
        conditions: list[str] = []
        params: list[Any] = []
        merged = {**self.where, **dict(where or {})}
        for column, value in merged.items():
            items = _values(column, value)
            if not items:
                conditions.append("1 = 0")
                continue
            marks = []
            for item in items:
                params.append(item)
                marks.append(self._placeholder(len(params)))
            conditions.append(f"{self._quote(column)} IN ({', '.join(marks)})")
        text = f"FROM {source}"
        if conditions:
            text += " WHERE " + " AND ".join(conditions)
        return text, params

    def sql(self, where: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        """The SELECT text and its bound parameters (values never appear in the text)."""
        select = ", ".join(self._quote(c) for c in self.columns) if self.columns else "*"
        source, params = self._from_where(where)
        return f"SELECT {select} {source} LIMIT {self.row_limit + 1:d}", params

    def aggregate_sql(
        self,
        group_by: Sequence[str],
        sums: Sequence[str],
        count: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> tuple[str, list[Any]]:
        """`SELECT g.., SUM(x).. [, COUNT(*)] FROM .. WHERE .. GROUP BY g..`: the database does
        the work, so only one row per group crosses the wire. Every name is checked and quoted;
        sums come back as double precision whatever the column's numeric type."""
        if not sums and count is None:
            raise SqlOptionError("an aggregate needs at least one sum or a count")
        double = {"bigquery": "FLOAT64", "databricks": "DOUBLE"}.get(
            self.dialect, "DOUBLE PRECISION"
        )
        terms = [self._quote(g) for g in group_by]
        terms += [f"CAST(SUM({self._quote(x)}) AS {double}) AS {self._quote(x)}" for x in sums]
        if count is not None:
            terms.append(f"COUNT(*) AS {self._quote(count)}")
        source, params = self._from_where(where)
        text = f"SELECT {', '.join(terms)} {source}"
        if group_by:
            text += " GROUP BY " + ", ".join(self._quote(g) for g in group_by)
        return f"{text} LIMIT {self.row_limit + 1:d}", params

    # -- reading -------------------------------------------------------------------------------
    def _connect(self) -> dbapi.Connection:
        scheme = self._scheme()
        conn: dbapi.Connection  # every ADBC driver's dbapi module gives one
        if scheme in DRIVERS:
            module = importlib.import_module(DRIVERS[scheme][0])
            if self.dialect == "sqlite":
                conn = module.connect(self._sqlite_uri())
            elif self.dialect == "postgresql":
                conn = module.connect(self.uri, autocommit=True)
            else:
                conn = module.connect(self.uri)
            return conn
        from adbc_driver_manager import dbapi as manager

        return manager.connect(driver=self.driver, db_kwargs={"uri": self.uri or ""})

    def _start_session(self, cursor: dbapi.Cursor) -> None:
        if self.dialect == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.execute("SET default_transaction_read_only = on")
            cursor.execute(
                f"SET statement_timeout = {max(1, round(self.timeout_seconds * 1000)):d}"
            )
        elif self.dialect == "sqlite":
            cursor.execute("PRAGMA query_only = ON")

    def _scrub(self, text: str) -> str:
        """A driver's message with the connection string shown masked and every secret of it
        (also one the driver quoted on its own) masked."""
        placeholder = "\x00uri\x00"
        if self.uri:
            text = text.replace(self.uri, placeholder)
        return mask_connection(text, _secrets(self.uri or "")).replace(
            placeholder, self.shown_uri()
        )

    def load(self, *, where: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """Run the SELECT in a read-only session and return the rows as a polars frame."""
        return self._run(*self.sql(where))

    def aggregate(
        self,
        *,
        group_by: Sequence[str],
        sums: Sequence[str],
        count: str | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pl.DataFrame:
        """Group and sum in the database (read-only session, bound values); one row a group."""
        return self._run(*self.aggregate_sql(group_by, sums, count, where))

    def _pool_key(self) -> tuple[Any, ...] | None:
        """Connections are reused except for SQLite files (cheap to open, and a held file
        would outlive its deletion)."""
        if self.dialect == "sqlite":
            return None
        return (self.uri, self.driver, self.timeout_seconds)

    def _checkout(self, fresh: bool) -> tuple[dbapi.Connection, bool]:
        """(connection, whether it came from the pool and already has its session set)."""
        key = self._pool_key()
        if key is not None and not fresh:
            conn = sql_pool.take(key)
            if conn is not None:
                return conn, True
        try:
            return self._connect(), False
        except (FileNotFoundError, ImportError, SqlOptionError):
            raise
        except Exception as exc:
            raise ConnectionFailed(
                f"cannot connect to {self.shown_uri()}: {self._first_line(exc)}"
            ) from None

    def _run(self, text: str, params: list[Any]) -> pl.DataFrame:
        key = self._pool_key()
        for attempt in (0, 1):
            conn, reused = self._checkout(fresh=attempt > 0)
            try:
                with conn.cursor() as cursor:
                    if not reused:
                        self._start_session(cursor)
                    cursor.execute(text, params if params else None)
                    table = cursor.fetch_arrow_table()
            except Exception as exc:
                sql_pool.close(conn)
                if reused and not self._is_timeout(exc):
                    # a kept connection may have died with a server restart: the others too
                    sql_pool.forget(key)
                    continue
                if self._is_timeout(exc):
                    raise QueryTimeout(
                        f"the query on {self.shown_uri()} ran longer than timeout_seconds = "
                        f"{self.timeout_seconds:g} and was cancelled; narrow it with 'where' or "
                        "'columns', or raise timeout_seconds in the catalog"
                    ) from None
                raise DatabaseError(
                    f"the query on {self.shown_uri()} failed: {self._first_line(exc)}"
                ) from None
            if key is None:
                sql_pool.close(conn)
            else:
                sql_pool.give_back(key, conn)
            break
        if table.num_rows > self.row_limit:
            raise RowLimitExceeded(
                f"the query on {self.shown_uri()} returned more than row_limit = "
                f"{self.row_limit:,} rows; narrow it with 'where' or raise row_limit in the catalog"
            )
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)  # an Arrow table (not an array) gives a frame
        return frame

    def _first_line(self, exc: Exception) -> str:
        lines = [x for x in str(exc).strip().splitlines() if x.strip()]
        return self._scrub(f"{type(exc).__name__}: {lines[0] if lines else ''}".strip())

    def _is_timeout(self, exc: Exception) -> bool:
        if getattr(exc, "sqlstate", None) == POSTGRES_TIMEOUT_SQLSTATE:
            return True
        text = str(exc).lower()
        return "statement timeout" in text or POSTGRES_TIMEOUT_SQLSTATE in text
