"""Statistical neighbours and the gap to them.

Peers are the `k` councils nearest to a place over a few council-level variables (by default
deprivation, the share of residents aged 65+ and the ONS Health Index): each variable is turned
into a z-score over the whole pool (mean 0, standard deviation 1, so no variable outweighs another
for its units), and councils are ranked by Euclidean distance to the place, ties broken by code.
The same data always gives the same peers. A council may instead name its peers (e.g. CIPFA's).

The comparison with peers says where the place stands among them (rank and quartiles) and the gap
to the peer median in the indicator's own counts: (median rate - place rate) x the place's
denominator, e.g. people on a register or pounds of spend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

PEER_VARIABLES = ("imd_2019_score", "share_65_plus_2020", "health_index_2021")
K = 10


@dataclass(frozen=True)
class Peer:
    area_code: str
    distance: float


def nearest(
    figures: pl.DataFrame,
    place_code: str,
    *,
    variables: tuple[str, ...] = PEER_VARIABLES,
    k: int = K,
) -> list[Peer]:
    """The `k` councils nearest to `place_code` over `variables` (observations: indicator_id,
    area_code, value). Only councils with every variable take part; England is not a peer."""
    wide = (
        figures.filter(pl.col("indicator_id").is_in(variables), pl.col("value").is_not_null())
        .pivot(on="indicator_id", index="area_code", values="value", aggregate_function="first")
        .drop_nulls()
    )
    missing = [v for v in variables if v not in wide.columns]
    if missing:
        raise ValueError(f"no council has a figure for {', '.join(missing)}")
    wide = wide.filter(~pl.col("area_code").str.starts_with("E92"))
    if place_code not in wide["area_code"].to_list():
        raise ValueError(f"{place_code} has no figure for every one of {', '.join(variables)}")
    z = wide.select(
        "area_code", *((pl.col(v) - pl.col(v).mean()) / pl.col(v).std(ddof=0) for v in variables)
    )
    me = z.filter(pl.col("area_code") == place_code).row(0, named=True)
    dist = z.select(
        "area_code",
        distance=pl.sum_horizontal([(pl.col(v) - me[v]) ** 2 for v in variables]).sqrt(),
    ).filter(pl.col("area_code") != place_code)
    ranked = dist.sort("distance", "area_code").head(k)
    return [Peer(c, d) for c, d in ranked.iter_rows()]


@dataclass(frozen=True)
class PeerComparison:
    place_value: float
    median: float
    lower_quartile: float
    upper_quartile: float
    rank: int  # 1 = highest value among the place and its peers
    of: int  # the place and the peers with a figure
    peers_with_figure: int
    gap_count: float | None  # (median - place) x the place's denominator, in the numerator's units


def _quantile(values: list[float], q: float) -> float:
    """Quantile by linear interpolation between order statistics (Excel's QUARTILE.INC)."""
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def against_peers(
    figures: pl.DataFrame, indicator_id: str, place_code: str, peers: list[str], multiplier: float
) -> PeerComparison | None:
    """The place's value among its peers' on one indicator; None when the place has no figure or
    fewer than 3 peers have one."""
    rows = figures.filter(
        pl.col("indicator_id") == indicator_id,
        pl.col("area_code").is_in([place_code, *peers]),
        pl.col("value").is_not_null(),
    )
    mine = rows.filter(pl.col("area_code") == place_code)
    theirs = rows.filter(pl.col("area_code") != place_code)["value"].to_list()
    if mine.is_empty() or len(theirs) < 3:
        return None
    me = mine.row(0, named=True)
    median = _quantile(theirs, 0.5)
    gap = None
    if me["denominator"] is not None and not math.isnan(me["denominator"]):
        gap = (median - me["value"]) / multiplier * me["denominator"]
    return PeerComparison(
        place_value=me["value"],
        median=median,
        lower_quartile=_quantile(theirs, 0.25),
        upper_quartile=_quantile(theirs, 0.75),
        rank=1 + sum(v > me["value"] for v in theirs),
        of=len(theirs) + 1,
        peers_with_figure=len(theirs),
        gap_count=gap,
    )
