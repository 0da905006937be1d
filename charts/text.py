"""Data-derived words (area, indicator, provider, care home and event names) in Plotly text.

Plotly draws a subset of HTML in every piece of text (titles, annotations, hover labels,
axis ticks, legend names): `<a href>` becomes a link, `<b>` and `<br>` format. A name from a
data file must show as typed and never as markup, so it goes through `plotly_text` before it
reaches a figure; the figure's own markup (`<br>`, `<b>`) is added around it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape, unescape


def plotly_text(text: object) -> str:
    """`text` with `&`, `<` and `>` as entities, so Plotly shows them literally ("" for None)."""
    return "" if text is None else escape(str(text), quote=False)


def plotly_texts(values: Iterable[object]) -> list:
    """`plotly_text` of each string in `values` (None and numbers pass through), for axes,
    hover data and labels built from a column."""
    return [plotly_text(v) if isinstance(v, str) else v for v in values]


def figure_words(figure_title: str | None) -> str:
    """A figure's title (Plotly text: `<br>` breaks, names escaped by plotly_text) as plain words."""
    return unescape(" ".join(re.sub(r"<br\s*/?>", " ", figure_title or "").split()))
