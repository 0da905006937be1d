"""A throw-away PostgreSQL cluster from Debian's server binaries, for tests and benchmarks.

`initdb` into a fresh temporary folder, `pg_ctl start` on a free loopback port (unix socket in
the same folder), no fsync: the data is disposable by design. Run as root, the server runs as
the unprivileged `postgres` user (or `nobody`) via runuser, since initdb refuses root. Shared
by tests/sql/conftest.py and scripts/bench_national.py so both start servers the same way.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "placewise"
PASSWORD = "pw-Xq7-not-in-messages"
DATABASE = "placewise"
SCHEMA = "analytics"


class ClusterError(RuntimeError):
    """The server binaries are missing or a pg_ctl/initdb step failed (with the log's tail)."""


def postgres_bin() -> Path:
    """The newest /usr/lib/postgresql/N/bin folder holding initdb."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise ClusterError(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "run 'make postgres' as root, or 'sudo apt-get install postgresql'"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_user() -> str | None:
    """None when not root; else an unprivileged user to run the server as."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root but neither the 'postgres' nor the 'nobody' user exists")


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    run_as: str | None
    catalog_path: Path | None = None
    settings: str = ""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def uri(self) -> str:
        return self.admin_uri(DATABASE)

    def admin_uri(self, database: str = DATABASE) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def role_uri(self, user: str, password: str, database: str = DATABASE) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str | Path) -> None:
        command = [str(a) for a in args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise ClusterError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{tail}")

    def initdb(self) -> None:
        pwfile = self.folder / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        self.own(pwfile)
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
            + (f" {self.settings}" if self.settings else "")
        )
        self.run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "server.log",
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def own(self, path: Path) -> None:
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)


def sql_execute(uri: str, *statements: str) -> None:
    """Run statements in autocommit mode (DDL, grants) on `uri`."""
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(uri, autocommit=True) as conn, conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextlib.contextmanager
def throwaway_cluster(settings: str = "") -> Iterator[PostgresServer]:
    """A running server with the database `placewise` and schema `analytics`; always removed."""
    server = PostgresServer(postgres_bin(), Path(tempfile.mkdtemp(prefix="placewise-pg-")), free_port(), server_user(), settings=settings)  # fmt: skip
    try:
        server.own(server.folder)
        os.chmod(server.folder, 0o700)
        server.initdb()
        server.start()
        sql_execute(server.admin_uri("postgres"), f'CREATE DATABASE "{DATABASE}"')
        sql_execute(server.uri, f'CREATE SCHEMA "{SCHEMA}"')
        yield server
    finally:
        if server.is_running():
            try:
                server.stop()
            except ClusterError:
                with contextlib.suppress(ClusterError):
                    server.run(server.bin / "pg_ctl", "-D", server.data, "-m", "immediate", "stop")
        shutil.rmtree(server.folder, ignore_errors=True)
