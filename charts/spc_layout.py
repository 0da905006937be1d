"""Layout helpers for the SPC figures: y range, what goes under the axis, wrapping, titles."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from charts.theme import NHS_TEXT


def y_range(frames: list[pl.DataFrame], headroom: float = 0.0) -> list[float]:
    """A y range covering values, limits and target, with room at the top for event badges."""
    cols = ("value", "lower_limit", "upper_limit", "target")
    values = [v for f in frames for c in cols for v in f[c].to_list() if v is not None]
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    return [low - 0.05 * span, high + (0.05 + headroom) * span]


def legend_rows(fig: go.Figure, width: int = 900) -> int:
    """How many rows the horizontal legend will take (an estimate at 13 px text)."""
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    needed = sum(7 * len(n) + 50 for n in names)
    return max(1, math.ceil(needed / width))


def stack_below(fig: go.Figure, footer: int | None, notes: list[str], plot_height: int) -> None:
    """Stack, under the x axis: the legend, the notes (event key), then the source footer
    (`footer`: its annotation's index; None when the caption is kept outside the figure)."""
    axis = 62 if fig.layout.xaxis.title.text else 36
    legend_h = 26 * legend_rows(fig)
    notes_h = 17 * len(notes)
    bottom = axis + legend_h + notes_h + 40
    top = fig.layout.margin.t
    fig.update_layout(
        height=plot_height + top + bottom,
        margin={"b": bottom},
        legend={"y": -axis / plot_height, "yanchor": "top", "font": {"size": 13}},
    )
    if notes:
        fig.add_annotation(
            text="<br>".join(notes),
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            yshift=-(axis + legend_h),
            align="left",
            showarrow=False,
            font={"size": 12, "color": NHS_TEXT},
        )
    if footer is not None:
        fig.layout.annotations[footer].update(yshift=-(bottom - 4))


def wrap(text: str, width: int) -> str:
    """Break long text into lines of at most `width` characters, at spaces."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def count_title(shown: list, total: int, latest: str | None = None) -> str:
    """'In Mar 2026: improvement in 3 of 6 areas, concern in 1' (the latest point of each)."""
    lead = f"In {latest}: " if latest else "Latest month: "
    if not shown:
        return "No area has a series that can be charted"
    n = len(shown)
    kinds = [(r.variation or "").split("_")[0] for r in shown]
    found = [
        (label, kinds.count(kind))
        for kind, label in (
            ("improvement", "improvement"),
            ("concern", "concern"),
            ("neutral", "unusual variation"),
        )
        if kinds.count(kind)
    ]
    missing = f" ({total - n} without usable data)" if n < total else ""
    if not found:
        where = "the one area" if n == 1 else f"any of the {n} areas"
        return f"{lead}no significant change in {where}{missing}"
    (label, c), rest = found[0], found[1:]
    if n == 1:
        head = f"{label} in the one area shown"
    else:
        head = f"{label} in all {n} areas" if c == n else f"{label} in {c} of {n} areas"
    text = ", ".join([head, *(f"{lbl} in {cnt}" for lbl, cnt in rest)])
    return lead + text + missing


def y_title(unit: str) -> str:
    """Axis title with the unit: '%' -> 'Percentage (%)', else the unit, capitalised."""
    if unit.strip() == "%":
        return "Percentage (%)"
    return unit[:1].upper() + unit[1:]


def iso_dates(dates: list) -> list:
    """Dates as ISO strings (None kept): plotly validates strings far faster than date objects."""
    return [d.isoformat() if d is not None else None for d in dates]


def with_gaps(frame: pl.DataFrame, skipped: tuple, column: str) -> tuple[list, list]:
    """x and y for a line that breaks at the periods left out of the chart."""
    pairs = list(zip(frame["period"].to_list(), frame[column].to_list(), strict=True))
    pairs += [(p, None) for p in skipped]
    pairs.sort(key=lambda p: p[0])
    return iso_dates([p for p, _ in pairs]), [v for _, v in pairs]


def segment_lines(frame: pl.DataFrame, columns: tuple[str, ...]) -> tuple[list, list]:
    """Horizontal lines, one per segment and column (broken between them): mean or limits."""
    xs: list = []
    ys: list = []
    for seg in frame.partition_by("segment", maintain_order=True):
        for column in columns:
            xs += [seg["period"][0], seg["period"][-1], None]
            ys += [seg[column][0], seg[column][0], None]
    return iso_dates(xs), ys
