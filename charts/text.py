"""Data-derived words (area, indicator, provider, care home and event names) in Plotly text.

Plotly draws a subset of HTML in every piece of text (titles, annotations, hover labels,
axis ticks, legend names): `<a href>` becomes a link, `<b>` and `<br>` format. A name from a
data file must show as typed and never as markup, so it goes through `plotly_text` before it
reaches a figure; the figure's own markup (`<br>`, `<b>`) is added around it afterwards.
"""

from __future__ import annotations

import re
import textwrap
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


BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def wrap_lines(text: str | None, width: int) -> str:
    """Plotly text (names already escaped) with every line longer than `width` characters broken
    at spaces with `<br>`; the breaks it holds stay, so wrapping twice changes nothing."""
    lines = []
    for line in BREAK.split(text or ""):
        wrapped = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)
        lines.extend(wrapped or [line])
    return "<br>".join(lines)


def lower_first(text: str) -> str:
    """'Acute share ...' -> 'acute share ...', leaving 'A&E' and 'NHS' alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def finding_title(area_name: str, figure_title: str | None) -> str:
    """The one rule for a view's finding (page heading, slide and pack title): the figure's
    title in plain words, led by the area ('Oldham: acute share of spend fell ...') unless it
    already names it. Plain words: each medium escapes them for its own sink."""
    text = figure_words(figure_title)
    if not text or area_name in text:
        return text or area_name
    return f"{area_name}: {lower_first(text)}"
