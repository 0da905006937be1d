"""The page list, in the order board members read it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent / "views"


def pages() -> list:
    """The st.Page list for st.navigation (built per run)."""
    return [
        st.Page(
            PAGES_DIR / "overview.py",
            title="Overview",
            icon=":material/dashboard:",
            url_path="home",
            default=True,
        ),
        st.Page(PAGES_DIR / "spend.py", title="Spend shift", icon=":material/trending_down:"),
        st.Page(
            PAGES_DIR / "care_homes.py",
            title="Care home quality",
            icon=":material/home_health:",
            url_path="care-homes",
        ),
        st.Page(
            PAGES_DIR / "neighbourhoods.py",
            title="Neighbourhoods",
            icon=":material/map:",
            url_path="neighbourhoods",
        ),
        st.Page(PAGES_DIR / "outcomes.py", title="Outcomes", icon=":material/monitoring:"),
        st.Page(
            PAGES_DIR / "benchmarks.py",
            title="Benchmarks",
            icon=":material/leaderboard:",
            url_path="benchmarks",
        ),
        st.Page(
            PAGES_DIR / "present.py",
            title="Present",
            icon=":material/slideshow:",
            url_path="present",
        ),
        st.Page(PAGES_DIR / "data.py", title="Data", icon=":material/database:", url_path="data"),
        st.Page(PAGES_DIR / "about.py", title="About", icon=":material/info:", url_path="about"),
        # The default page is served at / only (Streamlit ignores its url_path), so a link to
        # /overview (the path the page declares) would say "Page not found": the same script,
        # hidden from the menu, answers there.
        st.Page(
            PAGES_DIR / "overview.py",
            title="Overview",
            icon=":material/dashboard:",
            url_path="overview",
            visibility="hidden",
        ),
    ]


def spend_years(spend: pl.DataFrame | None) -> list[str]:
    """Financial years present in the spend data, oldest first."""
    if spend is None or spend.is_empty():
        return []
    return spend.get_column("financial_year").unique().sort().to_list()
