"""The four Making Data Count special-cause rules, each on one segment of an XmR chart.

Every function returns one integer per point: +1 when the point is part of a pattern on the
high side (or rising), -1 on the low side (or falling), 0 otherwise. `metrics.spc` explains
the choices; this module only implements them.
"""

from __future__ import annotations

import numpy as np

RUN_LENGTH = 7  # points in a row on one side of the mean
TREND_LENGTH = 7  # points in a row all rising or all falling (6 steps)


def sides(y: np.ndarray, mean: float) -> np.ndarray:
    """+1 above the mean, -1 below, 0 exactly on it (or when there is no mean)."""
    if np.isnan(mean):
        return np.zeros(len(y), dtype=np.int8)
    return np.sign(y - mean).astype(np.int8)


def outside_limits(y: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """Rule 1: a point above the upper or below the lower process limit (strictly)."""
    out = np.zeros(len(y), dtype=np.int8)
    if np.isnan(lower) or np.isnan(upper):
        return out
    out[y > upper] = 1
    out[y < lower] = -1
    return out


def shift(side: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """Rule 2: every point of a run of `length` or more on the same side of the mean.

    A point exactly on the mean belongs to neither side and ends the run.
    """
    n = len(side)
    out = np.zeros(n, dtype=np.int8)
    start = 0
    for i in range(1, n + 1):
        if i == n or side[i] != side[start]:
            if side[start] != 0 and i - start >= length:
                out[start:i] = side[start]
            start = i
    return out


def trend(y: np.ndarray, length: int = TREND_LENGTH) -> np.ndarray:
    """Rule 3: every point of a run of `length` or more points each above (below) the one before.

    Two equal consecutive values end a trend. A turning point that ends one trend and starts
    the next in the other direction takes the direction of the later trend.
    """
    n = len(y)
    out = np.zeros(n, dtype=np.int8)
    if n < length:
        return out
    steps = np.sign(np.diff(y)).astype(np.int8)
    start = 0
    for i in range(1, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start]:
            if steps[start] != 0 and i - start >= length - 1:
                out[start : i + 1] = steps[start]  # later runs overwrite the turning point
            start = i
    return out


def two_of_three(y: np.ndarray, lower_2sigma: float, upper_2sigma: float) -> np.ndarray:
    """Rule 4: two (or three) of three consecutive points beyond 2 sigma on the same side.

    Points beyond a process limit count as beyond 2 sigma. Only the points beyond 2 sigma are
    flagged, not the third point of the window. The last two points of a series form a
    window of their own, so the rule can fire on the latest data.
    """
    n = len(y)
    out = np.zeros(n, dtype=np.int8)
    if n < 2 or np.isnan(lower_2sigma) or np.isnan(upper_2sigma):
        return out
    for direction, hits in ((1, y > upper_2sigma), (-1, y < lower_2sigma)):
        padded = np.concatenate([hits.astype(np.int8), [0, 0]])
        in_window = padded[:-2] + padded[1:-1] + padded[2:]  # window starting at each point
        busy = in_window >= 2
        covered = (
            busy
            | np.concatenate([[False], busy[:-1]])
            | np.concatenate([[False, False], busy[:-2]])
        )
        out[hits & covered] = direction
    return out


def combine(
    outside: np.ndarray, trending: np.ndarray, two_three: np.ndarray, shifted: np.ndarray
) -> np.ndarray:
    """The direction of each point's special cause, by precedence: limits, trend, 2 of 3, run.

    Only a trend can disagree with the point's side of the mean (a rising trend that starts
    below the mean); the trend's direction then wins, as in NHSRplotthedots.
    """
    direction = shifted.copy()
    for rule in (two_three, trending, outside):
        direction = np.where(rule != 0, rule, direction)
    return direction.astype(np.int8)


def describe_rules(
    outside: np.ndarray, trending: np.ndarray, two_three: np.ndarray, shifted: np.ndarray
) -> list[str]:
    """Plain words for the rules each point triggers ("" for common cause)."""
    words = []
    for o, t, w, s in zip(outside, trending, two_three, shifted, strict=True):
        parts = []
        if o:
            parts.append("above the upper limit" if o > 0 else "below the lower limit")
        if t:
            parts.append(
                f"{TREND_LENGTH} points rising" if t > 0 else f"{TREND_LENGTH} points falling"
            )
        if w:
            parts.append("2 of 3 near the upper limit" if w > 0 else "2 of 3 near the lower limit")
        if s:
            parts.append(
                f"{RUN_LENGTH}+ points above the mean"
                if s > 0
                else f"{RUN_LENGTH}+ points below the mean"
            )
        words.append("; ".join(parts))
    return words
