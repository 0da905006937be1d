"""The board summary grid of Making Data Count icons, and the icon-and-sentence reading.

Icons are inline SVG (offline), each with a text alternative, and every cell also prints the
icon's meaning in words, so nothing depends on colour. Every piece of data put into HTML is
escaped; links carry the place, cluster and indicator in the URL of the Outcomes page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from urllib.parse import quote, urlencode

import streamlit as st

from charts.spc_icons import icon_svg
from charts.theme import NHS_DARK_GREY, NHS_PALE_GREY, NHS_TEXT
from metrics.outcomes import PlaceAnalysis, SeriesResult
from metrics.spc_icons import (
    ASSURANCE_LABELS,
    ASSURANCE_WORDS,
    VARIATION_LABELS,
    VARIATION_WORDS,
)
from panels.core import Built, Input, PanelProblem
from ui import state
from ui.messages import escape_md, show_data_error

OUTCOMES_PATH = "outcomes"
NO_TARGET = "No target"


def icon_img(kind: str | None, *, assurance: bool = False, size: int = 32) -> str:
    """The icon as an <img> with a data: URI (st.html keeps images, not inline SVG) and alt text."""
    if kind is None:
        return ""
    label = (ASSURANCE_LABELS if assurance else VARIATION_LABELS)[kind]
    data = base64.b64encode(icon_svg(kind, assurance=assurance, size=size).encode()).decode()
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(label)}" '
        f'title="{escape(label)}" width="{size}" height="{size}" '
        'style="vertical-align: middle; margin: 0 2px;">'
    )


def outcomes_link(place_name: str | None, cluster_name: str | None, indicator_name: str) -> str:
    """Relative link to the Outcomes page with the place, cluster and indicator chosen."""
    params = {}
    if place_name:
        params["place"] = place_name
    if cluster_name:
        params["cluster"] = cluster_name
    params["outcomes_indicator"] = indicator_name
    return f"{OUTCOMES_PATH}?{urlencode(params, quote_via=quote)}"


GRID_NAMES_PX = 176  # the indicator column's least width (11rem)
GRID_CELL_PX = 104  # an area column's least width (6.5rem)
_CSS = f"""
<style>
.pw-grid-wrap {{overflow-x: auto;}}
.pw-scroll-cue {{font-size: 0.85rem; color: {NHS_DARK_GREY}; margin: 0 0 4px 0;}}
.pw-grid {{border-collapse: collapse; width: 100%; font-size: 0.9rem; color: {NHS_TEXT};}}
.pw-grid th, .pw-grid td {{border: 1px solid {NHS_PALE_GREY}; padding: 6px 8px; vertical-align: top;}}
.pw-grid thead th {{background: #F5F7F8; text-align: center; font-weight: 600;}}
.pw-grid tbody th {{text-align: left; font-weight: 600; min-width: 11rem;}}
.pw-grid tr > :first-child {{position: sticky; left: 0; background: #FFFFFF; z-index: 1;}}
.pw-grid thead tr > :first-child {{background: #F5F7F8;}}
.pw-grid .pw-sub {{display: block; font-weight: 400; font-size: 0.8rem; color: {NHS_DARK_GREY};}}
.pw-grid td {{text-align: center; min-width: 6.5rem;}}
.pw-grid td a {{display: block; color: {NHS_TEXT}; text-decoration: none;}}
.pw-grid td a:hover, .pw-grid td a:focus {{outline: 2px solid #005EB8; outline-offset: 2px;}}
.pw-grid .pw-value {{display: block; font-size: 1.05rem; font-weight: 700;
  font-variant-numeric: tabular-nums;}}
.pw-grid .pw-words {{display: block; font-size: 0.78rem; color: {NHS_DARK_GREY};}}
.pw-grid .pw-place {{background: #F5F7F8;}}
.pw-grid .pw-chosen {{box-shadow: inset 0 0 0 3px #005EB8;}}
.pw-legend {{display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.8rem;
  color: {NHS_DARK_GREY}; margin-top: 8px; align-items: center;}}
.pw-legend span {{display: inline-flex; align-items: center; gap: 4px;}}
</style>
"""


def _classes(is_place: bool, chosen: bool) -> str:
    return " ".join(c for c in ("pw-place" if is_place else "", "pw-chosen" if chosen else "") if c)


def _cell(
    result: SeriesResult | None, place: str, cluster: str | None, chosen: bool, latest
) -> str:
    classes = _classes(cluster is None, chosen)
    if result is None:
        return f'<td class="{classes}"><span class="pw-words">Not reported</span></td>'
    link = escape(outcomes_link(place, cluster, result.indicator.name))
    if result.withheld:
        return (
            f'<td class="{classes}"><a href="{link}" title="{escape(result.withheld)}" '
            f'aria-label="{escape(result.withheld)} Open the Outcomes page.">'
            '<span class="pw-value">*</span>'
            '<span class="pw-words">Not shown:<br>fewer than 8</span></a></td>'
        )
    if not result.ok:
        why = " ".join(result.problems)
        return (
            f'<td class="{classes}"><a href="{link}" title="{escape(why)}" '
            f'aria-label="{escape(why)} Open the Outcomes page.">'
            '<span class="pw-value" aria-hidden="true">&#9888;</span>'
            '<span class="pw-words">Data problem: see below</span></a></td>'
        )
    words = VARIATION_WORDS[result.variation]
    words = [words, ASSURANCE_WORDS[result.assurance] if result.assurance else NO_TARGET]
    value = result.indicator.format(result.latest_value)
    if result.latest_period != latest:  # say so when this series ends before the others
        value += f" ({result.latest_period:%b %Y})"
    return (
        f'<td class="{classes}"><a href="{link}" title="{escape(result.sentence)}" '
        f'aria-label="{escape(result.sentence)} Open the chart.">'
        f"{icon_img(result.variation)}{icon_img(result.assurance, assurance=True)}"
        f'<span class="pw-value">{escape(value)}</span>'
        f'<span class="pw-words">{"<br>".join(escape(w) for w in words)}</span></a></td>'
    )


def grid_html(analysis: PlaceAnalysis, *, chosen_area: str | None = None) -> str:
    """The grid as an HTML table: a row per indicator, a column per cluster and the place."""
    place = analysis.place
    heads = "".join(
        f'<th scope="col" class="{_classes(a.is_place, a.code == chosen_area)}">'
        + (
            f"{escape(a.name)}<span class='pw-sub'>whole place</span>"
            if a.is_place
            else escape(a.name)
        )
        + "</th>"
        for a in analysis.areas
    )
    body = []
    for ind in analysis.indicators:
        better = {"increase": "higher is better", "decrease": "lower is better"}.get(
            ind.improvement, "neither higher nor lower is better"
        )
        cells = "".join(
            _cell(
                analysis.result(ind.indicator_id, a.code),
                place.name,
                None if a.is_place else a.name,
                chosen_area == a.code,
                analysis.latest_period,
            )
            for a in analysis.areas
        )
        body.append(
            f'<tr><th scope="row">{escape(ind.name)}'
            f'<span class="pw-sub">{escape(ind.unit)}; {better}</span></th>{cells}</tr>'
        )
    columns = len(analysis.areas)
    cue = (  # wider than an 820 px page (a 1280x720 screen with the sidebar): say it scrolls
        f'<p class="pw-scroll-cue">{columns} areas: scroll the table sideways to see them all; '
        "the indicator names stay in view.</p>"
        if GRID_NAMES_PX + GRID_CELL_PX * columns > 820
        else ""
    )
    return (
        f'{_CSS}{cue}<div class="pw-grid-wrap"><table class="pw-grid">'
        f"<caption style='caption-side: bottom; text-align: left; font-size: 0.8rem;'>"
        + (
            f"{_month(analysis.latest_period)} for each indicator and cluster. "
            f"{escape(analysis.place_withheld)}. "
            if analysis.place_withheld
            else f"{_month(analysis.latest_period)} for each indicator, cluster and "
            f"{escape(place.name)} as a whole. "
        )
        + "Select a cell to open its chart.</caption>"
        f'<thead><tr><th scope="col">Indicator</th>{heads}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{legend_html()}"
    )


def _month(period) -> str:
    return f"The latest month, {period:%B %Y}," if period else "The latest month"


def legend_html() -> str:
    """Every icon with its meaning, in one line of text and pictures."""
    items = [
        (icon_img(k, size=22), VARIATION_LABELS[k])
        for k in ("common_cause", "improvement_low", "concern_high", "neutral_high")
    ]
    items += [
        (icon_img(k, assurance=True, size=22), ASSURANCE_LABELS[k].split(" (")[0].split(":")[0])
        for k in ("pass", "fail", "hit_and_miss")
    ]
    spans = "".join(f"<span>{svg}{escape(text)}</span>" for svg, text in items)
    note = (
        "H and L: higher or lower than expected; arrows show the direction. Hit and miss: the "
        "target lies within the process limits, so it will sometimes be met. * Not shown: a "
        "cluster series with months of fewer than 8 people or events (disclosure control); "
        "the whole place includes them."
    )
    return f'<div class="pw-legend" aria-label="Icon key">{spans}<span>{escape(note)}</span></div>'


def render_grid(
    analysis: PlaceAnalysis, *, chosen_area: str | None, source: str, synthetic: bool | str
) -> None:
    """The grid, its source line, and a message for each series that could not be read."""
    st.html(grid_html(analysis, chosen_area=chosen_area))
    latest = analysis.latest_period
    status = " · Synthetic data (illustrative)" if synthetic else ""
    st.caption(
        escape_md(
            f"Source: {source}{status}. Latest month {latest:%b %Y}. "
            if latest
            else f"Source: {source}{status}. "
        )
        + "Each series is read as a Making Data Count XmR chart (each month's value with its "
        "mean and process limits, fixed on its first 12 months); the icons describe the latest "
        "month. Hit and miss: the target lies within the limits, so it will sometimes be met "
        "and sometimes missed."
    )
    show_problems(analysis)


def show_problems(analysis: PlaceAnalysis, indicator_id: str | None = None) -> None:
    """One warning listing the series that could not be charted, and notes on left-out months.

    With `indicator_id`, only that indicator's series.
    """
    results = [r for (i, _), r in analysis.results.items() if indicator_id in (None, i)]
    problems = [*analysis.problems, *(p for r in results for p in r.problems)]
    if problems:
        st.warning(
            f"**{len(problems)} data problem{'s' if len(problems) > 1 else ''}: "
            "these cells have no chart.**  \n" + "  \n".join(f"- {escape_md(p)}" for p in problems),
            icon=":material/warning:",
        )
    notes = [r.note for r in results if r.note]
    if notes:
        with st.expander(f"Notes on the data ({len(notes)})"):
            for note in notes:
                st.caption(escape_md(note))


def render_reading(result: SeriesResult) -> None:
    """The two icons with their words, and the sentence, for one series."""
    words = [VARIATION_LABELS[result.variation]]
    words.append(
        ASSURANCE_LABELS[result.assurance]
        if result.assurance
        else NO_TARGET + " set for this series"
    )
    st.html(
        '<div style="display:flex; gap:12px; align-items:center; margin: 4px 0 8px 0;">'
        f"{icon_img(result.variation, size=44)}{icon_img(result.assurance, assurance=True, size=44)}"
        f'<div style="font-size:0.95rem; color:{NHS_TEXT};">'
        f"<strong>{escape(words[0])}</strong><br>{escape(words[1])}</div></div>"
    )
    st.markdown(f"**{escape_md(result.sentence)}**")


def place_outcomes(place_code: str | None):
    """The outcomes of the place and its clusters only: `area_code IN (...)` reaches the source
    (SQL WHERE, parquet scan), so other places' rows never cross the wire. Whole dataset when
    the areas did not load or no place is chosen."""
    areas = state.dataset("areas")
    if not place_code or not areas.ok:
        return state.dataset("outcomes")
    frame = areas.frame
    ours = (frame["area_code"] == place_code) | (
        (frame["parent_code"] == place_code) & (frame["area_type"] == "cluster")
    )
    codes = frame.filter(ours)  # the grid and charts read the place and its clusters only
    return state.dataset("outcomes", where={"area_code": sorted(codes["area_code"].to_list())})


def board_section(
    grid: Built | PanelProblem,
    place_name: str | None,
    chosen_area: str | None,
    *,
    failed: Sequence[Input] = (),
) -> None:
    """The Overview's 'Outcomes at a glance' section: the spc_grid panel drawn as an HTML grid
    with icons, or why there is none (each dataset in `failed` named with its error)."""
    st.header("Outcomes at a glance")
    if isinstance(grid, PanelProblem):
        errors = [item.error for item in failed if item.error is not None]
        for error in errors:
            show_data_error(error, needed_for="The outcomes grid")
        if not errors:
            show = st.warning if grid.level == "warning" else st.info
            show(escape_md(str(grid)), icon=":material/info:")
        return
    analysis: PlaceAnalysis = grid.extras["analysis"]
    st.markdown(
        f"Is each outcome in {escape_md(place_name or '')} getting better or worse, and will it meet "
        "its target? One row per indicator, one column per neighbourhood cluster"
        + ("" if analysis.place_withheld else " and the whole place")
        + (f", for **{analysis.latest_period:%B %Y}**." if analysis.latest_period else ".")
    )
    if analysis.place_withheld:
        st.caption(escape_md(analysis.place_withheld) + ".")
    render_grid(analysis, chosen_area=chosen_area, source=grid.caption.source,
                synthetic=grid.caption.synthetic)  # fmt: skip
