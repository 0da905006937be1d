"""Names from the data files are shown as typed in Chromium, never as markup ("Trust II").

Every page runs on a copy of the sample data whose cluster, place, indicator, care home,
provider and event names carry markdown and HTML images and links to a beacon: a little HTTP
server on this machine that records every request, and the discard port 127.0.0.1:9. The
beacons are no test server, so the network guard refuses them too. A page passes when the
DOM holds no <img> or link to a beacon and no request for one was made.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from scripts.serve import streamlit_server
from tests.e2e.conftest import ARTIFACTS, ROOT, allow_local, guard, leaves_machine
from tests.hostile import BEACON, hostile_catalog

pytestmark = pytest.mark.e2e

READY = (
    "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
)
# every image source and link target in the DOM, HTML and SVG (Plotly draws links in SVG)
TARGETS = """() => [...document.querySelectorAll('img, image, a, link, source, iframe')].map(
    e => [e.tagName, e.getAttribute('src') || e.getAttribute('href')
                     || e.getAttribute('xlink:href') || e.getAttribute('srcset') || ''])"""
PAGES = ("", "spend", "care-homes", "neighbourhoods", "outcomes", "present", "data", "about")


class _Beacon(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records what is asked of it (and is not an allowed server)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Beacon)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Beacon.hits
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="module")
def hostile_app(beacon, tmp_path_factory) -> Iterator[str]:
    """The app on the sample data with a beacon payload after every name."""
    url, _ = beacon
    catalog = hostile_catalog(tmp_path_factory.mktemp("hostile") / "data", beacon=url)
    log = ROOT / "artifacts" / "streamlit_hostile.log"
    env = {"PLACEWISE_CATALOG": str(catalog)}
    with streamlit_server(log, env, drop=("PLACEWISE_ACCESS",)) as (served, _):
        allow_local(served)
        yield served


def _beacon_targets(page, beacons: tuple[str, ...]) -> list:
    return [t for t in page.evaluate(TARGETS) if any(b in (t[1] or "") for b in beacons)]


def test_the_guard_refuses_loopback_ports_that_are_no_test_server(browser, beacon, app_url):
    """A beacon on this machine is a leak like the internet; the app's own port is not."""
    url, hits = beacon
    assert leaves_machine(f"{BEACON}/b.png") and leaves_machine(f"{url}/b.png")
    assert not leaves_machine(f"{app_url}/_stcore/health")
    context = browser.new_context()
    outside = guard(context)
    page = context.new_page()
    page.goto(f"{app_url}/_stcore/health")
    page.set_content(f'<img src="{BEACON}/p9.png"><img src="{url}/beacon.png">')
    page.wait_for_timeout(1000)
    context.close()
    assert sorted(outside) == sorted([f"{BEACON}/p9.png", f"{url}/beacon.png"])
    assert hits == []  # refused before it left the browser


def _open(page, app: str, path: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(f"{app}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(1500)  # charts and images settle
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize(
    "path",
    PAGES,
)
def test_no_page_draws_an_image_from_a_name_or_asks_a_beacon(page, hostile_app, beacon, path):
    url, hits = beacon
    beacons = (url, BEACON)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if any(b in r.url for b in beacons) else 0)
    _open(page, hostile_app, path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile_{path or 'overview'}.png"), full_page=True)
    if path in ("", "spend", "care-homes", "neighbourhoods", "outcomes"):
        # the payload shows as typed, markup and all
        assert "![b](" in page.locator("h1").first.inner_text()
        assert "<img src=x" in page.locator("h1").first.inner_text()
    if path == "":  # the place list: its options are names too (drawn as plain text)
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first.click()
        page.get_by_role("option").first.wait_for(timeout=10_000)
        assert page.get_by_role("option").first.inner_text().endswith(":material/home:")
        images = [t for t in _beacon_targets(page, beacons) if t[0] != "A"]
        assert images == []
        page.keyboard.press("Escape")
    images = [t for t in _beacon_targets(page, beacons) if t[0] != "A"]
    assert images == []
    assert asked == [] and hits == []


@pytest.mark.parametrize(
    "path",
    PAGES,
)
def test_no_page_links_a_name(page, hostile_app, beacon, path):
    url, _ = beacon
    _open(page, hostile_app, path)
    assert _beacon_targets(page, (url, BEACON)) == []
