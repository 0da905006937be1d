"""Making Data Count icons and the plain-English sentence for one XmR result.

Variation (NHSRplotthedots and the MDC icons): read from the latest point. Common cause when
it is common cause; otherwise improvement, concern or neutral, "high" or "low" by the
direction of the rule it is part of (a falling trend is "low" even above the mean).

Assurance (MDC): compares the latest target with the latest process limits. For "higher is
better", the target below the lower limit means every expected value passes (consistently
passing); above the upper limit, every expected value fails (consistently failing);
otherwise hit and miss. Mirror image for "lower is better". A target exactly on a limit is
hit and miss (strict comparison, as NHSRplotthedots). No icon for a neutral indicator, with
no target, or without limits (a one-point baseline).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import polars as pl

VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("pass", "fail", "hit_and_miss")

# Text alternative of each icon (what a screen reader says and the legend shows).
VARIATION_LABELS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause improvement: higher than expected",
    "improvement_low": "Special cause improvement: lower than expected",
    "concern_high": "Special cause concern: higher than expected",
    "concern_low": "Special cause concern: lower than expected",
    "neutral_high": "Special cause variation: higher than expected (neither better nor worse)",
    "neutral_low": "Special cause variation: lower than expected (neither better nor worse)",
}
# The word printed beside the icon, so the cell reads without colour.
VARIATION_WORDS = {
    "common_cause": "No change",
    "improvement_high": "Improving",
    "improvement_low": "Improving",
    "concern_high": "Concern",
    "concern_low": "Concern",
    "neutral_high": "Unusually high",
    "neutral_low": "Unusually low",
}
ASSURANCE_LABELS = {
    "pass": "Consistently passing the target (the target is outside the limits, on the safe side)",
    "fail": "Consistently failing the target (the target is outside the limits, out of reach)",
    "hit_and_miss": "Hit and miss: the target lies within the limits, so it will sometimes be met",
}
ASSURANCE_WORDS = {"pass": "Meets target", "fail": "Misses target", "hit_and_miss": "Hit and miss"}


def variation_icon(result: pl.DataFrame) -> str | None:
    """The variation icon key for the latest point (one of VARIATION_ICONS), None if empty."""
    if result.is_empty():
        return None
    last = result.row(-1, named=True)
    if last["point_type"] == "common_cause":
        return "common_cause"
    kind = last["point_type"].removeprefix("special_cause_")
    return f"{kind}_{'high' if last['direction'] > 0 else 'low'}"


def assurance_icon(
    result: pl.DataFrame, improvement: str, target: float | None = None
) -> str | None:
    """The assurance icon key (pass, fail, hit_and_miss) from the latest limits and target.

    `target` overrides the result's latest `target` value.
    """
    if improvement == "neutral" or result.is_empty():
        return None
    last = result.row(-1, named=True)
    goal = target if target is not None else last.get("target")
    lower, upper = last["lower_limit"], last["upper_limit"]
    if goal is None or lower is None or upper is None or math.isnan(goal):
        return None
    passing_side_low = improvement == "increase"  # the target is easy when it is low
    if goal < lower:
        return "pass" if passing_side_low else "fail"
    if goal > upper:
        return "fail" if passing_side_low else "pass"
    return "hit_and_miss"


def special_cause_since(result: pl.DataFrame) -> int | None:
    """Row of the first point of the latest unbroken stretch of the latest point's type.

    None when the latest point is common cause (or there are no points).
    """
    if result.is_empty() or result["point_type"][-1] == "common_cause":
        return None
    types = result["point_type"].to_list()
    dirs = result["direction"].to_list()
    i = len(types) - 1
    while i > 0 and types[i - 1] == types[-1] and dirs[i - 1] == dirs[-1]:
        i -= 1
    return i


_KIND_WORDS = {
    "special_cause_improvement": "special cause improvement",
    "special_cause_concern": "special cause concern",
    "special_cause_neutral": "special cause variation",
}


def _common_cause_phrase(result: pl.DataFrame) -> str:
    """'no significant change since Jan 2026, after special cause improvement', or 'common
    cause variation only' when the latest limits period has no special cause at all."""
    types = result["point_type"].to_list()
    segments = result["segment"].to_list()
    i = len(types) - 1
    while i > 0 and types[i - 1] == "common_cause" and segments[i - 1] == segments[-1]:
        i -= 1
    if i == 0 or segments[i - 1] != segments[-1]:
        return "common cause variation only, no significant change"
    before = _KIND_WORDS[types[i - 1]]
    return (
        f"no significant change since {_when(result, i)} (common cause variation), after {before}"
    )


def _when(result: pl.DataFrame, row: int) -> str:
    if "period" in result.columns:
        return f"{result['period'][row]:%b %Y}"
    return f"point {row + 1}"


def variation_phrase(result: pl.DataFrame) -> str:
    """What the latest point says, in words: 'special cause improvement since Oct 2023'."""
    icon = variation_icon(result)
    if icon is None:
        return "no data"
    if icon == "common_cause":
        return _common_cause_phrase(result)
    start = special_cause_since(result)
    assert start is not None  # the latest point is special cause, so its stretch has a start
    since = _when(result, start)
    kind, side = icon.split("_")
    if kind == "neutral":
        return f"special cause variation, {'higher' if side == 'high' else 'lower'} than usual, since {since}"
    return f"special cause {kind} since {since}"


def describe(
    result: pl.DataFrame,
    *,
    indicator: str,
    area: str,
    improvement: str,
    fmt: Callable[[float], str] | None = None,
) -> str:
    """One sentence a board member can quote, e.g. 'Emergency admissions, aged 65+ in Oldham
    North: special cause improvement since Oct 2023 (latest 1,902, Mar 2026); hit and miss
    against the target of 1,940.'"""
    fmt = fmt or (lambda v: f"{v:,.4g}")
    head = f"{indicator} in {area}"
    if result.is_empty():
        return f"{head}: no data."
    last = result.row(-1, named=True)
    variation = variation_phrase(result)
    latest = f"latest {fmt(last['value'])}, {_when(result, result.height - 1)}"
    trial = "; trial limits (fewer than 12 points)" if last["trial_limits"] else ""
    sentence = f"{head}: {variation} ({latest}{trial})"
    assurance = assurance_icon(result, improvement)
    goal = last.get("target")
    if assurance is not None and goal is not None:  # an assurance icon needs a target
        sentence += {
            "pass": "; consistently passing the target of ",
            "fail": "; consistently failing the target of ",
            "hit_and_miss": "; hit and miss against the target of ",
        }[assurance] + fmt(goal)
    elif improvement != "neutral" and goal is None:
        sentence += "; no target set"
    return sentence + "."
