"""The place against its statistical neighbours on a published council figure (metrics.peers).

"How do we compare with places like us?": the place's value among its 10 nearest councils
(deprivation, share aged 65+, ONS Health Index), the peer median and England as lines, and a
title that gives the gap to the median in the figure's own counts ("at its peers' median rate,
Oldham would have about 1,940 more people on the depression register"). All real, published data.

Peers need every council's figures, so the panel is drawn only for a person who may see the
whole place; the council rows are public statistics, released with counts rounded to 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from access.scope import place_withheld
from charts.peers import peer_value, peers_figure
from charts.text import plotly_text
from metrics import peers as pm
from metrics.outcomes import Indicator, indicator_definitions
from panels.benchmarks import find_indicator
from panels.core import (
    PEOPLE_COUNTS,
    Built,
    Caption,
    Data,
    Disclosure,
    NativeChart,
    NativeSeries,
    Need,
    Panel,
    PanelProblem,
)
from panels.params import AreaParams, param
from panels.registry import register_panel

ENGLAND = "E92000001"
CONTEXT = set(pm.PEER_VARIABLES)
METHOD = (
    "Peers: the 10 single-tier English councils nearest to the place on deprivation (IMD 2019 "
    "average score), the share of residents aged 65 and over (mid-2020) and the ONS Health Index "
    "(2021), each scaled to a z-score over all 123 councils, by Euclidean distance."
)


@dataclass(frozen=True)
class PeerParams(AreaParams):
    """The peers view's choice: the council figure (ID or name)."""

    figure: str | None = param(
        "peer_figure", "Council figure", None,
        help="A published figure for every council (QOF, Better Care Fund, life expectancy).",
    )  # fmt: skip


DEFAULT_FIGURE = "qof_depression_2019_20"  # published for every council, so first


def figures_offered(indicators: pl.DataFrame) -> list[Indicator]:
    """The council figures to compare (not the variables peers are chosen on): the default
    first, then by name."""
    defs = indicator_definitions(indicators)
    return sorted(
        (d for d in defs.values() if d.indicator_id not in CONTEXT),
        key=lambda d: (d.indicator_id != DEFAULT_FIGURE, d.name),
    )


def gap_words(
    comparison: pm.PeerComparison, indicator: Indicator, place: str, numerator: str | None
) -> str:
    """The gap to the peer median in the figure's own counts, or in its units without counts."""
    gap = comparison.gap_count
    if gap is not None and numerator:
        what = numerator[0].lower() + numerator[1:]
        if indicator.unit.startswith("£"):
            more = "more" if gap > 0 else "less"
            return f"at its peers' median, {place} would plan about £{abs(gap) / 1e6:,.1f} million {more}"
        rounded = round(abs(gap) / 10) * 10
        if rounded == 0:
            return f"{place} is at its peers' median"
        more = "more" if gap > 0 else "fewer"
        return f"at its peers' median rate, {place} would have about {rounded:,} {more} {what}"
    diff = comparison.place_value - comparison.median
    if abs(diff) < 0.05:
        return f"{place} is at its peers' median"
    side = "above" if diff > 0 else "below"
    return f"{place} is {abs(diff):,.1f} {indicator.unit} {side} its peers' median"


@register_panel
class PeerBenchmark(Panel[PeerParams]):
    id = "peer_benchmark"
    title = "The place against its statistical neighbours on a published council figure"
    page: ClassVar[str] = "benchmarks"
    Params = PeerParams
    disclosure: ClassVar[Disclosure] = PEOPLE_COUNTS

    def needs(self, params: PeerParams) -> tuple[Need, ...]:
        return (Need("council_figures"), Need("council_indicators"), Need("councils"))

    def chosen(self, params: PeerParams, data: Data) -> Indicator:
        offered = figures_offered(data.frame("council_indicators"))
        if not offered:
            raise PanelProblem("No council figures are defined to compare with peers.")
        found = find_indicator(offered, params.figure, what="a council figure")
        if isinstance(found, str):
            raise PanelProblem(found[0].upper() + found[1:] + ".")
        return found

    def build(self, params: PeerParams, data: Data) -> Built:
        area = data.area
        if not area.whole_place:
            raise PanelProblem(
                f"Peers are compared for whole places only ({place_withheld(area.place_name)})."
            )
        indicator = self.chosen(params, data)
        about = (
            data.frame("council_indicators")
            .filter(pl.col("indicator_id") == indicator.indicator_id)
            .row(0, named=True)
        )
        figures = data.frame("council_figures")
        councils = data.frame("councils")
        try:
            peers = pm.nearest(figures, area.place_code)
        except ValueError as exc:
            raise PanelProblem(f"No statistical neighbours for {area.place_name}: {exc}.") from exc
        codes = [p.area_code for p in peers]
        comparison = pm.against_peers(
            figures, indicator.indicator_id, area.place_code, codes, indicator.multiplier
        )
        if comparison is None:
            raise PanelProblem(
                f"{indicator.name} is not published for {area.place_name} or for at least 3 "
                "of its peers, so it cannot be compared with them."
            )
        rows = (
            figures.filter(
                pl.col("indicator_id") == indicator.indicator_id,
                pl.col("area_code").is_in([area.place_code, *codes]),
            )
            .join(councils.select("area_code", "area_name"), on="area_code", how="left")
            .join(
                pl.DataFrame({"area_code": codes, "distance": [round(p.distance, 3) for p in peers]}),
                on="area_code", how="left",
            )
            .select("area_code", "area_name", "distance", "period_start", "period_end",
                    "numerator", "denominator", "value")
            .sort("value", descending=True, nulls_last=True)
        )  # fmt: skip
        eng = figures.filter(
            pl.col("indicator_id") == indicator.indicator_id, pl.col("area_code") == ENGLAND
        )["value"]
        england = eng[0] if len(eng) else None
        name, unit, vt = area.place_name, indicator.unit, indicator.value_type
        value, median = (
            peer_value(v, vt, unit) for v in (comparison.place_value, comparison.median)
        )
        gap = gap_words(comparison, indicator, name, about.get("numerator_definition"))
        title = (
            f"{indicator.name}: {name} {value} against its peers' median {median}. "
            f"{gap[0].upper() + gap[1:]}"
        )
        subtitle = (
            f"{name} ranks {comparison.rank} of {comparison.of} (1 = highest); "
            f"{comparison.peers_with_figure} of its {len(codes)} peers have this figure. "
            f"Peer quartiles {peer_value(comparison.lower_quartile, vt, unit)} to "
            f"{peer_value(comparison.upper_quartile, vt, unit)}."
        )
        fig = peers_figure(
            rows, place_code=area.place_code, title=plotly_text(title),
            subtitle=plotly_text(subtitle), unit=unit, value_type=vt, median=comparison.median,
            england=england,
        )  # fmt: skip
        ordered = rows.filter(pl.col("value").is_not_null())
        native = NativeChart(
            "bar", tuple(ordered["area_name"].to_list()),
            (NativeSeries(indicator.name, tuple(ordered["value"].to_list())),), axis_title=unit,
        )  # fmt: skip
        spec = data.spec("council_figures")
        notes = (
            METHOD,
            f"{indicator.name}: {about.get('definition') or ''} Source: {indicator.source}.",
            "Counts are rounded to the nearest 5 in the rows.",
        )
        caption = Caption.of(spec, fallback="Council figures", notes=notes)
        return Built(title, fig, self.release(rows), caption, definition=METHOD, native=native,
                     names={indicator.indicator_id: indicator.name},
                     extras={"comparison": comparison, "peers": codes, "england": england})  # fmt: skip
