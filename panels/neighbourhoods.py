"""Neighbourhood panels: one population indicator by cluster or small area (the map, the
comparison of clusters and the table behind the map), and the profile of the chosen area (its
ages and every indicator against the place and England).

The map, comparison and table rows are compare_areas rows: each area's numerator and
denominator (people), released under disclosure control (PEOPLE_COUNTS), with the significance
against the place and England at the confidence level chosen (95% or 99.8%, as Fingertips).
The profile's rows are shares and rates worked out from the protected counts (no counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from access.scope import place_withheld
from charts import neighbourhoods as charts
from charts.text import figure_words, finding_title, lower_first
from geo.clusters import map_shapes, match_report
from loaders.registry import suggest
from metrics import population as pop
from metrics.rates import LEVELS
from panels.core import (
    NO_PEOPLE,
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
LEVEL_WORDS = {"cluster": "clusters", "lsoa": "small areas (LSOAs)"}
SCHEMES = {"continuous": "Continuous", "quintiles": "Quintiles", "deciles": "Deciles"}
CONFIDENCE = {label.rstrip("%"): label for label in LEVELS}  # '95' -> '95%'
PROFILE_NOTE = (
    "Significantly higher or lower when the comparator lies outside the interval (Wilson score "
    "for proportions). Blank: suppressed (1 to 7 people) or not comparable."
)
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


class HoodPanel(Panel[HoodParams]):
    page: ClassVar[str] = "neighbourhoods"
    Params = HoodParams
    disclosure: ClassVar[Disclosure] = PEOPLE_COUNTS

    def needs(self, params: HoodParams) -> tuple[Need, ...]:
        return (Need("population"), Need("areas"), Need("indicators"))

    def measures(self, data: Data) -> list[pop.Measure]:
        found = data.shared(pop.measures, ("indicators", "population"))
        if not found:
            raise PanelProblem("The population data holds no indicator that can be mapped.")
        return list(found)

    def check(self, params: HoodParams, data: Data) -> str | None:
        found = find_measure(self.measures(data), params.indicator)
        return found[0].upper() + found[1:] + "." if isinstance(found, str) else None

    def chosen(self, params: HoodParams, data: Data) -> Chosen:
        """The measure asked for, every measure's values (shared by the page's panels), the
        chosen one's rows and their period."""
        measure = find_measure(self.measures(data), params.indicator)
        if isinstance(measure, str):
            raise PanelProblem(measure[0].upper() + measure[1:] + ".")
        values: Any = data.shared(pop.all_values, ("population", "areas", "indicators"))
        rows_of = values[measure.measure_id]
        return Chosen(measure, values, rows_of, pop.period_label(pop.as_at(rows_of)))

    def compared(self, params: HoodParams, data: Data, chosen: Chosen, level: str) -> pl.DataFrame:
        """The place's clusters (or small areas) with intervals and comparisons, protected."""
        area = data.area
        return pop.compare_areas(
            chosen.rows, data.frame("areas"), chosen.measure, level=level,
            place_code=area.place_code, confidence=LEVELS[CONFIDENCE[params.confidence]],
            whole_place=area.whole_place,
        )  # fmt: skip

    def level(self, params: HoodParams, chosen: Chosen) -> tuple[str, list[Notice]]:
        """The level drawn: small areas only for a measure published for them."""
        if params.level == "lsoa" and not pop.has_level(chosen.rows, "lsoa"):
            words = f"{chosen.measure.name} is published for clusters only, so clusters are shown."
            return "cluster", [Notice(words)]
        return params.level, []

    def caption(self, data: Data, chosen: Chosen, **more: Any) -> Caption:
        more.setdefault("notes", (SUPPRESSION,))
        return Caption.of(data.spec("population"), fallback="Population data", as_at=chosen.period,
                          **more)  # fmt: skip


@dataclass(frozen=True)
class Chosen:
    measure: pop.Measure
    values: dict[str, pl.DataFrame]  # measure_id -> its values (pop.all_values)
    rows: pl.DataFrame  # the chosen measure's values
    period: str


def definition_of(data: Data, measure: pop.Measure) -> str:
    """What the measure means, from the indicator list (for a pack's appendix)."""
    indicators = data.frame("indicators")
    found = indicators.filter(indicators["indicator_id"] == measure.numerator_id)
    words = f"{found['name'][0]}: {found['definition'][0]}." if found.height else measure.name
    return words + (" As a share of all residents." if measure.denominator_id == pop.TOTAL else "")


def page_choices(data: Data) -> dict[str, str] | PanelProblem:
    """The indicators the page offers (ID -> name), in the data's order."""
    try:
        return {m.measure_id: m.name for m in ClusterTable().measures(data)}
    except PanelProblem as problem:
        return problem


@register_panel
class ClusterMap(HoodPanel):
    id = "cluster_map"
    title = "Map of the place's clusters (or small areas) for one population indicator"

    def needs(self, params: HoodParams) -> tuple[Need, ...]:
        return (*super().needs(params), Need("boundaries"))

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        chosen = self.chosen(params, data)
        measure = chosen.measure
        level, notices = self.level(params, chosen)
        rows = self.compared(params, data, chosen, level)
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
        fig = charts.measure_map(rows, shapes, measure, level=level, scheme=params.scheme,
                                 period=chosen.period, place_name=area.place_name,
                                 cluster_code=area.cluster_code)  # fmt: skip
        title = f"{area.place_name}, {measure.name}: " + lower_first(
            figure_words(fig.layout.title.text)
        )
        names = {params.indicator: measure.name} if params.indicator else {}
        return Built(title, fig, self.release(rows), self.caption(data, chosen, boundaries=True),
                     notices=notices, definition=definition_of(data, measure), names=names)  # fmt: skip


@register_panel
class ClusterCompare(HoodPanel):
    """The place's clusters as bars with intervals, coloured by comparison with the place."""

    id = "cluster_compare"
    title = "The place's clusters compared on one population indicator, with intervals"

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        chosen = self.chosen(params, data)
        rows = self.compared(params, data, chosen, "cluster")
        if not pop.has_values(rows):
            raise PanelProblem(
                f"{chosen.measure.name} is a small-area measure that cannot be added up or "
                "averaged into clusters: choose Small areas (LSOA), or a measure such as the IMD "
                "score or the share of residents in England's most deprived 20% of areas."
            )
        withheld = "" if area.whole_place else place_withheld(area.place_name)
        fig = charts.compare_figure(rows, chosen.measure, place_name=area.place_name,
                                    confidence_label=CONFIDENCE[params.confidence],
                                    period=chosen.period, place_withheld=withheld)  # fmt: skip
        title = finding_title(area.place_name, fig.layout.title.text)
        return Built(title, fig, self.release(rows), self.caption(data, chosen),
                     definition=definition_of(data, chosen.measure))  # fmt: skip


@register_panel
class ClusterTable(HoodPanel):
    """A table (no figure): the numbers behind the map, at the level it is drawn."""

    id = "cluster_table"
    title = "The numbers behind the map: each cluster (or small area) with its interval"

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        chosen = self.chosen(params, data)
        level, notices = self.level(params, chosen)
        rows = self.compared(params, data, chosen, level)
        where = area.place_name if area.whole_place else "your access"
        title = (f"{rows.height} {LEVEL_WORDS[level]} in {where}, {chosen.measure.name}, "
                 f"{chosen.period}.")  # fmt: skip
        return Built(title, None, self.release(rows), self.caption(data, chosen), notices=notices,
                     definition=definition_of(data, chosen.measure))  # fmt: skip


class ProfilePanel(HoodPanel):
    """The chosen area (cluster, or the place): shares and rates, no counts of people."""

    disclosure: ClassVar[Disclosure] = NO_PEOPLE

    def caption(self, data: Data, chosen: Chosen, **more: Any) -> Caption:
        return super().caption(data, chosen, notes=(PROFILE_NOTE,), **more)


@register_panel
class AreaAges(ProfilePanel):
    id = "area_ages"
    title = "Age of the residents of the chosen cluster (or place), against the place"

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        chosen = self.chosen(params, data)
        ages = pop.age_shares(chosen.values, area_code=area.area_code,
                              place_code=area.place_code, whole_place=area.whole_place)  # fmt: skip
        if ages.is_empty():
            raise PanelProblem(f"The population data holds no age bands for {area.area_name}.")
        fig = charts.age_figure(ages, area_name=area.area_name, place_name=area.place_name,
                                period=chosen.period)  # fmt: skip
        title = figure_words(fig.layout.title.text) + f" ({chosen.period})"
        return Built(title, fig, self.release(ages), self.caption(data, chosen))


@register_panel
class AreaProfile(ProfilePanel):
    """A table (no figure): every indicator for the chosen area, against the place and England."""

    id = "area_profile"
    title = "Every population indicator for the chosen cluster (or place), against the place and England"

    def build(self, params: HoodParams, data: Data) -> Built:
        area = data.area
        chosen = self.chosen(params, data)
        rows = pop.profile(chosen.values, self.measures(data), area_code=area.area_code,
                           place_code=area.place_code,
                           confidence=LEVELS[CONFIDENCE[params.confidence]],
                           whole_place=area.whole_place)  # fmt: skip
        against = [area.place_name] if area.cluster_code and area.whole_place else []
        title = f"{area.area_name}: {rows.height} indicators, against {' and '.join([*against, 'England'])}."
        return Built(title, None, self.release(rows), self.caption(data, chosen))
