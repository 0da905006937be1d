"""The views a deck can show: every registered panel (panels.registry), its page and parameters.

Nothing here is per view: the panel's parameter metadata (panels.params) gives the deck's
keys, the allowed values, the page's URL keys and the labels the page's URL holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from panels.params import AreaParams, from_url, parse, to_url
from panels.registry import panels

PAGES = ("overview", "spend", "care-homes", "neighbourhoods", "outcomes", "benchmarks")
SLIDE_KEYS = ("view", "page", "place", "cluster", "heading", "note")


def _ids() -> list[str]:
    return list(panels())


class _Views(Mapping[str, str]):
    """Panel id -> what it shows (read from the registry each time, so plugins appear)."""

    def __getitem__(self, key: str) -> str:
        return panels()[key].title

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_ids())

    def __len__(self) -> int:
        return len(_ids())


class _Pages(Mapping[str, str]):
    """Panel id -> the URL path of the page it is on."""

    def __getitem__(self, key: str) -> str:
        return panels()[key].page

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_ids())

    def __len__(self) -> int:
        return len(_ids())


def is_panel(view: str) -> bool:
    return view in panels()


VIEWS: Mapping[str, str] = _Views()
VIEW_PAGES: Mapping[str, str] = _Pages()


def params_class(view: str) -> type[AreaParams]:
    return panels()[view].Params


def check_params(view: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with a slide's parameters for `view` (a known view): one sentence each."""
    _, problems = parse(params_class(view), params)
    problems = [
        p.replace("there is no parameter", f"view '{view}' has no parameter") for p in problems
    ]
    for key in panels()[view].required:
        if key not in params:
            problems.append(f"view '{view}' needs the parameter '{key}'")
    return problems


def panel_params(
    view: str, place: str | None, cluster: str | None, params: Mapping[str, Any]
) -> AreaParams:
    """The panel's parameters of a slide (values already checked by check_params)."""
    parsed, _ = parse(params_class(view), params)
    return dataclasses.replace(parsed, place=place, cluster=cluster)


def params_from_query(view: str, query: Mapping[str, Any]) -> AreaParams:
    """A view's parameters from a page's URL query ('add to deck'): every choice the page has."""
    params, _ = from_url(params_class(view), query)
    return params


def query_of(
    params: AreaParams, names: Mapping[str, str] | None = None
) -> dict[str, str | list[str]]:
    """The page's URL query showing `params` (to_url with names for codes)."""
    return to_url(params, names)
