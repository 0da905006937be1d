"""Where slides get their data: a panels.source.Source (the app's cache or a catalog read directly).

The app passes one backed by ui.state (scoped, cached per data version, every request pushed
down); the command line and the tests use CatalogData (panels.source.CatalogSource). Also
here: the place and cluster a slide names, resolved by code or name, and the data checks of a
deck.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from loaders.registry import suggest
from panels.core import Area, Data, Need, PanelProblem
from panels.registry import panels
from panels.source import AREAS, CatalogSource, Source, needs_of, place_codes
from panels.source import resolve_area as _resolve

DataSource = Source
CatalogData = CatalogSource
Where = Area


def covers_place(data: Source, place_code: str) -> bool:
    """May slides drawn from `data` show figures for `place_code` as a whole?"""
    return bool(data.covers_place(place_code))


def resolve_area(areas: Any, place: str | None, cluster: str | None) -> Area | str:
    """The slide's place and cluster (codes or names, any case), or a sentence saying which is unknown."""
    found = _resolve(areas, place, cluster)
    if isinstance(found, str):
        return found
    return Area(*found, codes=place_codes(areas, found[0]))


def reference_problem(spec: Any, data: Source) -> str | None:
    """What the data lacks for this slide (its place or cluster), or None.

    Parameters that need the data (an indicator's name) are checked by the panel's `check`.
    """
    from present.views import check_params

    areas = data.get(AREAS)
    if areas.frame is None:
        return f"the areas cannot be loaded: {areas.error}"
    where = resolve_area(areas.frame, spec.place, spec.cluster)
    if isinstance(where, str):
        return where + "."
    panel = panels().get(spec.view)
    if panel is None:  # an old builder's view: its indicator, by name
        wanted = spec.params.get("indicator")
        if isinstance(wanted, str):
            found_old = find_indicator(spec.view, wanted, Legacy(data))
            if isinstance(found_old, str):
                return found_old + "."
        return None
    if check_params(spec.view, spec.params):
        return None
    params = spec.panel_params()
    try:
        inputs = {n.dataset: data.get(n) for n in needs_of(panel, params, where)}
        found = panel.check(params, Data(where, inputs))
    except PanelProblem as exc:
        found = str(exc)
    return None if found is None else found[0].lower() + found[1:].rstrip(".") + "."


class Legacy:
    """The old `get(name) -> (frame, spec, error)` form over a Source, for builders not yet
    replaced by panels (removed with them)."""

    def __init__(self, source: Source):
        self.source = source

    def get(self, name: str) -> tuple[Any, Any, Any]:
        item = self.source.get(Need(name))
        return item.frame, item.spec, item.error

    def covers_place(self, place_code: str) -> bool:
        return bool(self.source.covers_place(place_code))


def find_indicator(view: str, wanted: str, data: Any) -> tuple[str, str] | str:
    """(id, name) of the indicator a slide names (id or name, any case), or why there is none."""
    if view == "cluster_map":
        from metrics import population as pop

        (indicators, _, error), (observations, _, error2) = (
            data.get("indicators"),
            data.get("population"),
        )
        if indicators is None or observations is None:
            return f"the indicator list cannot be loaded: {error or error2}"
        choices = {m.measure_id: m.name for m in pop.measures(indicators, observations)}
    else:
        indicators, _, error = data.get("indicators")
        if indicators is None:
            return f"the indicator list cannot be loaded: {error}"
        monthly = indicators.filter(pl.col("frequency") == "monthly")
        choices = dict(monthly.select("indicator_id", "name").iter_rows())
    key = wanted.strip().casefold()
    for code, name in choices.items():
        if key in (code.casefold(), name.casefold()):
            return code, name
    return f"unknown indicator '{wanted}' ({suggest(wanted, list(choices.values()))})"
