"""Boundaries ready for maps: read through the loaders, in EPSG:4326, repaired, simplified, rounded.

Simplification is coverage-preserving (`shapely.coverage_simplify`): each shared edge is
simplified once, so neighbouring areas stay edge-matched with no slivers or gaps.
Results are cached by the caller (ui.state.derived); nothing here is cached or calls streamlit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger("placewise")

DEFAULT_TOLERANCE = 0.0002  # degrees, about 15 m: invisible at borough zoom
DEFAULT_DECIMALS = 5  # about 1 m
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class BoundaryReport:
    """What preparing the boundaries changed or could not use, with example codes."""

    features: int = 0
    reprojected_from: str | None = None
    repaired: int = 0
    repaired_examples: tuple[str, ...] = ()
    repaired_reasons: tuple[str, ...] = ()  # per example: why it was invalid, and where
    dropped: int = 0
    dropped_examples: tuple[str, ...] = ()
    simplified: str = "coverage"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def warnings(self) -> list[str]:
        """Plain sentences for the page, one per problem (empty when all was well)."""
        out = []
        if self.repaired:
            named = [
                f"{code} ({reason})" if reason else code
                for code, reason in zip(
                    self.repaired_examples,
                    self.repaired_reasons or ("",) * len(self.repaired_examples),
                    strict=False,
                )
            ]
            out.append(
                f"{self.repaired} boundary shape(s) were invalid (for example self-crossing) and were "
                f"repaired before drawing: {', '.join(named)}."
            )
        if self.dropped:
            out.append(
                f"{self.dropped} boundary shape(s) had no area after repair and are not drawn: "
                f"{', '.join(self.dropped_examples)}."
            )
        if self.simplified != "coverage":
            out.append(
                "The small areas do not form a clean coverage (they overlap or leave gaps), so they "
                "were simplified one by one; neighbouring edges may not match exactly."
            )
        return out + list(self.notes)


def _polygonal(geom: Any) -> Any:
    """The polygon parts of a repaired geometry (make_valid can add stray lines and points)."""
    import shapely

    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def prepare_boundaries(
    boundaries: Any,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    decimals: int | None = DEFAULT_DECIMALS,
) -> tuple[Any, BoundaryReport]:
    """Return (GeoDataFrame in EPSG:4326, report): invalid shapes repaired, coverage simplified, rounded.

    `boundaries` is a GeoDataFrame with `area_code` and a CRS (the loaders refuse a file
    without one). Shapes that are empty after repair are dropped and reported.
    """
    import geopandas as gpd
    import shapely

    reprojected = None
    if boundaries.crs is not None and boundaries.crs.to_epsg() != 4326:
        reprojected = str(boundaries.crs)
        boundaries = boundaries.to_crs(4326)
    codes = boundaries["area_code"].astype(str).to_numpy()
    geoms = np.asarray(boundaries.geometry.values, dtype=object)
    invalid = ~shapely.is_valid(geoms)
    reasons = tuple(str(r) for r in shapely.is_valid_reason(geoms[invalid][:MAX_EXAMPLES]))
    if invalid.any():
        log.warning(
            "repairing %d invalid boundary shapes: %s",
            int(invalid.sum()),
            ", ".join(f"{c} ({r})" for c, r in zip(codes[invalid], reasons, strict=False)),
        )
        geoms = geoms.copy()
        geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    empty = np.array([g is None or g.is_empty for g in geoms], dtype=bool)
    keep = ~empty
    geoms = geoms[keep]
    method = "coverage"
    if tolerance > 0 and len(geoms):
        if bool(shapely.coverage_is_valid(geoms)):
            geoms = shapely.coverage_simplify(geoms, tolerance)
        else:
            method = "individual"
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    if decimals is not None and len(geoms):
        geoms = shapely.set_precision(geoms, 10.0**-decimals, mode="pointwise")
    attrs = boundaries.drop(columns=boundaries.geometry.name).iloc[np.flatnonzero(keep)]
    out = gpd.GeoDataFrame(attrs.reset_index(drop=True), geometry=list(geoms), crs=4326)
    report = BoundaryReport(
        features=len(out),
        reprojected_from=reprojected,
        repaired=int(invalid.sum()),
        repaired_examples=tuple(codes[invalid][:MAX_EXAMPLES]),
        repaired_reasons=reasons,
        dropped=int(empty.sum()),
        dropped_examples=tuple(codes[empty][:MAX_EXAMPLES]),
        simplified=method,
    )
    return out, report


def read_boundaries(name: str, catalog: Any, **options: Any) -> tuple[Any, BoundaryReport]:
    """Load dataset `name` through the loaders (contract checked) and prepare it for maps."""
    from loaders import load_dataset

    return prepare_boundaries(load_dataset(name, catalog), **options)


def feature_collection(boundaries: Any, *, id_column: str = "area_code") -> dict:
    """A GeoJSON FeatureCollection dict with each feature's `id` set to its code, and no properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": str(code), "geometry": geom.__geo_interface__}
            for code, geom in zip(boundaries[id_column], boundaries.geometry.values, strict=True)
            if geom is not None
        ],
    }
