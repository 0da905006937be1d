"""Outcome panels: one indicator's XmR chart, the indicator across the place's clusters, and
the board grid of every indicator's latest reading.

They read the outcomes of the place and its clusters only (`area_code IN (...)` pushed down to
the source, whatever the place was named). The chart's and the grid's rows hold monthly
numerators and denominators: counts of people, released under disclosure control
(PEOPLE_COUNTS; series of fewer than 8 are withheld by metrics.outcomes before they get here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import polars as pl

from charts.spc_board import grid_figure
from charts.spc_page import place_view, series_view
from charts.text import figure_words
from loaders.registry import suggest
from metrics import outcomes as om
from panels.core import (
    NO_PEOPLE,
    PEOPLE_COUNTS,
    PLACE_AREAS,
    Built,
    Caption,
    Data,
    Disclosure,
    Need,
    Notice,
    Panel,
    PanelProblem,
)
from panels.params import AreaParams, param
from panels.registry import register_panel

SPC_DEFINITION = (
    "Statistical process control (Making Data Count): each monthly series is drawn as an XmR chart "
    "with its mean and process limits (mean ± 2.66 × average moving range) fixed on its first 12 "
    "months. Special cause variation (improving or concern) is a point outside the limits, a run of "
    "7 on one side of the mean or 7 rising or falling; assurance compares the target with the limits."
)


@dataclass(frozen=True)
class OutcomeParams(AreaParams):
    """The Outcomes page's choices: the indicator (an ID or its name) and the rebase points
    (the page's event labels, 'Apr 2018: Commissioning teams co-located')."""

    indicator: str | None = param(
        "outcomes_indicator", "Indicator", None,
        help="The monthly outcome to chart. Each cell of the Overview grid links here.",
    )  # fmt: skip
    rebase: tuple[str, ...] = param(
        "outcomes_rebase", "Recalculate the limits from (after a known change)", (), many=True,
        help="The process limits show how far a stable process varies month to month. After a "
        "known change that has clearly shifted the process (a new service, say), Making Data "
        "Count recalculates them: each new period gets its own 12-month baseline.",
    )  # fmt: skip


def find_indicator(indicators: pl.DataFrame, wanted: str) -> tuple[str, str] | str:
    """(id, name) of the indicator named by ID or name (any case), or why there is none."""
    key = wanted.strip().casefold()
    monthly = indicators.filter(pl.col("frequency") == "monthly")
    for indicator_id, name in monthly.select("indicator_id", "name").iter_rows():
        if key in (str(indicator_id).casefold(), str(name).casefold()):
            return str(indicator_id), str(name)
    known = tuple(monthly["name"].to_list())
    return f"unknown indicator '{wanted}' ({suggest(wanted, known)})"


def _analyse(observations: pl.DataFrame, indicators: pl.DataFrame, areas: pl.DataFrame,
             targets: pl.DataFrame | None, **options: Any) -> om.PlaceAnalysis:  # fmt: skip
    return om.analyse_place(observations, indicators, targets, areas, **options)


def _analysis(data: Data) -> om.PlaceAnalysis:
    """Every indicator of the place, read once for all the panels of a page."""
    area = data.area
    return data.shared(_analyse, ("outcomes", "indicators", "areas"), optional=("targets",),
                       place_code=area.place_code, whole_place=area.whole_place)  # fmt: skip


def page_choices(
    params: OutcomeParams, data: Data
) -> tuple[dict[str, str], list[str]] | PanelProblem:
    """The page's choices from the data: the place's indicators (ID -> name) and the labels
    of its events after the first month (the points the limits may be recalculated from)."""
    try:
        analysis = _analysis(data)
    except PanelProblem as problem:
        return problem
    indicators = {i.indicator_id: i.name for i in analysis.indicators}
    events = om.events_for(data.optional("events"), data.frame("areas"), data.area.place_code)
    return indicators, list(om.event_choices(events, after=analysis.first_period))


class OutcomePanel(Panel[OutcomeParams]):
    page: ClassVar[str] = "outcomes"
    Params = OutcomeParams
    disclosure: ClassVar[Disclosure] = PEOPLE_COUNTS

    def needs(self, params: OutcomeParams) -> tuple[Need, ...]:
        return (
            Need("outcomes", where={"area_code": PLACE_AREAS}), Need("indicators"), Need("areas"),
            Need("targets", optional=True), Need("events", optional=True),
        )  # fmt: skip

    def check(self, params: OutcomeParams, data: Data) -> str | None:
        if params.indicator is None:
            return None
        found = find_indicator(data.frame("indicators"), params.indicator)
        return found[0].upper() + found[1:] + "." if isinstance(found, str) else None

    def chosen(self, params: OutcomeParams, data: Data) -> tuple[str, str, om.PlaceAnalysis]:
        """The indicator (the first of the place when none is named) and the place's analysis."""
        analysis = _analysis(data)
        if not analysis.indicators:
            raise PanelProblem(
                f"No monthly outcome indicators are recorded for {data.area.place_name}."
            )
        if params.indicator is None:
            first = analysis.indicators[0]
            return first.indicator_id, first.name, analysis
        found = find_indicator(data.frame("indicators"), params.indicator)
        if isinstance(found, str):
            raise PanelProblem(found[0].upper() + found[1:] + ".")
        return found[0], found[1], analysis

    def rebase_at(
        self, params: OutcomeParams, data: Data, analysis: om.PlaceAnalysis
    ) -> tuple[date, ...]:
        events = om.events_for(data.optional("events"), data.frame("areas"), data.area.place_code)
        options = om.event_choices(events, after=analysis.first_period)
        unknown = [r for r in params.rebase if r not in options]
        if unknown:
            raise PanelProblem(
                f"The limits cannot be recalculated from '{unknown[0]}': it is not an event of "
                f"{data.area.place_name} after the first month ({suggest(unknown[0], tuple(options))})."
            )
        return tuple(sorted(options[r] for r in params.rebase))

    def caption(self, data: Data, as_at: str | None, notes: tuple[str, ...] = ()) -> Caption:
        return Caption.of(data.spec("outcomes"), fallback="Outcomes", as_at=as_at or "",
                          notes=notes)  # fmt: skip


@register_panel
class OutcomeSpc(OutcomePanel):
    """The XmR chart; `extras['reading']` holds the series' reading (icons and sentence)."""

    id = "outcome_spc"
    title = "One outcome indicator's SPC (XmR) chart for the place or a cluster"
    required = ("indicator",)

    def build(self, params: OutcomeParams, data: Data) -> Built:
        indicator_id, name, analysis = self.chosen(params, data)
        area = data.area
        spec = data.spec("outcomes")
        one = series_view(
            data.frame("outcomes"), data.frame("indicators"), data.optional("targets"),
            data.frame("areas"), data.optional("events"), place_code=area.place_code,
            indicator_id=indicator_id, area_code=area.area_code,
            rebase_at=self.rebase_at(params, data, analysis), source=None,
            synthetic=spec.synthetic if spec else False, whole_place=area.whole_place,
        )  # fmt: skip
        if one.result is None:
            raise PanelProblem(f"{name} is not recorded for {area.area_name}.")
        if one.result.withheld:
            raise PanelProblem(one.result.withheld)
        if one.chart is None:
            raise PanelProblem(
                f"{name} in {area.area_name} cannot be charted: " + " ".join(one.result.problems),
                "warning",
            )
        text = figure_words(one.chart.layout.title.text) or one.result.sentence
        title = text if area.area_name in text else f"{area.area_name}: {text[0].lower()}{text[1:]}"
        notices = [Notice(hint)] if (hint := om.rebase_hint(one.result)) else []
        notes = (one.result.note,) if one.result.note else ()
        definition = _definition(data.frame("indicators"), indicator_id, name)
        return Built(title, one.chart, self.release(one.rows), self.caption(data, one.as_at, notes),
                     notices=notices, definition=definition + " " + SPC_DEFINITION,
                     names={indicator_id: name}, extras={"reading": one.result})  # fmt: skip


def _definition(indicators: pl.DataFrame, indicator_id: str, fallback: str) -> str:
    found = indicators.filter(pl.col("indicator_id") == indicator_id)
    return f"{found['name'][0]}: {found['definition'][0]}." if found.height else fallback


@register_panel
class OutcomeClusters(OutcomePanel):
    """Small multiples of the indicator: the place (when the person may see it), each cluster."""

    id = "outcome_clusters"
    title = "One outcome indicator's SPC charts across the place and its clusters"

    def build(self, params: OutcomeParams, data: Data) -> Built:
        indicator_id, name, analysis = self.chosen(params, data)
        area = data.area
        spec = data.spec("outcomes")
        across = place_view(
            data.frame("outcomes"), data.frame("indicators"), data.optional("targets"),
            data.frame("areas"), place_code=area.place_code, indicator_id=indicator_id,
            rebase_at=self.rebase_at(params, data, analysis), source=None,
            synthetic=spec.synthetic if spec else False, whole_place=area.whole_place,
        )  # fmt: skip
        results = [r for (i, _), r in across.analysis.results.items() if i == indicator_id]
        problems = [*across.analysis.problems, *(p for r in results for p in r.problems)]
        notices = (
            [Notice(f"{len(problems)} data problem(s): " + "; ".join(problems), "warning")]
            if problems
            else []
        )
        withheld = [a.name for a in across.analysis.areas
                    if (r := across.analysis.result(indicator_id, a.code)) and r.withheld]  # fmt: skip
        notes = [r.note for r in results if r.note]
        if across.analysis.place_withheld:
            notes.insert(0, across.analysis.place_withheld + ".")
        if withheld:
            notes.append(
                f"Not shown under disclosure control (months of fewer than 8 people or events): "
                f"{', '.join(withheld)}."
                + ("" if across.analysis.place_withheld else f" The {area.place_name} series includes them.")
            )  # fmt: skip
        where = "the clusters you may see" if across.analysis.place_withheld else area.place_name
        return Built(f"{name} across {where}", across.chart, self.release(across.rows),
                     self.caption(data, across.as_at, tuple(notes)), notices=notices,
                     definition=SPC_DEFINITION, names={indicator_id: name},
                     extras={"analysis": across.analysis})  # fmt: skip


@register_panel
class SpcGrid(OutcomePanel):
    """The board grid as one figure (slides, packs); the Overview page draws the same analysis
    as an HTML grid with icons."""

    id = "spc_grid"
    title = "Board summary grid: every outcome indicator's SPC reading by cluster and place"
    page = "overview"
    Params = AreaParams  # type: ignore[assignment]  # the place and cluster only
    disclosure = NO_PEOPLE  # readings and latest values, no counts

    def check(self, params: OutcomeParams, data: Data) -> str | None:
        return None

    def build(self, params: OutcomeParams, data: Data) -> Built:
        analysis = _analysis(data)
        if not analysis.indicators:
            raise PanelProblem(
                f"No monthly outcome indicators are recorded for {data.area.place_name}."
            )
        fig, rows = grid_figure(analysis, chosen_area=data.area.cluster_code)
        problems = analysis.series_problems() + list(analysis.problems)
        notes = (f"{len(problems)} series have data problems and no reading.",) if problems else ()
        as_at = f"{analysis.latest_period:%b %Y}" if analysis.latest_period else ""
        return Built(figure_words(fig.layout.title.text), fig, self.release(rows),
                     self.caption(data, as_at, notes), definition=SPC_DEFINITION,
                     extras={"analysis": analysis})  # fmt: skip
