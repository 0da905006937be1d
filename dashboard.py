"""Placewise: the entry script. Page config, access, global filters, and the page list."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import auth, snapshot, state
from ui.filters import render_filters
from ui.layout import app_header
from ui.messages import TELL, escape_md, sees_details
from ui.navigation import pages

st.set_page_config(
    page_title="Placewise",
    page_icon=str(Path(__file__).parent / "ui" / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

# Sign-in page, or a refusal, and stop. Before any data is drawn.
auth.gate()

state.clear_stale_notes()
catalog, _ = state.get_catalog()
if warning := state.catalog_warning():  # the full text names the catalog's path: admins only
    st.warning(
        escape_md(warning if sees_details() else state.CATALOG_KEPT + " " + TELL),
        icon=":material/warning:",
    )
areas = state.dataset("areas")
filters = render_filters(
    areas.frame if areas.ok else None,
    state.distinct_values("spend", "financial_year"),
    default_place=catalog.default_place if catalog else "",
)

page = st.navigation(pages(), position="sidebar")
if filters.refused:
    auth.refuse(filters.refused)  # a place or cluster outside the person's scope: stop here
if page.url_path != "present":  # a slide says its own data status; the room sees no header
    synthetic = [d.title or name for name, d in (catalog.datasets.items() if catalog else ())
                 if d.synthetic]  # fmt: skip
    app_header(filters.place_name, auth.open_access_text(), synthetic)
snapshot.render()  # "saved on ...; the data has been refreshed since" and the snapshot link
stale = st.empty()  # filled after the page: which datasets it drew from a last good copy
page.run()
if notes := state.stale_notes():
    stale.warning(escape_md(" ".join(notes.values())), icon=":material/history:")
