"""`make bench`: medians of page script runs (warm) and filter changes, against the naive way.

The naive way is what a first Streamlit app does: re-read every file with pandas on each rerun.
Budgets (DESIGN.md): a warm page run under 300 ms server-side; a filter change under 150 ms.
Then server CPU per page (scripts/bench_cpu.py: fresh session, warm rerun, place change, each
against the uncached path), the map benchmark (scripts/bench_geo.py) and the national-scale
one (scripts/bench_national.py:
naive pandas CSV vs lazy parquet vs PostgreSQL pushdown on 6.75 million observation rows).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEATS = 7
PAGES = ["overview", "spend", "care_homes", "neighbourhoods", "outcomes", "data", "about"]
BUDGET_PAGE_MS = 300
BUDGET_FILTER_MS = 150


def median_ms(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_pages() -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest

    rows = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        started = time.perf_counter()
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py")
            at.run()
        first = (time.perf_counter() - started) * 1000
        assert not at.exception, at.exception
        rows.append((page, first, median_ms(at.run)))
    return rows


def bench_overview_uncached() -> float:
    """The naive way: the Overview rerun re-reading and re-validating every file each time."""
    from streamlit.testing.v1 import AppTest

    from ui import state

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()

    def rerun_without_cache():
        state.reload_data()
        at.run()

    return median_ms(rerun_without_cache)


def bench_filter_change() -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    places = at.selectbox(key="place").options
    i = 0

    def change():
        nonlocal i
        i += 1
        at.selectbox(key="place").set_value(places[i % len(places)]).run()

    change()  # warm every place once
    for _ in places:
        change()
    return median_ms(change)


def bench_naive_reread() -> float:
    """Every file in the sample catalog re-read with pandas/geopandas, as a naive rerun does."""
    import geopandas as gpd
    import pandas as pd

    from loaders import load_catalog

    catalog = load_catalog()

    def reread():
        for spec in catalog.datasets.values():
            if spec.loader == "parquet":
                pd.read_parquet(spec.path)
            elif spec.loader == "csv":
                pd.read_csv(spec.path)
            elif spec.loader == "geo":
                gpd.read_file(spec.path)

    return median_ms(reread)


def main() -> None:
    pages = bench_pages()
    filter_ms = bench_filter_change()
    uncached_ms = bench_overview_uncached()
    naive_ms = bench_naive_reread()
    print(f"{'measure':<44}{'median ms':>12}{'budget ms':>12}  verdict")
    for page, first, warm in pages:
        print(f"{'page ' + page + ' (first run in this process)':<44}{first:>12.1f}{'':>12}")
        verdict = "ok" if warm < BUDGET_PAGE_MS else "OVER BUDGET"
        print(f"{'page ' + page + ' (warm rerun)':<44}{warm:>12.1f}{BUDGET_PAGE_MS:>12}  {verdict}")
    verdict = "ok" if filter_ms < BUDGET_FILTER_MS else "OVER BUDGET"
    print(f"{'filter change (place), warm':<44}{filter_ms:>12.1f}{BUDGET_FILTER_MS:>12}  {verdict}")
    print(
        f"{'naive: overview rerun re-reading every file':<44}{uncached_ms:>12.1f}{BUDGET_PAGE_MS:>12}"
    )
    print(f"{'naive: pandas read of every file alone':<44}{naive_ms:>12.1f}{'':>12}  (per rerun)")
    print(f"(medians of {REPEATS} runs; AppTest timings include Streamlit's own script overhead)")
    print("\nserver CPU per page (scripts/bench_cpu.py, issue 18):")
    from scripts.bench_cpu import main as bench_cpu

    bench_cpu()
    from scripts.bench_geo import main as bench_geo

    bench_geo()
    print("\nnational scale (scripts/bench_national.py):")
    from scripts.bench_national import main as bench_national

    bench_national()


if __name__ == "__main__":
    main()
