"""Snapshot links: the link carries the view and a data stamp; opening it says if data changed."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from loaders import load_catalog
from loaders.catalog import DEFAULT_CATALOG
from loaders.fingerprint import catalog_fingerprint
from ui.snapshot import banner_text, long_date

TIMEOUT = 60


def banner_script():
    from ui.snapshot import render_banner

    render_banner()


def link_script():
    from ui.snapshot import render_link

    render_link()


def run(script, query: dict) -> AppTest:
    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def current() -> str:
    return catalog_fingerprint(load_catalog(DEFAULT_CATALOG))


def test_a_stale_snapshot_says_when_it_was_saved_and_that_data_changed():
    at = run(banner_script, {"place": "Oldham", "snap": "0123456789ab", "saved": "2026-03-03"})
    assert len(at.info) == 1 and not at.caption
    assert at.info[0].value.startswith(
        "This view was saved on 3 Mar 2026; the data has been refreshed since."
    )


def test_a_current_snapshot_is_a_quiet_caption():
    at = run(banner_script, {"snap": current(), "saved": "2026-03-03"})
    assert not at.info
    assert at.caption[0].value == "Data unchanged since this view was saved on 3 Mar 2026."


def test_no_snapshot_no_banner():
    at = run(banner_script, {"place": "Oldham"})
    assert not at.info and not at.caption


def test_a_garbled_date_still_warns():
    changed, text = banner_text("0123456789ab", "3rd of March", "ffffffffffff")
    assert changed and text.startswith("This view was saved earlier; the data has been refreshed")
    assert long_date(date(2026, 3, 3)) == "3 Mar 2026"


def test_the_snapshot_link_keeps_every_choice_and_adds_the_stamp():
    query = {"place": "Manchester", "spend_orgs": ["council", "nhs"], "snap": "old", "saved": "x"}
    at = run(link_script, query)
    link = at.code[0].value
    params = parse_qs(urlsplit(link).query)
    assert params["place"] == ["Manchester"]
    assert params["spend_orgs"] == ["council", "nhs"]
    assert params["snap"] == [current()]  # the old stamp is replaced, not repeated
    assert params["saved"] == [date.today().isoformat()]


def test_the_app_shows_the_banner_on_a_page_opened_from_a_stale_snapshot():
    from tests.app.conftest import open_app

    at = open_app("spend", {"place": "Oldham", "snap": "0123456789ab", "saved": "2026-03-03"})
    assert any(
        i.value.startswith("This view was saved on 3 Mar 2026; the data has been refreshed since.")
        for i in at.info
    )
    assert at.title[0].value == "Oldham: spend shift"
