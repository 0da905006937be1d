"""Care home quality panels: the headline tiles, every chart of the Care home quality page, the
map and the list of homes.

Every care home panel takes all of the page's choices (setting, provider, the date to compare
with, whether ratings carried over from a previous registration count, and the map's rating
and search filters) as one `CareHomeParams`, so 'Add to deck' from any of them keeps every
choice. They share one selection (`home_inputs`): the homes with their clusters and usable
ratings (computed once per input versions for all of them, Data.shared), the period's quarter
ends, the comparison date and the chosen homes. Homes and beds are not people: the rows hold no
counts of people (NO_PEOPLE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

import polars as pl

from charts import care_homes as charts
from charts.spend import tiles_figure
from charts.text import finding_title
from geo.clusters import dissolve_areas
from metrics import care_quality_changes as moves
from metrics import care_quality_market as market
from metrics import care_quality_select as select
from metrics import care_quality_time as series
from metrics.care_quality import rating_share_series
from metrics.care_quality_checks import data_date, describe_problems
from panels.core import (
    NO_PEOPLE,
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
from panels.params import AreaParams, param
from panels.registry import register_panel

if TYPE_CHECKING:
    import plotly.graph_objects as go

PAGE = "care-homes"
SETTINGS = {"all": "All homes", "nursing": "Nursing homes", "residential": "Residential homes"}
YES_NO = {"false": "No", "true": "Yes"}
DAY = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")
PROVIDER = re.compile(r"^[A-Za-z0-9][\w.-]*$")
ALL_PROVIDERS = "All providers"
DEFINITION = (
    "Care homes rated Good or Outstanding: registered care homes whose latest published overall "
    "CQC rating is Good or Outstanding, as a share of registered homes with a published rating, at "
    "each quarter end; beds weight each home by its registered beds. Ratings of 'Inspected but not "
    "rated' do not replace an earlier rating. Ratings dated before the home's registration (carried "
    "over from a previous provider) are left out unless chosen."
)


@dataclass(frozen=True)
class CareHomeParams(AreaParams):
    """The Care home quality page's choices (the map's filters narrow the map and list only)."""

    setting: str = param("homes_setting", "Homes", "all", choices=SETTINGS)
    provider: str | None = param(
        "homes_provider", "Provider", None, pattern=PROVIDER,
        pattern_words="a CQC provider ID like '1-101641674'",
    )  # fmt: skip
    since: str | None = param(
        "homes_since", "Compare with the ratings on", None, pattern=DAY,
        pattern_words="a date like '31 Mar 2017'",
        help="The earlier date to compare today's ratings with: the change in the share rated "
        "Good or better, the movement between ratings, and the homes opened and closed are all "
        "measured from it.",
    )  # fmt: skip
    carried_over: str = param(
        "homes_carried_over",
        "Count ratings carried over from a previous registration, as CQC's website does",
        "false", choices=YES_NO, url_codes=True,
    )  # fmt: skip
    ratings: tuple[str, ...] = param(
        "homes_rating", "Show homes rated", (), choices={r: r for r in market.RATING_GROUPS},
        many=True, help="Narrows the map and the table below.",
    )  # fmt: skip
    search: str | None = param(
        "homes_search", "Search the homes (name, provider, postcode or cluster)", None
    )


# --- the selection every care home panel shares ---------------------------------------------


def parse_day(text: str) -> date:
    return datetime.strptime(text, "%d %b %Y").date()


@dataclass(frozen=True)
class HomeChoices:
    """What the page offers from the data: the quarter ends to compare with, the providers."""

    labels: tuple[str, ...]  # quarter ends before the as-at date, as '31 Mar 2016'
    default_since: str
    providers: dict[str, str]  # provider_id -> 'Name (3 homes)'
    flagged: str  # the sentence about ratings set aside ('' when none)


@dataclass(frozen=True)
class HomeInputs:
    start: date
    as_of: date
    quarters: list[date]
    since: date
    choices: HomeChoices
    base: select.MarketBase
    chosen: pl.DataFrame  # the homes of the area, setting and provider
    rates: pl.DataFrame  # their usable ratings
    caption: Caption

    def in_scope(self, params: CareHomeParams, place_code: str) -> pl.DataFrame:
        """The homes of the whole place (every cluster) for the setting and provider."""
        return select.select_homes(self.base.homes, place_code, setting=SETTINGS[params.setting],
                                   provider_id=params.provider)  # fmt: skip


def _base(data: Data, carried_over: bool) -> select.MarketBase:
    bounds = data.optional_geo("boundaries")
    names = ("care_homes", "cqc_ratings", "areas", *(["boundaries"] if bounds is not None else []))
    return data.shared(
        select.market_base, names, today=date.today(), keep_carried_over=carried_over
    )


def home_inputs(params: CareHomeParams, data: Data) -> HomeInputs:
    """The page's selection for the panel's place, cluster, years and choices."""
    area = data.area
    base = _base(data, params.carried_over == "true")
    in_place = select.select_homes(base.homes, area.place_code)
    latest = data_date(in_place, select.for_homes(in_place, base.ratings), date.today())
    window = select.period_window(params.year_from, params.year_to, latest)
    if window is None:
        period = f"{params.year_from or 'the start'} to {params.year_to or 'now'}"
        raise PanelProblem(f"No care home or rating is recorded for {area.area_name} in {period}.")
    start, as_of = window
    quarters = series.period_ends(start, as_of)
    labels = tuple(charts.day(d) for d in quarters[:-1]) or (charts.day(start),)
    default = next((label for label in labels if label.startswith("31 Mar")), labels[0])
    shown = params.since or default
    since = quarters[labels.index(shown)] if shown in labels else start
    if params.since and shown not in labels:
        since = max(start, min(parse_day(params.since), as_of))
    flagged = select.for_homes(in_place, base.problems)
    providers = {v: k for k, v in select.provider_choices(in_place, as_of).items()}
    choices = HomeChoices(
        labels, default, providers, describe_problems(flagged) if flagged.height else ""
    )
    chosen = select.select_homes(base.homes, area.place_code, area.cluster_code,
                                 setting=SETTINGS[params.setting], provider_id=params.provider)  # fmt: skip
    if chosen.is_empty():
        raise PanelProblem(f"No care homes in {area.area_name} match the choices made.")
    spec = data.spec("cqc_ratings")
    caption = Caption.of(spec, fallback="CQC ratings", as_at=charts.day(as_of),
                         synthetic=select.synthetic_status(chosen))  # fmt: skip
    return HomeInputs(start, as_of, quarters, since, choices, base, chosen,
                      select.for_homes(chosen, base.ratings), caption)  # fmt: skip


def page_choices(params: CareHomeParams, data: Data) -> HomeChoices | PanelProblem:
    """The choices the page's widgets offer (or why the page has nothing to show)."""
    try:
        return home_inputs(replace(params, since=None, provider=None), data).choices
    except PanelProblem as problem:
        return problem


# --- the panels ----------------------------------------------------------------------------


class CareHomePanel(Panel[CareHomeParams]):
    page: ClassVar[str] = PAGE
    Params = CareHomeParams
    disclosure: ClassVar[Disclosure] = NO_PEOPLE
    optional: ClassVar[tuple[str, ...]] = ("boundaries",)

    def needs(self, params: CareHomeParams) -> tuple[Need, ...]:
        return (
            Need("care_homes"), Need("cqc_ratings"), Need("areas"),
            *(Need(n, optional=True) for n in self.optional),
        )  # fmt: skip

    def built(
        self,
        title: str,
        fig: go.Figure | None,
        rows: pl.DataFrame,
        inputs: HomeInputs,
        *,
        caption: Caption | None = None,
        notices: list[Notice] | None = None,
        tiles: list[Tile] | None = None,
    ) -> Built:
        """The Built of a care home panel: provider IDs named (for the page's link)."""
        return Built(title, fig, self.release(rows), caption or inputs.caption,
                     notices=notices or [], tiles=tiles or [], definition=DEFINITION,
                     names=dict(inputs.choices.providers))  # fmt: skip


@register_panel
class CareHomeTiles(CareHomePanel):
    """The headline: four tiles, the ratings set aside (said once for the page), openings."""

    id = "care_home_tiles"
    title = "Care homes and beds rated Good or better now, the change since a date, and homes due a visit"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        area, since, as_of = data.area, inputs.since, inputs.as_of
        change = market.share_change(inputs.chosen, inputs.rates, since, as_of)
        fresh = market.freshness_summary(inputs.chosen, inputs.rates, as_of)
        tiles = market.headline_tiles(change.row(0, named=True), fresh, since, as_of,
                                      bool(inputs.caption.synthetic))  # fmt: skip
        opened = market.opened_closed_text(
            series.opened_closed(inputs.chosen, [since, as_of]).row(0, named=True), since
        )
        notices = []
        if inputs.choices.flagged:
            held = area.area_name if area.whole_place else "The clusters in your access"
            counted = "counted, as chosen" if params.carried_over == "true" else (
                "left out of the figures unless you choose to count them")  # fmt: skip
            notices.append(Notice(
                f"{held}: {inputs.choices.flagged} (a rating published before registration is "
                f"usually one CQC carried over from the home's previous provider). They are "
                f"{counted}; the Data page lists them.", "warning"))  # fmt: skip
        share = tiles[0].value
        title = (
            f"{area.area_name}: {share} of rated care homes were Good or better on {charts.day(as_of)}"
            if share is not None
            else f"{area.area_name}: no care home had a CQC rating on {charts.day(as_of)}"
        )
        fig = tiles_figure(
            [(t.label, t.value, t.period) for t in tiles], title=title, subtitle=opened
        )
        caption = replace(inputs.caption, notes=(opened,))
        return self.built(title, fig, change, inputs, notices=notices, tiles=tiles, caption=caption)


@register_panel
class CareHomeClusters(CareHomePanel):
    """The clusters' shares now and then; the finding ranks only clusters with at least
    `min_rated_homes` rated homes on both dates (charts.care_homes.MIN_RATED_HOMES)."""

    id = "care_home_clusters"
    title = "Share of care homes rated Good or better by cluster, now and on the date compared with"
    min_rated_homes: ClassVar[int] = charts.MIN_RATED_HOMES

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        if data.area.cluster_code:
            raise PanelProblem("Clusters are compared for a whole place: choose no cluster.")
        homes = inputs.in_scope(params, data.area.place_code)
        by_cluster = market.share_change(homes, select.for_homes(homes, inputs.base.ratings),
                                         inputs.since, inputs.as_of, by="cluster_name")  # fmt: skip
        fig = charts.cluster_figure(by_cluster, inputs.since, min_rated=self.min_rated_homes)
        return self.built(
            finding_title(data.area.place_name, fig.layout.title.text), fig, by_cluster, inputs
        )


@register_panel
class CareHomeQuality(CareHomePanel):
    id = "care_home_quality"
    title = "Share of care homes and beds rated Good or Outstanding over time"
    optional = ("boundaries", "targets", "events")

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        area = data.area
        shares = rating_share_series(inputs.chosen, inputs.rates, inputs.quarters)
        targets, events = data.optional("targets"), data.optional("events")
        codes = [c for c in (area.cluster_code, area.place_code) if c]
        target = select.target_for(targets, codes) if targets is not None else None
        shown = (
            select.events_for(events, area.place_code, inputs.start, inputs.as_of)
            if events is not None else None
        )  # fmt: skip
        fig = charts.trend_figure(shares, area_name=area.area_name, since=inputs.since,
                                  target=target, events=shown)  # fmt: skip
        built = self.built(
            finding_title(area.area_name, fig.layout.title.text), fig, shares, inputs
        )
        built.native = trend_chart(shares)
        return built


def trend_chart(shares: pl.DataFrame) -> NativeChart:
    """The shares of homes and beds rated Good or better per quarter, as PowerPoint draws it."""
    shown = shares.drop_nulls("share_homes")

    def values(column: str) -> tuple[float | None, ...]:
        return tuple(None if v is None else float(v) for v in shown[column].to_list())

    return NativeChart(
        "line", tuple(charts.day(d) for d in shown["as_of"]),
        (NativeSeries("Homes rated Good or better (%)", values("share_homes")),
         NativeSeries("Beds rated Good or better (%)", values("share_beds"))),
        '0.0"%"', "Rated Good or Outstanding (%)",
    )  # fmt: skip


@register_panel
class CareHomeMix(CareHomePanel):
    id = "care_home_mix"
    title = "Care homes by overall CQC rating over time"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        mix = series.rating_mix_series(inputs.chosen, inputs.rates, inputs.quarters)
        fig = charts.mix_figure(mix)
        return self.built(
            finding_title(data.area.area_name, fig.layout.title.text), fig, mix, inputs
        )


@register_panel
class CareHomeMoves(CareHomePanel):
    id = "care_home_moves"
    title = "Movement between ratings from the date compared with to now"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        since, as_of = inputs.since, inputs.as_of
        transitions = moves.rating_transitions(inputs.chosen, inputs.rates, since, as_of)
        fig = charts.transition_figure(transitions, since, as_of)
        rerated = moves.transition_summary(
            moves.consecutive_transitions(inputs.rates, since, as_of)
        )
        note = (
            f"Re-inspections from {charts.day(since)} to {charts.day(as_of)}: {rerated['improved']} "
            f"ratings went up, {rerated['same']} stayed the same and {rerated['worse']} went down "
            "(a home inspected twice counts twice)."
        )
        caption = replace(inputs.caption, notes=(note,))
        return self.built(finding_title(data.area.area_name, fig.layout.title.text), fig, transitions,
                          inputs, caption=caption)  # fmt: skip


def home_table(params: CareHomeParams, inputs: HomeInputs) -> pl.DataFrame:
    return market.home_table(inputs.chosen, inputs.rates, inputs.as_of,
                             ratings=list(params.ratings), search=params.search or "")  # fmt: skip


@register_panel
class CareHomeMap(CareHomePanel):
    id = "care_home_map"
    title = "Map of the care homes by overall CQC rating and beds, over the clusters"

    def needs(self, params: CareHomeParams) -> tuple[Need, ...]:
        return (Need("care_homes"), Need("cqc_ratings"), Need("areas"), Need("boundaries"))

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        area = data.area
        table = home_table(params, inputs)
        outlines, places = (
            data.shared(
                dissolve_areas, ("boundaries", "areas"), to_type=kind, tolerance=0.0005, decimals=5
            )  # fmt: skip
            for kind in ("cluster", "place")
        )
        fig = charts.care_home_map(table, outlines, places, place_code=area.place_code,
                                   cluster_code=area.cluster_code, area_name=area.area_name)  # fmt: skip
        unlocated = select.for_homes(inputs.chosen, inputs.base.unlocated)
        notices = []
        if unlocated.height:
            where = area.area_name if area.whole_place else "your access"
            notices.append(Notice(
                f"{unlocated.height} home(s) have no map position or small area: they count in "
                f"the figures for {where} but are not on the map and in no cluster."))  # fmt: skip
        caption = replace(inputs.caption, boundaries=True)
        return self.built(finding_title(area.area_name, fig.layout.title.text), fig, table, inputs,
                          notices=notices, caption=caption)  # fmt: skip


@register_panel
class CareHomeUnlocated(CareHomePanel):
    """A table (no figure): the homes with no map position or small area."""

    id = "care_home_unlocated"
    title = "Care homes with no map position or small area"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        rows = select.for_homes(inputs.chosen, inputs.base.unlocated)
        rows = rows.select("location_id", "location_name", "postcode", "missing")
        title = f"{rows.height} care home(s) in {data.area.area_name} have no map position"
        return self.built(title, None, rows, inputs)


@register_panel
class CareHomeQuestions(CareHomePanel):
    id = "care_home_questions"
    title = "CQC ratings of the five key questions (safe, effective, caring, responsive, well-led)"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        questions = market.key_question_mix(inputs.chosen, inputs.rates, inputs.as_of)
        fig = charts.key_question_figure(questions)
        return self.built(
            finding_title(data.area.area_name, fig.layout.title.text), fig, questions, inputs
        )


@register_panel
class CareHomeTable(CareHomePanel):
    """A table (no figure): the homes, their latest rating and how long since it."""

    id = "care_home_table"
    title = "The care homes, their latest overall CQC rating and the time since it"

    def build(self, params: CareHomeParams, data: Data) -> Built:
        inputs = home_inputs(params, data)
        table = home_table(params, inputs).drop("latitude", "longitude")
        title = (
            f"{table.height} homes shown, registered on {charts.day(inputs.as_of)}. "
            "Click a column to sort."
        )
        return self.built(title, None, table, inputs)
