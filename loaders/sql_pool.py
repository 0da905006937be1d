"""Idle database connections kept per process, so a filter change does not pay for a login.

Opening a PostgreSQL connection (TCP, SCRAM authentication, session settings) costs tens of
milliseconds, more than a whole indexed query; a page's filter change has a 150 ms budget.
The sql loader takes a connection from here and gives it back after a successful query; a
connection that failed is closed, never returned. Each connection is used by one query at a
time (ADBC connections are not shared between threads); idle ones are closed after
MAX_IDLE_SECONDS. Keys include the settings a session was started with, so a pooled session
always has the read-only mode and timeout its dataset asked for.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adbc_driver_manager.dbapi import Connection

MAX_IDLE_PER_KEY = 4
MAX_IDLE_SECONDS = 300.0

_lock = threading.Lock()
_idle: dict[Hashable, list[tuple[float, Connection]]] = {}


def take(key: Hashable) -> Connection | None:
    """An idle connection for `key` (the most recently used one), or None."""
    now = time.monotonic()
    stale: list[Connection] = []
    found: Connection | None = None
    with _lock:
        entries = _idle.get(key, [])
        while entries:
            since, conn = entries.pop()
            if now - since <= MAX_IDLE_SECONDS:
                found = conn
                break
            stale.append(conn)
    for conn in stale:
        close(conn)
    return found


def give_back(key: Hashable, conn: Connection) -> None:
    """Keep a healthy connection for the next query (or close it when enough are idle)."""
    with _lock:
        entries = _idle.setdefault(key, [])
        if len(entries) < MAX_IDLE_PER_KEY:
            entries.append((time.monotonic(), conn))
            return
    close(conn)


def forget(key: Hashable | None = None) -> None:
    """Close the idle connections for `key` (every key when None): after a failure, a reload."""
    with _lock:
        keys = list(_idle) if key is None else [key]
        dropped = [conn for k in keys for _, conn in _idle.pop(k, [])]
    for conn in dropped:
        close(conn)


def idle_count(key: Hashable | None = None) -> int:
    with _lock:
        return sum(len(v) for k, v in _idle.items() if key is None or k == key)


def close(conn: Connection) -> None:
    # closing a broken connection must not hide the error that broke it
    with contextlib.suppress(Exception):
        conn.close()


# close kept connections while the driver is still loaded, not in the interpreter's teardown
atexit.register(forget)
