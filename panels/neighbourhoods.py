"""Neighbourhood panels: the map of one population indicator by cluster or small area.

The rows are compare_areas rows: each area's numerator and denominator (people), released
under disclosure control (PEOPLE_COUNTS), with the significance against the place and England
at the confidence level chosen (95% or 99.8%, as Fingertips).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from charts import neighbourhoods as charts
from charts.text import figure_words
from geo.clusters import map_shapes, match_report
from loaders.registry import suggest
from metrics import population as pop
from metrics.rates import LEVELS
from panels.core import (
    PEOPLE_COUNTS,
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

DEFAULT_MEASURE = "population_65_plus_share"  # residents aged 65+, as a share of residents
MAP_LEVELS = {"cluster": "Clusters", "lsoa": "Small areas (LSOA)"}
SCHEMES = {"continuous": "Continuous", "quintiles": "Quintiles", "deciles": "Deciles"}
CONFIDENCE = {label.rstrip("%"): label for label in LEVELS}  # '95' -> '95%'
SUPPRESSION = (
    "Counts of people are rounded to the nearest 5; * means 1 to 7 people (or a second cell "
    "hidden so the first cannot be worked out from the total)."
)


@dataclass(frozen=True)
class HoodParams(AreaParams):
    """The Neighbourhoods page's choices: the indicator (its ID or name), map level, colours
    and the confidence level of the comparisons."""

    indicator: str | None = param("hoods_indicator", "Indicator", None)
    level: str = param("hoods_level", "Map by", "cluster", choices=MAP_LEVELS)
    scheme: str = param(
        "hoods_scale", "Colours", "continuous", choices=SCHEMES,
        help="Continuous shading, or five or ten groups with equal numbers of areas.",
    )  # fmt: skip
    confidence: str = param(
        "hoods_confidence", "Confidence", "95", choices=CONFIDENCE,
        help="Level of the confidence intervals used to call a difference significant "
        "(Fingertips uses 95% and 99.8%).",
    )  # fmt: skip


def find_measure(measures: list[pop.Measure], wanted: str | None) -> pop.Measure | str:
    """The measure named by ID or name (any case; the default without one), or why not."""
    by_id = {m.measure_id: m for m in measures}
    if wanted is None:
        return by_id.get(DEFAULT_MEASURE) or measures[0]
    key = wanted.strip().casefold()
    for m in measures:
        if key in (m.measure_id.casefold(), m.name.casefold()):
            return m
    return f"unknown indicator '{wanted}' ({suggest(wanted, [m.name for m in measures])})"


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


class HoodPanel(Panel[HoodParams]):
    page: ClassVar[str] = "neighbourhoods"
    Params = HoodParams
    disclosure: ClassVar[Disclosure] = PEOPLE_COUNTS

    def needs(self, params: HoodParams) -> tuple[Need, ...]:
        return (Need("population"), Need("areas"), Need("indicators"), Need("boundaries"))

    def measures(self, data: Data) -> list[pop.Measure]:
        found = data.shared(pop.measures, ("indicators", "population"))
        if not found:
            raise PanelProblem("The population data holds no indicator that can be mapped.")
        return list(found)

    def check(self, params: HoodParams, data: Data) -> str | None:
        found = find_measure(self.measures(data), params.indicator)
        return found[0].upper() + found[1:] + "." if isinstance(found, str) else None


@register_panel
class ClusterMap(HoodPanel):
    id = "cluster_map"
    title = "Map of the place's clusters (or small areas) for one population indicator"

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        measure = find_measure(self.measures(data), params.indicator)
        if isinstance(measure, str):
            raise PanelProblem(measure[0].upper() + measure[1:] + ".")
        values: Any = data.shared(pop.all_values, ("population", "areas", "indicators"))
        rows_of = values[measure.measure_id]
        notices: list[Notice] = []
        level = params.level
        if level == "lsoa" and not pop.has_level(rows_of, "lsoa"):
            notices.append(
                Notice(f"{measure.name} is published for clusters only, so the map shows clusters.")
            )
            level = "cluster"
        period = pop.period_label(pop.as_at(rows_of))
        areas = data.frame("areas")
        rows = pop.compare_areas(
            rows_of, areas, measure, level=level, place_code=area.place_code,
            confidence=LEVELS[CONFIDENCE[params.confidence]], whole_place=area.whole_place,
        )  # fmt: skip
        shapes: Any = data.shared(map_shapes, ("boundaries", "areas"), place_code=area.place_code)
        notices += [Notice(w, "warning") for w in shapes["report"].warnings()]
        check = match_report(
            rows["area_code"], shapes["lsoa" if level == "lsoa" else "clusters"]["area_code"]
        )
        if check["no_boundary"] or check["no_data"]:
            notices.append(Notice(
                f"{check['no_boundary']} area(s) in the data have no boundary and are not on the map "
                f"(e.g. {', '.join(check['no_boundary_examples']) or 'none'}); {check['no_data']} "
                f"boundary shape(s) have no data (e.g. {', '.join(check['no_data_examples']) or 'none'}).",
                "warning"))  # fmt: skip
        fig = charts.measure_map(rows, shapes, measure, level=level, scheme=params.scheme, period=period,
                                 place_name=area.place_name, cluster_code=area.cluster_code)  # fmt: skip
        title = f"{area.place_name}, {measure.name}: " + lower_first(
            figure_words(fig.layout.title.text)
        )
        indicators = data.frame("indicators")
        found = indicators.filter(indicators["indicator_id"] == measure.numerator_id)
        definition = (f"{found['name'][0]}: {found['definition'][0]}." if found.height else measure.name) + (
            " As a share of all residents." if measure.denominator_id == pop.TOTAL else "")  # fmt: skip
        caption = Caption.of(data.spec("population"), fallback="Population data", as_at=period,
                             notes=(SUPPRESSION,), boundaries=True)  # fmt: skip
        names = {params.indicator: measure.name} if params.indicator else {}
        return Built(title, fig, self.release(rows), caption, notices=notices,
                     definition=definition, names=names)  # fmt: skip
