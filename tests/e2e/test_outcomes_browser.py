"""The real app in Chromium: the Overview's outcomes grid, its links, and the Outcomes page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

TALL = {"width": 1400, "height": 2400}  # Streamlit scrolls inside the page: show it all


def ready(page, url: str, selector: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector(selector, timeout=60_000)
    settled(page)


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")",
        timeout=60_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_the_overview_grid_shows_icons_and_a_cell_opens_its_chart(page, app_url):
    page.set_viewport_size(TALL)
    ready(page, f"{app_url}/?place=Oldham", ".pw-grid td a")
    cells = page.locator(".pw-grid td a")
    assert cells.count() == 36
    icons = page.locator(".pw-grid td a img")
    assert icons.count() >= 31
    # reablement's cluster series are withheld (disclosure control: in most months 1 to 7 of
    # those discharged were not at home), so its five cluster cells have no icons, the place has
    reablement = page.locator(".pw-grid tbody tr", has_text="Still at home 91 days")
    assert reablement.locator("td a").first.locator("img").count() >= 1
    assert (
        reablement.locator("td a img").count()
        == reablement.locator("td a").first.locator("img").count()
    )
    # every icon is drawn (inline data, nothing fetched) and has a text alternative
    assert page.evaluate(
        "() => [...document.querySelectorAll('.pw-grid img')]"
        ".every(i => i.complete && i.naturalWidth > 0 && i.alt.length > 10)"
    )
    shot(page, "overview_grid.png")
    row = page.locator(".pw-grid tbody tr", has_text="Delayed discharges")
    cell = row.locator("td a").nth(3)  # the place, then clusters by name: Oldham North
    assert "Oldham North" in cell.get_attribute("aria-label")
    cell.click()
    page.wait_for_url("**/outcomes?**", timeout=30_000)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    settled(page)
    assert page.locator("h1").first.inner_text() == "Oldham North: outcomes"
    assert "cluster=Oldham" in page.url and "outcomes_indicator=Delayed" in page.url
    main = page.locator("[data-testid='stMain']")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=60_000
    )
    text = main.inner_text()
    assert "Delayed discharges (delayed transfers of care): Oldham North" in text  # the heading
    assert "Delayed discharges (delayed transfers of care) in Oldham North:" in text  # the reading
    shot(page, "outcomes_oldham_north.png")


@pytest.mark.parametrize("place", ["Manchester", "Wirral"])
def test_the_outcomes_page_draws_both_charts(page, app_url, place):
    page.set_viewport_size(TALL)
    ready(page, f"{app_url}/outcomes?place={place}", ".js-plotly-plot")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=60_000
    )
    assert page.locator("h1").first.inner_text() == f"{place}: outcomes"
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() > 100
    shot(page, f"outcomes_{place.lower()}.png")
