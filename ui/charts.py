"""Render a figure with the rows behind it downloadable as CSV."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from exports.csv import to_csv_bytes

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def slug(text: str) -> str:
    """A file-name-safe version of a chart title."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "chart"


def show_chart(
    fig: go.Figure,
    rows: pl.DataFrame,
    *,
    key: str,
    source: str,
    as_at: str | None = None,
    synthetic: bool | str = False,
    file_stem: str | None = None,
) -> None:
    """The chart, then a 'Download the data' button for exactly the rows it draws."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", theme=None)
    stem = file_stem or slug(key)
    st.download_button(
        "Download the data (CSV)",
        data=lambda: to_csv_bytes(rows, source=source, as_at=as_at, synthetic=synthetic),
        file_name=f"placewise_{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
