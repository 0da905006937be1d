"""Shared page furniture: headers, tiles and the footer."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from charts.theme import LICENCE_LINE, OS_LINE
from panels.core import SYNTHETIC_LABEL  # the one wording, on pages, slides and packs
from ui.messages import escape_md

# WCAG 2.2 AA contrast (4.5:1 for small text), measured by axe in tests/e2e/test_accessibility.py.
# Streamlit fades captions (opacity 0.6: 4.0:1 on white) and the labels of disabled widgets
# (2.3:1); NHS secondary text grey #4C6272 at full opacity gives 6.0:1 on white and 5.5:1 on the
# sidebar grey. A disabled widget still looks disabled: its box is greyed, not its label.
# A tile's label, value and change wrap onto a second line rather than end in "…" (four tiles
# a row are 137 px wide on a 1280x720 screen).
ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4C6272 !important; }
[data-testid="stCaptionContainer"] p { color: #4C6272 !important; }
label[data-testid="stWidgetLabel"][disabled] p { color: #4C6272 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word;
}
</style>"""


def app_header(place_name: str | None, open_access: str | None, synthetic: list[str]) -> None:
    """The strip above every page: the product, the place chosen, and the data status as
    badges (open access, and which data is synthetic), each with its full text on hover and
    on the About page. Names come from data: escaped."""
    with st.container(horizontal=True, vertical_alignment="center", key="placewise_header",
                      gap="small"):  # fmt: skip
        st.markdown(f"**Placewise** · {escape_md(place_name or 'All places')}", width="content")
        if synthetic:
            st.badge(f"Includes {SYNTHETIC_LABEL[0].lower()}{SYNTHETIC_LABEL[1:]}", color="orange",
                     icon=":material/science:",
                     help=escape_md(f"Synthetic: {', '.join(synthetic)}. These figures are "
                                    "illustrative, generated to match published facts; they "
                                    "are not real. Everything else is real published data."))  # fmt: skip
        else:
            st.badge("Real data", icon=":material/verified:", color="green")
        if open_access:
            st.badge("Open access", icon=":material/lock_open:", color="blue", help=open_access)


def page_header(title: str, lead: str) -> None:
    """The page title and one sentence saying what the page answers (and the page's shared CSS)."""
    st.html(ACCESSIBLE_CSS)
    st.title(escape_md(title))  # titles name the place or cluster: data, shown as typed
    st.markdown(lead)


def footer(last_loaded: datetime | None) -> None:
    """Licence lines and when the data was last read."""
    st.divider()
    refreshed = last_loaded.strftime("%d %b %Y %H:%M") if last_loaded else "not yet loaded"
    st.caption(
        escape_md(f"Data last loaded {refreshed}. {LICENCE_LINE}. {OS_LINE}.")
        + " Placewise is open source (MIT licence)."
    )
