"""Row filters, one per canonical table, that cut a frame down to what a scope may see.

Each rule names the column that carries the place for its contract. Reference tables with no
place in them (settings, indicators, deflators) pass through. A contract without a rule returns
no rows at all: a new table must be given a rule before anyone restricted can see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import polars as pl

from access.scope import Visibility

if TYPE_CHECKING:
    import pandas as pd

#: what `restrict` limits, and gives back in the same type (boundaries are geopandas, a pandas frame)
F = TypeVar("F", pl.DataFrame, pl.LazyFrame, "pd.DataFrame")

Rule = Callable[[Visibility, frozenset[str] | None], pl.Expr | None]


def _codes(column: str, codes: frozenset[str]) -> pl.Expr:
    return pl.col(column).is_in(sorted(codes))


def _areas(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    return _codes("area_code", v.names)


def _by_area(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    return _codes("area_code", v.rows)


def _by_area_or_everywhere(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    # an event with no area applies to every area (e.g. a national lockdown)
    return pl.col("area_code").is_null() | _codes("area_code", v.rows)


def _spend(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    return _codes("place_code", v.places) & _codes("area_code", v.rows)


def _whole_places(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    # a place's own total (a council's return): only for a grant of the whole place
    return _codes("place_code", v.whole_places)


def _care_homes(v: Visibility, _locations: frozenset[str] | None) -> pl.Expr:
    # a home with no LSOA can only be placed in its local authority, so only a whole-place
    # grant reaches it
    located = _codes("area_code", v.rows)
    unlocated = pl.col("area_code").is_null() & _codes("place_code", v.whole_places)
    return _codes("place_code", v.places) & (located | unlocated)


def _cqc_ratings(_v: Visibility, locations: frozenset[str] | None) -> pl.Expr:
    # ratings carry no area: they follow the care homes the scope reaches
    return _codes("location_id", locations or frozenset())


def _everyone(_v: Visibility, _locations: frozenset[str] | None) -> None:
    return None


RULES: dict[str, Rule] = {
    "areas": _areas,
    "boundaries": _by_area,
    "settings": _everyone,
    "spend": _spend,
    "care_homes": _care_homes,
    "cqc_ratings": _cqc_ratings,
    "indicators": _everyone,
    "observations": _by_area,
    "events": _by_area_or_everywhere,
    "targets": _by_area,
    "deflators": _everyone,
    "asc_expenditure": _whole_places,
}


# Contracts whose rule is a plain `column IN (codes)` on each named column, so a source can
# apply it itself (SQL WHERE, parquet predicate) for aggregates and distinct values.
_PUSHDOWN: dict[str, Callable[[Visibility], dict[str, frozenset[str]]]] = {
    "areas": lambda v: {"area_code": v.names},
    "boundaries": lambda v: {"area_code": v.rows},
    "observations": lambda v: {"area_code": v.rows},
    "targets": lambda v: {"area_code": v.rows},
    "spend": lambda v: {"place_code": v.places, "area_code": v.rows},
    "asc_expenditure": lambda v: {"place_code": v.whole_places},
}


def pushdown_where(contract: str, seen: Visibility) -> dict[str, list[str]] | None:
    """The scope of `seen` as a `where` filter (column -> codes) that gives exactly the rows
    `restrict` keeps, or None when the contract's rule is not a plain IN filter (care homes,
    ratings, events) and the scoped frame must be used instead. Tables without a place pass:
    an empty dict."""
    if RULES.get(contract) is _everyone:
        return {}
    make = _PUSHDOWN.get(contract)
    if make is None:
        return None
    return {column: sorted(codes) for column, codes in make(seen).items()}


def restrict(
    frame: F,
    contract: str,
    seen: Visibility | None,
    *,
    locations: frozenset[str] | None = None,
) -> F:
    """`frame` (polars, or pandas/geopandas for boundaries) limited to the rows `seen` reaches.

    `seen=None` means unrestricted. `locations` are the care home ids the scope reaches, which
    the `cqc_ratings` rule needs; without them no rating passes.
    """
    if seen is None:
        return frame
    rule = RULES.get(contract)
    if rule is None:
        if isinstance(frame, pl.DataFrame | pl.LazyFrame):
            return frame.head(0)
        return frame.iloc[0:0]
    expr = rule(seen, locations)
    if expr is None:
        return frame
    if isinstance(frame, pl.DataFrame | pl.LazyFrame):
        return frame.filter(expr.fill_null(False))
    # pandas or geopandas: evaluate the same rule on the plain columns, keep the frame's type
    columns = expr.meta.root_names()
    plain = pl.from_pandas(frame[columns].reset_index(drop=True))
    mask = plain.select(expr.fill_null(False)).to_series().to_numpy()
    return frame[mask]
