"""Presenter mode in Chromium: open a sample deck by its link, step through every slide with
the Next button, check the type is large enough for a meeting room, and keep a screenshot of
each slide (artifacts/screenshots/present_<deck>_<n>.png)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
SCREEN = {"width": 1600, "height": 1000}  # a projector's 16:10 (the downloads test)
MIN_CHART_TEXT_PX = 18
# a board grid of a place with many clusters (Manchester: 13 columns) is set smaller to fit
MIN_GRID_TEXT_PX = 12
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


# Where each part of the slide is on the screen: the stage, its title, the chart's SVG and its
# axis labels, the source and data-status line, and the controls bar (with its opacity).
LAYOUT = """() => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                      return {top: r.top, bottom: r.bottom, height: r.height}; };
  const stage = document.querySelector('.st-key-present_stage');
  const svg = stage && stage.querySelector('.js-plotly-plot .main-svg');
  const labels = stage ? [...stage.querySelectorAll(
      '.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, .js-plotly-plot .g-xtitle text,'
      + ' .js-plotly-plot .g-ytitle text, .js-plotly-plot .annotation-text')]
    .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().bottom) : [];
  const captions = stage ? [...stage.querySelectorAll('[data-testid=stCaptionContainer]')] : [];
  const bar = document.querySelector('.st-key-present_bar');
  return {viewport: innerHeight, stage: box(stage), title: box(stage && stage.querySelector('h1')),
          chart: box(svg), lowest_label: labels.length ? Math.max(...labels) : null,
          status: captions.length ? captions[captions.length - 1].innerText : '',
          status_box: box(captions[captions.length - 1]),
          modebars: document.querySelectorAll('[data-testid=stMain] .modebar-btn').length,
          bar_opacity: bar ? parseFloat(getComputedStyle(bar).opacity) : null};
}"""
SIZES = {"projector 1280x720": (1280, 720), "full HD 1920x1080": (1920, 1080)}
DECKS = ("oldham", "manchester", "bolton", "wirral")


def check_fits(page, deck: str, n: int, height: int) -> dict:
    """Slide `n` fits the screen: nothing of the stage below the bottom edge, the chart a real
    part of it, its axis labels inside it, the source and data status on screen."""
    found = page.evaluate(LAYOUT)
    where = f"{deck} slide {n} at height {height}"
    assert found["stage"] and found["stage"]["bottom"] <= height + 1, (where, found["stage"])
    assert found["title"]["top"] >= 0, (where, found["title"])
    chart = found["chart"]
    assert chart and chart["height"] >= 0.4 * height, (where, "chart too small", chart)
    assert chart["bottom"] <= found["status_box"]["top"] + 1, (where, "chart over the source")
    assert (found["lowest_label"] or 0) <= chart["bottom"] + 1, (where, "axis labels cut off")
    assert found["status_box"]["bottom"] <= height, (where, "source below the screen")
    assert found["status"].startswith("Source:"), (where, found["status"])
    assert "Synthetic data" in found["status"] or "Real data" in found["status"], (where, found)
    assert found["modebars"] == 0, (where, "the room sees Plotly's mode bar")
    return found


@pytest.mark.parametrize("deck", DECKS)
@pytest.mark.parametrize("size", list(SIZES))
def test_every_slide_fits_the_screen_with_the_controls_out_of_sight(page, app_url, deck, size):
    """Every slide of every sample deck at a projector's 1280x720 and at 1920x1080: no part of
    the slide below the screen, type large enough for the room, the controls hidden until the
    mouse moves, and the arrow keys stepping through the deck."""
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
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
        page.wait_for_function(  # the controls fade once the mouse has been still
            "() => parseFloat(getComputedStyle(document.querySelector('.st-key-present_bar'))"
            ".opacity) === 0", timeout=10_000)  # fmt: skip
        check_fits(page, deck, n, height)
        texts = page.evaluate(CHART_TEXT_SIZES)
        assert texts, f"slide {n}: the chart draws no text"
        smallest[n] = min(t["px"] for t in texts)
        small = [t for t in texts if t["px"] < (MIN_GRID_TEXT_PX if "cell-text" in t["cls"]
                                                else MIN_CHART_TEXT_PX)]  # fmt: skip
        assert not small, small[:3]
        clipped = page.evaluate(CLIPPED_NOTES)
        assert not clipped, f"slide {n}: text under the chart is cut off: {clipped}"
        page.screenshot(path=str(ARTIFACTS / f"present_{deck}_{n}_{width}x{height}.png"))
        if n < total:
            page.keyboard.press("ArrowRight")
            wait_for_slide(page, n + 1)
        else:
            page.mouse.move(width / 2, height / 2)
            page.mouse.move(width / 2 + 40, height / 2 + 40)
            page.wait_for_function(  # the mouse shows the controls
                "() => parseFloat(getComputedStyle(document.querySelector('.st-key-present_bar'))"
                ".opacity) === 1", timeout=5_000)  # fmt: skip
            assert page.get_by_role("button", name="Next").is_disabled()
    print(f"{deck} {size}: smallest chart text per slide (px): {smallest}")


def test_present_opens_the_chosen_places_deck_by_its_title_and_goes_full_screen(page, app_url):
    """From Manchester's pages, Present opens Manchester's deck, the picker lists deck titles
    (not file names), and Full screen uses the browser's Fullscreen API."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/?place=Manchester", wait_until="domcontentloaded")
    settled_page = page.get_by_role("link", name="Present")
    settled_page.wait_for(timeout=60_000)
    settled(page)
    settled_page.click()
    wait_for_slide(page, 1)
    picker = page.locator(".st-key-present_bar [data-testid='stSelectbox'] input")
    assert picker.input_value().startswith("Manchester"), picker.input_value()
    page.mouse.move(300, 300)
    picker.click()
    options = page.get_by_role("option").all_inner_texts()
    assert "Oldham health and care partnership: board pack" in options, options
    assert not any(o in ("bolton", "oldham", "my-deck") for o in options), options
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.fullscreenElement") is None
    page.mouse.move(320, 320)
    page.locator("button.placewise-fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement !== null", timeout=10_000)
    assert page.locator("button.placewise-fullscreen").inner_text() == "Exit full screen"


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
