"""Spend shift slides: the headline, the acute share trajectory and spend by setting group.

Each follows views/spend.py step by step (same selection, real-terms conversion, target lookup
and chart builders) with every organisation, pool and setting, as the page shows by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from charts import spend as series_charts
from charts import spend_text as words
from metrics import money, spend
from metrics.periods import financial_years_between, with_all_years
from metrics.spend_target import ACUTE_TARGET as TARGET
from metrics.spend_target import AcuteTarget, acute_target
from present.data import DataSource, Where, spend_years
from present.decks import SlideSpec
from present.figures import headline_figure
from present.slides import Slide, SlideProblem, finding_title

PER = {"total": None, "resident": "resident", "need-weighted head": "need-weighted head"}
DEFINITION = (
    "Acute share of spend: outturn on acute (hospital) settings as a percentage of all outturn "
    "of every organisation and pool in the area, settings grouped by the settings dataset. "
    "Community-to-acute ratio: community outturn divided by acute outturn. Real terms use the "
    "ONS GDP deflator (financial-year means). Acute spend target: change in acute outturn "
    "against the base year of the target, cash terms."
)
GROUP_DEFINITION = (
    "Spend by setting group: outturn per financial year in each setting group (acute, "
    "community, residential and nursing care, prevention; the rest together), in £m or £ per "
    "resident or per NHS need-weighted head of the area's population."
)


@dataclass(frozen=True)
class SpendInputs:
    """What the page computes before its charts: the years, prices, footer and selected rows."""

    years: list[str]
    footer: words.Footer
    rows: pl.DataFrame
    settings: pl.DataFrame
    spend_rows: pl.DataFrame
    licence: str
    synthetic: bool | str


def spend_inputs(spec: SlideSpec, where: Where, data: DataSource) -> SpendInputs:
    """The page's selection for this slide's place, cluster, years and prices."""
    spend_rows, spend_spec, error = data.get("spend")
    settings, _, settings_error = data.get("settings")
    if spend_rows is None or settings is None:
        raise SlideProblem(f"The spend shift needs the spend data: {error or settings_error}")
    all_years = spend_years(data)
    if not all_years:
        raise SlideProblem("The spend data has no financial years.")
    params = spec.params
    first, last = params.get("year_from", all_years[0]), params.get("year_to", all_years[-1])
    years = financial_years_between(first, last)
    deflators, _, _ = data.get("deflators")
    missing = (
        money.missing_deflator_years(all_years, deflators) if deflators is not None else all_years
    )
    deflated = [y for y in all_years if y not in missing]
    base = params.get("base", deflated[-1] if deflated else None)
    real = params.get("prices") == "real" and base in deflated
    if params.get("prices") == "real" and not real:
        raise SlideProblem(
            f"Real terms at {base} prices need a GDP deflator for that year and every year "
            f"with spend; deflators are missing for {', '.join(missing) or 'the base year'}."
        )
    source = spend_spec.source + ("; ONS GDP deflator" if real else "")
    footer = words.Footer(source, f"{all_years[-1]} outturn", spend_spec.synthetic,
                          f"{base} prices" if real else "cash")  # fmt: skip
    rows = money.select_spend(spend_rows, settings, place_code=where.place_code,
                              area_code=where.cluster_code, year_from=years[0], year_to=years[-1])  # fmt: skip
    if real:
        rows = money.to_real_terms(rows, deflators, base)
    return SpendInputs(
        years, footer, rows, settings, spend_rows, spend_spec.licence, spend_spec.synthetic
    )


def _target(inputs: SpendInputs, where: Where, data: DataSource) -> tuple[AcuteTarget, str]:
    """The page's acute spend target for the area, and the name of the area it was set for."""
    targets, _, _ = data.get("targets")
    areas, _, _ = data.get("areas")
    target = acute_target(inputs.spend_rows, inputs.settings, targets,
                          place_code=where.place_code, cluster_code=where.cluster_code)  # fmt: skip
    names = dict(areas.select("area_code", "area_name").iter_rows())
    return target, names.get(target.area_code, where.area_name)


def _slide(spec: SlideSpec, where: Where, inputs: SpendInputs, fig: go.Figure, rows: pl.DataFrame,
           definition: str) -> Slide:  # fmt: skip
    return Slide(
        spec=spec,
        title=finding_title(where.area_name, fig.layout.title.text or ""),
        figure=fig,
        rows=rows,
        source=inputs.footer.source,
        as_at=inputs.footer.as_at or "",
        synthetic=inputs.synthetic,
        licence=inputs.licence,
        definition=definition,
    )


def _yearly(inputs: SpendInputs) -> pl.DataFrame:
    return with_all_years(spend.acute_share(inputs.rows, inputs.settings), inputs.years)


def spend_headline(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """Acute share in the first and last year with spend, and where the acute spend target stands."""
    inputs = spend_inputs(spec, where, data)
    yearly = _yearly(inputs)
    target, place = _target(inputs, where, data)
    note = words.target_text(target.summary, TARGET, target.base_year, place)
    fig, rows = headline_figure(yearly, footer=inputs.footer, area_name=where.area_name,
                                target_note=note)  # fmt: skip
    slide = _slide(spec, where, inputs, fig, rows, DEFINITION)
    status = target.summary["status"] if target.summary else None
    slide.title += f"; acute spend target {status}" if status else ""
    return slide


def acute_share(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """The page's 'Acute share over time, against the target' chart."""
    inputs = spend_inputs(spec, where, data)
    yearly = _yearly(inputs)
    t, place = _target(inputs, where, data)
    events, _, _ = data.get("events")
    fig, rows = series_charts.acute_share_figure(
        yearly, footer=inputs.footer, area_name=where.area_name, target_series=t.series,
        progress=t.progress,
        target_note=words.target_text(t.summary, TARGET, t.base_year, place, short=True) if t.summary else "",
        target_base=t.base_year, events=events, event_areas=(where.place_code, where.cluster_code),
    )  # fmt: skip
    return _slide(spec, where, inputs, fig, rows, DEFINITION)


def spend_by_group(spec: SlideSpec, where: Where, data: DataSource) -> Slide:
    """The page's 'Spend by setting group' chart, in total or per head."""
    inputs = spend_inputs(spec, where, data)
    by_group = spend.spend_by_setting_group(inputs.rows, inputs.settings)
    per = PER[spec.params.get("per", "total")]
    if per:
        population, _, error = data.get("population")
        areas, _, _ = data.get("areas")
        if population is None:
            raise SlideProblem(f"Spend per head needs the population data: {error}")
        indicator = money.RESIDENTS if per == "resident" else money.WEIGHTED
        level = "cluster" if where.cluster_code else "place"
        heads = money.area_population(population, areas, indicator_id=indicator, area_type=level)
        by_group = money.per_head(by_group, heads, area_code=where.area_code)
    fig, rows = series_charts.setting_group_figure(
        by_group, years=inputs.years, footer=inputs.footer, area_name=where.area_name,
        value="per_head" if per else "amount_gbp", per=per,
    )  # fmt: skip
    return _slide(spec, where, inputs, fig, rows, GROUP_DEFINITION)
