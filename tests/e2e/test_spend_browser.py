"""The Spend shift page in Chromium: a cluster named in the URL shows that cluster's numbers."""

from __future__ import annotations

from urllib.parse import quote

import polars as pl
import pytest

from charts.theme import format_pct
from metrics.money import select_spend
from metrics.spend import acute_share
from tests.e2e.conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.e2e
SAMPLE = ROOT / "sample_data"
OLDHAM, OLDHAM_NORTH = "E08000004", "E08000004-north"


def expected_acute_share(place: str, cluster: str | None) -> str:
    spend = pl.read_parquet(SAMPLE / "spend.parquet")
    settings = pl.read_csv(SAMPLE / "settings.csv")
    rows = select_spend(spend, settings, place_code=place, area_code=cluster)
    return format_pct(acute_share(rows, settings)["acute_share"][-1])


def open_spend(page, url: str, query: str) -> None:
    page.goto(f"{url}/spend?{query}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")"
        " && document.querySelectorAll('.js-plotly-plot .main-svg').length >= 7",
        timeout=60_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0


def screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, so make the window as tall as it."""
    height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 100, 12_000)})
    page.wait_for_timeout(1_500)  # charts redraw at the new size
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_a_cluster_in_the_url_shows_that_clusters_numbers(page, app_url):
    open_spend(page, app_url, f"cluster={quote('Oldham North')}")
    assert page.locator("h1").first.inner_text().startswith("Oldham North: spend shift")
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Acute share of spend")
    value = metric.locator("[data-testid='stMetricValue']").inner_text()
    assert value == expected_acute_share(OLDHAM, OLDHAM_NORTH)
    assert value != expected_acute_share(OLDHAM, None), "the cluster must differ from the place"
    assert "Oldham North" in page.locator("[data-testid='stHeading']").nth(1).inner_text()
    # seven spend charts, and the council's real return (PSS-EX1) beside them
    assert page.locator(".js-plotly-plot").count() == 8
    assert page.get_by_role("button", name="Download the data (CSV)").count() == 8
    screenshot(page, "spend_oldham_north.png")


def test_manchester_shows_its_acute_target(page, app_url):
    open_spend(page, app_url, "place=Manchester")
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Acute spend target")
    assert metric.locator("[data-testid='stMetricValue']").inner_text() == "Missed, reached later"
    assert "reached in 2022/23" in metric.locator("..").locator("..").inner_text()
    screenshot(page, "spend_manchester.png")
