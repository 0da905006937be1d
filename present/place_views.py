"""Care home, neighbourhood and outcome slides, each following its page step by step.

care_home_quality follows views/care_homes.py (all providers, the page's default 'compare
with' date), cluster_map views/neighbourhoods.py and outcome_spc views/outcomes.py (through
charts.spc_page.series_view, which that page calls); spc_grid reads the same
outcomes.analyse_place as the Overview's grid.
"""

from __future__ import annotations

import polars as pl

from charts import neighbourhoods as hood_charts
from charts.spc_page import series_view
from geo.clusters import map_shapes
from metrics import outcomes as om
from metrics import population as pop
from metrics.rates import LEVELS as CONFIDENCE
from metrics.suppression import display_counts
from present.data import DataSource, Where, covers_place, find_indicator
from present.decks import SlideSpec
from present.figures import grid_figure
from present.slides import Slide, SlideProblem, figure_words, finding_title, lower_first

DEFAULT_MEASURE = "population_65_plus_share"  # the Neighbourhoods page's default indicator
SUPPRESSION = (
    "Counts of people are rounded to the nearest 5; * means 1 to 7 people (or a second cell "
    "hidden so the first cannot be worked out from the total)."
)
SPC_DEFINITION = (
    "Statistical process control (Making Data Count): each monthly series is drawn as an XmR chart "
    "with its mean and process limits (mean ± 2.66 × average moving range) fixed on its first 12 "
    "months. Special cause variation (improving or concern) is a point outside the limits, a run of "
    "7 on one side of the mean or 7 rising or falling; assurance compares the target with the limits."
)


def _need(data: DataSource, *names: str) -> list:
    frames = []
    for name in names:
        frame, _, error = data.get(name)
        if frame is None:
            raise SlideProblem(f"This view needs the {name} data, which cannot be loaded: {error}")
        frames.append(frame)
    return frames


def _optional(data: DataSource, name: str):
    return data.get(name)[0]


def _definition(data: DataSource, indicator_id: str, fallback: str = "") -> str:
    indicators = _optional(data, "indicators")
    if indicators is None:
        return fallback
    found = indicators.filter(pl.col("indicator_id") == indicator_id)
    return f"{found['name'][0]}: {found['definition'][0]}." if found.height else fallback


def cluster_map(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """The Neighbourhoods map of one indicator by cluster (or small area) in the place."""
    population, areas, indicators, bounds = _need(
        data, "population", "areas", "indicators", "boundaries"
    )
    measures = {m.measure_id: m for m in pop.measures(indicators, population)}
    wanted = spec.params.get("indicator")
    if wanted:
        found = find_indicator("cluster_map", wanted, data)
        if isinstance(found, str):
            raise SlideProblem(found[0].upper() + found[1:] + ".")
        measure = measures[found[0]]
    else:
        measure = measures.get(DEFAULT_MEASURE) or next(iter(measures.values()))
    values = pop.all_values(population, areas, indicators)[measure.measure_id]
    level = spec.params.get("level", "cluster")
    if level == "lsoa" and not pop.has_level(values, "lsoa"):
        level = "cluster"
    confidence = next(iter(CONFIDENCE.values()))
    period = pop.period_label(pop.as_at(values))
    pop_spec = data.get("population")[1]
    note = {"source": pop_spec.source if pop_spec else "Population data", "as_at": period}
    common = {
        "place_code": where.place_code,
        "confidence": confidence,
        "whole_place": covers_place(data, where.place_code),
    }
    clusters = pop.compare_areas(values, areas, measure, level="cluster", **common)
    rows = (
        clusters
        if level == "cluster"
        else pop.compare_areas(values, areas, measure, level="lsoa", **common)
    )
    shapes = map_shapes(bounds, areas, place_code=where.place_code)
    fig = hood_charts.measure_map(rows, shapes, measure, level=level, scheme=spec.params.get("scheme", "continuous"),
                                  period=period, place_name=where.place_name, cluster_code=where.cluster_code,
                                  **note)  # fmt: skip
    slide = Slide(
        spec=spec, title=f"{where.place_name}, {measure.name}: " + lower_first(figure_words(fig.layout.title.text)),
        figure=fig, rows=display_counts(rows, ["numerator", "denominator"]), source=note["source"],
        as_at=period, synthetic=pop_spec.synthetic if pop_spec else False,
        licence=pop_spec.licence if pop_spec else "", suppression_note=SUPPRESSION,
        definition=_definition(data, measure.numerator_id, measure.name)
        + (" As a share of all residents." if measure.denominator_id == pop.TOTAL else ""),
    )  # fmt: skip
    if wanted:
        slide.names[wanted] = measure.name
    return slide


def _outcome_inputs(data: DataSource):
    outcomes, indicators, areas = _need(data, "outcomes", "indicators", "areas")
    spec = data.get("outcomes")[1]
    source = (spec.source or spec.title) if spec else "outcomes"
    return outcomes, indicators, areas, spec, source


def spc_grid(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """The Overview's board grid: every outcome indicator's latest SPC reading by cluster."""
    outcomes, indicators, areas, out_spec, source = _outcome_inputs(data)
    analysis = om.analyse_place(observations=outcomes, indicators=indicators, areas=areas,
                                targets=_optional(data, "targets"), place_code=where.place_code,
                                whole_place=covers_place(data, where.place_code))  # fmt: skip
    if not analysis.indicators:
        raise SlideProblem(f"No monthly outcome indicators are recorded for {where.place_name}.")
    synthetic = out_spec.synthetic if out_spec else False
    fig, rows = grid_figure(
        analysis, chosen_area=where.cluster_code, source=source, synthetic=synthetic
    )
    problems = analysis.series_problems() + list(analysis.problems)
    return Slide(
        spec=spec, title=figure_words(fig.layout.title.text), figure=fig, rows=rows, source=source,
        as_at=f"{analysis.latest_period:%b %Y}" if analysis.latest_period else "",
        synthetic=synthetic, licence=out_spec.licence if out_spec else "",
        suppression_note=f"{len(problems)} series have data problems and no reading." if problems else None,
        definition=SPC_DEFINITION,
    )  # fmt: skip


def outcome_spc(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """The Outcomes page's XmR chart of one indicator for the place or a cluster."""
    outcomes, indicators, areas, out_spec, source = _outcome_inputs(data)
    found = find_indicator("outcome_spc", spec.params["indicator"], data)
    if isinstance(found, str):
        raise SlideProblem(found[0].upper() + found[1:] + ".")
    indicator_id, name = found
    synthetic = out_spec.synthetic if out_spec else False
    one = series_view(outcomes, indicators, _optional(data, "targets"), areas, _optional(data, "events"),
                      place_code=where.place_code, indicator_id=indicator_id, area_code=where.area_code,
                      source=source, synthetic=synthetic,
                      whole_place=covers_place(data, where.place_code))  # fmt: skip
    if one.result is None:
        raise SlideProblem(f"{name} is not recorded for {where.area_name}.")
    if one.result.withheld:
        raise SlideProblem(one.result.withheld)
    if one.chart is None:
        raise SlideProblem(
            f"{name} in {where.area_name} cannot be charted: " + " ".join(one.result.problems)
        )
    slide = Slide(
        spec=spec, title=finding_title(where.area_name, one.chart.layout.title.text or one.result.sentence),
        figure=one.chart, rows=one.rows, source=source, as_at=one.as_at or "", synthetic=synthetic,
        licence=out_spec.licence if out_spec else "", suppression_note=one.result.note or None,
        definition=_definition(data, indicator_id, name) + " " + SPC_DEFINITION,
    )  # fmt: skip
    slide.names[spec.params["indicator"]] = name
    return slide
