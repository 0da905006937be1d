"""Shared page furniture: headers, tiles and the footer."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from charts.theme import LICENCE_LINE, OS_LINE
from ui.messages import escape_md

# WCAG 2.2 AA contrast (4.5:1 for small text), measured by axe in tests/e2e/test_accessibility.py.
# Streamlit fades captions (opacity 0.6: 4.0:1 on white) and the labels of disabled widgets
# (2.3:1); NHS secondary text grey #4C6272 at full opacity gives 6.0:1 on white and 5.5:1 on the
# sidebar grey. A disabled widget still looks disabled: its box is greyed, not its label.
ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4C6272 !important; }
[data-testid="stCaptionContainer"] p { color: #4C6272 !important; }
label[data-testid="stWidgetLabel"][disabled] p { color: #4C6272 !important; }
</style>"""


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


def tile(t, source: str, *, error=None) -> None:
    """One headline tile: the number, its period and source, and 'synthetic' where it is."""
    with st.container(border=True):
        if error is not None:
            st.markdown(f"**{escape_md(t)}**")
            what = f"dataset '{error.dataset}'" if getattr(error, "dataset", None) else "the data"
            st.caption(
                escape_md(f"Not available: {what} could not be loaded (see the message below).")
            )
            return
        st.metric(  # label, value and help are markdown; they hold area names
            escape_md(t.label),
            escape_md(t.value) if t.value is not None else "No data",
            help=escape_md(t.detail) if t.detail else None,
        )
        if t.value is None:
            st.caption(escape_md(t.empty_reason))
        elif t.detail:
            st.caption(escape_md(t.detail))
        status = " · Synthetic" if t.synthetic else ""
        period = f"{t.period} · " if t.period else ""
        st.caption(escape_md(f"{period}Source: {source}{status}"))
