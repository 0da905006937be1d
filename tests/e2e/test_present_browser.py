"""Presenter mode in Chromium: open a sample deck by its link, step through every slide with
the Next button, check the type is large enough for a meeting room, and keep a screenshot of
each slide (artifacts/screenshots/present_<deck>_<n>.png)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
SCREEN = {"width": 1600, "height": 1000}  # a projector's 16:10
MIN_CHART_TEXT_PX = 18
COUNTER = re.compile(r"^Slide (\d+) of (\d+)$")

# The rendered size of chart text: every text in the chart SVG that shows words or numbers.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] .js-plotly-plot svg text")]
  .filter(t => t.textContent.trim() && t.getBBox().width > 0)
  .map(t => ({cls: t.getAttribute('class') || t.parentNode.getAttribute('class') || '',
              px: parseFloat(getComputedStyle(t).fontSize), text: t.textContent.trim()}))"""


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-testid='stSkeleton']\")",
        timeout=60_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0


def counter(page) -> tuple[int, int]:
    text = page.locator("[data-testid='stMain'] strong", has_text="Slide ").first.inner_text()
    found = COUNTER.match(text.strip())
    assert found, f"no slide counter in {text!r}"
    return int(found[1]), int(found[2])


# annotations (events, notes) whose text runs past the bottom of the chart's own SVG
CLIPPED_NOTES = """() => [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")]
  .flatMap(plot => {
    const box = plot.querySelector('.main-svg').getBoundingClientRect();
    return [...plot.querySelectorAll('.annotation-text')]
      .filter(t => t.getBoundingClientRect().bottom > box.bottom + 1)
      .map(t => t.textContent.trim().slice(0, 60));
  })"""


def wait_for_slide(page, number: int) -> None:
    page.wait_for_function(
        """n => [...document.querySelectorAll("[data-testid='stMain'] strong")]
               .some(s => s.textContent.trim().startsWith(`Slide ${n} of `))""",
        arg=number,
        timeout=60_000,
    )
    page.wait_for_selector("[data-testid='stMain'] .js-plotly-plot .main-svg", timeout=60_000)
    settled(page)
    page.wait_for_timeout(500)  # plotly finishes laying out its text


@pytest.mark.parametrize("deck", ["oldham"])
def test_a_presenter_steps_through_a_sample_deck(page, app_url, deck):
    page.set_viewport_size(SCREEN)
    page.goto(f"{app_url}/present?deck={deck}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    wait_for_slide(page, 1)
    number, total = counter(page)
    assert number == 1 and total >= 5
    assert not page.locator("[data-testid='stSidebar']").is_visible(), "sidebar hidden"
    assert not page.get_by_text("Open access on the sample data").is_visible(), "banner hidden"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    smallest: dict[int, float] = {}
    for n in range(1, total + 1):
        assert counter(page) == (n, total)
        if n > 1:
            assert f"slide={n}" in page.url and f"deck={deck}" in page.url
        texts = page.evaluate(CHART_TEXT_SIZES)
        assert texts, f"slide {n}: the chart draws no text"
        ticks = [t for t in texts if "tick" in t["cls"]]
        assert all(t["px"] >= MIN_CHART_TEXT_PX for t in ticks), ticks[:3]
        smallest[n] = min(t["px"] for t in texts)
        assert smallest[n] >= MIN_CHART_TEXT_PX, [t for t in texts if t["px"] < 18][:3]
        clipped = page.evaluate(CLIPPED_NOTES)
        assert not clipped, f"slide {n}: text under the chart is cut off: {clipped}"
        page.screenshot(path=str(ARTIFACTS / f"present_{deck}_{n}.png"))
        next_button = page.get_by_role("button", name="Next")
        if n < total:
            next_button.click()
            wait_for_slide(page, n + 1)
        else:
            assert next_button.is_disabled()
    print(f"smallest chart text per slide (px): {smallest}")


def test_the_deck_downloads_as_powerpoint_and_pdf(page, app_url, tmp_path):
    """The buttons make the files on click, in the server, from the slides on screen."""
    import io
    import time

    from pptx import Presentation
    from pypdf import PdfReader

    page.set_viewport_size(SCREEN)
    page.goto(f"{app_url}/present?deck=oldham", wait_until="domcontentloaded")
    wait_for_slide(page, 1)
    _, total = counter(page)
    seconds = {}
    for label, suffix in (("Deck as PowerPoint", ".pptx"), ("Deck as PDF", ".pdf")):
        started = time.perf_counter()
        with page.expect_download(timeout=180_000) as info:
            page.get_by_role("button", name=label).click()
        path = tmp_path / f"oldham{suffix}"
        info.value.save_as(path)
        seconds[suffix] = round(time.perf_counter() - started, 1)
        assert info.value.suggested_filename == f"placewise_oldham{suffix}"
        data = path.read_bytes()
        if suffix == ".pptx":
            deck = Presentation(io.BytesIO(data))
            assert len(deck.slides) == total + 2  # a title slide and the definitions appendix
        else:
            assert len(PdfReader(io.BytesIO(data)).pages) == total + 2
    print(f"export seconds from the Present page, oldham deck: {seconds}")
