"""Access control in the real app: sign-in page, scoped lists and figures, refusals by URL.

AppTest seeds `st.user` (at.user) and `st.secrets` (at.secrets), so these runs go through the
same code as a browser session signed in through the OpenID Connect provider.
"""

from __future__ import annotations

import logging
import textwrap

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AUTH, ROOT, TIMEOUT, open_app

ACCESS = """\
[users."alice@oldham.gov.uk"]
places = ["E08000004"]
downloads = true

[users."carol@oldham.gov.uk"]
clusters = ["E08000004-east"]
"""


@pytest.fixture(autouse=True)
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(path))
    return path


def run(user: dict | None, query: dict | None = None, page: str | None = None) -> AppTest:
    """The entry script with sign-in configured and `user` as st.user (None: no sign-in)."""

    def sign_in(at: AppTest) -> None:
        if user is not None:
            at.secrets = AUTH
            at.user = user

    return open_app(page, query, setup=sign_in)


def user(email: str, **claims) -> dict:
    """st.user for a person the provider signed in, with a verified e-mail unless told."""
    return {"is_logged_in": True, "email": email, "email_verified": True, **claims}


def signed_in(email: str, query: dict | None = None, page: str | None = None) -> AppTest:
    return run(user(email), query, page)


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def shown(at: AppTest) -> str:
    """Everything drawn, main area and sidebar, as text (includes chart specs and tables)."""
    return " ".join(str(node.proto) for block in (at.main, at.sidebar) for node in block)


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def test_without_sign_in_the_app_is_open_and_says_so(monkeypatch):
    monkeypatch.delenv("PLACEWISE_ACCESS")
    at = run(None, {"place": "Bolton"})
    assert not at.info, "open access is a badge in the header, not a banner over the page"
    badges = [m for m in at.markdown if "Open access" in m.value and "badge" in m.value]
    assert len(badges) == 1 and "Open access on the sample data" in badges[0].help
    assert "No sign-in is configured" in badges[0].help
    assert at.title[0].value.startswith("Bolton")
    assert at.selectbox(key="place").options == ["Bolton", "Manchester", "Oldham", "Wirral"]
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    at.switch_page("views/about.py").run()  # and in full on About
    assert any(i.value.startswith("**Open access on the sample data.**") for i in at.info)


def test_an_access_file_without_sign_in_serves_nothing():
    at = run(None)
    assert "names an access file, but no sign-in is configured" in " ".join(
        e.value for e in at.error
    )
    assert metrics(at) == [] and not at.selectbox


def test_signed_out_people_see_only_the_sign_in_page():
    at = run({"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in"]
    assert at.title[0].value == "Placewise"
    assert metrics(at) == [] and not at.selectbox and not at.info
    assert "Oldham" not in shown(at)


def test_an_oldham_user_sees_oldham_only_with_the_same_figures_as_the_open_app(monkeypatch):
    at = signed_in("alice@oldham.gov.uk")
    assert at.selectbox(key="place").options == ["Oldham"]
    assert at.selectbox(key="cluster").options[0] == "All clusters"
    # escape_md puts an invisible word joiner before '@' so no address becomes a mailto link
    assert "Signed in as alice@oldham.gov.uk" in " ".join(
        c.value for c in at.sidebar.caption
    ).replace("\u2060", "")
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert not at.info  # no open-access banner
    scoped = metrics(at)
    monkeypatch.delenv("PLACEWISE_ACCESS")
    assert scoped == metrics(run(None, {"place": "Oldham"}))
    assert len(scoped) == 7


@pytest.mark.parametrize("place", ["Bolton", "E08000001"])
def test_an_oldham_user_who_edits_the_url_to_bolton_is_refused(monkeypatch, access_file, place):
    monkeypatch.delenv("PLACEWISE_ACCESS")
    bolton = metrics(run(None, {"place": "Bolton"}))
    assert len(bolton) == 7
    figures = [v for v in bolton if any(mark in v for mark in "£%,")]  # distinctive enough
    assert len(figures) >= 3, bolton
    monkeypatch.setenv("PLACEWISE_ACCESS", str(access_file))

    at = signed_in("alice@oldham.gov.uk", {"place": place})
    errors = " ".join(e.value for e in at.error)
    assert f"**Not permitted.** The place `{place}` is outside" in errors
    assert metrics(at) == [] and not at.selectbox
    text = shown(at)
    for figure in figures:
        assert figure not in text
    assert "Bolton Central" not in text and "E08000001-" not in text


def test_a_url_value_is_shown_as_text_never_as_markup():
    at = signed_in("alice@oldham.gov.uk", {"place": "[Oldham](http://example.org) <b>"})
    error = " ".join(e.value for e in at.error)
    assert "`[Oldham](http://example.org) <b>`" in error  # a code span: shown, never a link
    for bare in ("https://evil.example/x", "www.evil.example", "someone@evil.example"):
        at = signed_in("alice@oldham.gov.uk", {"cluster": bare})
        error = " ".join(e.value for e in at.error)
        assert f"`{bare}`" in error and error.count(bare) == 1
    assert metrics(at) == []


def test_the_refusal_offers_a_way_back_to_the_permitted_place():
    at = signed_in("alice@oldham.gov.uk", {"place": "Bolton"})
    at.button(key="placewise_back").click().run()
    assert not at.exception
    assert not at.error
    assert at.selectbox(key="place").value == "Oldham"
    assert len(metrics(at)) == 7


def test_a_refused_url_on_another_page_does_not_run_that_page():
    at = signed_in("alice@oldham.gov.uk", {"place": "Wirral"}, page="spend")
    assert "The place `Wirral`" in " ".join(e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_a_cluster_user_gets_the_cluster_but_not_the_place_total():
    at = signed_in("carol@oldham.gov.uk")
    assert at.selectbox(key="place").options == ["Oldham"]
    assert at.selectbox(key="cluster").options == ["Oldham East"]
    assert at.title[0].value.startswith("Oldham East")
    refused = signed_in("carol@oldham.gov.uk", {"cluster": "Oldham Central"})
    assert "The cluster `Oldham Central`" in " ".join(e.value for e in refused.error)


def test_an_unlisted_person_is_told_why_and_sees_nothing():
    at = signed_in("mallory@example.org")
    errors = " ".join(e.value for e in at.error)
    assert "No data is available to you" in errors
    assert "does not list mallory@example.org" in errors.replace("\u2060", "")
    assert metrics(at) == [] and not at.selectbox
    assert "Sign out" in [b.label for b in at.sidebar.button]


@pytest.mark.parametrize(
    "claims",
    [
        {"email_verified": False},
        {},  # the claim is missing
        {"email_verified": "false"},
        {"email_verified": 0},
        {"email_verified": "true"},  # a string, not the boolean true
    ],
    ids=["False", "missing", "'false'", "0", "'true'"],
)
def test_an_email_not_verified_as_exactly_true_is_not_trusted(claims):
    person = {"is_logged_in": True, "email": "alice@oldham.gov.uk", **claims}
    at = run(person)
    assert "did not confirm an e-mail address" in errors(at)
    assert metrics(at) == [] and not at.selectbox
    assert "Oldham" not in shown(at)


def test_a_verified_email_is_matched_after_normalisation():
    at = signed_in("ＡＬＩＣＥ@Oldham.gov.uk")  # fullwidth letters
    assert at.selectbox(key="place").options == ["Oldham"]
    # escape_md puts an invisible word joiner before '@' so no address becomes a mailto link
    assert "Signed in as alice@oldham.gov.uk" in " ".join(
        c.value for c in at.sidebar.caption
    ).replace("\u2060", "")


def test_a_look_alike_address_is_refused(access_file):
    access_file.write_text(ACCESS + '[default]\nplaces = ["E08000001"]\n', encoding="utf-8")
    at = signed_in("al\u0131ce@oldham.gov.uk")  # dotless i: not Alice, and not [default]
    assert "not plain ASCII" in errors(at)
    assert metrics(at) == [] and not at.selectbox


def test_a_provider_without_email_verified_needs_the_file_to_say_so(access_file):
    unverified = {"is_logged_in": True, "email": "alice@oldham.gov.uk"}
    assert metrics(run(unverified)) == []
    access_file.write_text("[sign_in]\ntrust_unverified_email = true\n" + ACCESS, encoding="utf-8")
    at = run(unverified)
    assert at.selectbox(key="place").options == ["Oldham"]


def test_the_file_can_name_another_claim_to_trust(access_file):
    access_file.write_text('[sign_in]\nemail_claim = "upn"\n' + ACCESS, encoding="utf-8")
    # the e-mail is unverified and names someone else: only the upn counts
    at = run({"is_logged_in": True, "upn": "Alice@Oldham.gov.uk", "email": "carol@oldham.gov.uk"})
    assert at.selectbox(key="place").options == ["Oldham"]
    assert at.selectbox(key="cluster").options[0] == "All clusters"  # Alice's grant, not Carol's
    refused = run(user("alice@oldham.gov.uk"))  # no upn claim
    assert "did not send the 'upn' claim" in errors(refused)
    assert metrics(refused) == []


@pytest.mark.parametrize("signed", [True, False], ids=["sign-in", "no-sign-in"])
def test_an_empty_access_variable_does_not_open_the_app(monkeypatch, signed):
    monkeypatch.setenv("PLACEWISE_ACCESS", "")
    at = run(user("alice@oldham.gov.uk") if signed else None)
    assert "PLACEWISE_ACCESS" in errors(at) and "empty" in errors(at)
    assert metrics(at) == [] and not at.selectbox and not at.info  # no open-access banner


def test_a_mistake_in_the_access_file_is_logged_not_shown(access_file, caplog):
    caplog.set_level(logging.WARNING, logger="placewise")
    access_file.write_text(
        textwrap.dedent(
            """\
            [users."alice@oldham.gov.uk"]
            places = ["E0800004"]

            [users."secret.person@oldham.gov.uk"]
            places = ["E08000004"]
            """
        ),
        encoding="utf-8",
    )
    at = signed_in("alice@oldham.gov.uk")
    assert "access settings could not be read, so no data is shown" in errors(at)
    text = shown(at)
    for leak in (str(access_file.parent), "access.toml", "line 2", "E0800004", "secret.person"):
        assert leak not in text, leak
    assert metrics(at) == []
    assert f"{access_file}, line 2" in caplog.text
    assert "did you mean 'E08000004'?" in caplog.text


def test_invalid_toml_in_the_access_file_is_logged_not_shown(access_file, caplog):
    caplog.set_level(logging.WARNING, logger="placewise")
    access_file.write_text('[users."bob@oldham.gov.uk"]\nplaces = [\n', encoding="utf-8")
    at = signed_in("alice@oldham.gov.uk")
    assert "access settings could not be read" in errors(at)
    assert str(access_file.parent) not in shown(at) and "bob@oldham" not in shown(at)
    assert str(access_file) in caplog.text and "not valid TOML" in caplog.text


def test_a_missing_access_file_is_logged_not_shown(access_file, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="placewise")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(access_file.parent / "gone.toml"))
    at = signed_in("alice@oldham.gov.uk")
    assert "access settings could not be read" in errors(at)
    assert str(access_file.parent) not in shown(at)
    assert "gone.toml: cannot be read" in caplog.text


def test_admin_follows_the_grants_and_open_mode_is_admin(tmp_path, monkeypatch, access_file):
    access_file.write_text(ACCESS.replace("downloads = true", "admin = true"), encoding="utf-8")
    script = tmp_path / "admin.py"
    script.write_text("import streamlit as st\nfrom ui import auth\nst.text(auth.is_admin())\n")

    def admin(person: dict | None) -> str:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        if person:
            at.secrets, at.user = AUTH, person
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at.text[0].value

    assert admin(user("alice@oldham.gov.uk")) == "True"
    assert admin(user("carol@oldham.gov.uk")) == "False"
    assert admin(user("mallory@example.org")) == "False"
    assert admin(None) == "False"  # an access file but no sign-in: nobody
    monkeypatch.delenv("PLACEWISE_ACCESS")
    assert admin(None) == "True"  # open: a single operator's local run


def test_the_data_page_counts_and_offers_only_the_permitted_rows():
    at = signed_in("alice@oldham.gov.uk", page="data")
    table = at.dataframe[0].value
    rows = dict(zip(table["dataset"], table["rows"], strict=True))
    spend = pl.read_parquet(ROOT / "sample_data" / "spend.parquet")
    assert rows["spend"] == spend.filter(pl.col("place_code") == "E08000004").height
    assert rows["spend"] < spend.height
    assert rows["care_homes"] < 329
    assert rows["indicators"] > 0  # reference tables are not place data


def test_download_permission_follows_the_access_file(tmp_path):
    script = tmp_path / "download.py"
    script.write_text(
        "from ui import auth\n"
        "auth.download_button('Download rows', data=b'x', file_name='x.csv')\n",
        encoding="utf-8",
    )
    for email, allowed in (("alice@oldham.gov.uk", True), ("carol@oldham.gov.uk", False)):
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        at.secrets, at.user = AUTH, user(email)
        at.run()
        assert not at.exception
        captions = " ".join(c.value for c in at.caption)
        assert bool(at.get("download_button")) is allowed, email
        assert ("your access does not include downloads" in captions) is not allowed, email


def test_cached_results_are_kept_apart_per_scope(tmp_path, monkeypatch, access_file):
    script = tmp_path / "derived.py"
    script.write_text(
        "import streamlit as st\n"
        "from ui import auth, state\n"
        "spend = state.dataset('spend')\n"
        "st.text(state.derived('access_test_rows', lambda f: f.height, spend))\n"
        "st.text(auth.covers_place('E08000004'))\n",
        encoding="utf-8",
    )

    def rows(person: dict | None) -> list[str]:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        if person:
            at.secrets, at.user = AUTH, person
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return [t.value for t in at.text]

    monkeypatch.delenv("PLACEWISE_ACCESS")
    everyone = rows(None)
    monkeypatch.setenv("PLACEWISE_ACCESS", str(access_file))
    alice = rows(user("alice@oldham.gov.uk"))
    carol = rows(user("carol@oldham.gov.uk"))
    assert int(everyone[0]) > int(alice[0]) > int(carol[0]) > 0
    assert [everyone[1], alice[1], carol[1]] == ["True", "True", "False"]
