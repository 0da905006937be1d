"""The real app in Chromium: every page loads, no exception box, the tiles show numbers."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

# url path -> (text in the page heading, an element the finished page must show)
PAGES = {
    "": ("overview", "[data-testid='stMetricValue']"),
    "data": ("Data", "[data-testid='stDataFrame']"),
    "about": ("About Placewise", "[data-testid='stDataFrame']"),
}


def open_page(page, url: str, path: str, ready: str) -> None:
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector(ready, timeout=60_000)
    # finished: no script running and no placeholder skeletons left
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")",
        timeout=60_000,
    )
    assert page.get_by_text("Page not found").count() == 0, f"/{path} is not a page"
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_without_an_exception(page, app_url, path):
    heading, ready = PAGES[path]
    open_page(page, app_url, path, ready)
    assert heading in page.locator("h1").first.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}.png"), full_page=True)


def test_overview_tiles_show_numbers(page, app_url):
    open_page(page, app_url, "", PAGES[""][1])
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(values) == 7  # spend (3), care homes, outcomes, residents, clusters
    assert all(re.search(r"\d", v) for v in values), values


def test_place_in_the_url_reproduces_the_view(page, app_url):
    open_page(page, app_url, "?place=Bolton", PAGES[""][1])
    assert page.locator("h1").first.inner_text().startswith("Bolton")
    page.screenshot(path=str(ARTIFACTS / "overview_bolton.png"), full_page=True)


def test_changing_the_place_in_the_sidebar_updates_the_url_and_tiles(page, app_url):
    open_page(page, app_url, "?place=Oldham", PAGES[""][1])
    before = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Wirral").click()
    page.wait_for_function(
        "() => document.querySelector('h1').innerText.startsWith('Wirral')", timeout=30_000
    )
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=30_000
    )
    assert "place=Wirral" in page.url
    # the heading is drawn before the tiles: wait for Wirral's tiles, not only its heading
    page.wait_for_function(
        """before => {
            const now = [...document.querySelectorAll("[data-testid='stMetricValue']")]
                .map(e => e.innerText);
            return now.length === before.length && now.some((v, i) => v !== before[i]);
        }""",
        arg=before,
        timeout=30_000,
    )
    assert page.locator("[data-testid='stMetricValue']").all_inner_texts() != before
