"""The views decks showed before panels (removed once every view is a registered panel)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from loaders.registry import suggest

VIEWS: dict[str, str] = {
    "cluster_map": "Map of the place's clusters (or small areas) for one population indicator",
    "spc_grid": "Board summary grid: every outcome indicator's SPC reading by cluster and place",
    "outcome_spc": "One outcome indicator's SPC (XmR) chart for the place or a cluster",
}
# The URL path of the page each view comes from.
VIEW_PAGES: dict[str, str] = {
    "cluster_map": "neighbourhoods",
    "spc_grid": "overview",
    "outcome_spc": "outcomes",
}
PAGES = ("overview", "spend", "care-homes", "neighbourhoods", "outcomes")
SLIDE_KEYS = ("view", "page", "place", "cluster", "heading", "note")

YEAR = re.compile(r"^\d{4}/\d{2}$")
LEVELS = {"cluster": "Clusters", "lsoa": "Small areas (LSOA)"}
SCHEMES = {"continuous": "Continuous", "quintiles": "Quintiles", "deciles": "Deciles"}
_YEARS = {"year_from": YEAR, "year_to": YEAR}
# Parameter -> allowed values (a dict of value -> page label, or a pattern), per view.
PARAMS: dict[str, dict[str, Any]] = {
    "cluster_map": {"indicator": str, "level": LEVELS, "scheme": SCHEMES},
    "spc_grid": {},
    "outcome_spc": {"indicator": str},
}
REQUIRED = {"outcome_spc": ("indicator",)}
# Parameter -> the page's URL key (values are translated to the page's labels).
URL_KEYS = {
    "level": "hoods_level",
    "scheme": "hoods_scale",
}
INDICATOR_KEYS = {"cluster_map": "hoods_indicator", "outcome_spc": "outcomes_indicator"}

ALL_CLUSTERS = "All clusters"  # the sidebar's 'no cluster' choice


def params_from_query(view: str, query: Mapping[str, Any]) -> dict[str, Any]:
    """A view's slide fields (place, cluster, params) from a page's URL query: to_query inverted.

    For 'add to deck': the page's labels ('Real terms', 'Nursing homes') become the deck's
    values ('real', 'nursing'); the sidebar's year range becomes year_from and year_to; keys
    the view does not take are left out.
    """
    allowed = PARAMS.get(view, {})
    out: dict[str, Any] = {"place": query.get("place") or None, "params": {}}
    cluster = query.get("cluster")
    out["cluster"] = None if cluster in (None, "", ALL_CLUSTERS) else cluster
    period = query.get("period")
    if "year_from" in allowed and period:
        years = [period] if isinstance(period, str) else list(period)
        out["params"].update(year_from=years[0], year_to=years[-1])
    for key, url_key in URL_KEYS.items():
        value = query.get(url_key)
        if key in allowed and value not in (None, ""):
            labels = allowed[key]
            back = (
                {label: code for code, label in labels.items()} if isinstance(labels, dict) else {}
            )
            out["params"][key] = back.get(value, value)
    if view in INDICATOR_KEYS and query.get(INDICATOR_KEYS[view]):
        out["params"]["indicator"] = query[INDICATOR_KEYS[view]]
    return out


def check_params(view: str, params: Mapping[str, Any]) -> list[str]:
    """What is wrong with a slide's parameters for `view` (a known view): one sentence each."""
    allowed = PARAMS[view]
    problems = []
    for key, value in params.items():
        if key not in allowed:
            known = tuple(allowed) or ("(this view takes no parameters)",)
            problems.append(f"view '{view}' has no parameter '{key}' ({suggest(key, known)})")
            continue
        rule = allowed[key]
        if not isinstance(value, str):
            problems.append(f"parameter '{key}' must be text, got {value!r}")
        elif isinstance(rule, dict) and value not in rule:
            problems.append(
                f"parameter '{key}' = {value!r} is not allowed ({suggest(value, tuple(rule))})"
            )
        elif isinstance(rule, re.Pattern) and not rule.match(value):
            problems.append(f"parameter '{key}' = {value!r} is not a financial year like '2019/20'")
    for key in REQUIRED.get(view, ()):
        if key not in params:
            problems.append(f"view '{view}' needs the parameter '{key}'")
    years = {"year_from", "year_to"} <= set(params)
    if years and not problems and params["year_from"] > params["year_to"]:
        problems.append(f"year_from {params['year_from']} is after year_to {params['year_to']}")
    return problems
