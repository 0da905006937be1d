"""Accessibility in the real browser: axe-core on every page, and the filters by keyboard alone.

axe-core is bundled with axe-playwright-python (no network). Every page must have no serious or
critical violation of WCAG 2.2 A/AA (or axe's best practices); the counts per page and impact
are written to artifacts/axe.json for the issue note. The built-in table export must be off
(.streamlit/config.toml client.disableDataExport): the Data page's tables have no download icon.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e

# url path -> page name in the report
PAGES = {
    "": "overview",
    "spend": "spend",
    "care-homes": "care-homes",
    "neighbourhoods": "neighbourhoods",
    "outcomes": "outcomes",
    "benchmarks": "benchmarks",
    "data": "data",
    "about": "about",
    "present": "present",
}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("serious", "critical")
REPORT = ROOT / "artifacts" / "axe.json"
FINISHED = (
    "() => document.querySelector(\"[data-testid='stApp']\")"
    " && !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
    " && document.querySelector('h1')"
)


@pytest.fixture(scope="module")
def axe_report():
    """Per page: counts by impact and the rules broken; written once all pages have run."""
    results: dict[str, dict] = {}
    yield results
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(FINISHED, timeout=60_000)
    page.wait_for_timeout(500)  # plotly draws after the script finishes
    page.wait_for_function(FINISHED, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def _why(violation: dict) -> str | None:
    """axe's own explanation for the first failing element (e.g. colours and contrast ratio)."""
    for node in violation["nodes"][:1]:
        for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
            if check.get("message"):
                return check["message"]
    return None


@pytest.mark.parametrize("path", list(PAGES))
def test_no_serious_or_critical_axe_violation(page, app_url, path, axe_report):
    _open(page, f"{app_url}/{path}")
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    result = Axe().run(page, options=options)
    violations = result.response["violations"]
    impacts = Counter(v["impact"] for v in violations)
    axe_report[PAGES[path]] = {
        "violations": len(violations),
        "nodes": sum(len(v["nodes"]) for v in violations),
        **{impact: impacts.get(impact, 0) for impact in ("minor", "moderate", *BLOCKING)},
        "rules": {
            v["id"]: {
                "impact": v["impact"],
                "nodes": len(v["nodes"]),
                "example": v["nodes"][0]["target"] if v["nodes"] else None,
                "why": _why(v),
            }
            for v in violations
        },
    }
    blocking = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}): "
        f"{v['help']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"/{path}: " + "; ".join(blocking)


def test_the_place_filter_is_reachable_and_usable_by_keyboard(page, app_url):
    """Tab from the top of the page to the sidebar's Place box and choose Wirral without a mouse."""
    _open(page, f"{app_url}/?place=Oldham")
    assert page.locator("h1").first.inner_text().startswith("Oldham")
    page.locator("body").focus()
    label = None
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && (a.getAttribute('aria-label') || a.closest('[data-testid]')?.innerText"
            " || a.tagName); }"
        )
        if label and label.startswith("Place"):
            break
    else:
        pytest.fail(f"40 presses of Tab never reached the Place filter (last focus: {label!r})")
    focus_in_sidebar = page.evaluate(
        "() => !!document.activeElement.closest(\"[data-testid='stSidebar']\")"
    )
    assert focus_in_sidebar
    page.keyboard.type("Wirr")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('h1').innerText.startsWith('Wirral')", timeout=30_000
    )
    page.wait_for_function(FINISHED, timeout=60_000)
    assert "place=Wirral" in page.url


def test_tables_have_no_built_in_download(page, app_url):
    """Only our own CSV path (formula-safe, disclosure-controlled) may offer table downloads."""
    _open(page, f"{app_url}/data")
    table = page.locator("[data-testid='stDataFrame']").first
    table.hover()
    page.wait_for_timeout(300)  # the toolbar appears on hover
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    assert toolbar.count() == 1  # the toolbar is there (search, fullscreen) ...
    assert page.get_by_role("button", name="Download as CSV").count() == 0  # ... without export
