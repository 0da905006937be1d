"""The one function per medium that adds a view's caption: page, picture, pack, CSV.

A figure built by a panel carries no source line; these add it where each medium needs it,
from the panel's Caption, always in the same words.
"""

from __future__ import annotations

import copy

import plotly.graph_objects as go

from charts.text import plotly_text
from charts.theme import LICENCE_LINE, NHS_DARK_GREY, OS_LINE
from panels.core import Caption


def source_line(caption: Caption) -> str:
    """'Source: … · As at …'."""
    return f"Source: {caption.source}" + (f" · As at {caption.as_at}" if caption.as_at else "")


def licence_line(caption: Caption) -> str:
    parts = [f"Licence: {caption.licence}"] if caption.licence else []
    parts.append(LICENCE_LINE + (f". {OS_LINE}" if caption.boundaries else ""))
    return " · ".join(parts)


def lines(caption: Caption) -> list[str]:
    """The caption as plain lines: source and date, data status, notes, licence (packs, pages)."""
    return [source_line(caption), caption.status, *caption.notes, licence_line(caption)]


def csv_notes(caption: Caption) -> list[str]:
    """The note lines above a CSV's header (without the leading '#')."""
    out = [f"Source: {caption.source}"]
    if caption.as_at:
        out.append(f"As at: {caption.as_at}")
    out.append(f"Data status: {caption.status}")
    out += list(caption.notes)
    out.append(licence_line(caption))
    return out


def on_figure(fig: go.Figure, caption: Caption, *, shift: int = -100) -> go.Figure:
    """A copy of `fig` with the caption drawn under the plot (pictures, PDF pages, slides)."""
    out = go.Figure(copy.deepcopy(fig.to_plotly_json()))
    text = "<br>".join(plotly_text(line) for line in lines(caption))
    margin = out.layout.margin.b or 0
    out.update_layout(margin={"b": max(margin, 40 + 18 * len(lines(caption)))})
    out.add_annotation(
        text=text, xref="paper", yref="paper", x=0, y=0, yshift=shift, xanchor="left",
        yanchor="top", showarrow=False, align="left", font={"size": 12, "color": NHS_DARK_GREY},
        name="caption",
    )  # fmt: skip
    return out
