"""Benchmark panels: the place's clusters against the place on one outcome indicator, for a
financial year or the latest 12 months, the Fingertips way (metrics.compare).

"Which Oldham cluster has the highest emergency admissions 65+, and is it significantly
different from Oldham?": each cluster's value with its interval (Wilson for proportions, exact
Poisson below 10 events and Byar from 10 for rates), Oldham's value as a line, each cluster
coloured better / similar / worse (higher / similar / lower without a polarity), and a title
that names what differs. The words are significance words, never the Outcomes page's SPC words.

The rows hold each cluster's summed numerator and denominator (counts of people), released
under disclosure control (PEOPLE_COUNTS; values and limits worked out from the protected
counts by metrics.compare.clusters_against_place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from access.scope import place_withheld
from charts.benchmarks import benchmark_figure
from charts.text import plotly_text
from loaders.registry import suggest
from metrics import compare as cmp
from metrics.outcomes import Indicator, indicator_definitions
from metrics.suppression import RULE
from panels.core import (
    PEOPLE_COUNTS,
    PLACE_AREAS,
    Built,
    Caption,
    Data,
    Disclosure,
    NativeChart,
    NativeSeries,
    Need,
    Notice,
    Panel,
    PanelProblem,
)
from panels.params import AreaParams, param
from panels.registry import register_panel

CONFIDENCE = {"95": "95%", "99.8": "99.8%"}
PERIOD = re.compile(r"^(latest|\d{4}/\d{2})$")
COMPARABLE = ("proportion", "rate")  # counts of areas of different sizes are not compared
METHOD = (
    "Significantly different when {benchmark}'s value lies outside the cluster's interval "
    "(Fingertips' method): Wilson score intervals for proportions; for rates, exact Poisson "
    "limits below 10 events and Byar's from 10."
)


@dataclass(frozen=True)
class BenchParams(AreaParams):
    """The Benchmarks page's choices: the indicator (ID or name), the period ('latest' for the
    latest 12 months, or a financial year '2024/25') and the confidence level that colours."""

    indicator: str | None = param(
        "bench_indicator", "Indicator", None,
        help="An outcome indicator with numerators and denominators (a rate or a percentage).",
    )  # fmt: skip
    period: str = param(
        "bench_period", "Period", cmp.LATEST, pattern=PERIOD,
        pattern_words="'latest' or a financial year like '2024/25'",
        help="A financial year, or the latest 12 months: the monthly numerators and "
        "denominators are added up over the months.",
    )  # fmt: skip
    confidence: str = param(
        "bench_confidence", "Confidence", "95", choices=CONFIDENCE,
        help="95% or 99.8% confidence intervals (Fingertips' two levels). At 99.8% a "
        "difference has to be larger to count as significant.",
    )  # fmt: skip


def comparable(indicators: pl.DataFrame, observations: pl.DataFrame) -> list[Indicator]:
    """The monthly outcome indicators that can be compared (rates and proportions with data)."""
    present = set(observations["indicator_id"].unique().to_list())
    defs = indicator_definitions(indicators.filter(pl.col("indicator_id").is_in(present)))
    return sorted(
        (d for d in defs.values() if d.frequency == "monthly" and d.value_type in COMPARABLE),
        key=lambda d: d.name,
    )


def find_indicator(
    choices: list[Indicator],
    wanted: str | None,
    what: str = "an outcome rate or percentage that can be compared",
) -> Indicator | str:
    """The choice named by ID or name (the first when None), or why none is (naming the
    closest)."""
    if wanted is None:
        return choices[0]
    key = wanted.strip().casefold()
    for d in choices:
        if key in (d.indicator_id.casefold(), d.name.casefold()):
            return d
    return f"'{wanted}' is not {what} ({suggest(wanted, [d.name for d in choices])})"


def kind_words(indicator: Indicator) -> str:
    """Whether the figure is crude or standardised, said on screen."""
    if indicator.value_type == "rate":
        return (
            "Crude rates (not age-standardised: the data has no age bands), so a cluster with "
            "older residents can differ for that reason alone."
        )
    return "Percentages (crude: not standardised)."


def page_choices(
    params: BenchParams, data: Data
) -> tuple[dict[str, str], dict[str, str]] | PanelProblem:
    """The page's choices from the data: indicators (ID -> name) and periods (code -> label)."""
    try:
        outcomes = data.frame("outcomes")
        choices = comparable(data.frame("indicators"), outcomes)
    except PanelProblem as problem:
        return problem
    indicators = {d.indicator_id: d.name for d in choices}
    found = find_indicator(choices, params.indicator) if choices else None
    wanted = found.indicator_id if isinstance(found, Indicator) else None
    months = outcomes.filter(pl.col("indicator_id") == wanted)["period_start"].to_list()
    periods = {p.code: p.label[0].upper() + p.label[1:] for p in cmp.periods(months)}
    return indicators, periods


@register_panel
class ClusterBenchmark(Panel[BenchParams]):
    id = "cluster_benchmark"
    title = "The place's clusters against the place on one outcome indicator, with intervals"
    page: ClassVar[str] = "benchmarks"
    Params = BenchParams
    disclosure: ClassVar[Disclosure] = PEOPLE_COUNTS

    def needs(self, params: BenchParams) -> tuple[Need, ...]:
        return (Need("outcomes", where={"area_code": PLACE_AREAS}), Need("indicators"),
                Need("areas"))  # fmt: skip

    def chosen(self, params: BenchParams, data: Data) -> Indicator:
        choices = comparable(data.frame("indicators"), data.frame("outcomes"))
        if not choices:
            raise PanelProblem(
                f"No outcome rates or percentages are recorded for {data.area.place_name}."
            )
        found = find_indicator(choices, params.indicator)
        if isinstance(found, str):
            raise PanelProblem(found[0].upper() + found[1:] + ".")
        return found

    def check(self, params: BenchParams, data: Data) -> str | None:
        try:
            self.chosen(params, data)
        except PanelProblem as problem:
            return str(problem)
        return None

    def build(self, params: BenchParams, data: Data) -> Built:
        area = data.area
        indicator = self.chosen(params, data)
        outcomes = data.frame("outcomes")
        months = outcomes.filter(pl.col("indicator_id") == indicator.indicator_id)
        choices = cmp.periods(months["period_start"].to_list())
        period = cmp.find_period(choices, params.period)
        if period is None:
            known = [p.code for p in choices] or ["(none: fewer than 12 months recorded)"]
            raise PanelProblem(
                f"{indicator.name} has no complete period '{params.period}' for "
                f"{area.place_name} ({suggest(params.period, known)})."
            )
        rows, benchmark = cmp.clusters_against_place(
            outcomes, data.frame("areas"), indicator_id=indicator.indicator_id,
            value_type=indicator.value_type, polarity=indicator.polarity,
            multiplier=indicator.multiplier, disclosure=indicator.disclosure, period=period,
            place_code=area.place_code, whole_place=area.whole_place,
        )  # fmt: skip
        if rows.is_empty():
            raise PanelProblem(f"{indicator.name} is not recorded for the clusters of "
                               f"{area.place_name} in {period.label}.")  # fmt: skip
        level = params.confidence
        notices = []
        if area.whole_place:
            sentence = cmp.finding(rows, indicator_name=indicator.name,
                                   benchmark_name=area.place_name, level=level)  # fmt: skip
            title = f"{sentence} ({CONFIDENCE[level]} confidence, {period.label})"
        else:
            withheld = place_withheld(area.place_name)
            notices.append(Notice(f"{withheld}: the clusters are shown with their intervals, "
                                  "without a comparison with the place."))  # fmt: skip
            title = f"{indicator.name} in your clusters, {period.label} ({withheld})"
        short = [r for r in rows.iter_rows(named=True) if r["months"] < 12]
        if short:
            notices.append(Notice(
                "Fewer than 12 months recorded for " + ", ".join(
                    f"{r['area_name']} ({r['months']})" for r in short) + ".", "warning"))  # fmt: skip
        line = f"line: {area.place_name}" if benchmark is not None else "no place line"
        subtitle = (f"{plotly_text(period.label[0].upper() + period.label[1:])}. Points: value; "
                    f"whiskers: {CONFIDENCE[level]} interval; {plotly_text(line)}. "
                    f"{'Crude rate' if indicator.value_type == 'rate' else 'Percentage'}.")  # fmt: skip
        fig = benchmark_figure(
            rows, title=plotly_text(title), unit=indicator.unit, value_type=indicator.value_type,
            level=level, benchmark_name=area.place_name, benchmark=benchmark, subtitle=subtitle,
        )  # fmt: skip
        ordered = rows.sort("value", descending=True, nulls_last=True)
        native = NativeChart(
            "bar", tuple(ordered["area_name"].to_list()),
            (NativeSeries(indicator.name, tuple(ordered["value"].to_list())),),
            axis_title=indicator.unit,
        )  # fmt: skip
        spec = data.spec("outcomes")
        notes = (kind_words(indicator), METHOD.format(benchmark=area.place_name), RULE)
        caption = Caption.of(spec, fallback="Outcomes", as_at=period.label, notes=notes)
        definition = (f"{indicator.name} ({indicator.unit}), {period.label}: "
                      + METHOD.format(benchmark=area.place_name))  # fmt: skip
        return Built(title, fig, self.release(rows), caption, notices=notices,
                     definition=definition, native=native,
                     names={indicator.indicator_id: indicator.name},
                     extras={"benchmark": benchmark, "period": period,
                             "kind": kind_words(indicator)})  # fmt: skip
