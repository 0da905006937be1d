"""The Care home quality page in Chromium: the offline map draws its points and the table shows."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.e2e

HAS_SCATTERMAP = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(
    (el) => (el.data || []).some((t) => t.type === 'scattermap' && (t.lat || []).length > 0))"""
MAP_CANVAS = ".js-plotly-plot .maplibregl-canvas, .js-plotly-plot .mapboxgl-canvas"


def screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to the page first."""
    height = page.evaluate(
        "() => document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 1000"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 200, 16000)})
    page.wait_for_timeout(1500)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_care_homes_page_shows_the_map_and_the_table(page, app_url):
    open_page(page, app_url, "care-homes", "[data-testid='stDataFrame']")
    assert "care home quality" in page.locator("h1").first.inner_text()
    page.wait_for_function(HAS_SCATTERMAP, timeout=60_000)
    page.locator(MAP_CANVAS).first.wait_for(timeout=60_000)
    charts = page.locator(".js-plotly-plot").count()
    assert charts >= 6, (
        f"expected the cluster, trend, mix, movement, map and key question charts, got {charts}"
    )
    assert page.locator("[data-testid='stDataFrame']").first.is_visible()
    # one CSV per chart and one for the list of homes: clusters, trend, mix, movement, map,
    # key questions, homes
    assert page.get_by_text("Download the data (CSV)").count() == 7
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "care-homes.png")


def test_a_cluster_in_the_url_narrows_the_page(page, app_url):
    open_page(
        page, app_url, "care-homes?place=Oldham&cluster=Oldham+North", "[data-testid='stDataFrame']"
    )
    assert page.locator("h1").first.inner_text().startswith("Oldham North")
    page.wait_for_function(HAS_SCATTERMAP, timeout=60_000)
    screenshot(page, "care-homes-cluster.png")


def test_a_synthetic_place_is_labelled(page, app_url):
    open_page(page, app_url, "care-homes?place=Bolton", "[data-testid='stDataFrame']")
    assert page.locator("h1").first.inner_text().startswith("Bolton")
    page.wait_for_function(HAS_SCATTERMAP, timeout=60_000)
    assert (
        page.get_by_text("Synthetic data (illustrative): care homes and CQC ratings").count() >= 1
    )
    screenshot(page, "care-homes-bolton.png")
