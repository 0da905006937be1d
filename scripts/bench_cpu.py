"""Server CPU per page (issue 18): a fresh session's first page, a warm rerun, a place change.

`.venv/bin/python -m scripts.bench_cpu [--repeats N] [--profile PAGE]` (also run by `make bench`).
All in one warm process, on the catalog in $PLACEWISE_CATALOG (default the sample data), with
AppTest: "fresh" is a new session opening the page directly (router plus page), "warm" a rerun
of the same session, "place" the place selectbox set to the next place and the rerun. Figures
are CPU time of this process (time.process_time: every thread, so Streamlit's own work counts),
medians over the repeats. The naive/uncached path is measured in the same run: the same three
with every Streamlit cache cleared before each timed step (re-reading, re-validating and
rebuilding everything, as an app without caches does). Budgets: fresh 150 ms, warm 100 ms,
place change 50 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = {
    "overview": "Overview",
    "spend": "Spend",
    "care_homes": "Care home quality",
    "neighbourhoods": "Neighbourhoods",
    "outcomes": "Outcomes",
    "data": "Data",
    "about": "About",
}
BUDGETS = {"fresh": 150.0, "warm": 100.0, "place": 50.0}
REPEATS = 5


_COMPONENTS: list = []


def _app(page: str):
    """A new session on `page`. The scan of installed packages for Streamlit components is
    done once per process, as the real server does at start-up (AppTest repeats it per new
    AppTest, about 100 ms that no browser session costs a running server)."""
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    if not _COMPONENTS:
        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at._bidi_component_manager = _COMPONENTS[0]
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    return at


def _run(at) -> None:
    at.run()
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception}")


def _cpu_ms(step: Callable[[], None], before: Callable[[], None] | None = None) -> float:
    if before is not None:
        before()
    started = time.process_time()
    step()
    return (time.process_time() - started) * 1000


def clear_caches() -> None:
    """Every cache the app keeps (datasets, catalog, panels and any st.cache_data)."""
    import streamlit as st

    from ui import state

    state.reload_data()
    st.cache_data.clear()
    st.cache_resource.clear()


def measure(page: str, repeats: int, *, uncached: bool = False) -> dict[str, float]:
    """Median CPU ms of fresh first page, warm rerun and place change for `page`; "place" is a
    change to a place this process has drawn before (each place is visited once first), and
    "place_first" the changes of that first visit."""
    before = clear_caches if uncached else None
    fresh, warm, place, first = [], [], [], []
    warmup = _app(page)
    _run(warmup)  # the process has seen this page once (imports, caches) before timing
    places = warmup.selectbox(key="place").options
    for target in [*places[1:], places[0]]:

        def visit(at=warmup, target=target) -> None:
            at.selectbox(key="place").set_value(target)
            _run(at)

        first.append(_cpu_ms(visit, before))
    for i in range(repeats):
        at = _app(page)
        fresh.append(_cpu_ms(lambda at=at: _run(at), before))
        warm.append(_cpu_ms(lambda at=at: _run(at), before))
        target = places[(i + 1) % len(places)]
        if target == at.selectbox(key="place").value:
            target = places[(i + 2) % len(places)]

        def change(at=at, target=target) -> None:
            at.selectbox(key="place").set_value(target)
            _run(at)

        place.append(_cpu_ms(change, before))
    return {
        "fresh": statistics.median(fresh),
        "warm": statistics.median(warm),
        "place": statistics.median(place),
        "place_first": statistics.median(first),
    }


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    head = (
        f"{'page':<20}{'fresh ms':>10}{'warm ms':>10}{'place ms':>10}"
        f"{'place 1st':>11}{'naive fresh':>13}{'naive warm':>12}{'naive place':>13}  verdict"
    )
    lines = [head, "-" * len(head)]
    for page, label in PAGES.items():
        r, n = results["cached"][page], results.get("naive", {}).get(page)
        over = [k for k, budget in BUDGETS.items() if r[k] > budget]
        verdict = "ok" if not over else "OVER: " + ", ".join(over)
        naive = f"{n['fresh']:>13.0f}{n['warm']:>12.0f}{n['place']:>13.0f}" if n else " " * 38
        lines.append(
            f"{label:<20}{r['fresh']:>10.0f}{r['warm']:>10.0f}{r['place']:>10.0f}"
            f"{r['place_first']:>11.0f}{naive}  {verdict}"
        )
    return "\n".join(lines)


def profile(page: str, step: str, top: int = 25) -> str:
    """cProfile of one step (fresh, warm or place) of `page`, warm process: the top costs."""
    at = _app(page)
    _run(at)
    places = at.selectbox(key="place").options
    at = _app(page)
    if step != "fresh":
        _run(at)
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    profiler = cProfile.Profile()
    original = ScriptRunner._run_script

    def profiled(self, *args, **kwargs):  # the page runs in the script runner's thread
        profiler.enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            profiler.disable()

    ScriptRunner._run_script = profiled  # type: ignore[method-assign]
    try:
        if step == "place":
            current = at.selectbox(key="place").value
            at.selectbox(key="place").set_value(next(p for p in places if p != current))
        _run(at)
    finally:
        ScriptRunner._run_script = original  # type: ignore[method-assign]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(repeats: int = REPEATS, naive: bool = True) -> dict:
    results: dict[str, dict[str, dict[str, float]]] = {"cached": {}}
    for page in PAGES:
        results["cached"][page] = measure(page, repeats)
    if naive:
        results["naive"] = {
            page: measure(page, max(3, repeats // 2), uncached=True) for page in PAGES
        }
    print(table(results))
    print(
        f"server CPU ms (time.process_time, all threads), medians of {repeats} (naive: every "
        "cache cleared before each step); place = change to a place drawn before in this "
        "process, place 1st = the first visit of each place; budgets fresh "
        f"{BUDGETS['fresh']:.0f}, warm {BUDGETS['warm']:.0f}, place change {BUDGETS['place']:.0f}"
    )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--profile", metavar="PAGE")
    parser.add_argument("--step", default="fresh", choices=sorted(BUDGETS))
    args = parser.parse_args()
    if args.profile:
        print(profile(args.profile, args.step))
    else:
        main(args.repeats, naive=not args.no_naive)
