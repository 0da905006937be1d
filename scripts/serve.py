"""Start Placewise under `streamlit run` on a free loopback port, for the load run and benches."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nothing listens on now (loopback only)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    log_path: Path,
    env: dict[str, str] | None = None,
    *,
    port: int | None = None,
    args: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
    timeout: float = 60,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yield (url, process) once /_stcore/health answers; the server is stopped on exit.

    `env` is added to this process's environment and the variables in `drop` removed; `args`
    are more `streamlit run` options (e.g. `--secrets.files`).
    """
    port = port or free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false", *args,
    ]  # fmt: skip
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in drop}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def rss_mib(pid: int) -> float:
    """Resident memory of a process (MiB) from /proc, 0 when it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (s) from /proc, 0 when it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0
