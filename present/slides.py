"""Slides: a deck's views drawn from their own place, cluster and parameters (never the sidebar).

Every view is a registered panel (panels.registry), drawn by that panel as its page draws
it. build_slide never raises for bad input: a slide that cannot be drawn comes back with `error` saying why, and
every other slide of the deck is still drawn.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import plotly.graph_objects as go
import polars as pl

from charts.theme import LICENCE_LINE, OS_LINE
from panels import caption as captions
from panels.core import Built, Caption, NativeChart, PanelProblem
from panels.registry import panels
from panels.source import run
from present.data import DataSource
from present.decks import VIEWS, Deck, SlideSpec
from present.views import check_params

log = logging.getLogger("placewise")
MIN_FONT_PX = 18


class SlideProblem(Exception):
    """Raised by a builder when the slide cannot be drawn; the message says why, in words."""


@dataclass
class Slide:
    """A drawn view: the finding as title, the figure, the rows behind it and its footer."""

    spec: SlideSpec
    title: str
    figure: go.Figure | None
    rows: pl.DataFrame
    source: str = ""
    as_at: str = ""
    synthetic: bool | str = False
    licence: str = ""
    suppression_note: str | None = None
    definition: str = ""
    error: str | None = None
    query: dict[str, Any] = field(default_factory=dict)  # URL query reproducing it on its page
    names: dict[str, str] = field(default_factory=dict)  # codes the builder resolved -> names
    caption: Caption | None = None  # a panel's caption (the footer's words come from it)
    native: NativeChart | None = None  # the chart PowerPoint draws itself, where there is one
    extras: dict[str, Any] = field(default_factory=dict)  # the panel's extras (e.g. its analysis)

    @property
    def page(self) -> str:
        return self.spec.page

    @property
    def link(self) -> str:
        """Relative link to the page showing this view ('spend?place=Oldham&period=...')."""
        query = urlencode(self.query, doseq=True, quote_via=quote)
        return f"{self.page}?{query}" if query else self.page

    @property
    def synthetic_note(self) -> str | None:
        """What a reader must know about made-up data, or None for real data."""
        if not self.synthetic:
            return None
        if self.synthetic == "partly":
            return "Partly synthetic data: some figures are illustrative, not real."
        return "Synthetic data (illustrative): these figures are not real."

    def footer_lines(self) -> list[str]:
        """Source, as-at date, synthetic and suppression notes, and the licence, as printed on packs."""
        if self.error or not self.source:
            return []
        if self.caption is not None:
            return captions.lines(self.caption)
        lines = [f"Source: {self.source}" + (f" · As at {self.as_at}" if self.as_at else "")]
        lines += [n for n in (self.synthetic_note, self.suppression_note) if n]
        licence = [f"Licence: {self.licence}"] if self.licence else []
        licence.append(LICENCE_LINE + (f". {OS_LINE}" if self.spec.view == "cluster_map" else ""))
        return lines + [" · ".join(licence)]


def error_slide(spec: SlideSpec, message: str) -> Slide:
    """A slide that says what is wrong instead of a chart."""
    return Slide(
        spec=spec,
        title=spec.heading or f"This slide ({spec.view or 'no view'}) cannot be shown",
        figure=None,
        rows=pl.DataFrame(),
        error=message,
        query=spec.to_query() if spec.view in VIEWS else {},
    )


def build_slide(spec: SlideSpec, data: DataSource, *, problem: str | None = None) -> Slide:
    """The slide for `spec`; `problem` (from Deck.problems) makes it a slide saying what is wrong."""
    if problem:
        return error_slide(spec, problem)
    if spec.view not in VIEWS:
        return error_slide(spec, f"Unknown view '{spec.view}' (views: {', '.join(VIEWS)}).")
    if wrong := check_params(spec.view, spec.params):
        return error_slide(spec, "; ".join(wrong)[0].upper() + "; ".join(wrong)[1:] + ".")
    panel = panels().get(spec.view)
    if panel is not None:
        result = run(panel, spec.panel_params(), data)
        if isinstance(result, PanelProblem):
            return error_slide(spec, str(result))
        slide = slide_of(spec, result)
        slide.query = spec.to_query(slide.names)
        return slide
    return error_slide(spec, f"Unknown view '{spec.view}'.")


def slide_of(spec: SlideSpec, built: Built) -> Slide:
    """The slide of a built panel: its finding, figure, rows and caption."""
    c = built.caption
    return Slide(
        spec=spec, title=built.title, figure=built.figure, rows=built.rows.frame, source=c.source,
        as_at=c.as_at, synthetic=c.synthetic, licence=c.licence,
        suppression_note=" ".join(c.notes) or None, definition=built.definition,
        names=dict(built.names), caption=c, native=built.native, extras=dict(built.extras),
    )  # fmt: skip


def build_deck(deck: Deck, data: DataSource) -> list[Slide]:
    """Every slide of the deck, in order; slides with problems say what is wrong."""
    return [
        build_slide(spec, data, problem=deck.problems.get(i)) for i, spec in enumerate(deck.slides)
    ]


def _bigger(node: Any, font_px: int, minimum: int) -> None:
    """Raise every explicit font size in a figure's JSON to at least `minimum`, scaled to `font_px`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                size = value["size"]
                if isinstance(size, int | float):
                    value["size"] = max(minimum, round(size * font_px / 16))
                elif isinstance(size, list):
                    value["size"] = [max(minimum, round(s * font_px / 16)) for s in size]
            _bigger(value, font_px, minimum)
    elif isinstance(node, list):
        for item in node:
            _bigger(item, font_px, minimum)


def presentation_figure(fig: go.Figure, *, font_px: int = 20) -> go.Figure:
    """A copy of `fig` for presenting and packs: every text at least 18 px (the base at `font_px`)."""
    spec = copy.deepcopy(fig.to_plotly_json())
    _bigger(spec, font_px, MIN_FONT_PX)  # explicit sizes first, then the base and the title
    layout = spec.setdefault("layout", {})
    base = layout.setdefault("font", {})
    base["size"] = max(font_px, MIN_FONT_PX)
    title = layout.setdefault("title", {})
    if isinstance(title, dict):
        title.setdefault("font", {})
        title["font"]["size"] = max(round(font_px * 1.3), title["font"].get("size") or 0)
        subtitle = title.get("subtitle")
        if isinstance(subtitle, dict):
            subtitle.setdefault("font", {})["size"] = max(
                font_px, subtitle.get("font", {}).get("size") or 0
            )
    for trace in spec.get("data", []):  # table cells and texts without a size inherit the base
        for key in ("textfont", "insidetextfont", "outsidetextfont"):
            if key in trace and "size" not in trace[key]:
                trace[key]["size"] = base["size"]
    return go.Figure(spec)
