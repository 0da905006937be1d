"""Render a figure with its text alternative, the rows behind it as CSV, and PNG/SVG pictures."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from charts.common import fit_text
from exports.csv import to_csv_bytes
from exports.images import MIME, ImageExportError, export_problem, figure_image
from ui import auth, my_deck
from ui.messages import escape_md

# No "Download plot as a png" in the chart's own toolbar: the browser would save the picture
# past ui.auth.download_button, the one gate every download goes through (Picture (PNG) and
# (SVG) under each chart are the same pictures, offered through the gate).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
}
_FAILURES = "_placewise_image_failures"  # picture downloads that failed on click, by widget key
_TAGS = re.compile(r"<[^>]+>")


def slug(text: str) -> str:
    """A file-name-safe version of a chart title."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "chart"


def plain(text: str | None) -> str:
    """Plotly text (which may hold <br>, <b> and entities) as plain words."""
    return " ".join(unescape(_TAGS.sub(" ", text or "")).split())


def figure_title(fig: go.Figure) -> str:
    """The figure's title as plain text."""
    return plain(fig.layout.title.text)


def default_alt(fig: go.Figure, rows: pl.DataFrame) -> str:
    """A short text alternative: the finding in the title and how many rows the chart draws."""
    title = figure_title(fig)
    count = f"{rows.height:,} row{'s' if rows.height != 1 else ''}"
    lead = f"Chart: {title.rstrip('.')}. " if title else "Chart. "
    offer = ", downloadable as CSV" if auth.may_download_rows() else ""
    return f"{lead}Drawn from {count} of data{offer}."


def show_chart(
    fig: go.Figure,
    rows: pl.DataFrame,
    *,
    key: str,
    source: str,
    as_at: str | None = None,
    synthetic: bool | str = False,
    file_stem: str | None = None,
    slide: Any | None = None,
    alt: str | None = None,
) -> None:
    """The chart, its text alternative, and downloads of exactly the rows it draws (CSV) and
    of the picture (PNG, SVG); with `slide` (a SlideSpec), an 'Add to deck' button too."""
    text = alt or default_alt(fig, rows)
    fit_text(fig)
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", theme=None, alt=text)
    st.caption(escape_md(text))
    stem = file_stem or slug(key)
    failures: dict[str, str] = st.session_state.setdefault(_FAILURES, {})
    problem = export_problem()
    with st.container(horizontal=True, key=f"{key}_exports"):
        auth.download_button(  # row-level data: only for people whose access includes downloads
            "Download the data (CSV)",
            data=lambda: to_csv_bytes(rows, source=source, as_at=as_at, synthetic=synthetic),
            file_name=f"placewise_{stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
        )
        if problem is None and auth.may_download_rows():  # else the CSV's note says why
            for fmt in MIME:
                auth.download_button(
                    f"Picture ({fmt.upper()})",
                    data=_picture(fig, fmt, f"{key}_{fmt}", failures),
                    file_name=f"placewise_{stem}.{fmt}",
                    mime=MIME[fmt],
                    key=f"{key}_{fmt}",
                    icon=":material/image:",
                    on_click="ignore",
                )
        if slide is not None:
            add_to_deck_button(slide, key=key)
    if problem is not None and auth.may_download_rows():
        csv = " The CSV of the same rows is."
        st.caption(escape_md(f"Pictures (PNG, SVG) are not available here: {problem}.{csv}"))
    for fmt in MIME:
        if reason := failures.pop(f"{key}_{fmt}", None):
            st.caption(escape_md(f"The {fmt.upper()} picture could not be made: {reason}"))


def add_to_deck_button(slide: Any, *, key: str) -> None:
    """'Add to deck': append `slide` (a SlideSpec) to the session's My deck."""
    if st.button("Add to deck", key=f"{key}_add_to_deck", icon=":material/playlist_add:"):
        added = my_deck.add(slide)
        count = len(my_deck.slides())
        st.toast(
            f"Added to My deck ({count} slide{'s' * (count != 1)})."
            if added
            else "Already in My deck.",
            icon=":material/slideshow:",
        )


def _picture(fig: go.Figure, fmt: str, widget: str, failures: dict[str, str]):
    """A no-argument callable for a lazy download: the picture, computed only on click.

    Streamlit runs it outside the page script, where nothing can be drawn, so a failure is
    remembered in `failures` (a dict held in session state) and shown on the next run.
    """

    def make() -> bytes:
        try:
            return figure_image(fig, fmt)
        except ImageExportError as exc:
            failures[widget] = str(exc)
            raise

    return make
