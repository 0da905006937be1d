"""Snapshot links: a link to this view that also records which data it showed.

Every choice already lives in the URL, so a copied link reproduces the view; a snapshot link
adds `snap` (the data fingerprint, loaders.fingerprint) and `saved` (the date). Whoever opens
it later is told whether the data has been refreshed since, so nobody argues over a figure
that was right when the board saw it.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from loaders.fingerprint import catalog_fingerprint
from ui import state
from ui.messages import escape_md

SNAP = "snap"
SAVED = "saved"


def current_fingerprint() -> str | None:
    """The fingerprint of the data in use now, or None when the catalog does not load."""
    catalog, _ = state.get_catalog()
    return catalog_fingerprint(catalog) if catalog is not None else None


def long_date(day: date) -> str:
    """'3 Mar 2026': the date as people write it, without a leading zero."""
    return f"{day.day} {day:%b %Y}"


def snapshot_params(fingerprint: str, today: date) -> list[tuple[str, str]]:
    """The current URL's parameters (every value of each), then snap and saved."""
    params = [
        (name, value)
        for name in st.query_params
        if name not in (SNAP, SAVED)
        for value in st.query_params.get_all(name)
    ]
    return [*params, (SNAP, fingerprint), (SAVED, today.isoformat())]


def snapshot_link(fingerprint: str, today: date | None = None) -> str:
    """The absolute link to this page with its choices and the data stamp.

    Relative ('?…') when the browser's address is not known (tests, scripts).
    """
    query = urlencode(snapshot_params(fingerprint, today or date.today()), doseq=True)
    base = st.context.url or ""
    return f"{base}?{query}"


def render_link() -> None:
    """A 'Copy snapshot link' control showing the link with a copy button.

    Read the URL at the end of a run (after the page's widgets), so the link holds every
    choice the user just made.
    """
    fingerprint = current_fingerprint()
    if fingerprint is None:
        return
    with st.popover("Copy snapshot link", icon=":material/link:"):
        st.caption(
            "This link opens this page with the same choices and records the data it shows "
            "now; if the data is refreshed later, the page says so."
        )
        st.code(snapshot_link(fingerprint), language=None, wrap_lines=True)


def banner_text(snap: str, saved: str | None, fingerprint: str) -> tuple[bool, str]:
    """(data changed?, sentence) for a view saved with `snap` on `saved` (YYYY-MM-DD)."""
    try:
        when = f"on {long_date(date.fromisoformat(saved or ''))}"
    except ValueError:
        when = "earlier"
    if snap != fingerprint:
        return True, (
            f"This view was saved {when}; the data has been refreshed since. "
            "The figures may differ from the ones seen then."
        )
    return False, f"Data unchanged since this view was saved {when}."


def render_banner() -> None:
    """Say whether the data changed since a snapshot link was made (nothing without `snap`)."""
    snap = st.query_params.get(SNAP)
    fingerprint = current_fingerprint()
    if not snap or fingerprint is None:
        return
    changed, text = banner_text(snap, st.query_params.get(SAVED), fingerprint)
    if changed:
        st.info(escape_md(text), icon=":material/update:")
    else:
        st.caption(escape_md(text))


def render() -> None:
    """Both, for the entry script: the banner above the page, the link control in the sidebar.

    Call it just before the page runs: the URL then already holds the choice the user has just
    made, and a page that stops early still gets both.
    """
    render_banner()
    with st.sidebar:
        render_link()
