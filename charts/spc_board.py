"""The board SPC grid as one figure (a table), for slides and packs.

On the Overview page it is an HTML grid with icons (ui/spc_grid.py); a slide needs one
figure, drawn from the same outcomes.analyse_place results (panels.outcomes.SpcGrid).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.spc import ICON_COLOURS
from charts.text import plotly_text
from charts.theme import NHS_PALE_GREY, NHS_TEXT, WHITE
from metrics.outcomes import PlaceAnalysis
from metrics.spc_icons import ASSURANCE_WORDS, VARIATION_WORDS

NO_TARGET = "No target"
# Cell fills that keep NHS_TEXT readable (at least 7:1); the words say the same thing.
VARIATION_FILLS = {
    "improvement": "#D6E9F8",
    "concern": "#FCE3C8",
    "neutral": "#EDE4F1",
    "common_cause": "#F5F7F8",
}


def _lines(text: str, width: int) -> str:
    """Data text (a name, a unit) as Plotly text in lines of about `width` characters (table
    cells do not wrap by themselves); escaped after wrapping, so no entity is split."""
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(text, width)) or plotly_text(
        text
    )


def _kind(variation: str | None) -> str:
    if variation is None:
        return "common_cause"
    for kind in ("improvement", "concern", "neutral"):
        if variation.startswith(kind):
            return kind
    return "common_cause"


def grid_rows(analysis: PlaceAnalysis) -> pl.DataFrame:
    """One row per indicator and area: the latest value and the reading the board grid shows."""
    out = []
    for ind in analysis.indicators:
        for area in analysis.areas:
            result = analysis.result(ind.indicator_id, area.code)
            ok = result is not None and result.ok
            out.append(
                {
                    "indicator": ind.name,
                    "unit": ind.unit,
                    "area": area.name,
                    "whole_place": area.is_place,
                    "latest_month": result.latest_period if ok else None,
                    "latest_value": result.latest_value if ok else None,
                    "variation": VARIATION_WORDS[result.variation] if ok and result.variation else None,
                    "assurance": (ASSURANCE_WORDS[result.assurance] if result.assurance else NO_TARGET) if ok else None,
                    "problem": "; ".join(result.problems) if result is not None and not ok and not result.withheld else ("Not reported" if result is None else None),
                    "not_shown": result.withheld if result is not None and result.withheld else None,
                }
            )  # fmt: skip
    return pl.DataFrame(out, infer_schema_length=None)


def grid_figure(
    analysis: PlaceAnalysis,
    *,
    chosen_area: str | None,
    source: str | None = None,
    synthetic: bool | str = False,
) -> tuple[go.Figure, pl.DataFrame]:
    """The board grid as a table: a row per indicator, a column per area (the place first)."""
    rows = grid_rows(analysis)
    headers = ["Indicator"] + [
        "<b>" + _lines(a.name, 13) + "</b>" + ("<br>(whole place)" if a.is_place else "")
        + ("<br>◆ chosen" if a.code == chosen_area else "")
        for a in analysis.areas
    ]  # fmt: skip
    columns: list[list[str]] = [
        [f"<b>{_lines(i.name, 26)}</b><br>{_lines(i.unit, 26)}" for i in analysis.indicators]
    ]
    fills: list[list[str]] = [[WHITE] * len(analysis.indicators)]
    for area in analysis.areas:
        texts, colours = [], []
        for ind in analysis.indicators:
            result = analysis.result(ind.indicator_id, area.code)
            if result is None:
                texts.append("Not reported")
                colours.append(WHITE)
            elif result.withheld:
                texts.append("<b>*</b><br>Not shown:<br>fewer than 8")
                colours.append(WHITE)
            elif not result.ok:
                texts.append("⚠ Data problem")
                colours.append(WHITE)
            else:
                value = ind.format(result.latest_value)
                if result.latest_period != analysis.latest_period:
                    value += f" ({result.latest_period:%b %Y})"
                assurance = f"<br>{ASSURANCE_WORDS[result.assurance]}" if result.assurance else ""
                texts.append(f"<b>{value}</b><br>{VARIATION_WORDS[result.variation]}{assurance}")
                colours.append(VARIATION_FILLS[_kind(result.variation)])
        columns.append(texts)
        fills.append(colours)
    fig = go.Figure(
        go.Table(
            header={"values": headers, "fill": {"color": NHS_PALE_GREY}, "align": "left",
                    "font": {"color": NHS_TEXT, "size": 14}},
            cells={"values": columns, "fill": {"color": fills}, "align": "left",
                   "font": {"color": NHS_TEXT, "size": 13}, "height": 58},
            columnwidth=[2] + [1] * len(analysis.areas),
        )
    )  # fmt: skip
    fig.update_layout(width=max(1000, 320 + 150 * len(analysis.areas)))  # table cells never wrap
    place = analysis.place
    done = rows.filter(pl.col("whole_place") & pl.col("variation").is_not_null())
    improving = done.filter(pl.col("variation") == "Improving").height
    concern = done.filter(pl.col("variation") == "Concern").height
    month = f"{analysis.latest_period:%B %Y}" if analysis.latest_period else "the latest month"
    title = (
        f"{plotly_text(place.name)} outcomes in {month}: {improving} of {len(analysis.indicators)} indicators "
        f"improving, {concern} of concern"
    )
    if analysis.place_withheld:  # no place series: say so rather than count the clusters' cells
        title = f"Outcomes in {month} by cluster ({plotly_text(analysis.place_withheld)})"
    finish_figure(
        fig,
        title=title,
        subtitle="Latest month of each indicator's XmR chart: value, variation and, where a target is set, "
        "whether it will be met",
        source=source,
        as_at=month,
        synthetic=synthetic,
        height=220 + 75 * (len(analysis.indicators) + 1),
    )
    return fig, rows


# -- the grid for packs: cells with their Making Data Count icons --------------------------------
@dataclass(frozen=True)
class GridCell:
    """One cell of the board grid as a pack draws it: plain words (not Plotly text), its fill
    and the icons (metrics.spc_icons keys: `variation` e.g. 'concern_high', `assurance` e.g.
    'pass'; None for no icon)."""

    value: str
    words: tuple[str, ...]
    fill: str
    variation: str | None = None
    assurance: str | None = None


@dataclass(frozen=True)
class GridTable:
    """The board grid as rows of plain-word cells: the header, then a row per indicator."""

    header: tuple[str, ...]  # "Indicator", then each area ("Oldham (whole place)")
    indicators: tuple[tuple[str, str], ...]  # (name, unit) per row
    cells: tuple[tuple[GridCell, ...], ...]  # per row, one per area


# Glyphs a native table can show for each icon (no picture): the icon's letter and arrow in its
# colour, then the word, so a cell reads the same without colour.
VARIATION_GLYPHS = {
    "common_cause": "•••",
    "improvement_high": "H▲",
    "improvement_low": "L▼",
    "concern_high": "H▲",
    "concern_low": "L▼",
    "neutral_high": "H▲",
    "neutral_low": "L▼",
}
ASSURANCE_GLYPHS = {"pass": "P", "fail": "F", "hit_and_miss": "?"}


def icon_colour(kind: str, *, assurance: bool = False) -> str:
    """The ring colour of a variation or assurance icon (charts.spc.ICON_COLOURS)."""
    if assurance:
        return ICON_COLOURS[{"pass": "pass", "fail": "fail"}.get(kind, "hit")]
    return ICON_COLOURS["common" if kind == "common_cause" else kind.split("_")[0]]


def grid_table(analysis: PlaceAnalysis, *, chosen_area: str | None) -> GridTable:
    """The cells of the board grid (the same readings as grid_figure), in plain words."""
    header = ["Indicator"] + [
        a.name + (" (whole place)" if a.is_place else "") + (" ◆ chosen" if a.code == chosen_area else "")
        for a in analysis.areas
    ]  # fmt: skip
    rows = []
    for ind in analysis.indicators:
        cells = []
        for area in analysis.areas:
            result = analysis.result(ind.indicator_id, area.code)
            if result is None:
                cells.append(GridCell("", ("Not reported",), WHITE))
            elif result.withheld:
                cells.append(GridCell("*", ("Not shown: fewer than 8",), WHITE))
            elif not result.ok:
                cells.append(GridCell("", ("Data problem",), WHITE))
            else:
                value = ind.format(result.latest_value)
                if result.latest_period != analysis.latest_period:
                    value += f" ({result.latest_period:%b %Y})"
                words = [VARIATION_WORDS[result.variation]] if result.variation else []
                if result.assurance:
                    words.append(ASSURANCE_WORDS[result.assurance])
                fill = VARIATION_FILLS[_kind(result.variation)]
                cells.append(
                    GridCell(value, tuple(words), fill, result.variation, result.assurance)
                )
        rows.append(tuple(cells))
    return GridTable(
        tuple(header), tuple((i.name, i.unit) for i in analysis.indicators), tuple(rows)
    )


def _icon_shapes(
    fig: go.Figure, kind: str, x: float, y: float, r: float, *, assurance: bool
) -> None:
    """One Making Data Count icon (as charts.spc_icons draws it in SVG) as Plotly shapes and a
    letter, centred at (x, y) with radius r in the figure's pixel axes (y grows downwards)."""
    colour = icon_colour(kind, assurance=assurance)
    fig.add_shape(type="circle", x0=x - r, x1=x + r, y0=y - r, y1=y + r, fillcolor=WHITE,
                  line={"color": colour, "width": max(2.0, r / 5)}, layer="above")  # fmt: skip
    unit = r / 15.5  # the SVG's ring radius
    if assurance:
        letter, dx = ASSURANCE_GLYPHS[kind], 0.0
    elif kind == "common_cause":
        for d in (-8, 0, 8):
            fig.add_shape(type="circle", x0=x + (d - 2.6) * unit, x1=x + (d + 2.6) * unit,
                          y0=y - 2.6 * unit, y1=y + 2.6 * unit, fillcolor=colour,
                          line={"width": 0}, layer="above")  # fmt: skip
        return
    else:
        high = kind.endswith("_high")
        letter, dx = ("H" if high else "L"), 5.0
        s = 1 if high else -1  # the arrow points up for "high", down for "low" (y downwards)
        px = [(-8, -11.5), (-12.8, -4.5), (-3.2, -4.5)]
        head = " L".join(f"{x + a * unit:.1f},{y + s * b * unit:.1f}" for a, b in px)
        fig.add_shape(type="path", path=f"M{head} Z", fillcolor=colour, line={"width": 0},
                      layer="above")  # fmt: skip
        fig.add_shape(type="rect", x0=x - 9.3 * unit, x1=x - 6.7 * unit, y0=y + s * -5 * unit,
                      y1=y + s * 5 * unit, fillcolor=colour, line={"width": 0}, layer="above")  # fmt: skip
    fig.add_annotation(text=f"<b>{letter}</b>", x=x + dx * unit, y=y, showarrow=False,
                       font={"size": round(17 * unit * 1.1), "color": colour,
                             "family": "Arial, sans-serif"}, xanchor="center", yanchor="middle")  # fmt: skip


KEY = (
    ("improvement_high", False, "Improving"),
    ("concern_high", False, "Concern"),
    ("neutral_high", False, "Unusual, neither better nor worse"),
    ("common_cause", False, "No change"),
    ("pass", True, "Meets target"),
    ("fail", True, "Misses target"),
    ("hit_and_miss", True, "Hit and miss"),
)


def board_figure(
    analysis: PlaceAnalysis, *, chosen_area: str | None, width: int, height: int
) -> go.Figure:
    """The board grid drawn cell by cell with its icons, `width` x `height` px, for PDF packs.

    A Plotly table holds text only, so its picture had no icons; here each cell is a rectangle
    with the variation and assurance icons drawn as shapes (rings, arrows, the H, L, P, F or ?
    letter) beside the value and words, and a key of the icons under the grid. The axes run in
    pixels (y downwards) and keep their aspect, so rings stay round.
    """
    table = grid_table(analysis, chosen_area=chosen_area)
    n_areas, n_rows = len(analysis.areas), len(table.indicators)
    ind_w = min(360, int(width * 0.24))
    area_w = (width - ind_w) / max(n_areas, 1)
    text_px = max(12, min(17, int(area_w / 11)))
    chars = max(8, int(area_w * 0.9 / (text_px * 0.55)))
    head_lines = max(len(textwrap.wrap(h, chars)) for h in table.header[1:]) if n_areas else 1
    key_h, head_h = 44, max(62, int(head_lines * text_px * 1.3) + 14)
    row_h = (height - head_h - key_h) / max(n_rows, 1)
    text_px = max(12, min(text_px, int(row_h / 4.6)))
    r = max(9.0, min(16.0, row_h / 5.5, area_w / 13))
    # an area's name in its header cell: its longest word must fit the cell ("Wythenshawe")
    longest = max((len(w) for h in table.header[1:] for w in h.split()), default=1)
    head_px = max(10, min(text_px, int((area_w - 12) / (longest * 0.62))))
    fig = go.Figure()

    def box(x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=fill,
                      line={"color": "#AEB7BD", "width": 1}, layer="below")  # fmt: skip

    def text(t: str, x: float, y: float, size: int, **kw: object) -> None:
        fig.add_annotation(text=t, x=x, y=y, showarrow=False, xanchor="left", yanchor="middle",
                           align="left", font={"size": size, "color": NHS_TEXT}, **kw)  # fmt: skip

    for col, head in enumerate(table.header):
        x0 = 0 if col == 0 else ind_w + (col - 1) * area_w
        x1 = ind_w if col == 0 else x0 + area_w
        box(x0, 0, x1, head_h, NHS_PALE_GREY)
        wrap = 40 if col == 0 else chars
        text(f"<b>{_lines(head, wrap)}</b>", x0 + 8, head_h / 2, text_px if col == 0 else head_px)
    for row, ((name, unit), cells) in enumerate(zip(table.indicators, table.cells, strict=True)):
        y0 = head_h + row * row_h
        box(0, y0, ind_w, y0 + row_h, WHITE)
        lines = _lines(name, int(ind_w / (text_px * 0.56)))
        text(f"<b>{lines}</b><br>{_lines(unit, 40)}", 8, y0 + row_h / 2, text_px)
        for col, cell in enumerate(cells):
            x0 = ind_w + col * area_w
            box(x0, y0, x0 + area_w, y0 + row_h, cell.fill)
            icons = [(k, a) for k, a in ((cell.variation, False), (cell.assurance, True)) if k]
            stacked = len(icons) > 1 and row_h >= 4 * r + 10  # variation above assurance
            for i, (kind, assurance) in enumerate(icons):
                if stacked:
                    cx, cy = x0 + 8 + r, y0 + row_h / 2 + (i - 0.5) * (2 * r + 4)
                else:
                    cx, cy = x0 + 8 + r + i * (2 * r + 6), y0 + row_h / 2
                _icon_shapes(fig, kind, cx, cy, r, assurance=assurance)
            across = 1 if stacked else len(icons)
            left = x0 + 8 + across * (2 * r + 6)
            room = max(4, int((x0 + area_w - left - 4) / (text_px * 0.58)))
            body = [f"<b>{plotly_text(cell.value)}</b>"] if cell.value else []
            if room >= 10 or not cell.value:  # narrow cells: the icons and value (and the key)
                words = cell.words if room >= 10 else tuple(w.split(":")[0] for w in cell.words)
                body += [_lines(w, room) for w in words]
            text("<br>".join(body), left, y0 + row_h / 2, text_px)
    # the key: each icon with its word
    y, x = height - key_h / 2, 0.0
    kr = min(r, 13.0)
    for kind, assurance, word in KEY:
        _icon_shapes(fig, kind, x + kr, y, kr, assurance=assurance)
        text(word, x + 2 * kr + 6, y, text_px)
        x += 2 * kr + 22 + len(word) * text_px * 0.58
    fig.update_xaxes(range=[0, width], visible=False, fixedrange=True)
    fig.update_yaxes(range=[height, 0], visible=False, fixedrange=True, scaleanchor="x")
    fig.update_layout(width=width, height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0},
                      plot_bgcolor=WHITE, paper_bgcolor=WHITE, showlegend=False)  # fmt: skip
    return fig
