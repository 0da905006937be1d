"""A link or markdown in `?deck=` or `?slide=` is shown as typed in Chromium, never as a live
link inside the Present page's own warning ("Trust II"); and an odd `?slide=` ('²', 'inf', ' 3')
shows the slide the warning names, with the URL corrected.

Escaping markdown is not enough here: Streamlit's markdown makes a link of a bare https:// URL,
a www. name or an e-mail address however its punctuation is escaped, so the page repeats what
the link said inside a code span (ui.urlparams.url_text). The DOM is checked for any <a>.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.e2e

READY = (
    "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
)
ALERT_LINKS = """() => [...document.querySelectorAll("[data-testid='stAlert']")].map(
    e => [e.innerText, [...e.querySelectorAll('a')].map(a => a.getAttribute('href'))])"""
LINKS = [
    {"deck": "[click](http://evil.example)"},
    {"deck": "https://x.example"},
    {"deck": "www.evil.example someone@evil.example"},
    {"deck": "oldham", "slide": "https://x.example"},
    {"deck": "oldham", "slide": "[click](http://evil.example)"},
]


def open_present(page, app_url: str, query: dict) -> list:
    qs = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    page.goto(f"{app_url}/present?{qs}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stAlert']", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='stException']").count() == 0
    return page.evaluate(ALERT_LINKS)


@pytest.mark.parametrize(
    "query", LINKS, ids=["deck-link", "deck-url", "deck-www-mail", "slide-url", "slide-link"]
)
def test_a_link_in_the_url_is_shown_as_typed_and_is_not_a_link(page, app_url, query):
    alerts = open_present(page, app_url, query)
    value = query.get("slide", query["deck"])
    said = [(text, hrefs) for text, hrefs in alerts if value in text]
    assert said, f"the warning does not repeat {value!r}: {alerts}"
    assert all(not hrefs for _, hrefs in said), said
    assert page.locator("a[href*='example']").count() == 0


@pytest.mark.parametrize(("asked", "shown"), [("²", 1), ("inf", 1), (" 3", 1), ("99", 6)])
def test_an_odd_slide_number_shows_the_slide_the_warning_names(page, app_url, asked, shown):
    alerts = open_present(page, app_url, {"deck": "oldham", "slide": asked})
    assert any(text.endswith(f"showing slide {shown}.") for text, _ in alerts), alerts
    counter = page.locator("[data-testid='stMain'] strong", has_text="Slide ").first
    assert counter.inner_text().strip() == f"Slide {shown} of 6"
    assert ("slide=" in page.url) == (shown > 1)


@pytest.mark.parametrize("path", ["overview", ""])
def test_a_link_to_the_overview_by_its_path_opens_it(page, app_url, path):
    """/overview (the path the page declares) opens the Overview for the place in the link,
    as / does; Streamlit serves its default page at / only, so the path needs its own entry."""
    page.goto(f"{app_url}/{path}?place=Wirral", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == "Wirral: overview"
    assert not page.get_by_text("Page not found").count()
    assert page.get_by_text("Acute share of spend").first.is_visible()
    menu = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    assert sum("Overview" in m for m in menu) == 1, menu  # listed once in the menu
