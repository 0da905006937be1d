"""Load run: concurrent Chromium sessions switching place, cluster and page against a local server.

`make load` (or `python -m scripts.load`). Each session loops until the time is up: it opens a page
for a random place (and, half the time, one of its clusters) by URL, waits until the app has
finished drawing, and records the time and whether an exception box or an error message showed.
The server's memory is sampled every second and its CPU time is measured, so that the server's
share of a page time can be told from the browsers' (which share the same machine). Everything stays on loopback; loops are bounded by
LOAD_SECONDS. Results are printed and written to artifacts/load.json; the exit code is 1 if any
page failed.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import polars as pl

from scripts.serve import ROOT, cpu_seconds, rss_mib, streamlit_server

CHROMIUM = "/usr/bin/chromium"
PAGES = ["", "spend", "care-homes", "neighbourhoods", "outcomes", "data", "about"]
READY = (
    "() => document.querySelector(\"[data-testid='stApp']\")"
    " && document.querySelector('h1')"
    " && !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
)


@dataclass
class Results:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)


def places_and_clusters() -> dict[str, list[str]]:
    """Place name -> its cluster names, from the embedded sample data."""
    areas = pl.read_parquet(ROOT / "sample_data" / "areas.parquet")
    places = areas.filter(pl.col("area_type") == "place").select("area_code", "area_name")
    clusters = areas.filter(pl.col("area_type") == "cluster")
    return {
        name: clusters.filter(pl.col("parent_code") == code)["area_name"].sort().to_list()
        for code, name in places.iter_rows()
    }


async def session(browser, url: str, n: int, deadline: float, out: Results) -> None:
    rng = random.Random(n)
    choices = places_and_clusters()
    context = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def local_only(route):
        host = route.request.url.split("/")[2] if "//" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:")) or host.startswith("127.0.0.1"):
            await route.continue_()
        else:
            out.errors.append(f"session {n}: request off the machine {route.request.url}")
            await route.abort()

    await context.route("**/*", local_only)
    page = await context.new_page()
    while time.monotonic() < deadline:
        place = rng.choice(sorted(choices))
        query = {"place": place}
        if rng.random() < 0.5 and choices[place]:
            query["cluster"] = rng.choice(choices[place])
        path = rng.choice(PAGES)
        target = f"{url}/{path}?{urlencode(query)}"
        started = time.monotonic()
        try:
            await page.goto(target, wait_until="domcontentloaded", timeout=120_000)
            await page.wait_for_function(READY, timeout=120_000, polling=100)
            out.times.append(time.monotonic() - started)
            if await page.locator("[data-testid='stException']").count():
                out.errors.append(f"{target}: exception box")
            if await page.get_by_text("Page not found").count():
                out.errors.append(f"{target}: page not found")
        except Exception as exc:  # a timeout or a crashed page is a failure to report, not to hide
            out.errors.append(f"{target}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    await context.close()


async def sample_memory(pid: int, deadline: float, out: Results) -> None:
    while time.monotonic() < deadline:
        out.memory.append(rss_mib(pid))
        await asyncio.sleep(1)


async def run(url: str, pid: int, sessions: int, seconds: float) -> Results:
    from playwright.async_api import async_playwright

    out = Results()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            sample_memory(pid, deadline, out),
            *(session(browser, url, n, deadline, out) for n in range(sessions)),
        )
        await browser.close()
    return out


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def main() -> int:
    sessions = int(os.environ.get("LOAD_SESSIONS", "20"))
    seconds = float(os.environ.get("LOAD_SECONDS", "300"))
    artifacts = ROOT / "artifacts"
    env = {"PLACEWISE_CATALOG": str(ROOT / "sample_data" / "catalog.toml")}
    with streamlit_server(artifacts / "load_streamlit.log", env=env) as (url, proc):
        start_mib, start_cpu = rss_mib(proc.pid), cpu_seconds(proc.pid)
        out = asyncio.run(run(url, proc.pid, sessions, seconds))
        server_cpu = cpu_seconds(proc.pid) - start_cpu
    summary = {
        "sessions": sessions,
        "seconds": seconds,
        "page_loads": len(out.times),
        "errors": len(out.errors),
        "p50_s": round(statistics.median(out.times), 2) if out.times else None,
        "p95_s": round(percentile(out.times, 95), 2) if out.times else None,
        "max_s": round(max(out.times), 2) if out.times else None,
        "server_rss_start_mib": round(start_mib),
        "server_rss_peak_mib": round(max(out.memory, default=0)),
        "server_rss_end_mib": round(out.memory[-1]) if out.memory else None,
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_page": round(1000 * server_cpu / len(out.times)) if out.times else None,
        "cores": os.cpu_count(),
        "first_errors": out.errors[:10],
    }
    Path(artifacts / "load.json").write_text(json.dumps(summary, indent=2))
    print(
        f"{sessions} sessions x {seconds:.0f} s: {summary['page_loads']} page loads, "
        f"{summary['errors']} errors; page time p50 {summary['p50_s']} s, p95 {summary['p95_s']} s, "
        f"max {summary['max_s']} s; server memory {summary['server_rss_start_mib']} MiB at start, "
        f"peak {summary['server_rss_peak_mib']} MiB; server CPU {summary['server_cpu_s']} s "
        f"({summary['server_cpu_ms_per_page']} ms per page load) on {summary['cores']} cores "
        "shared with the browsers"
    )
    for line in out.errors[:10]:
        print("  error:", line)
    return 1 if out.errors or not out.times else 0


if __name__ == "__main__":
    raise SystemExit(main())
