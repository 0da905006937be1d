"""Outcome indicator series by cluster and place, checked, then read as Making Data Count charts.

A place's figure is built from its clusters' numerators and denominators, never by averaging
cluster rates. A series with a gap, a duplicated period, a missing or non-numeric value, or
fewer than two points gets no chart: it gets a message naming the indicator, the area and
the periods, and every other series is still analysed. (An XmR chart across a missing month
would pair two months that are not neighbours, so a gap is refused rather than bridged.)

One exception is not an error: a rate or percentage whose denominator is 0 that month (0 of
0, e.g. nobody discharged into reablement) has no value. That month is left out of the
chart, with a note, and the place figure still adds it in (0 of 0 adds nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from access.scope import place_withheld
from formatting import format_value
from geo.clusters import area_lookup
from metrics import spc
from metrics.outcomes_checks import check_series, describe_periods, empty_periods
from metrics.outcomes_place import (
    RATE_TYPES,
    TargetSteps,
    area_series,
    target_map,
    targets_at,
    value_bounds,
)
from metrics.outcomes_rows import (
    POINT_WORDS,
    event_choices,
    rebase_hint,
    table_rows,
    table_rows_many,
)
from metrics.scalars import as_date, as_optional_date, as_optional_number
from metrics.suppression import BASE, HIGH, LOW, small_complement, value_from_counts, whole

__all__ = [  # with the row and event helpers of metrics.outcomes_rows, re-exported for the pages
    "POINT_WORDS",
    "SERIES_FREQUENCIES",
    "Area",
    "Indicator",
    "PlaceAnalysis",
    "SeriesResult",
    "analyse_place",
    "area_series",
    "event_choices",
    "events_for",
    "indicator_definitions",
    "place_areas",
    "rebase_hint",
    "small_numbers",
    "table_rows",
    "table_rows_many",
]

SERIES_FREQUENCIES = ("monthly", "quarterly", "annual")


@dataclass(frozen=True)
class Indicator:
    """What a series measures, and which way is better."""

    indicator_id: str
    name: str
    unit: str
    polarity: str
    value_type: str
    multiplier: float
    frequency: str
    source: str = ""
    #: person counts below place level are suppressed and rounded in tables and downloads
    disclosure: bool = True

    @property
    def improvement(self) -> str:
        return spc.improvement_for(self.polarity)

    def format(self, value: float | None) -> str:
        return format_value(value, self.value_type, self.unit)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    is_place: bool = False


@dataclass(frozen=True)
class SeriesResult:
    """One indicator in one area: the XmR frame (None if the data has a problem) and its reading."""

    indicator: Indicator
    area: Area
    frame: pl.DataFrame | None
    problems: tuple[str, ...] = ()
    variation: str | None = None
    assurance: str | None = None
    sentence: str = ""
    empty_periods: tuple[date, ...] = ()  # 0-of-0 periods left out of the chart
    note: str = ""
    #: why the series is not shown under disclosure control (small numbers); "" when shown
    withheld: str = ""

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.problems

    @property
    def shown(self) -> pl.DataFrame | None:
        """The XmR frame when the series is charted (``ok``), else None."""
        return self.frame if self.ok else None

    @property
    def latest_value(self) -> float | None:
        frame = self.shown
        return (
            as_optional_number(frame["value"][-1]) if frame is not None and frame.height else None
        )

    @property
    def latest_period(self) -> date | None:
        frame = self.shown
        return as_optional_date(frame["period"][-1]) if frame is not None and frame.height else None


@dataclass(frozen=True)
class PlaceAnalysis:
    """Every indicator in every cluster of a place and in the place itself."""

    place: Area
    areas: tuple[Area, ...]  # the place, then its clusters by name
    indicators: tuple[Indicator, ...]
    results: dict[tuple[str, str], SeriesResult] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # problems not tied to one series
    #: why there is no place series ("Oldham as a whole: not in your access"), "" when there is
    place_withheld: str = ""

    def result(self, indicator_id: str, area_code: str) -> SeriesResult | None:
        return self.results.get((indicator_id, area_code))

    def series_problems(self) -> list[str]:
        return [p for r in self.results.values() for p in r.problems]

    @property
    def first_period(self) -> date | None:
        periods = [
            as_date(f["period"][0]) for r in self.results.values() if (f := r.shown) is not None
        ]
        return min(periods) if periods else None

    @property
    def latest_period(self) -> date | None:
        periods = [r.latest_period for r in self.results.values() if r.latest_period]
        return max(periods) if periods else None


def indicator_definitions(indicators: pl.DataFrame) -> dict[str, Indicator]:
    """Indicator id -> definition, from the `indicators` table."""
    return {
        row["indicator_id"]: Indicator(
            row["indicator_id"],
            row["name"],
            row["unit"],
            row["polarity"],
            row["value_type"],
            float(row["multiplier"]),
            row["frequency"],
            row.get("source") or "",
            row.get("disclosure_control") is not False,
        )
        for row in indicators.iter_rows(named=True)
    }


def place_areas(areas: pl.DataFrame, place_code: str) -> tuple[Area, list[Area]]:
    """The place and its clusters (by name)."""
    row = areas.filter(pl.col("area_code") == place_code)
    place = Area(place_code, row["area_name"].item() if row.height else place_code, True)
    lookup = area_lookup(areas, "cluster", "place").filter(pl.col("place_code") == place_code)
    clusters = (
        areas.filter(pl.col("area_code").is_in(lookup["area_code"].implode()))
        .select("area_code", "area_name")
        .sort("area_name")
    )
    return place, [Area(c, n) for c, n in clusters.iter_rows()]


def _analyse(
    rows: pl.DataFrame,
    indicator: Indicator,
    area: Area,
    targets: TargetSteps | None,
    rebase_at: tuple[date, ...],
    place_name: str,
    whole_place: bool = True,
) -> SeriesResult:
    problems = check_series(rows, indicator, area.name, place_name if area.is_place else None)
    if problems:
        return SeriesResult(indicator, area, None, tuple(problems))
    if not area.is_place and indicator.disclosure:
        if reason := small_numbers(rows, indicator, area.name, place_name if whole_place else None):
            return SeriesResult(indicator, area, None, withheld=reason)
        # counts below place level to the nearest 5, and every value worked out from them, so
        # the chart, its limits and its rows hold nothing that gives an exact count back
        rows = rows.with_columns(
            pl.col(c).cast(pl.Float64).round(0).truediv(BASE).round(0).mul(BASE).alias(c)
            for c in ("numerator", "denominator")
        ).with_columns(value=value_from_counts(indicator.value_type, indicator.multiplier))
    skipped = tuple(empty_periods(rows, indicator))
    if skipped:
        rows = rows.filter(~pl.col("period_start").is_in(list(skipped)))
    rows = rows.sort("period_start")
    periods = rows["period_start"].to_list()
    frame = spc.xmr(
        rows["value"],
        indicator.improvement,
        target=targets_at(targets, periods),
        rebase_at=rebase_at,
        periods=periods,
        bounds=value_bounds(indicator, rows["value"]),
    ).with_columns(
        numerator=rows["numerator"],
        denominator=rows["denominator"],
    )
    return SeriesResult(
        indicator,
        area,
        frame,
        (),
        spc.variation_icon(frame),
        spc.assurance_icon(frame, indicator.improvement),
        spc.describe(
            frame,
            indicator=indicator.name,
            area=area.name,
            improvement=indicator.improvement,
            fmt=indicator.format,
        ),
        skipped,
        (
            f"{indicator.name} in {area.name}: no figure for {describe_periods(list(skipped))} "
            "because the denominator was 0 (nobody to count); left out of the chart."
        )
        if skipped
        else "",
    )


def small_numbers(rows: pl.DataFrame, indicator: Indicator, area: str, place: str | None) -> str:
    """Why a cluster series cannot be shown under disclosure control ("" when it can).

    A month counting 1 to 7 people (or a rate or percentage from 1 to 7 events) could identify
    someone, and leaving those months out would give an XmR chart with holes its limits cannot
    bridge: the cluster's series is not shown; the place's, which includes them, is.
    """
    # a denominator of 1 to 7 (a rate per a handful of people) is as small as a numerator
    low = (
        whole("numerator").is_between(LOW, HIGH) | whole("denominator").is_between(LOW, HIGH)
    ).fill_null(False)
    small = rows.filter(low).height
    rest = rows.filter(~low & small_complement(indicator.value_type)).height
    if not small and not rest:
        return ""
    what = "people" if indicator.value_type == "count" else "events"
    why = []
    if small:
        why.append(f"{small} of {rows.height} periods count fewer than {HIGH + 1} {what}")
    if rest:
        why.append(
            f"in {rest} of {rows.height} periods fewer than {HIGH + 1} of those counted are "
            "outside the numerator"
        )
    return (
        f"{indicator.name} in {area} is not shown: {' and '.join(why)}, and numbers that small "
        "could identify someone (disclosure control)."
        + (f" The {place} figure includes them." if place else "")
    )


def analyse_place(
    observations: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame | None,
    areas: pl.DataFrame,
    *,
    place_code: str,
    indicator_ids: tuple[str, ...] | None = None,
    rebase_at: tuple[date, ...] = (),
    whole_place: bool = True,
) -> PlaceAnalysis:
    """XmR results for each indicator (all, or `indicator_ids`) in each cluster and the place.

    `rebase_at`: dates from which limits are recalculated (snapped to the next period).
    `whole_place=False` (the person's access covers only some of the place's clusters, see
    access.Scope.covers_place): no place series at all, because a sum over the clusters they
    may see is not the place's figure; `place_withheld` says so.
    """
    place, clusters = place_areas(areas, place_code)
    defs = indicator_definitions(indicators)
    if indicator_ids:
        observations = observations.filter(pl.col("indicator_id").is_in(list(indicator_ids)))
    long = area_series(observations, indicators, place, clusters)
    wanted = indicator_ids or tuple(sorted(long["indicator_id"].unique().to_list()))
    problems = [
        f"Indicator '{i}' has observations but no definition in the indicators table, "
        "so it cannot be charted."
        for i in wanted
        if i not in defs and i in set(long["indicator_id"].to_list())
    ]
    chosen = sorted(
        (defs[i] for i in wanted if i in defs and defs[i].frequency in SERIES_FREQUENCIES),
        key=lambda d: d.name,
    )
    groups = long.filter(pl.col("indicator_id").is_in(wanted)).partition_by(
        ["indicator_id", "area_code"], as_dict=True
    )
    empty = long.head(0)
    goals = target_map(targets)
    results = {}
    shown = [place, *clusters] if whole_place else clusters
    for ind in chosen:
        for area in shown:
            rows = groups.get((ind.indicator_id, area.code), empty)
            if rows.is_empty() and not area.is_place:
                continue  # the cluster does not report this indicator
            if area.is_place and _rates_without_denominators(groups, ind, clusters, rows):
                results[(ind.indicator_id, area.code)] = SeriesResult(
                    ind,
                    area,
                    None,
                    (
                        f"{ind.name} in {place.name}: a place figure for a rate or percentage is "
                        "built from the clusters' numerators and denominators (rates are never "
                        "averaged), and the data gives no denominators.",
                    ),
                )
                continue
            results[(ind.indicator_id, area.code)] = _analyse(
                rows,
                ind,
                area,
                goals.get((ind.indicator_id, area.code)),
                tuple(rebase_at),
                place.name,
                whole_place,
            )
    return PlaceAnalysis(
        place,
        tuple(shown),
        tuple(chosen),
        results,
        tuple(problems),
        "" if whole_place else place_withheld(place.name),
    )


def _rates_without_denominators(
    groups: Mapping[tuple[object, ...], pl.DataFrame],
    ind: Indicator,
    clusters: Sequence[Area],
    place_rows: pl.DataFrame,
) -> bool:
    """True when the place would be summed from cluster rates that have no denominators."""
    if ind.value_type not in RATE_TYPES or place_rows.is_empty():
        return False
    if place_rows["missing_from"].is_null().any():
        return False  # the place has rows of its own, or some periods could be added up
    frames = [groups[k] for c in clusters if (k := (ind.indicator_id, c.code)) in groups]
    return bool(frames) and all(f["denominator"].is_null().all() for f in frames)


def events_for(events: pl.DataFrame | None, areas: pl.DataFrame, place_code: str) -> pl.DataFrame:
    """Events for the place, its clusters, or everywhere (no area), oldest first."""
    if events is None or events.is_empty():
        return pl.DataFrame(schema={"date": pl.Date, "label": pl.String, "detail": pl.String})
    _, clusters = place_areas(areas, place_code)
    codes = [place_code, *(c.code for c in clusters)]
    return (
        events.filter(pl.col("area_code").is_null() | pl.col("area_code").is_in(codes))
        .select("date", "label", "detail")
        .sort("date")
    )
