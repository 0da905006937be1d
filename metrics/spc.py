"""Making Data Count XmR charts: process limits, special-cause rules, point types and icons.

Follows NHS England's Making Data Count (MDC) guidance; where the guidance is silent, the edge
cases follow NHSRplotthedots (the NHS-R community's R implementation) unless said otherwise.
The choices, and why:

1. Limits. Centre line = mean of the baseline points. Moving range = |x(i) - x(i-1)| between
   consecutive points of the same segment. Process limits = mean +/- 2.66 x mean moving range
   (mR-bar); sigma = 2.66 / 3 x mR-bar, so the 1 and 2 sigma lines are mean +/- 0.887 and
   +/- 1.773 mR-bar. MDC and NHSRplotthedots both.
2. Moving-range screening. Moving ranges above 3.267 x mR-bar (the upper range limit) are
   left out and mR-bar is recomputed once, so a single extreme month does not widen the
   limits for every other month (NHSRplotthedots `screen_outliers = TRUE`, its default).
   Ranges equal to the cut-off are kept, so a flat baseline keeps mR-bar = 0.
3. Baseline. Limits are fixed on the first 12 points of each segment (DOMAIN.md: limits
   fixed after a baseline of 12+ points); later points are judged against them and do not
   move them, so a change shows as special cause instead of being absorbed into wider
   limits. NHSRplotthedots uses every point unless `fix_after_n_points` is set; we fix by
   default because a board reads "since the baseline". With fewer than 12 points all points
   are used and flagged `trial_limits` (NHSRplotthedots flags groups under 12 points with
   `short_group_warning`). `baseline=n` fixes on n points instead.
4. Rebasing. `rebase_at` starts a new segment at a position (or, with `periods`, at the first
   period on or after a date): each segment has its own baseline, mean and limits, and no
   rule, moving range or run crosses a rebase point (NHSRplotthedots `rebase`).
5. Short series. No points: an empty frame. One point in a segment: no moving range, so no
   limits; the point is common cause unless a rule that needs no limits applies. Rules still
   run on trial limits (NHSRplotthedots), and every sentence and chart says "trial".
6. A flat baseline (mR-bar = 0) gives limits equal to the mean: any later different value is
   outside them. This is what the arithmetic says; the chart shows it plainly.
7. Run rule: 7 or more points in a row on the same side of the mean; a point exactly on the
   mean is on neither side and ends the run (NHSRplotthedots). All points of the run are
   flagged, including the first six.
8. Trend rule: 7 or more points in a row each strictly higher (lower) than the one before.
   Ties (equal consecutive values) end a trend (NHSRplotthedots). A turning point that ends
   one trend and starts the opposite one takes the later trend's direction
   (NHSRplotthedots: "use right side").
9. 2 of 3 rule: two or three of three consecutive points beyond the 2 sigma line on the same
   side; a point beyond a process limit counts as beyond 2 sigma, and the third point may be
   anywhere. This is the Western Electric rule as DOMAIN.md states it. NHSRplotthedots
   differs: it counts only points between 2 sigma and the limit and wants all three points
   on the same side of the mean; we count beyond-limit points because a point beyond the
   limit is certainly beyond 2 sigma, and leaving it out would hide a "near" neighbour.
   Only the points beyond 2 sigma are flagged.
10. A point that triggers rules in both directions (only possible for a trend that runs
   across the mean): precedence is outside limits, then trend, then 2 of 3, then run
   (NHSRplotthedots), so a rising trend that starts below the mean is "high" throughout.
11. Point type: special cause in the improvement direction is `special_cause_improvement`,
   the other direction `special_cause_concern`; for a neutral indicator
   `special_cause_neutral` (the `direction` column says high or low).
12. Impossible limits. With `bounds` (used for every outcome: counts, rates and percentages
   cannot be below 0, percentages cannot be above 100) the limits and sigma lines are
   clipped to what the measure can take, so a board never sees "-3 delayed discharges" as a
   limit. As no value lies beyond a bound, no rule can change. NHSRplotthedots leaves limits
   unclipped (the default here too: `bounds=(None, None)`).
13. Icons: see `metrics.spc_icons` (variation from the latest point; assurance from the
   latest limits against the latest target).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from metrics import spc_rules
from metrics.spc_icons import (
    ASSURANCE_ICONS,
    VARIATION_ICONS,
    assurance_icon,
    describe,
    special_cause_since,
    variation_icon,
    variation_phrase,
)

__all__ = [  # the icons and sentences of metrics.spc_icons are part of this module's API
    "ASSURANCE_ICONS",
    "IMPROVEMENTS",
    "LIMIT",
    "MIN_BASELINE",
    "MR_SCREEN",
    "POINT_TYPES",
    "SIGMA_PER_MR",
    "VARIATION_ICONS",
    "SpcInputError",
    "assurance_icon",
    "describe",
    "improvement_for",
    "special_cause_since",
    "variation_icon",
    "variation_phrase",
    "xmr",
]

LIMIT = 2.66
SIGMA_PER_MR = LIMIT / 3
MR_SCREEN = 3.267
MIN_BASELINE = 12
IMPROVEMENTS = ("increase", "decrease", "neutral")
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral",
)
_POLARITY = {"higher_is_better": "increase", "lower_is_better": "decrease", "neutral": "neutral"}


class SpcInputError(ValueError):
    """The values, target, baseline or rebase points cannot make an XmR chart."""


def improvement_for(polarity: str) -> str:
    """The `improvement` argument for an indicator polarity (`higher_is_better`, ...)."""
    try:
        return _POLARITY[polarity]
    except KeyError:
        raise SpcInputError(
            f"Unknown polarity '{polarity}': expected one of {', '.join(_POLARITY)}."
        ) from None


#: a series of numbers: a polars Series, a list, a numpy array...
Values = pl.Series | Iterable[float]
#: one target for every point, one per point (None: no target there), or none
Targets = float | pl.Series | Iterable[float | None] | None
#: where limits are recalculated: point positions or dates (placed with ``periods``)
RebasePoints = Iterable[int | date] | None


def _floats(values: Values, what: str) -> np.ndarray:
    try:
        y = np.asarray(
            values.to_list() if isinstance(values, pl.Series) else list(values), dtype=float
        )
    except (TypeError, ValueError):
        raise SpcInputError(f"The {what} must all be numbers.") from None
    if y.ndim != 1:
        raise SpcInputError(f"The {what} must be one list of numbers.")
    return y


def _targets(target: Targets, n: int) -> np.ndarray:
    if target is None:
        return np.full(n, np.nan)
    if isinstance(target, int | float):
        return np.full(n, float(target))
    items = target.to_list() if isinstance(target, pl.Series) else list(target)
    if len(items) != n:
        raise SpcInputError(f"There are {len(items)} targets for {n} values.")
    return np.array([np.nan if t is None else float(t) for t in items])


def _segment_starts(rebase_at: RebasePoints, n: int, periods: Sequence[date] | None) -> list[int]:
    starts = {0}
    for point in rebase_at or ():
        if isinstance(point, date):
            if periods is None:
                raise SpcInputError("Rebase dates need `periods` to place them on the series.")
            after = [i for i, p in enumerate(periods) if p >= point]
            if after:
                starts.add(after[0])
        elif isinstance(point, int | np.integer) and not isinstance(point, bool):
            if not 0 <= point < n:
                raise SpcInputError(f"Rebase position {point} is outside the {n} points.")
            starts.add(int(point))
        else:
            raise SpcInputError(f"Rebase point {point!r} is neither a position nor a date.")
    return sorted(starts)


def _limits(seg: np.ndarray, baseline: int | None, screen: bool) -> tuple[int, float, float]:
    """(baseline points used, mean, mean moving range) for one segment."""
    if baseline is not None and baseline < 1:
        raise SpcInputError(f"The baseline must be at least 1 point, not {baseline}.")
    wanted = MIN_BASELINE if baseline is None else baseline
    k = min(wanted, len(seg))
    base = seg[:k]
    mean = float(base.mean())
    ranges = np.abs(np.diff(base))
    if not len(ranges):
        return k, mean, math.nan
    amr = float(ranges.mean())
    if screen:
        amr = float(ranges[ranges <= MR_SCREEN * amr].mean())
    return k, mean, amr


def xmr(
    values: Values,
    improvement: str = "increase",
    target: Targets = None,
    baseline: int | None = None,
    rebase_at: RebasePoints = (),
    *,
    periods: Sequence[date] | None = None,
    screen_outliers: bool = True,
    bounds: tuple[float | None, float | None] = (None, None),
) -> pl.DataFrame:
    """One row per point: value, limits, rules fired and point type (see the module notes).

    `values` in time order, all finite. `target` a number or one per point (None where there
    is none). `baseline` the number of points the limits are fixed on in each segment.
    `rebase_at` positions, or dates when `periods` (one date per value) is given.
    `bounds` (lowest, highest possible value) clip the limits and sigma lines, e.g. (0, 100)
    for a percentage.
    """
    if improvement not in IMPROVEMENTS:
        raise SpcInputError(
            f"improvement must be one of {', '.join(IMPROVEMENTS)}, not {improvement!r}."
        )
    y = _floats(values, "values")
    n = len(y)
    if not np.isfinite(y).all():
        bad = [i for i in range(n) if not np.isfinite(y[i])]
        raise SpcInputError(f"Values at positions {bad[:10]} are missing or not finite.")
    if periods is not None and len(periods) != n:
        raise SpcInputError(f"There are {len(periods)} periods for {n} values.")
    targets = _targets(target, n)
    starts = _segment_starts(rebase_at, n, periods)
    cols: dict[str, list[Any]] = {k: [] for k in _COLUMNS}  # one list per column, of its type
    for seg_no, (a, b) in enumerate(zip(starts, [*starts[1:], n], strict=True)):
        if a == b:
            continue  # an empty series
        seg = y[a:b]
        k, mean, amr = _limits(seg, baseline, screen_outliers)
        sigma = SIGMA_PER_MR * amr
        lines = {
            name: (_clip(mean - width, bounds), _clip(mean + width, bounds))
            for name, width in (("limit", LIMIT * amr), ("2sigma", 2 * sigma), ("1sigma", sigma))
        }
        outside = spc_rules.outside_limits(seg, *lines["limit"])
        trending = spc_rules.trend(seg)
        two_three = spc_rules.two_of_three(seg, *lines["2sigma"])
        shifted = spc_rules.shift(spc_rules.sides(seg, mean))
        m = len(seg)
        cols["segment"] += [seg_no] * m
        cols["baseline"] += [i < k for i in range(m)]
        cols["trial_limits"] += [k < MIN_BASELINE] * m
        cols["mean"] += [mean] * m
        cols["moving_range"] += [math.nan, *np.abs(np.diff(seg)).tolist()]
        cols["average_moving_range"] += [amr] * m
        for name, (low, high) in lines.items():
            cols[f"lower_{name}"] += [low] * m
            cols[f"upper_{name}"] += [high] * m
        cols["rule_outside"] += outside.tolist()
        cols["rule_trend"] += trending.tolist()
        cols["rule_two_of_three"] += two_three.tolist()
        cols["rule_shift"] += shifted.tolist()
        cols["direction"] += spc_rules.combine(outside, trending, two_three, shifted).tolist()
        cols["rules"] += spc_rules.describe_rules(outside, trending, two_three, shifted)
    cols["point_type"] = [_point_type(d, improvement) for d in cols["direction"]]
    return _frame(y, targets, periods, cols)


_COLUMNS = (
    "segment",
    "baseline",
    "trial_limits",
    "mean",
    "moving_range",
    "average_moving_range",
    "lower_limit",
    "upper_limit",
    "lower_2sigma",
    "upper_2sigma",
    "lower_1sigma",
    "upper_1sigma",
    "rule_outside",
    "rule_trend",
    "rule_two_of_three",
    "rule_shift",
    "direction",
    "rules",
)


def _clip(x: float, bounds: tuple[float | None, float | None]) -> float:
    low, high = bounds
    if low is not None and x < low:
        return low
    if high is not None and x > high:
        return high
    return x


def _point_type(direction: int, improvement: str) -> str:
    if direction == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral"
    good = 1 if improvement == "increase" else -1
    return "special_cause_improvement" if direction == good else "special_cause_concern"


def _frame(
    y: np.ndarray, targets: np.ndarray, periods: Sequence[date] | None, cols: dict[str, list[Any]]
) -> pl.DataFrame:
    floats = [c for c in _COLUMNS if c.startswith(("mean", "moving", "average", "lower", "upper"))]
    ints = {"segment": np.int64, **{c: np.int8 for c in _COLUMNS if c.startswith("rule_")}}
    ints["direction"] = np.int8
    data: dict[str, object] = {"point": np.arange(len(y), dtype=np.int64)}
    if periods is not None:
        data["period"] = pl.Series("period", list(periods), dtype=pl.Date)
    data["value"] = y
    for name in _COLUMNS:
        if name in floats:
            data[name] = np.asarray(cols[name], dtype=float)
        elif name in ints:
            data[name] = np.asarray(cols[name], dtype=ints[name])
        elif name in ("baseline", "trial_limits"):
            data[name] = np.asarray(cols[name], dtype=bool)
        else:
            data[name] = pl.Series(name, cols[name], dtype=pl.String)
    data["target"] = targets
    data["point_type"] = pl.Series("point_type", cols["point_type"], dtype=pl.String)
    frame = pl.DataFrame(data)
    return frame.with_columns(pl.col(*floats, "target").fill_nan(None))
