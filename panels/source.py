"""Where panels get their data: one interface, implemented by the app's cache and the command line.

A `Source` answers `get(need)` with an Input (frame, catalog entry, error, version) and says
whether the person it serves may see a place as a whole. `run` resolves the area, fetches
every need (each pushed down: SQL WHERE, parquet scan) and builds the panel; it never raises
for bad input or a failing dataset: it returns the PanelProblem saying why instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

import polars as pl

from charts.common import fit_text
from loaders.catalog import Catalog
from loaders.errors import DataError
from loaders.funnel import load_dataset
from loaders.registry import suggest
from panels.core import Area, Built, Data, Input, Need, Panel, PanelProblem
from panels.params import AreaParams

log = logging.getLogger("placewise")


class Source(Protocol):
    def get(self, need: Need) -> Input:
        """The dataset `need.dataset` (only the rows matching `need.where`), or why not."""
        ...

    def covers_place(self, place_code: str) -> bool:
        """May figures for `place_code` as a whole be shown to the person this source serves?"""
        ...


def where_key(where: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """A hashable, sorted form of a pushed-down filter."""
    return tuple(
        sorted(
            (k, tuple(v) if isinstance(v, list | tuple | set | frozenset) else v)
            for k, v in (where or {}).items()
        )
    )


class CatalogSource:
    """Datasets of one catalog read directly (the command line, tests): every row is visible.

    Each dataset and filter is loaded (and validated) at most once by this instance.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._loaded: dict[tuple[str, tuple[tuple[str, Any], ...]], Input] = {}
        self.requests: list[Need] = []  # every fetch made, in order (what tests assert on)

    def get(self, need: Need) -> Input:
        key = (need.dataset, where_key(need.where))
        if key not in self._loaded:
            self.requests.append(need)
            spec = self.catalog.datasets.get(need.dataset)
            where = {k: list(v) if isinstance(v, tuple) else v for k, v in key[1]}
            try:
                frame = load_dataset(need.dataset, self.catalog, where=where or None)
                self._loaded[key] = Input(
                    need.dataset, frame, spec, None, datetime.now().isoformat()
                )
            except DataError as exc:
                self._loaded[key] = Input(need.dataset, None, spec, exc)
        return self._loaded[key]

    def covers_place(self, place_code: str) -> bool:
        return True


AREAS = Need("areas")


def _match(rows: pl.DataFrame, wanted: str) -> tuple[str, str] | None:
    key = wanted.strip().casefold()
    for code, name in rows.select("area_code", "area_name").iter_rows():
        if key in (str(code).casefold(), str(name).casefold()):
            return str(code), str(name)
    return None


def resolve_area(
    areas: pl.DataFrame, place: str | None, cluster: str | None
) -> tuple[str, str, str | None, str | None] | str:
    """(place code, name, cluster code, name) from codes or names (any case), or why not."""
    if not place:
        return "no place is given (set place on the slide or in [deck])"
    places = areas.filter(pl.col("area_type") == "place")
    found = _match(places, place)
    if found is None:
        return f"unknown place '{place}' ({suggest(place, places['area_name'].to_list())})"
    if not cluster:
        return (*found, None, None)
    clusters = areas.filter(
        (pl.col("area_type") == "cluster") & (pl.col("parent_code") == found[0])
    )
    picked = _match(clusters, cluster)
    if picked is None:
        return (
            f"unknown cluster '{cluster}' in {found[1]} "
            f"({suggest(cluster, clusters['area_name'].to_list())})"
        )
    return (*found, *picked)


def area_of(params: AreaParams, source: Source) -> Area:
    """The resolved place and cluster of `params`; PanelProblem when they cannot be."""
    areas = source.get(AREAS)
    if not isinstance(areas.frame, pl.DataFrame):
        raise PanelProblem(f"The areas cannot be loaded, so no place can be shown: {areas.error}")
    found = resolve_area(areas.frame, params.place, params.cluster)
    if isinstance(found, str):
        raise PanelProblem(found[0].upper() + found[1:] + ".")
    place_code, place_name, cluster_code, cluster_name = found
    return Area(place_code, place_name, cluster_code, cluster_name,
                whole_place=source.covers_place(place_code),
                codes=place_codes(areas.frame, place_code))  # fmt: skip


def place_codes(areas: pl.DataFrame, place_code: str) -> tuple[str, ...]:
    """The place's code and its clusters' codes, sorted (what PLACE_AREAS is bound to)."""
    ours = (pl.col("area_code") == place_code) | (
        (pl.col("parent_code") == place_code) & (pl.col("area_type") == "cluster")
    )
    return tuple(sorted(areas.filter(ours)["area_code"].to_list()))


def needs_of(panel: Panel[Any], params: AreaParams, area: Area) -> tuple[Need, ...]:
    """The panel's needs for `params` with its area bound in (Need.bound)."""
    return tuple(need.bound(area) for need in panel.needs(params))


def gather(panel: Panel[Any], params: AreaParams, source: Source, area: Area) -> Data:
    """Every dataset `panel` needs for `params`, fetched through `source` (pushed down)."""
    inputs: dict[str, Input] = {}
    for need in needs_of(panel, params, area):
        item = source.get(need)
        if not item.ok and not need.optional:
            raise PanelProblem(
                f"This view needs the {need.dataset} data, which cannot be loaded: {item.error}"
            )
        inputs[need.dataset] = item
    return Data(area, inputs)


def versions(panel: Panel[Any], params: AreaParams, source: Source) -> str:
    """A key that changes whenever any input of the panel for `params` may have changed."""
    try:
        needs = needs_of(panel, params, area_of(params, source))
    except PanelProblem:  # the build will say why; key it by the unbound needs
        needs = panel.needs(params)
    return "|".join(f"{n.dataset}@{source.get(n).version}" for n in (AREAS, *needs))


def run(panel: Panel[Any], params: AreaParams, source: Source) -> Built | PanelProblem:
    """The panel built for `params` from `source`, or the problem that stops it (never raises)."""
    try:
        area = area_of(params, source)
        built = panel.build(params, gather(panel, params, source, area))
        built.names = area.names() | built.names
        if built.figure is not None:  # every medium draws the same wrapped title
            fit_text(built.figure)
        return built
    except (PanelProblem, DataError) as exc:
        return exc if isinstance(exc, PanelProblem) else PanelProblem(str(exc))
    except Exception as exc:  # a bug in one panel must not stop a page or the rest of a deck
        log.exception("panel %s could not be drawn", panel.id)
        return PanelProblem(
            f"The {panel.id} view failed with an unexpected {type(exc).__name__}: {exc}."
        )
