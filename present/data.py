"""Where slides get their data: a panels.source.Source (the app's cache or a catalog read directly).

The app passes one backed by ui.state (scoped, cached per data version, every request pushed
down); the command line and the tests use CatalogData (panels.source.CatalogSource). Also
here: the place and cluster a slide names, resolved by code or name, and the data checks of a
deck.
"""

from __future__ import annotations

from typing import Any

from panels.core import Area, Data, PanelProblem
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
    if panel is None:
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
