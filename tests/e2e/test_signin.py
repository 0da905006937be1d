"""Sign-in end to end: a local OpenID Connect provider, the real app under `streamlit run` with
its own secrets and access file in a temporary folder, and Chromium.

An Oldham user signs in, sees only Oldham, is refused Bolton by URL, and signs out. Everything
runs on 127.0.0.1; no secret is written inside the repository.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

import jinja2
import pytest
import werkzeug.serving
from oidc_provider_mock import User
from oidc_provider_mock import app as provider_app

from scripts.serve import free_port, streamlit_server
from tests.e2e.conftest import ARTIFACTS, ROOT, allow_local

pytestmark = pytest.mark.e2e

ALICE = "alice@oldham.gov.uk"
ACCESS = f"""\
[users."{ALICE}"]
places = ["E08000004"]
downloads = true
"""
# The provider's pages load a stylesheet from a CDN; this plain layout keeps them offline.
OFFLINE_BASE = (
    '<!doctype html><html lang="en"><title>Test provider</title>'
    "<main>{% block content %}{{ content }}{% endblock %}</main></html>"
)
READY = (
    "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
    " && !document.querySelector(\"[data-testid='stSkeleton']\")"
)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on a loopback port, with Alice as a one-click user."""
    app = provider_app(
        require_nonce=True,
        user_claims=[
            User(sub=ALICE, claims={"email": ALICE, "email_verified": True, "name": "Alice"})
        ],
    )
    app.jinja_loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"_base.html": OFFLINE_BASE}), app.jinja_loader]
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        allow_local(url)  # the browser signs in there
        yield url
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="module")
def signin_app(provider, tmp_path_factory) -> Iterator[str]:
    """The app with sign-in configured against `provider`, secrets in a temporary folder."""
    folder = tmp_path_factory.mktemp("signin")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "placewise-test"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    (folder / "access.toml").write_text(ACCESS, encoding="utf-8")
    env = {
        "PLACEWISE_CATALOG": str(ROOT / "sample_data" / "catalog.toml"),
        "PLACEWISE_ACCESS": str(folder / "access.toml"),
    }
    log = ROOT / "artifacts" / "streamlit_signin.log"
    secrets_file = ("--secrets.files", str(folder / "secrets.toml"))
    with streamlit_server(log, env, port=port, args=secrets_file) as (served, _):
        allow_local(served)
        yield served


def settle(page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000)


def test_sign_in_see_only_oldham_be_refused_bolton_and_sign_out(page, signin_app, provider):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    # Signed out: the sign-in page and nothing else.
    page.goto(signin_app, wait_until="domcontentloaded")
    sign_in = page.get_by_role("button", name="Sign in")
    sign_in.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    assert page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").count() == 0

    # Sign in at the provider as Alice.
    sign_in.click()
    page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=30_000)
    page.get_by_role("button", name=ALICE).click()
    page.wait_for_url(f"{signin_app}/**", timeout=30_000)
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    settle(page)
    assert page.locator("h1").first.inner_text().startswith("Oldham")
    sidebar = page.locator("[data-testid='stSidebar']")
    assert f"Signed in as {ALICE}" in sidebar.inner_text().replace("\u2060", "")
    assert page.get_by_text("Open access").count() == 0
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(values) == 7  # the Overview's seven tiles
    page.screenshot(path=str(ARTIFACTS / "signin_oldham.png"), full_page=True)

    # The place list offers Oldham only.
    sidebar.locator("[data-testid='stSelectbox']").first.click()
    options = page.get_by_role("option").all_inner_texts()
    assert [o.strip() for o in options] == ["Oldham"]
    page.keyboard.press("Escape")

    # A hand-edited URL naming Bolton: refused, and no figures at all.
    page.goto(f"{signin_app}/?place=Bolton", wait_until="domcontentloaded")
    page.get_by_text("Not permitted.").wait_for(timeout=60_000)
    settle(page)
    assert "The place Bolton is outside" in page.locator("[data-testid='stAlert']").inner_text()
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    assert "Bolton Central" not in page.locator("[data-testid='stApp']").inner_text()
    page.screenshot(path=str(ARTIFACTS / "signin_refused_bolton.png"), full_page=True)

    # Sign out: through the provider's end-session page and back to the sign-in page.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signin_app}/**", timeout=30_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    page.goto(signin_app, wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    settle(page)
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    assert page.get_by_text("Signed in as").count() == 0
