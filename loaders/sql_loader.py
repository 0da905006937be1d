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

Errors never carry the URI's password: messages and `describe()` show it as `***`.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit, urlunsplit

import polars as pl

from loaders.registry import register_loader

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_ROW_LIMIT = 5_000_000
MASK = "***"
# scheme -> (python module with a DB-API `connect(uri)`, SQL dialect)
DRIVERS = {
    "postgresql": ("adbc_driver_postgresql.dbapi", "postgresql"),
    "postgres": ("adbc_driver_postgresql.dbapi", "postgresql"),
    "sqlite": ("adbc_driver_sqlite.dbapi", "sqlite"),
    "file": ("adbc_driver_sqlite.dbapi", "sqlite"),
    "snowflake": ("adbc_driver_snowflake.dbapi", "snowflake"),
    "bigquery": ("adbc_driver_bigquery.dbapi", "bigquery"),
}
BACKTICK_DIALECTS = ("bigquery", "databricks")
SCALAR_TYPES = (str, int, float, bool, date, datetime)
POSTGRES_TIMEOUT_SQLSTATE = "57014"


class SqlOptionError(TypeError):
    """An option is malformed (bad identifier, not a SELECT, bad where value); a TypeError so
    load_dataset reports it as the loader rejecting its options."""


class DatabaseError(RuntimeError):
    """The database refused the connection or the query (message has the password masked)."""


class QueryTimeout(RuntimeError):
    """The query ran longer than `timeout_seconds`."""


class RowLimitExceeded(RuntimeError):
    """The result has more rows than `row_limit`."""


def mask_uri(uri: str) -> str:
    """The URI with any password replaced by *** (also `password=` query parameters)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, sep, _password = userinfo.partition(":")
        netloc = f"{user}{':' + MASK if sep else ''}@{hostport}"
    query = re.sub(
        r"(?i)((?:^|&)(?:password|pwd|token|secret)[^=&]*=)[^&]*", rf"\1{MASK}", parts.query
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secrets(uri: str) -> list[str]:
    """Every secret substring of the URI, to scrub from driver messages."""
    out = []
    try:
        parts = urlsplit(uri)
        if parts.password:
            out.append(parts.password)
        out += re.findall(r"(?i)(?:^|&)(?:password|pwd|token|secret)[^=&]*=([^&]+)", parts.query)
    except ValueError:
        pass
    return [s for s in out if s]


def quote_identifier(name: str, dialect: str = "postgresql") -> str:
    """`name` (optionally dot-qualified: schema.table) checked and quoted for `dialect`."""
    if not isinstance(name, str) or not name:
        raise SqlOptionError(f"expected an identifier, got {name!r}")
    parts = name.split(".")
    if len(parts) > 3 or not all(IDENTIFIER.fullmatch(p) for p in parts):
        raise SqlOptionError(
            f"{name!r} is not a valid identifier: use letters, digits and underscores "
            "(starting with a letter or underscore, at most 63 characters), "
            "optionally qualified as schema.table"
        )
    q = "`" if dialect in BACKTICK_DIALECTS else '"'
    return ".".join(f"{q}{p}{q}" for p in parts)


def _check_query(query: str) -> str:
    text = query.strip().rstrip(";").strip()
    if ";" in text:
        raise SqlOptionError("'query' must be one statement (no ';' inside it)")
    first = re.match(r"\s*(\w+)", text)
    if first is None or first.group(1).upper() not in ("SELECT", "WITH"):
        raise SqlOptionError("'query' must be a SELECT (or WITH ... SELECT) statement")
    return text


def _values(column: str, value: Any) -> list[Any]:
    items = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
    for item in items:
        if not isinstance(item, SCALAR_TYPES):
            raise SqlOptionError(
                f"'where' value for column '{column}' must be text, a number, a date or "
                f"true/false, got {type(item).__name__}"
            )
    return items


@register_loader("sql")
class SqlLoader:
    """Reads a table or a SELECT from a SQL database (ADBC), read-only, as a polars frame."""

    options: ClassVar = {
        "uri": str,
        "driver": str,
        "table": str,
        "query": str,
        "columns": list,
        "where": dict,
        "timeout_seconds": (int, float),
        "row_limit": int,
    }
    needs_path: ClassVar[bool] = False
    suffixes: ClassVar[tuple[str, ...]] = (".sqlite", ".sqlite3", ".db")
    header_lines: ClassVar[int] = 0
    kind: ClassVar[str] = "sql"

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
    ):
        if (uri is None) == (path is None):
            raise SqlOptionError("give exactly one of 'uri' (options) or 'path' (a SQLite file)")
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
        return out

    def __repr__(self) -> str:
        return f"SqlLoader(uri={self.shown_uri()!r}, {'table' if self.table else 'query'}=...)"

    # -- SQL -----------------------------------------------------------------------------------
    def _placeholder(self, n: int) -> str:
        return f"${n}" if self.dialect == "postgresql" else "?"

    def sql(self, where: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        """The SELECT text and its bound parameters (values never appear in the text)."""
        quote_id = lambda name: quote_identifier(name, self.dialect)  # noqa: E731
        select = ", ".join(quote_id(c) for c in self.columns) if self.columns else "*"
        if self.table is not None:
            source = quote_id(self.table)
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
            conditions.append(f"{quote_id(column)} IN ({', '.join(marks)})")
        text = f"SELECT {select} FROM {source}"
        if conditions:
            text += " WHERE " + " AND ".join(conditions)
        text += f" LIMIT {self.row_limit + 1:d}"
        return text, params

    # -- reading -------------------------------------------------------------------------------
    def _connect(self) -> Any:
        scheme = self._scheme()
        if scheme in DRIVERS:
            module = importlib.import_module(DRIVERS[scheme][0])
            if self.dialect == "sqlite":
                return module.connect(self._sqlite_uri())
            if self.dialect == "postgresql":
                return module.connect(self.uri, autocommit=True)
            return module.connect(self.uri)
        from adbc_driver_manager import dbapi

        return dbapi.connect(driver=self.driver, db_kwargs={"uri": self.uri or ""})

    def _start_session(self, cursor: Any) -> None:
        if self.dialect == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.execute("SET default_transaction_read_only = on")
            cursor.execute(
                f"SET statement_timeout = {max(1, round(self.timeout_seconds * 1000)):d}"
            )
        elif self.dialect == "sqlite":
            cursor.execute("PRAGMA query_only = ON")

    def _scrub(self, text: str) -> str:
        for secret in _secrets(self.uri or ""):
            text = text.replace(secret, MASK)
        if self.uri:
            text = text.replace(self.uri, self.shown_uri())
        return text

    def load(self, *, where: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """Run the SELECT in a read-only session and return the rows as a polars frame."""
        text, params = self.sql(where)
        try:
            conn = self._connect()
        except (FileNotFoundError, ImportError, SqlOptionError):
            raise
        except Exception as exc:
            raise DatabaseError(
                f"cannot connect to {self.shown_uri()}: {self._first_line(exc)}"
            ) from None
        try:
            with conn.cursor() as cursor:
                self._start_session(cursor)
                cursor.execute(text, params if params else None)
                table = cursor.fetch_arrow_table()
        except Exception as exc:
            if self._is_timeout(exc):
                raise QueryTimeout(
                    f"the query on {self.shown_uri()} ran longer than timeout_seconds = "
                    f"{self.timeout_seconds:g} and was cancelled; narrow it with 'where' or "
                    "'columns', or raise timeout_seconds in the catalog"
                ) from None
            raise DatabaseError(
                f"the query on {self.shown_uri()} failed: {self._first_line(exc)}"
            ) from None
        finally:
            # closing a broken connection must not hide the real error
            with contextlib.suppress(Exception):
                conn.close()
        if table.num_rows > self.row_limit:
            raise RowLimitExceeded(
                f"the query on {self.shown_uri()} returned more than row_limit = "
                f"{self.row_limit:,} rows; narrow it with 'where' or raise row_limit in the catalog"
            )
        return pl.from_arrow(table)

    def _first_line(self, exc: Exception) -> str:
        lines = [x for x in str(exc).strip().splitlines() if x.strip()]
        return self._scrub(f"{type(exc).__name__}: {lines[0] if lines else ''}".strip())

    def _is_timeout(self, exc: Exception) -> bool:
        if getattr(exc, "sqlstate", None) == POSTGRES_TIMEOUT_SQLSTATE:
            return True
        text = str(exc).lower()
        return "statement timeout" in text or POSTGRES_TIMEOUT_SQLSTATE in text
