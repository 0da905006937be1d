"""Shared AppTest set-up: every page test runs the real entry script on the sample data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
# an OpenID Connect provider that is never contacted: AppTest seeds st.user itself
AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:9/oauth2callback",
        "cookie_secret": "test-cookie-secret-not-used",
        "client_id": "placewise",
        "client_secret": "test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


@pytest.fixture(autouse=True)
def sample_catalog(monkeypatch):
    """Use the embedded sample data unless a test points PLACEWISE_CATALOG elsewhere."""
    monkeypatch.delenv("PLACEWISE_CATALOG", raising=False)
    monkeypatch.delenv("PLACEWISE_ACCESS", raising=False)  # open access unless a test signs in


def open_app(
    page: str | None = None,
    query: dict | None = None,
    setup: Callable[[AppTest], None] | None = None,
) -> AppTest:
    """Run dashboard.py (with `query` in the URL), switch to views/<page>.py, assert no exception.

    `setup` prepares the session before the first run (e.g. secrets and a signed-in user).
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    if setup is not None:
        setup(at)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(email: str, **claims) -> Callable[[AppTest], None]:
    """An `open_app` setup: sign-in configured and `email` signed in, verified unless `claims`
    say otherwise."""

    def setup(at: AppTest) -> None:
        at.secrets = AUTH
        at.user = {"is_logged_in": True, "email": email, "email_verified": True, **claims}

    return setup
