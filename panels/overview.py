"""The Overview's headline tiles as one panel: spend shift, care home quality, residents and
clusters for the place or cluster chosen.

The spend tiles are the Spend shift page's own (`panels.spend.spend_inputs` and
`headline_tiles`): one selection policy, so both pages show the same acute share on the same
rows, with unknown codes left out and said once in the same sentence. Every dataset but the
areas is optional: a tile whose data could not be loaded says so (`Tile.failed`) and the rest
are drawn; the page names each failed dataset once, below the tiles.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import polars as pl

from charts.spend import tiles_figure
from metrics import headlines
from metrics.outcomes import PlaceAnalysis
from metrics.spc_icons import VARIATION_WORDS
from metrics.spend_target import target_words
from panels.core import (
    NO_PEOPLE,
    PLACE_AREAS,
    Built,
    Caption,
    Data,
    Disclosure,
    Need,
    Notice,
    Panel,
    PanelProblem,
    Tile,
)
from panels.outcomes import _analysis as outcome_analysis
from panels.params import AreaParams
from panels.registry import register_panel
from panels.spend import (
    _CODE,
    SpendParams,
    _until,
    headline_tiles,
    page_notices,
    spend_inputs,
    the_target,
)

SPEND_TILES = ("Acute share of spend", "Community-to-acute ratio", "Total spend (cash)")
CARE_TILE = "Care home beds rated Good or better"
OUTCOMES_TILE = "Outcome indicators improving"
DEFINITION = (
    "Acute share of spend and total spend: as on the Spend shift page (outturn, cash, every "
    "organisation and pool, rows with undefined codes left out), the last financial year chosen "
    "and the change since the first. Care home beds rated Good or better: as on the Care home "
    "quality page, at the latest date with data in the years chosen. Residents: the sum of the "
    "area's small-area (LSOA) estimates."
)


def failed(label: str, dataset: str) -> Tile:
    """A tile whose data could not be loaded: no number, and where to read why."""
    return Tile(label, None, failed=True, empty_reason=(
        f"Not available: dataset '{dataset}' could not be loaded (see the message below)."
    ))  # fmt: skip


def _missing(data: Data, names: tuple[str, ...]) -> str | None:
    """The first of `names` that did not load, or None."""
    return next((n for n in names if data.optional(n) is None), None)


def _source(data: Data, name: str, fallback: str) -> tuple[str, bool]:
    spec = data.spec(name)
    return ((spec.source or spec.title) if spec else "") or fallback, bool(spec and spec.synthetic)


def _sourced(tile: Tile, source: tuple[str, bool], *, rows: bool = False) -> Tile:
    """The tile with its source; synthetic as its catalog entry says, or (`rows`) as the rows
    behind it say (CQC ratings are real for some places and synthetic for others)."""
    return replace(tile, source=source[0], synthetic=tile.synthetic if rows else source[1])


@register_panel
class OverviewTiles(Panel[AreaParams]):
    """Six headline tiles; the figure draws them for a slide, the rows list them."""

    id = "overview_tiles"
    title = "The headline numbers: spend shift, care home quality, residents and clusters"
    page: ClassVar[str] = "overview"
    Params = AreaParams
    disclosure: ClassVar[Disclosure] = NO_PEOPLE  # formatted figures; residents rounded below place

    def needs(self, params: AreaParams) -> tuple[Need, ...]:
        place = params.place
        where = {"place_code": place} if place and _CODE.match(place) else None
        optional = ("settings", "deflators", "targets", "care_homes", "cqc_ratings", "population")
        return (Need("areas"), Need("spend", where=where, optional=True),
                *(Need(n, optional=True) for n in optional),
                Need("outcomes", where={"area_code": PLACE_AREAS}, optional=True),
                Need("indicators", optional=True))  # fmt: skip

    def spend(self, params: AreaParams, data: Data) -> tuple[list[Tile], list[Notice]]:
        """The Spend page's acute share, ratio and total, cash, for the years chosen."""
        missing = _missing(data, ("spend", "settings"))
        if missing:
            return [failed(label, missing) for label in SPEND_TILES], []
        chosen = SpendParams(params.place, params.cluster, params.year_from, params.year_to)
        try:
            inputs = spend_inputs(chosen, data)
            tiles = headline_tiles(inputs.yearly, "cash")
        except PanelProblem as problem:
            return [Tile(label, None, empty_reason=str(problem)) for label in SPEND_TILES], []
        except ValueError as exc:  # the settings lookup itself is broken (conflicting groups)
            why = f"Spend cannot be worked out: {exc}."
            return [Tile(label, None, empty_reason=why) for label in SPEND_TILES], []
        notices = page_notices(inputs)
        if not tiles:
            unknown = " ".join(n.text for n in notices if n.level == "warning")
            why = f"No spend outturn with defined codes for {data.area.area_name} in the years chosen."
            tiles = [Tile(label, None, empty_reason=(why + " " + unknown).strip())
                     for label in SPEND_TILES]  # fmt: skip
        source = _source(data, "spend", "Spend outturn")
        if tiles and tiles[0].value is not None:  # the target, judged as on the Spend page
            target, _ = the_target(inputs, data)
            words = target_words(target, _until(inputs.yearly))
            said = f"Acute spend target {words[1]}." if words else "No acute spend target is set."
            tiles[0] = replace(tiles[0], detail=said)
        return [_sourced(t, source) for t in tiles], notices

    def care(self, params: AreaParams, data: Data) -> Tile:
        missing = _missing(data, ("care_homes", "cqc_ratings"))
        if missing:
            return failed(CARE_TILE, missing)
        area = data.area
        tile = headlines.care_home_tile(
            data.frame("care_homes"), data.frame("cqc_ratings"), data.frame("areas"),
            area.place_code, area.cluster_code, area.area_name, year_to=params.year_to,
            year_from=params.year_from,
        )  # fmt: skip
        return _sourced(tile, _source(data, "cqc_ratings", "CQC ratings"), rows=True)

    def outcomes(self, data: Data) -> Tile:
        """How many of the area's outcome indicators are improving in the latest month, read
        the Making Data Count way (as the grid below), with the concerns and the targets."""
        missing = _missing(data, ("outcomes", "indicators"))
        if missing:
            return failed(OUTCOMES_TILE, missing)
        area = data.area
        try:
            analysis = outcome_analysis(data)
        except PanelProblem as problem:
            return Tile(OUTCOMES_TILE, None, empty_reason=str(problem))
        tile = outcome_tile(analysis, area.cluster_code or area.place_code or "")
        return _sourced(tile, _source(data, "outcomes", "Outcome indicators"))

    def people(self, data: Data) -> list[Tile]:
        area, areas = data.area, data.frame("areas")
        population = data.optional("population")
        clusters = headlines.cluster_tile(areas, population, area.place_code, area.place_name,
                                          whole_place=area.whole_place)  # fmt: skip
        clusters = _sourced(clusters, _source(data, "areas", "Areas"))
        if population is None:
            return [failed("Residents", "population"), clusters]
        residents = headlines.population_tile(population, areas, area.area_code, area.area_name)
        return [_sourced(residents, _source(data, "population", "Population")), clusters]

    def build(self, params: AreaParams, data: Data) -> Built:
        spend_tiles, notices = self.spend(params, data)
        tiles = [*spend_tiles, self.care(params, data), self.outcomes(data), *self.people(data)]
        area = data.area
        fig = tiles_figure(
            [(t.label, t.value, t.delta) for t in tiles],
            title=finding(area.area_name, tiles),
            subtitle=" · ".join(
                f"{t.label}: {t.period}"
                for t in tiles
                if t.label in (SPEND_TILES[0], CARE_TILE, OUTCOMES_TILE, "Residents") and t.period
            ),
            per_row=4,
        )
        rows = pl.DataFrame(
            [
                {
                    "measure": t.label,
                    "value": t.value,
                    "period": t.period,
                    "change": t.delta,
                    "detail": t.detail or t.empty_reason,
                    "source": t.source,
                    "synthetic": t.synthetic,
                }
                for t in tiles
            ],  # fmt: skip
            schema={
                "measure": pl.String,
                "value": pl.String,
                "period": pl.String,
                "change": pl.String,
                "detail": pl.String,
                "source": pl.String,
                "synthetic": pl.Boolean,
            },  # fmt: skip
        )
        return Built(finding(area.area_name, tiles), fig, self.release(rows), caption(tiles),
                     notices=notices, tiles=tiles, definition=DEFINITION,
                     extras={"synthetic": synthetic_names(data, tiles)})  # fmt: skip


def outcome_tile(analysis: PlaceAnalysis, area_code: str) -> Tile:
    """'4 of 6' improving, with '1 of concern, 1 with no significant change' and, where targets
    are set, how many will consistently meet them (SPC assurance), for one area."""
    results = [analysis.result(i.indicator_id, area_code) for i in analysis.indicators]
    read = [r for r in results if r is not None and r.variation and not r.withheld]
    words = [VARIATION_WORDS.get(r.variation or "", "") for r in read]
    month = f"{analysis.latest_period:%b %Y}" if analysis.latest_period else ""
    if not read:
        return Tile(OUTCOMES_TILE, None, month, empty_reason=(
            "No indicator has a reading here (too few events are not shown)."))  # fmt: skip
    counts = {w: words.count(w) for w in ("Improving", "Concern", "No change")}
    other = len(read) - sum(counts.values())
    detail = f"{counts['Concern']} of concern, {counts['No change']} with no significant change"
    detail += f", {other} unusually high or low" if other else ""
    targets = [r.assurance for r in read if r.assurance]
    if targets:
        meet, miss = targets.count("pass"), targets.count("fail")
        detail += (f"; of {len(targets)} with a target, {meet} will consistently meet it, "
                   f"{miss} will consistently miss it, {len(targets) - meet - miss} hit and miss")  # fmt: skip
    shown = len(analysis.indicators) - len(read)
    if shown:
        detail += f"; {shown} not read (too few events or no data)"
    return Tile(OUTCOMES_TILE, f"{counts['Improving']} of {len(read)}", f"latest month, {month}",
                detail=detail + ".",
                help="Special cause improvement in the latest month of each indicator's XmR "
                     "chart (Making Data Count), judged by the indicator's polarity.")  # fmt: skip


def finding(area_name: str, tiles: list[Tile]) -> str:
    """'Oldham: acute share of spend 32.7% (2024/25, -2.5 points since 2015/16); 81.0% of care
    home beds rated Good or better', from the tiles that have a figure."""
    by_label = {t.label: t for t in tiles if t.value is not None and not t.failed}
    parts = []
    if (share := by_label.get(SPEND_TILES[0])) is not None:
        when = share.period.split(" outturn")[0]
        parts.append(f"acute share of spend {share.value} ({when}"
                     + (f", {share.delta})" if share.delta else ")"))  # fmt: skip
    if (care := by_label.get(CARE_TILE)) is not None:
        parts.append(f"{care.value} of care home beds rated Good or better")
    return f"{area_name}: " + ("; ".join(parts) if parts else "the headline numbers")


def synthetic_names(data: Data, tiles: list[Tile]) -> list[str]:
    """What the page's synthetic-data notice names: each dataset behind a synthetic tile."""
    names: list[str] = []
    for tile in tiles:
        if not tile.synthetic:
            continue
        if tile.label == CARE_TILE:
            name = "Care homes and CQC ratings in this area"
        else:
            dataset = {
                "Residents": "population",
                "Neighbourhood clusters": "areas",
                OUTCOMES_TILE: "outcomes",
            }.get(tile.label, "spend")
            spec = data.spec(dataset)
            name = (spec.title if spec else "") or dataset
        if name not in names:
            names.append(name)
    return names


def caption(tiles: list[Tile]) -> Caption:
    """Every source the tiles use, and whether they are real, synthetic or partly synthetic."""
    sources = list(dict.fromkeys(t.source for t in tiles if t.source))
    drawn = [t for t in tiles if t.source]
    synthetic: bool | str = False
    if drawn and all(t.synthetic for t in drawn):
        synthetic = True
    elif any(t.synthetic for t in drawn):
        synthetic = "partly"
    return Caption("; ".join(sources) or "Placewise catalog", synthetic=synthetic)
