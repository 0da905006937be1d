"""The Neighbourhoods page in Chromium: the offline map draws, and clicking a cluster chooses it."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import open_page
from tests.e2e.test_care_homes_browser import MAP_CANVAS, screenshot

pytestmark = pytest.mark.e2e

MAP_DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(
    (el) => (el.data || []).some((t) => t.type === 'choroplethmap' && (t.locations || []).length > 0))"""

# Screen position of the label point of the cluster nearest the middle of the map, as the map projects it.
LABEL_POINT = """() => {
  const el = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
      (e) => (e.data || []).some((t) => t.type === 'choroplethmap'));
  const labels = el.data.find((t) => t.type === 'scattermap' && t.name === 'labels');
  const map = el._fullLayout.map._subplot.map;
  const box = map.getCanvas().getBoundingClientRect();
  const mid = {x: box.width / 2, y: box.height / 2};
  let i = 0, best = Infinity;
  labels.text.forEach((_, k) => {
    const q = map.project([labels.lon[k], labels.lat[k]]);
    const d = (q.x - mid.x) ** 2 + (q.y - mid.y) ** 2;
    if (d < best) { best = d; i = k; }
  });
  const p = map.project([labels.lon[i], labels.lat[i]]);
  return {x: box.left + p.x, y: box.top + p.y + 12, name: labels.text[i]};
}"""


def test_map_draws_offline_and_a_click_chooses_the_cluster(page, app_url):
    open_page(page, app_url, "neighbourhoods", "[data-testid='stDataFrame']")
    assert "neighbourhoods" in page.locator("h1").first.inner_text()
    page.wait_for_function(MAP_DRAWN, timeout=60_000)
    page.locator(MAP_CANVAS).first.wait_for(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 3  # map, age profile, comparison
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "neighbourhoods.png")

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.locator(MAP_CANVAS).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    target = page.evaluate(LABEL_POINT)
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function(
        "(name) => Array.from(document.querySelectorAll('h2')).some("
        "(h) => h.innerText.includes('Profile: ' + name))",
        arg=target["name"],
        timeout=30_000,
    )
    assert "cluster=" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "neighbourhoods-cluster.png")


def test_lsoa_level_from_the_url(page, app_url):
    open_page(
        page,
        app_url,
        "neighbourhoods?place=Manchester&hoods_level=Small+areas+%28LSOA%29",
        "[data-testid='stDataFrame']",
    )
    assert page.locator("h1").first.inner_text().startswith("Manchester")
    page.wait_for_function(MAP_DRAWN, timeout=60_000)
    screenshot(page, "neighbourhoods-manchester-lsoa.png")
