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

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CATALOG = ROOT / "sample_data" / "catalog.toml"
URI_ENV = "PLACEWISE_TEST_PG_URI"
USER = "placewise"
PASSWORD = "pw-Xq7-not-in-messages"
DATABASE = "placewise"
SCHEMA = "analytics"


def postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "run 'make test' as root, or 'sudo apt-get install postgresql'"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    run_as: str | None
    catalog_path: Path | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def uri(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def admin_uri(self, database: str = DATABASE) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{tail}")

    def initdb(self) -> None:
        pwfile = self.folder / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        self._own(pwfile)
        self.run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            USER,
            f"--pwfile={pwfile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        pwfile.unlink()

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
        )
        self.run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log",
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def _own(self, path: Path) -> None:
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.fail("running as root but neither the 'postgres' nor the 'nobody' user exists")


def _sql_execute(uri: str, *statements: str) -> None:
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(uri, autocommit=True) as conn, conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


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
            if key in ("options", "rename"):
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
    binaries = postgres_bin()
    run_as = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="placewise-pg-"))
    server = PostgresServer(binaries, folder, free_port(), run_as)
    old_uri = os.environ.get(URI_ENV)
    try:
        server._own(folder)
        os.chmod(folder, 0o700)
        server.initdb()
        server.start()
        _sql_execute(server.admin_uri("postgres"), f'CREATE DATABASE "{DATABASE}"')
        _sql_execute(server.uri, f'CREATE SCHEMA "{SCHEMA}"')
        tables = _load_sample_tables(server)
        catalog_folder = Path(tempfile.mkdtemp(prefix="placewise-pg-catalog-"))
        server.catalog_path = write_catalog(catalog_folder / "catalog.toml", tables)
        os.environ[URI_ENV] = server.uri
        yield server
    finally:
        if old_uri is None:
            os.environ.pop(URI_ENV, None)
        else:
            os.environ[URI_ENV] = old_uri
        if server.is_running():
            try:
                server.stop()
            except RuntimeError:
                with contextlib.suppress(RuntimeError):
                    server.run(server.bin / "pg_ctl", "-D", server.data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
        if server.catalog_path is not None:
            shutil.rmtree(server.catalog_path.parent, ignore_errors=True)
