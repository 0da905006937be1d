"""The Benchmarks page in Chromium answers "which Oldham cluster has the highest emergency
admissions 65+, and is it significantly different from Oldham?": Oldham Central, 2,563.8 per
100,000 aged 65+ (95% CI 2,419.3 to 2,714.7), significantly higher than Oldham (2,016.3)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.e2e

INDICATOR = "Emergency admissions, aged 65+"


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")",
        timeout=60_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_benchmarks_page_names_oldham_central_with_its_rate_interval_and_chart(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 2400})
    url = f"{app_url}/benchmarks?place=Oldham&bench_indicator={quote(INDICATOR)}"
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stMain'] .js-plotly-plot .main-svg", timeout=60_000)
    settled(page)
    page.wait_for_timeout(500)  # plotly finishes laying out its text
    main = page.locator("[data-testid='stMain']").inner_text()
    assert (
        "Oldham Central has the highest emergency admissions, aged 65+, "
        "significantly higher than Oldham (worse)"
    ) in main, main[:2000]
    # the page's visible text rounds the figures: Oldham Central's 2,563.8 is drawn 2,564, and
    # Oldham's line 2,016.3 is labelled "Oldham 2,016"
    assert "2,564" in main and "Oldham 2,016" in main, main[:2000]
    svg = page.locator("[data-testid='stMain'] .js-plotly-plot .main-svg").first.text_content()
    assert svg and "Oldham Central" in svg
