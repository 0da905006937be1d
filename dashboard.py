"""Placewise: the entry script. Page config, global filters, and the page list; nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import state
from ui.filters import render_filters
from ui.navigation import pages, spend_years

st.set_page_config(
    page_title="Placewise",
    page_icon=str(Path(__file__).parent / "ui" / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

catalog, _ = state.get_catalog()
areas = state.dataset("areas")
spend = state.dataset("spend")
render_filters(
    areas.frame if areas.ok else None,
    spend_years(spend.frame) if spend.ok else [],
    default_place=catalog.default_place if catalog else "",
)

st.navigation(pages(), position="sidebar").run()
