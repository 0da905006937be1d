"""Statistical neighbours and the gap to them, on numbers worked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics import peers


def figures(
    rows: dict[str, dict[str, float]], num_den: dict[str, tuple[float, float]] | None = None
):
    out = []
    for code, values in rows.items():
        for indicator, value in values.items():
            num, den = (num_den or {}).get(code, (None, None)) if indicator == "x" else (None, None)
            out.append({"indicator_id": indicator, "area_code": code, "value": value,
                        "numerator": num, "denominator": den,
                        "period_start": dt.date(2020, 1, 1)})  # fmt: skip
    return pl.DataFrame(out)


# a and b: mean 2 and population sd 1.41421 over {1, 2, 3} and {10, 20, 30}
POOL = figures({
    "P": {"a": 1.0, "b": 10.0},
    "Q": {"a": 2.0, "b": 20.0},
    "R": {"a": 3.0, "b": 30.0},
    "S": {"a": 1.0, "b": 30.0},
    "E92000001": {"a": 1.0, "b": 10.0},  # England is never a peer
})  # fmt: skip


def test_nearest_by_z_scores_and_the_same_twice():
    # over P, Q, R, S: a mean 1.75, sd 0.829156; b mean 22.5, sd 8.291562
    # z(P) = (-0.9045, -1.5076), z(Q) = (0.3015, -0.3015), z(S) = (-0.9045, 0.9045)
    # P to Q: sqrt(1.2060^2 + 1.2060^2) = 1.7056; P to S: 2.4121; P to R: sqrt(2.4121^2 + 2.4121^2) = 3.4112
    got = peers.nearest(POOL, "P", variables=("a", "b"), k=3)
    assert [p.area_code for p in got] == ["Q", "S", "R"]
    assert [round(p.distance, 4) for p in got] == [1.7056, 2.4121, 3.4112]
    assert got == peers.nearest(POOL, "P", variables=("a", "b"), k=3)


def test_ties_go_by_code():
    pool = figures({"P": {"a": 0.0}, "Z": {"a": 1.0}, "M": {"a": -1.0}})
    assert [p.area_code for p in peers.nearest(pool, "P", variables=("a",), k=2)] == ["M", "Z"]


def test_a_place_without_every_variable_is_refused():
    with pytest.raises(ValueError, match="P has no figure for every one of a, c"):
        peers.nearest(POOL.vstack(figures({"Q": {"c": 1.0}})), "P", variables=("a", "c"))


def test_median_quartiles_rank_and_gap_in_people():
    # x is a percentage: place 10% of 2,000; peers 8, 12, 14, 20 -> median 13, quartiles 11 and 15.5
    pool = figures(
        {"P": {"x": 10.0}, "A": {"x": 8.0}, "B": {"x": 12.0}, "C": {"x": 14.0}, "D": {"x": 20.0}},
        {"P": (200.0, 2000.0)},
    )
    got = peers.against_peers(pool, "x", "P", ["A", "B", "C", "D"], multiplier=100)
    assert got is not None
    assert (got.median, got.lower_quartile, got.upper_quartile) == (13.0, 11.0, 15.5)
    assert (got.rank, got.of, got.peers_with_figure) == (4, 5, 4)
    assert got.gap_count == pytest.approx(60.0)  # (13% - 10%) x 2,000 people


def test_fewer_than_three_peers_with_a_figure_gives_none():
    pool = figures({"P": {"x": 1.0}, "A": {"x": 2.0}, "B": {"x": 3.0}})
    assert peers.against_peers(pool, "x", "P", ["A", "B", "C"], multiplier=1) is None
