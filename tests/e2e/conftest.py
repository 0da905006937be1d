"""Start the real app under `streamlit run` on a free loopback port, and Debian's Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.serve import streamlit_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Loopback ports a page may ask: the servers the tests start (the app, a sign-in provider).
# Any other port on this machine counts as leaving it: a beacon on 127.0.0.1:9 is a leak.
LOCAL_SERVERS: set[int] = set()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def app_url():
    """The app on the sample data, open access (tests/e2e/test_signin.py starts its own)."""
    env = {"PLACEWISE_CATALOG": str(ROOT / "sample_data" / "catalog.toml")}
    log = ROOT / "artifacts" / "streamlit.log"
    with streamlit_server(log, env, drop=("PLACEWISE_ACCESS",)) as (url, _):
        allow_local(url)
        yield url


def allow_local(url: str) -> None:
    """Let pages ask the loopback server at `url` (one a test started) for resources."""
    LOCAL_SERVERS.add(urlparse(url).port)


def leaves_machine(url: str) -> bool:
    """True for a request the network guard refuses: off this machine, or to a loopback port
    no test server listens on."""
    if url.startswith(("data:", "blob:")):
        return False
    parsed = urlparse(url)
    return (parsed.hostname or "") not in LOCAL_HOSTS or parsed.port not in LOCAL_SERVERS


def guard(context) -> list[str]:
    """Refuse every request of `context` that leaves the machine; the list records them."""
    outside: list[str] = []

    def check(route):
        if leaves_machine(route.request.url):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", check)
    return outside


@pytest.fixture
def page(browser):
    """A page that records every request leaving this machine; the test fails if there is one.

    Council networks and meeting rooms are often offline: nothing Placewise draws may depend on
    a font, tile or script from the internet. Loopback requests pass only to the servers the
    tests started (`allow_local`): anything else on this machine is as foreign as the internet.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = guard(context)
    p = context.new_page()
    yield p
    context.close()
    assert not outside, f"the page asked for resources off this machine: {sorted(set(outside))[:5]}"
