"""National-scale benchmark: (a) naive pandas CSV, (b) parquet lazy loader, (c) PostgreSQL pushdown.

`.venv/bin/python -m scripts.bench_national` (also run by `make bench`). Generates the national
SYNTHETIC data once (cached, see scripts/national), starts a throw-away PostgreSQL cluster and
copies the data in, then for each page workload and each path runs fresh worker processes:
each times its first load-and-aggregate for one place (or ICB), then filter changes to other
places with its caches warm, and reports its peak resident memory (VmHWM: Arrow and polars
allocate outside Python, so tracemalloc would miss most of it). Budgets (issue 8): (b) and (c)
first load under 2 s, a filter change under 150 ms. Workers' results must agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PATHS = {
    "naive": "(a) naive pandas CSV",
    "parquet": "(b) parquet, lazy",
    "postgres": "(c) PostgreSQL",
}
REPEATS = 3  # worker processes per path and workload: the first-load median is over these
CHANGES = {"naive": 2, "parquet": 6, "postgres": 6}  # filter changes timed in each worker
BUDGET_FIRST_MS = 2000
BUDGET_CHANGE_MS = 150
URI_ENV = "PLACEWISE_NATIONAL_PG_URI"


def peak_rss_mb() -> float:
    """The process's resident-set high-water mark (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: str, workload: str, folder: str, catalog: str) -> dict:
    """One process: first run for target 0, then warm filter changes to the next targets."""
    from scripts.national import workloads
    from scripts.national.build import NationalData

    targets = workloads.WORKLOADS[workload][1]
    if path == "naive":
        data = NationalData(Path(folder), 0.0, {})
        run = workloads.naive(workload, data.csv)
        import pandas  # noqa: F401  (imported before timing, as a running app has it)
    else:
        run = workloads.loader(workload, Path(catalog))
    baseline = peak_rss_mb()
    started = time.perf_counter()
    first = run(targets[0])
    first_ms = (time.perf_counter() - started) * 1000
    changes = []
    for target in targets[1 : 1 + CHANGES[path]]:
        started = time.perf_counter()
        run(target)
        changes.append((time.perf_counter() - started) * 1000)
    return {
        "first_ms": first_ms,
        "change_ms": statistics.median(changes),
        "peak_mb": peak_rss_mb(),
        "baseline_mb": baseline,
        "rows": workloads.rows(first),
    }


def run_worker(path: str, workload: str, folder: Path, catalog: Path, env: dict) -> dict:
    command = [sys.executable, "-m", "scripts.bench_national", "--worker", path, workload]
    command += ["--folder", str(folder), "--catalog", str(catalog)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"worker {path}/{workload} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(
    folder: Path, catalogs: dict[str, Path], env: dict, repeats: int, only: tuple[str, ...] = ()
) -> dict:
    from scripts.national.workloads import WORKLOADS

    results: dict = {}
    for workload in only or tuple(WORKLOADS):
        for path in PATHS:
            runs = [
                run_worker(path, workload, folder, catalogs.get(path, folder), env)
                for _ in range(repeats)
            ]
            results[workload, path] = {
                "first_ms": statistics.median(r["first_ms"] for r in runs),
                "change_ms": statistics.median(r["change_ms"] for r in runs),
                "peak_mb": max(r["peak_mb"] for r in runs),
                "baseline_mb": statistics.median(r["baseline_mb"] for r in runs),
                "rows": runs[0]["rows"],
            }
    return results


def _times(naive_ms: float, ms: float) -> str:
    """How many times faster than naive (below 1: slower)."""
    ratio = naive_ms / ms
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def table(results: dict) -> str:
    from scripts.national.workloads import WORKLOADS as ALL

    done = {w for w, _ in results}
    WORKLOADS = {w: v for w, v in ALL.items() if w in done}

    head = f"{'workload / path':<34}{'first ms':>10}{'change ms':>11}{'peak MB':>9}{'x faster (first/change)':>26}  budget"
    lines = [head, "-" * len(head)]
    for workload, (label, _) in WORKLOADS.items():
        lines.append(f"{workload}: {label}")
        naive = results[workload, "naive"]
        for path, name in PATHS.items():
            r = results[workload, path]
            ratio = f"{_times(naive['first_ms'], r['first_ms'])} / {_times(naive['change_ms'], r['change_ms'])}"
            verdict = ""
            if path != "naive":
                ok = r["first_ms"] < BUDGET_FIRST_MS and r["change_ms"] < BUDGET_CHANGE_MS
                verdict = "ok" if ok else "OVER"
                agree = r["rows"] == naive["rows"]
                verdict += "" if agree else " RESULTS DIFFER"
            else:
                ratio = "1.0x / 1.0x"
            lines.append(
                f"  {name:<32}{r['first_ms']:>10.0f}{r['change_ms']:>11.1f}{r['peak_mb']:>9.0f}{ratio:>26}  {verdict}"
            )
    return "\n".join(line.rstrip() for line in lines)


def main(repeats: int = REPEATS, only: tuple[str, ...] = ()) -> dict:
    from scripts.national import ensure
    from scripts.national.build import load_postgres
    from scripts.pg_cluster import SCHEMA, throwaway_cluster

    data = ensure()
    state = f"generated in {data.seconds:.1f} s" if data.seconds else "from the cache"
    print(f"national SYNTHETIC data v{data.folder.name[1:]} in {data.folder} ({state})")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in data.rows.items()))
    with throwaway_cluster() as server, tempfile.TemporaryDirectory() as tmp:
        pg_catalog = Path(tmp) / "catalog.toml"
        seconds = load_postgres(data, server.uri, SCHEMA, pg_catalog, URI_ENV)
        print(f"PostgreSQL: copied and indexed in {seconds:.1f} s (throw-away cluster)")
        env = {**os.environ, URI_ENV: server.uri}
        catalogs = {"parquet": data.parquet_catalog, "postgres": pg_catalog}
        started = time.perf_counter()
        results = measure(data.folder, catalogs, env, repeats, only)
        print(table(results))
        print(
            f"medians of {repeats} worker processes per row; change = median of "
            f"{CHANGES['parquet']} warm filter changes ({CHANGES['naive']} for naive, which "
            "re-reads every CSV on each rerun); peak MB = max VmHWM of the workers "
            f"(each ~{next(iter(results.values()))['baseline_mb']:.0f} MB after imports); "
            f"budgets {BUDGET_FIRST_MS} ms first, {BUDGET_CHANGE_MS} ms change; "
            f"measured in {time.perf_counter() - started:.0f} s"
        )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("PATH", "WORKLOAD"))
    parser.add_argument("--folder")
    parser.add_argument("--catalog")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--workload", action="append", default=[], help="only these (repeatable)")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.folder, args.catalog)))
    else:
        main(args.repeats, tuple(args.workload))
