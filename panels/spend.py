"""Spend shift panels: the headline tiles, every chart of the Spend shift page, and the headline slide.

Every spend panel takes all of the page's choices (organisations, pools, setting groups,
prices, base year, per head, the table's pool) as one `SpendParams`, so 'Add to deck' from any
of them keeps every choice. They share one selection (`spend_inputs`): the place's spend rows
(pushed down), the years, cash or real terms, and the chosen organisations, pools and setting
groups (money.select_spend: rows with unknown codes are left out everywhere). The page-wide
notices (unknown codes, missing years, negative amounts, real terms unavailable) are carried by
`spend_tiles` alone, so the page says each once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from charts import spend as series_charts
from charts import spend_breakdown as breakdown
from charts.spend_text import (
    GROUP_LABELS,
    ORGANISATION_LABELS,
    POOL_LABELS,
    Footer,
    headline,
    ratio_text,
    share_title,
    target_clause,
    target_text,
)
from charts.text import finding_title
from formatting import format_gbp_m, format_pct
from metrics import money, spend
from metrics.periods import financial_years_between, missing_years, with_all_years
from metrics.spend_target import ACUTE_TARGET, AcuteTarget, acute_target, target_words
from panels.core import (
    NO_PEOPLE,
    POPULATIONS,
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
    Tile,
)
from panels.params import YEAR, AreaParams, param
from panels.registry import register_panel

if TYPE_CHECKING:
    from loaders.errors import DataError

PAGE = "spend"
PRICES = {"cash": "Cash", "real": "Real terms"}
PER = {"total": "Total", "resident": "Per resident", "need-weighted head": "Per need-weighted head"}
POPULATION_OF = {"resident": money.RESIDENTS, "need-weighted head": money.WEIGHTED}
NO_BASE = "none"  # the base-year list when no year with spend has a deflator
# A place given as an ONS code can be pushed down; a name (as decks give it) is matched after
# loading, against the code it resolves to (panels.source resolves it after asking for needs).
_CODE = re.compile(r"^[A-Z]\d{8}$")
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
class SpendParams(AreaParams):
    """The Spend shift page's choices. Its widgets write labels into the URL (multiselects too:
    Streamlit drops a code given there), so no field sets url_codes."""

    organisations: tuple[str, ...] = param(
        "spend_orgs", "Organisations", (), choices=ORGANISATION_LABELS, many=True
    )
    pools: tuple[str, ...] = param("spend_pools", "Pools", (), choices=POOL_LABELS, many=True)
    setting_groups: tuple[str, ...] = param(
        "spend_groups", "Setting groups", (), choices=GROUP_LABELS, many=True
    )
    prices: str = param(
        "spend_prices", "Prices", "cash", choices=PRICES,
        help="Real terms take out general inflation with the ONS GDP deflator (financial-year means).",
    )  # fmt: skip
    base: str | None = param(
        "spend_base", "Real terms at the prices of", None, pattern=YEAR,
        pattern_words="a financial year like '2019/20'",
    )  # fmt: skip
    per: str = param("spend_per", "Spend by setting group", "total", choices=PER)
    table_pool: str = param("spend_table_pool", "Pool in the table", "pooled", choices=POOL_LABELS)


# --- the page's data-driven choices --------------------------------------------------------


def years_of(spend_rows: pl.DataFrame) -> list[str]:
    """The financial years with spend, oldest first."""
    return spend_rows.get_column("financial_year").unique().sort().to_list()


def deflated_years(years: Sequence[str], deflators: pl.DataFrame | None) -> list[str]:
    """The years among `years` that have a GDP deflator (none without deflators)."""
    if deflators is None:
        return []
    missing = set(money.missing_deflator_years(years, deflators))
    return [y for y in years if y not in missing]


@dataclass(frozen=True)
class SpendChoices:
    """What the page's base-year list offers: the years with spend that have a deflator."""

    years: tuple[str, ...]
    deflated: tuple[str, ...]

    @property
    def base_options(self) -> list[str]:
        return list(self.deflated) or [NO_BASE]

    def base(self, shown: str | None) -> str | None:
        """The base year parameter for the list's value (None when no year can be a base)."""
        return shown if shown in self.deflated else None


def page_choices(spend_rows: pl.DataFrame, deflators: pl.DataFrame | None) -> SpendChoices:
    years = years_of(spend_rows)
    return SpendChoices(tuple(years), tuple(deflated_years(years, deflators)))


# --- the selection every spend panel shares ------------------------------------------------


@dataclass(frozen=True)
class SpendInputs:
    """What the page computes before its charts: years, prices, caption and selected rows."""

    years: list[str]
    footer: Footer
    caption: Caption
    spend_rows: pl.DataFrame  # every spend row of the place, as loaded
    settings: pl.DataFrame
    place_rows: pl.DataFrame  # the place's chosen rows (every cluster), in the prices chosen
    rows: pl.DataFrame  # the area's chosen rows, in the prices chosen
    names: dict[str, str]  # area code -> name
    cash_instead: Notice | None  # real terms were asked for and cannot be worked out

    @property
    def yearly(self) -> pl.DataFrame:
        return with_all_years(spend.acute_share(self.rows, self.settings), self.years)


def unavailable(error: DataError | None, what: str) -> str:
    """'Dataset 'x' could not be loaded: <what> cannot be shown. <why>' (as the pages said it)."""
    lead = error.title if error is not None else "The data could not be loaded"
    why = str(error).strip() if error is not None else ""
    text = f"{lead}: {what} cannot be shown." + (f" {why}" if why else "")
    return text if text.endswith((".", ")")) else text + "."


def _selected(params: SpendParams, rows: pl.DataFrame, settings: pl.DataFrame,
              place: str, area: str | None, years: list[str]) -> pl.DataFrame:  # fmt: skip
    return money.select_spend(
        rows, settings, place_code=place, area_code=area, organisations=params.organisations,
        pools=params.pools, setting_groups=params.setting_groups, year_from=years[0],
        year_to=years[-1],
    )  # fmt: skip


def spend_inputs(params: SpendParams, data: Data) -> SpendInputs:
    """The page's selection for the panel's place, cluster, years, prices and choices."""
    area = data.area
    spend_rows = data.frame("spend").filter(pl.col("place_code") == area.place_code)
    settings = data.frame("settings")
    all_years = years_of(spend_rows)
    if not all_years:
        raise PanelProblem(f"The spend data has no financial years for {area.place_name}.")
    years = financial_years_between(
        params.year_from or all_years[0], params.year_to or all_years[-1]
    )
    if not years:
        raise PanelProblem(
            f"There are no financial years from {params.year_from} to {params.year_to}."
        )
    deflators = data.optional("deflators")
    deflated = deflated_years(all_years, deflators)
    base = params.base or (deflated[-1] if deflated else None)
    real, cash_instead = params.prices == "real", None
    if real and not deflated:
        why = data.error("deflators")
        cash_instead = Notice(
            unavailable(why, "Real terms (figures are in cash instead)")
            if why is not None
            else "Real terms cannot be shown: no financial year with spend has a GDP deflator, so "
            "figures are in cash instead.",
            "warning",
        )
        real = False
    elif real and base not in deflated:
        missing = (
            money.missing_deflator_years(all_years, deflators) if deflators is not None else []
        )
        raise PanelProblem(
            f"Real terms at {base} prices need a GDP deflator for that year and every year "
            f"with spend; deflators are missing for {', '.join(missing) or 'the base year'}."
        )
    spec = data.spec("spend")
    source = ((spec.source or spec.title) if spec else "") or "Spend outturn"
    caption = Caption(
        source + ("; ONS GDP deflator" if real else ""),
        as_at=f"{all_years[-1]} outturn",
        synthetic=spec.synthetic if spec else False,
        licence=spec.licence if spec else "",
    )
    place_rows = _selected(params, spend_rows, settings, area.place_code, None, years)
    rows = _selected(params, spend_rows, settings, area.place_code, area.cluster_code, years)
    if real and deflators is not None and base is not None:
        try:
            place_rows, rows = (money.to_real_terms(r, deflators, base) for r in (place_rows, rows))
        except ValueError as exc:
            raise PanelProblem(
                f"Real terms at {base} prices cannot be worked out: {exc}."
            ) from None
    areas = data.optional("areas")
    names = dict(areas.select("area_code", "area_name").iter_rows()) if areas is not None else {}
    footer = Footer(prices=f"{base} prices" if real else "cash")
    return SpendInputs(years, footer, caption, spend_rows, settings, place_rows, rows,
                       names | area.names(), cash_instead)  # fmt: skip


def the_target(inputs: SpendInputs, data: Data) -> tuple[AcuteTarget, str]:
    """The area's acute spend target, and the name of the area it was set for."""
    area = data.area
    target = acute_target(inputs.spend_rows, inputs.settings, data.optional("targets"),
                          place_code=area.place_code, cluster_code=area.cluster_code)  # fmt: skip
    return target, inputs.names.get(target.area_code or "", area.area_name)


def _values(column: pl.Series, scale: float = 1.0) -> tuple[float | None, ...]:
    return tuple(None if v is None else float(v) / scale for v in column.to_list())


def share_chart(rows: pl.DataFrame, kind: str) -> NativeChart:
    """The acute share per year as PowerPoint draws it (a line over time, or columns)."""
    return NativeChart(
        "line" if kind == "line" else "column",
        tuple(rows["financial_year"].to_list()),
        (NativeSeries("Acute share of spend (%)", _values(rows["acute_share"])),),
        '0.0"%"',
        "Acute share of spend (%)",
    )


def headline_tiles(yearly: pl.DataFrame, prices: str) -> list[Tile]:
    """The acute share, the community-to-acute ratio and total spend: the last year with
    spend, and the change since the first."""
    rows = yearly.drop_nulls("total_gbp").sort("year_start")
    if rows.is_empty():
        return []
    a, b = rows.row(0, named=True), rows.row(-1, named=True)
    since, last = f"since {a['financial_year']}", b["financial_year"]
    share = (
        None
        if None in (a["acute_share"], b["acute_share"])
        else b["acute_share"] - a["acute_share"]
    )
    ratio_a, ratio_b = a["community_to_acute_ratio"], b["community_to_acute_ratio"]
    growth = (b["total_gbp"] / a["total_gbp"] - 1) * 100 if a["total_gbp"] else None
    ratio = None if None in (ratio_a, ratio_b) else ratio_b - ratio_a
    period = f"{last} outturn; change {since}"
    return [
        Tile("Acute share of spend", format_pct(b["acute_share"]), period,
             delta=None if share is None else f"{share:+.1f} points{judged(share, -1)}",
             delta_color="inverse",
             help=f"Acute (hospital) outturn as a share of all outturn, {last}; lower is better"),
        Tile("Community-to-acute ratio", ratio_text(ratio_b), period,
             delta=None if ratio is None else f"{ratio:+.2f}{judged(ratio, 1, 0.005)}",
             delta_color="normal",
             help=f"Community spend divided by acute spend, {last}; higher is better"),
        Tile(f"Total spend ({prices})", format_gbp_m(b["total_gbp"]), period,
             delta=None if growth is None else f"{growth:+.1f}%", delta_color="off",
             help=f"{last} outturn, for the organisations, pools and settings chosen; "
                  "neither more nor less is better in itself"),
    ]  # fmt: skip


def judged(change: float, better: int, step: float = 0.05) -> str:
    """', better' or ', worse' by the measure's polarity (`better` +1: higher is better, -1:
    lower), '' for no change at the precision shown, so the words do not rest on colour."""
    if abs(change) < step:
        return ""
    return ", better" if change * better > 0 else ", worse"


def page_notices(inputs: SpendInputs) -> list[Notice]:
    """Bad input, said once on the page: real terms unavailable, unknown codes, missing years,
    negative amounts."""
    out = [inputs.cash_instead] if inputs.cash_instead is not None else []
    for problem in money.unknown_codes(inputs.spend_rows, inputs.settings):
        out.append(Notice(money.unknown_code_notice(problem), "warning"))
    gaps = missing_years(inputs.place_rows, inputs.years, by="area_code")
    if gaps.height:
        listed = "; ".join(f"{inputs.names.get(a, a)} {y}" for a, y in gaps.iter_rows())
        out.append(Notice(f"No spend recorded for {listed}: shown as gaps, never as zero."))
    n_negative, negative = money.negative_amounts(inputs.rows)
    if n_negative:
        out.append(Notice(f"{n_negative:,} negative amounts (refunds or transfers) totalling "
                          f"{format_gbp_m(negative)} are kept in every total."))  # fmt: skip
    return out


# --- the panels ----------------------------------------------------------------------------


class SpendPanel(Panel[SpendParams]):
    """What every spend panel shares: the page, the parameters, the needs and the base check."""

    page: ClassVar[str] = PAGE
    Params = SpendParams
    disclosure: ClassVar[Disclosure] = NO_PEOPLE
    #: datasets the panel draws without (a notice or problem says what is missing)
    optional: ClassVar[tuple[str, ...]] = ()

    def needs(self, params: SpendParams) -> tuple[Need, ...]:
        place = params.place
        where = {"place_code": place} if place and _CODE.match(place) else None
        return (
            Need("spend", where=where), Need("settings"), Need("areas"),
            Need("deflators", optional=True), *(Need(n, optional=True) for n in self.optional),
        )  # fmt: skip

    def check(self, params: SpendParams, data: Data) -> str | None:
        deflators = data.optional("deflators")
        if params.prices != "real" or params.base is None or deflators is None:
            return None
        if money.missing_deflator_years([params.base], deflators):
            return f"Real terms at {params.base} prices need a GDP deflator for {params.base}; there is none."
        return None


def _until(yearly: pl.DataFrame) -> Any:
    """The last year a chart of `yearly` shows (None: no years)."""
    return yearly["year_start"].max() if yearly.height else None


def _target_clause(target: AcuteTarget, yearly: pl.DataFrame) -> str:
    """'acute spend target missed in 2020/21 (-17.0% against -20%); reached in 2022/23': the
    target year and what came after, up to the last year the chart shows."""
    words = target_words(target, _until(yearly))
    return f"acute spend target {words[1]}" if words else target_clause(None)


@register_panel
class SpendTiles(SpendPanel):
    """The page's headline: the sentence, four tiles (the target's with its note) and notices."""

    id = "spend_tiles"
    title = "Spend shift in numbers: acute share, community-to-acute ratio, total spend and the acute spend target"
    optional = ("targets",)

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        yearly = inputs.yearly
        target, place = the_target(inputs, data)
        note = target_text(target.summary, ACUTE_TARGET, target.base_year, place)
        words = target_words(target, _until(yearly))
        tiles = headline_tiles(yearly, inputs.footer.prices)
        tiles.append(Tile("Acute spend target", words[0] if words else "None set",
                          detail=words[1][0].upper() + words[1][1:] + "." if words else "",
                          help=note))  # fmt: skip
        fig = series_charts.tiles_figure(
            [(t.label, t.value, t.delta) for t in tiles], title=share_title(yearly), subtitle=note
        )
        caption = replace(inputs.caption, notes=(note,))
        return Built(headline(yearly, data.area.area_name), fig, self.release(yearly.drop("year_start")),
                     caption, notices=page_notices(inputs), tiles=tiles, definition=DEFINITION)  # fmt: skip


@register_panel
class SpendHeadline(SpendPanel):
    id = "spend_headline"
    title = "Acute share of spend, first against last year, and the acute spend target status"
    optional = ("targets",)

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        yearly = inputs.yearly
        target, place = the_target(inputs, data)
        note = target_text(target.summary, ACUTE_TARGET, target.base_year, place)
        fig, rows = series_charts.headline_figure(
            yearly, area_name=data.area.area_name, target_note=note
        )
        title = finding_title(data.area.area_name, fig.layout.title.text)
        if target.summary:
            title += f"; {_target_clause(target, yearly)}"
        return Built(title, fig, self.release(rows), inputs.caption, definition=DEFINITION,
                     native=share_chart(rows, "column"))  # fmt: skip


@register_panel
class AcuteShare(SpendPanel):
    id = "acute_share"
    title = "Acute share of spend over time, against the acute spend target trajectory"
    optional = ("targets", "events")

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        t, place = the_target(inputs, data)
        area = data.area
        fig, rows = series_charts.acute_share_figure(
            inputs.yearly, footer=inputs.footer, area_name=area.area_name, target_series=t.series,
            progress=t.progress,
            target_note=target_text(t.summary, ACUTE_TARGET, t.base_year, place, short=True) if t.summary else "",
            target_base=t.base_year, target_words=_target_clause(t, inputs.yearly),
            events=data.optional("events"),
            event_areas=(area.place_code, area.cluster_code),
        )  # fmt: skip
        return Built(finding_title(area.area_name, fig.layout.title.text), fig, self.release(rows), inputs.caption,
                     definition=DEFINITION, native=share_chart(rows, "line"))  # fmt: skip


@register_panel
class SpendByGroup(SpendPanel):
    """Rows per head hold the population behind each figure (rounded to 5); totals hold none."""

    id = "spend_by_group"
    title = "Spend by setting group per year, in total or per head"
    disclosure = POPULATIONS
    optional = ("population",)

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        area = data.area
        by_group = spend.spend_by_setting_group(inputs.rows, inputs.settings)
        per = None if params.per == "total" else params.per
        population, areas, notices = data.optional("population"), data.optional("areas"), []
        if per and population is not None and areas is not None:
            level = "cluster" if area.cluster_code else "place"
            heads = money.area_population(
                population, areas, indicator_id=POPULATION_OF[per], area_type=level
            )
            by_group = money.per_head(by_group, heads, area_code=area.area_code)
        elif per:
            why = data.error("population") or data.error("areas")
            notices.append(Notice(unavailable(why, "Spend per head (totals shown)"), "warning"))
            per = None
        value = "per_head" if per else "amount_gbp"
        fig, rows = series_charts.setting_group_figure(
            by_group, years=inputs.years, footer=inputs.footer, area_name=area.area_name,
            value=value, per=per,
        )  # fmt: skip
        if per:  # the population behind each year's figure
            heads_used = by_group.select("financial_year", "per_head_population", "per_head_period")
            rows = rows.join(
                heads_used.unique("financial_year", keep="first"), on="financial_year", how="left"
            )
        return Built(finding_title(area.area_name, fig.layout.title.text), fig, self.release(rows), inputs.caption,
                     notices=notices, definition=GROUP_DEFINITION, native=group_chart(rows, value))  # fmt: skip


def group_chart(rows: pl.DataFrame, value: str) -> NativeChart:
    """Spend per year by setting group, stacked, as PowerPoint draws it."""
    scale = 1.0 if value == "per_head" else 1e6
    years = rows.sort("year_start")["financial_year"].unique(maintain_order=True).to_list()
    series = []
    for group in rows["setting_group"].unique(maintain_order=True).to_list():
        part = rows.filter(pl.col("setting_group") == group)
        by_year = dict(zip(part["financial_year"], _values(part[value], scale), strict=True))
        series.append(NativeSeries(group, tuple(by_year.get(y) for y in years)))
    unit = "£ per head" if value == "per_head" else "£m"
    return NativeChart("stacked_column", tuple(years), tuple(series), "#,##0.0", f"Spend ({unit})")


def first_and_last_years(inputs: SpendInputs) -> tuple[str, str] | None:
    totals = spend.first_and_last(inputs.yearly, "total_gbp")
    return (totals[0]["financial_year"], totals[1]["financial_year"]) if totals else None


@register_panel
class SpendWaterfall(SpendPanel):
    id = "spend_waterfall"
    title = "What changed between the first and last year with spend, setting by setting"

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        ends = first_and_last_years(inputs)
        if ends is None or ends[0] == ends[1]:
            raise PanelProblem(
                "No change to show. Choose a range of at least two financial years with spend."
            )
        y0, y1 = ends
        fig, rows = breakdown.waterfall_figure(
            money.change_between(inputs.rows, y0, y1), inputs.settings, year_from=y0,
            year_to=y1, footer=inputs.footer, area_name=data.area.area_name,
        )  # fmt: skip
        return Built(
            finding_title(data.area.area_name, fig.layout.title.text),
            fig,
            self.release(rows),
            inputs.caption,
        )


def last_year(inputs: SpendInputs) -> str:
    ends = first_and_last_years(inputs)
    return ends[1] if ends else inputs.years[-1]


@register_panel
class SpendPools(SpendPanel):
    id = "spend_pools"
    title = "Spend in the last year by organisation and pool"

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        pools = money.totals_by(inputs.rows, ["organisation", "pool"])
        fig, rows = breakdown.pool_figure(pools, year=last_year(inputs), footer=inputs.footer,
                                          area_name=data.area.area_name)  # fmt: skip
        return Built(
            finding_title(data.area.area_name, fig.layout.title.text),
            fig,
            self.release(rows),
            inputs.caption,
        )


@register_panel
class SpendPoolTable(SpendPanel):
    id = "spend_pool_table"
    title = "One pool's spend by organisation and year, as a table (£m)"

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        pools = money.totals_by(inputs.rows, ["organisation", "pool"])
        fig, rows = breakdown.pooled_table_figure(
            pools, pool=params.table_pool, years=inputs.years, footer=inputs.footer,
            area_name=data.area.area_name,
        )  # fmt: skip
        return Built(
            finding_title(data.area.area_name, fig.layout.title.text),
            fig,
            self.release(rows),
            inputs.caption,
        )


@register_panel
class SpendClusters(SpendPanel):
    """Rows hold each cluster's resident and need-weighted populations (rounded to 5)."""

    id = "spend_clusters"
    title = "Spend per resident and per need-weighted head, cluster by cluster, in the last year"
    disclosure = POPULATIONS
    optional = ("population",)

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        population, areas = data.optional("population"), data.optional("areas")
        if population is None or areas is None:
            why = data.error("population") or data.error("areas")
            raise PanelProblem(unavailable(why, "Spend per head by cluster"))
        residents, weighted = (
            money.area_population(population, areas, indicator_id=i, area_type="cluster")
            for i in (money.RESIDENTS, money.WEIGHTED)
        )
        year = last_year(inputs)
        clusters = money.cluster_comparison(inputs.place_rows, areas, residents, weighted, year)
        area = data.area
        fig, rows = breakdown.cluster_figure(clusters, selected=area.cluster_code, year=year,
                                             footer=inputs.footer, place_name=area.place_name)  # fmt: skip
        return Built(
            finding_title(area.place_name, fig.layout.title.text),
            fig,
            self.release(rows),
            inputs.caption,
        )


@register_panel
class SpendVariance(SpendPanel):
    id = "spend_variance"
    title = "Budget against outturn per year: overspend and underspend"

    def build(self, params: SpendParams, data: Data) -> Built:
        inputs = spend_inputs(params, data)
        fig, rows = series_charts.variance_figure(
            money.budget_variance(inputs.rows), years=inputs.years, footer=inputs.footer,
            area_name=data.area.area_name,
        )  # fmt: skip
        return Built(
            finding_title(data.area.area_name, fig.layout.title.text),
            fig,
            self.release(rows),
            inputs.caption,
        )
