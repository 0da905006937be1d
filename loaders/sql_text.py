"""SQL text for the sql loader: identifier checks and quoting, SELECT-only queries, bound
values, and URIs with their secrets masked (loaders.secrets). Kept apart from the connection code so each can be
read (and reviewed for injection) on its own."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from loaders.secrets import mask_connection, secrets_of

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
BACKTICK_DIALECTS = ("bigquery", "databricks")
SCALAR_TYPES = (str, int, float, bool, date, datetime)


class SqlOptionError(TypeError):
    """An option is malformed (bad identifier, not a SELECT, bad where value); a TypeError so
    load_dataset reports it as the loader rejecting its options."""


def mask_uri(uri: str) -> str:
    """The URI (or key=value connection string) with every secret replaced by ***: the password
    whatever its characters, and `password=`, `sslpassword=`, `token=`... parameters."""
    return mask_connection(uri, secrets_of(uri))


def _secrets(uri: str) -> list[str]:
    """Every secret of the connection string, in the forms a driver may echo in its messages."""
    return secrets_of(uri)


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
