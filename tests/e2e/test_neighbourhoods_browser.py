"""The Neighbourhoods page in Chromium: the offline map draws with its cluster names as SVG text,
and clicking a cluster chooses it."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import open_page
from tests.e2e.test_care_homes_browser import screenshot

pytestmark = pytest.mark.e2e

MAP_DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(
    (el) => (el.data || []).some((t) => t.type === 'choropleth' && (t.locations || []).length > 0)
        && el.querySelectorAll('.geolayer .choroplethlayer path').length > 0)"""

# Every name drawn as SVG text on the map (lines of a wrapped name joined by a space), with
# where it is on the screen and whether it can be seen.
MAP_NAMES = """() => {
  const el = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
      (e) => (e.data || []).some((t) => t.type === 'choropleth'));
  return Array.from(el.querySelectorAll('.geolayer .scattergeo text')).map((t) => {
    const lines = Array.from(t.querySelectorAll('tspan.line'));
    const name = (lines.length ? lines.map((l) => l.textContent) : [t.textContent]).join(' ');
    const box = t.getBoundingClientRect();
    const style = getComputedStyle(t);
    return {name, x: box.left + box.width / 2, y: box.top + box.height / 2,
            width: box.width, height: box.height, size: parseFloat(style.fontSize),
            seen: style.visibility !== 'hidden' && style.display !== 'none'
                  && parseFloat(style.opacity || '1') > 0 && style.fill !== 'none'};
  });
}"""

# The cluster's names in the map's data, as drawn (the label trace's text).
CLUSTER_NAMES = """() => {
  const el = Array.from(document.querySelectorAll('.js-plotly-plot')).find(
      (e) => (e.data || []).some((t) => t.type === 'choropleth'));
  const t = el.data.find((t) => t.name === 'Cluster names');
  return t.text.map((s) => s.replace(/<br>/g, ' '));
}"""

OLDHAM_CLUSTERS = {
    "Oldham Central",
    "Oldham East",
    "Oldham North",
    "Oldham South",
    "Oldham West (Chadderton)",
}


def test_map_draws_offline_names_its_clusters_and_a_click_chooses_one(page, app_url):
    open_page(page, app_url, "neighbourhoods", "[data-testid='stDataFrame']")
    assert "neighbourhoods" in page.locator("h1").first.inner_text()
    page.wait_for_function(MAP_DRAWN, timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 3  # map, age profile, comparison
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "neighbourhoods.png")

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.locator(".js-plotly-plot .geolayer").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    assert set(page.evaluate(CLUSTER_NAMES)) == OLDHAM_CLUSTERS
    drawn = {n["name"]: n for n in page.evaluate(MAP_NAMES)}
    assert set(drawn) == OLDHAM_CLUSTERS  # every cluster named, as text in the SVG
    for label in drawn.values():
        assert label["seen"] and label["width"] > 40 and label["size"] >= 14, label
    boxes = list(drawn.values())
    for i, a in enumerate(boxes):  # no name sits on another
        for b in boxes[i + 1 :]:
            apart_x = abs(a["x"] - b["x"]) * 2 >= a["width"] + b["width"]
            apart_y = abs(a["y"] - b["y"]) * 2 >= a["height"] + b["height"]
            assert apart_x or apart_y, (a["name"], b["name"])

    target = drawn["Oldham East"]
    page.mouse.click(target["x"], target["y"])  # on the name: the area under it is chosen
    page.wait_for_function(
        "(name) => Array.from(document.querySelectorAll('h2')).some("
        "(h) => h.innerText.includes('Profile: ' + name))",
        arg="Oldham East",
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
    names = {n["name"] for n in page.evaluate(MAP_NAMES)}
    title = page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).find(
            (e) => (e.data || []).some((t) => t.type === 'choropleth')).layout.title.text"""
    )
    small = names - set(page.evaluate(CLUSTER_NAMES))
    assert len(small) == 2 and all(name in title for name in small)  # the title's two areas
    screenshot(page, "neighbourhoods-manchester-lsoa.png")
