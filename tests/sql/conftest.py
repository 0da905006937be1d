"""A real PostgreSQL server for the sql loader's tests: Debian's binaries, a throw-away cluster.

The session fixture runs `initdb` into a fresh temporary folder, starts the server with
`pg_ctl` on a free loopback port (its unix socket in the same folder), creates the database
`placewise`, loads every table of sample_data into the schema `analytics` with the canonical
column types, and writes a catalog pointing at it (loader "sql", the URI from an environment
variable). The cluster is always stopped and its folder removed, also when tests fail.

Run as root, the server runs as the unprivileged `postgres` user (or `nobody`) via runuser,
since initdb refuses root. `make test` installs Debian's `postgresql` package when missing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from scripts.pg_cluster import (
    DATABASE,
    PASSWORD,
    SCHEMA,
    USER,
    ClusterError,
    PostgresServer,
    sql_execute,
    throwaway_cluster,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = ROOT / "sample_data" / "catalog.toml"
URI_ENV = "PLACEWISE_TEST_PG_URI"
_sql_execute = sql_execute
__all__ = ["DATABASE", "PASSWORD", "SCHEMA", "USER", "PostgresServer", "_sql_execute"]


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Enum/categorical columns as text: PostgreSQL stores them as text columns."""
    return frame.with_columns(
        pl.col(c).cast(pl.String)
        for c, dtype in frame.schema.items()
        if isinstance(dtype, pl.Enum | pl.Categorical)
    )


def _load_sample_tables(server: PostgresServer) -> list[str]:
    import adbc_driver_postgresql.dbapi as pg

    sample = load_catalog(SAMPLE_CATALOG)
    names = []
    with pg.connect(server.uri) as conn:
        with conn.cursor() as cursor:
            for name, spec in sample.datasets.items():
                if spec.loader == "geo":  # geometry stays in files (no PostGIS here)
                    continue
                frame = _canonical(load_dataset(name, sample))
                cursor.adbc_ingest(name, frame.to_arrow(), mode="create", db_schema_name=SCHEMA)
                names.append(name)
        conn.commit()
    return names


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def write_catalog(path: Path, tables: list[str]) -> Path:
    """The sample catalog with every table dataset read through the sql loader."""
    raw = tomllib.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))
    lines = ["[catalog]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in raw.get("catalog", {}).items()]
    for name, entry in raw["datasets"].items():
        lines += ["", f"[datasets.{name}]"]
        sql = name in tables
        for key, value in entry.items():
            if key in ("options", "rename", "transform"):  # the table holds canonical rows
                continue
            if key == "loader" and sql:
                value = "sql"
            if key == "path":
                if sql:
                    continue
                value = str((SAMPLE_CATALOG.parent / value).resolve())
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append(f"[datasets.{name}.options]")
        if sql:
            lines.append(f'uri = {{ env = "{URI_ENV}" }}')
            lines.append(f'table = "{SCHEMA}.{name}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A running PostgreSQL server holding the sample data, with a catalog pointing at it."""
    old_uri = os.environ.get(URI_ENV)
    catalog_folder = Path(tempfile.mkdtemp(prefix="placewise-pg-catalog-"))
    try:
        with throwaway_cluster() as server:
            tables = _load_sample_tables(server)
            server.catalog_path = write_catalog(catalog_folder / "catalog.toml", tables)
            os.environ[URI_ENV] = server.uri
            yield server
    except ClusterError as exc:
        pytest.fail(str(exc))
    finally:
        if old_uri is None:
            os.environ.pop(URI_ENV, None)
        else:
            os.environ[URI_ENV] = old_uri
        shutil.rmtree(catalog_folder, ignore_errors=True)
