"""Where slides get their data: any source answering get(name) -> (frame, spec, error).

The app passes one backed by ui.state (cached per data version); the command line and the
tests use CatalogData, which loads through loaders.funnel once per dataset. Also here: the
place and cluster a slide names, resolved by code or name, and the data checks of a deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from loaders.catalog import Catalog, DatasetSpec
from loaders.errors import DataError
from loaders.funnel import load_dataset
from loaders.registry import suggest


class DataSource(Protocol):
    def get(self, name: str) -> tuple[pl.DataFrame | None, DatasetSpec | None, DataError | None]:
        """The dataset `name`, its catalog entry and, when it could not be loaded, why."""
        ...


def covers_place(data: DataSource, place_code: str) -> bool:
    """May slides drawn from `data` show figures for `place_code` as a whole?

    A source over the app's scoped datasets answers for the person signed in
    (access.Scope.covers_place); a catalog read directly (the command-line board pack) holds
    every row, so its place totals are the place's.
    """
    ask = getattr(data, "covers_place", None)
    return True if ask is None else bool(ask(place_code))


class CatalogData:
    """Datasets of one catalog, each loaded (and validated) at most once by this instance."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._loaded: dict[str, tuple[Any, DatasetSpec | None, DataError | None]] = {}

    def get(self, name: str) -> tuple[Any, DatasetSpec | None, DataError | None]:
        if name not in self._loaded:
            spec = self.catalog.datasets.get(name)
            try:
                self._loaded[name] = (load_dataset(name, self.catalog), spec, None)
            except DataError as exc:
                self._loaded[name] = (None, spec, exc)
        return self._loaded[name]


@dataclass(frozen=True)
class Where:
    """The place and cluster a slide shows, as codes and names."""

    place_code: str
    place_name: str
    cluster_code: str | None = None
    cluster_name: str | None = None

    @property
    def area_code(self) -> str:
        return self.cluster_code or self.place_code

    @property
    def area_name(self) -> str:
        return self.cluster_name or self.place_name

    def names(self) -> dict[str, str]:
        """Code -> name, for URLs (the pages' place and cluster keys take names)."""
        out = {self.place_code: self.place_name}
        if self.cluster_code and self.cluster_name:
            out[self.cluster_code] = self.cluster_name
        return out


def _match(rows: pl.DataFrame, wanted: str) -> tuple[str, str] | None:
    key = wanted.strip().casefold()
    for code, name in rows.select("area_code", "area_name").iter_rows():
        if key in (str(code).casefold(), str(name).casefold()):
            return str(code), str(name)
    return None


def resolve_area(areas: pl.DataFrame, place: str | None, cluster: str | None) -> Where | str:
    """The slide's place and cluster (codes or names, any case), or a sentence saying which is unknown."""
    if not place:
        return "no place is given (set place on the slide or in [deck])"
    places = areas.filter(pl.col("area_type") == "place")
    found = _match(places, place)
    if found is None:
        return f"unknown place '{place}' ({suggest(place, places['area_name'].to_list())})"
    clusters = areas.filter(
        (pl.col("area_type") == "cluster") & (pl.col("parent_code") == found[0])
    )
    if not cluster:
        return Where(*found)
    picked = _match(clusters, cluster)
    if picked is None:
        return (
            f"unknown cluster '{cluster}' in {found[1]} "
            f"({suggest(cluster, clusters['area_name'].to_list())})"
        )
    return Where(*found, *picked)


def find_indicator(view: str, wanted: str, data: DataSource) -> tuple[str, str] | str:
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


def reference_problem(spec: Any, data: DataSource) -> str | None:
    """What the data lacks for this slide (place, cluster or indicator), or None."""
    areas, _, error = data.get("areas")
    if areas is None:
        return f"the areas cannot be loaded: {error}"
    where = resolve_area(areas, spec.place, spec.cluster)
    if isinstance(where, str):
        return where + "."
    wanted = spec.params.get("indicator")
    if isinstance(wanted, str):
        found = find_indicator(spec.view, wanted, data)
        if isinstance(found, str):
            return found + "."
    return None


def spend_years(data: DataSource) -> list[str]:
    """The financial years with spend, oldest first: the sidebar's default range on every page."""
    spend, _, _ = data.get("spend")
    if spend is None or spend.is_empty():
        return []
    return spend.get_column("financial_year").unique().sort().to_list()
