"""National-scale map benchmark: 33,755 synthetic LSOA-like polygons, ours against the naive way.

The coverage is generated here, deterministically: Voronoi cells of seeded random points over an
England-sized box, each edge densified and gently waved so a polygon has a few hundred vertices,
with shared edges identical on both sides (a true coverage). Clusters are groups of about 34
cells and places groups of about 110, as in the sample data.

- naive: what a first app does on every rerun: `px.choropleth_map` of all 33,755 unsimplified
  polygons, serialised to JSON for the browser.
- ours: the Neighbourhoods page's path. Once (cached by ui.state.derived): coverage
  simplification and cluster/place dissolves. Each rerun: the figure for the chosen place's LSOAs
  with cluster outlines, and the England-wide cluster map; JSON size and time per rerun.

Run: .venv/bin/python scripts/bench_geo.py  (about a minute on 2 cores)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_AREAS = 33_755
VERTICES = 200  # target vertices per polygon
PER_CLUSTER = 34
PER_PLACE = 110
BOX = (-5.7, 50.0, 1.8, 55.8)
BUDGET_MB, BUDGET_S = 2.0, 1.0


def synthetic_coverage(n: int = N_AREAS, seed: int = 20260401):
    """(GeoDataFrame of n LSOA-like polygons, areas frame: lsoa -> cluster -> place -> england)."""
    import geopandas as gpd
    import numpy as np
    import polars as pl
    import shapely

    rng = np.random.default_rng(seed)
    west, south, east, north = BOX
    xy = np.column_stack([rng.uniform(west, east, n), rng.uniform(south, north, n)])
    box = shapely.box(*BOX)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=box))
    cells = shapely.intersection(cells, box)
    tree = shapely.STRtree(cells)
    owner = tree.query(shapely.points(xy), predicate="intersects")
    order = np.empty(n, dtype=int)
    order[owner[0]] = owner[1]
    cells = cells[order]  # cell i holds point i
    step = float(np.sqrt((east - west) * (north - south) / n)) * 4 / VERTICES
    cells = shapely.segmentize(cells, step)
    cells = shapely.set_precision(cells, 1e-7)  # shared edges identical on both sides

    def wave(coords):
        x, y = coords[:, 0], coords[:, 1]
        amp = step * 0.3
        return np.column_stack(
            [x + amp * np.sin(y * 2_000.0 + x * 700.0), y + amp * np.cos(x * 1_900.0 - y * 600.0)]
        )

    cells = shapely.transform(cells, wave)
    # clusters and places: points sorted along a space-filling order, then cut into runs
    key = np.lexsort((xy[:, 0], np.floor((xy[:, 1] - south) / 0.08)))
    cluster_of = np.empty(n, dtype=int)
    cluster_of[key] = np.arange(n) // PER_CLUSTER
    place_of_cluster = lambda c: c * PER_CLUSTER // PER_PLACE  # noqa: E731
    codes = [f"E01{i:06d}" for i in range(n)]
    n_clusters = int(cluster_of.max()) + 1
    rows = [
        {
            "area_code": "E92000001",
            "area_name": "England",
            "area_type": "england",
            "parent_code": None,
        }
    ]
    places = sorted({place_of_cluster(c) for c in range(n_clusters)})
    rows += [
        {
            "area_code": f"P{p:04d}",
            "area_name": f"Place {p}",
            "area_type": "place",
            "parent_code": "E92000001",
        }
        for p in places
    ]
    rows += [
        {
            "area_code": f"C{c:05d}",
            "area_name": f"Cluster {c}",
            "area_type": "cluster",
            "parent_code": f"P{place_of_cluster(c):04d}",
        }
        for c in range(n_clusters)
    ]
    rows += [
        {
            "area_code": code,
            "area_name": code,
            "area_type": "lsoa",
            "parent_code": f"C{cluster_of[i]:05d}",
        }
        for i, code in enumerate(codes)
    ]
    areas = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})
    gdf = gpd.GeoDataFrame({"area_code": codes, "vintage": "synthetic"}, geometry=cells, crs=4326)
    values = pl.DataFrame({"area_code": codes, "value": rng.gamma(4.0, 5.0, n)})
    return gdf, areas, values


def naive_rerun(gdf, values) -> tuple[int, float]:
    """px.choropleth_map of every unsimplified polygon, rebuilt and serialised (bytes, seconds)."""
    import plotly.express as px

    started = time.perf_counter()
    geojson = gdf.__geo_interface__
    fig = px.choropleth_map(
        values.to_pandas(),
        geojson=geojson,
        locations="area_code",
        featureidkey="properties.area_code",
        color="value",
        map_style="white-bg",
        zoom=5,
        center={"lat": 53.0, "lon": -2.0},
    )
    size = len(fig.to_json())
    return size, time.perf_counter() - started


def our_reruns(gdf, areas, values, repeats: int = 5) -> dict:
    """Cache once (simplify, dissolve), then time the per-rerun figure builds (median)."""
    import polars as pl

    from geo.boundaries import feature_collection, prepare_boundaries
    from geo.clusters import dissolve_areas, map_shapes
    from geo.maps import choropleth_layer, colour_scale, line_layer, map_figure, map_view

    started = time.perf_counter()
    places = areas.filter(pl.col("area_type") == "place")["area_code"].to_list()
    lsoa, report = prepare_boundaries(gdf, tolerance=0.002, decimals=4)
    clusters = dissolve_areas(lsoa, areas, "cluster", tolerance=0.01, decimals=3)
    cluster_geojson = feature_collection(clusters)
    biggest = places[len(places) // 2]  # places are all about 110 LSOAs
    shapes = map_shapes(gdf, areas, place_code=biggest, tolerance=0.0002, decimals=5)
    cache_s = time.perf_counter() - started
    lookup = areas.select("area_code", "parent_code")
    cluster_values = (
        values.join(lookup, on="area_code").group_by("parent_code").agg(pl.col("value").mean())
    )

    def place_map() -> int:
        codes = [str(c) for c in shapes["lsoa"]["area_code"]]
        mine = values.filter(pl.col("area_code").is_in(codes))
        scale = colour_scale(mine["value"].to_list(), "quintiles")
        layer = choropleth_layer(
            feature_collection(shapes["lsoa"]),
            mine["area_code"].to_list(),
            scale,
            colorbar_title="value",
            hovertext=mine["area_code"].to_list(),
        )
        center, zoom = map_view(shapes["place"].total_bounds)
        traces = [layer, line_layer(shapes["clusters"], name="Clusters", colour="#212B32")]
        return len(map_figure(traces, center=center, zoom=zoom, uirevision="x").to_json())

    def england_map() -> int:
        scale = colour_scale(cluster_values["value"].to_list(), "quintiles")
        layer = choropleth_layer(
            cluster_geojson,
            cluster_values["parent_code"].to_list(),
            scale,
            colorbar_title="value",
            hovertext=cluster_values["parent_code"].to_list(),
        )
        center, zoom = map_view(BOX)
        return len(map_figure([layer], center=center, zoom=zoom, uirevision="x").to_json())

    out = {"cache_s": cache_s, "simplified": report.simplified}
    for name, fn in (("place", place_map), ("england", england_map)):
        times, size = [], 0
        for _ in range(repeats):
            t = time.perf_counter()
            size = fn()
            times.append(time.perf_counter() - t)
        out[name] = (size, statistics.median(times))
    return out


def main() -> None:
    started = time.perf_counter()
    gdf, areas, values = synthetic_coverage()
    vertices = int(sum(len(g.exterior.coords) for g in gdf.geometry.values))
    made_s = time.perf_counter() - started
    ours = our_reruns(gdf, areas, values)
    naive_bytes, naive_s = naive_rerun(gdf, values)
    mb = 1_000_000
    print(
        f"\nNational-scale maps: {len(gdf):,} synthetic LSOAs, {vertices:,} vertices "
        f"({vertices / len(gdf):.0f} per polygon), generated in {made_s:.1f} s"
    )
    print(f"{'map path':<58}{'JSON MB':>10}{'seconds':>10}")
    print(
        f"{'naive: px.choropleth_map, unsimplified, every rerun':<58}"
        f"{naive_bytes / mb:>10.2f}{naive_s:>10.2f}"
    )
    for key, label in (
        ("place", "ours: a place's LSOAs + cluster outlines, warm"),
        ("england", "ours: all clusters in England, warm"),
    ):
        size, secs = ours[key]
        ok = "ok" if size / mb < BUDGET_MB and secs < BUDGET_S else "OVER BUDGET"
        print(f"{label:<58}{size / mb:>10.2f}{secs:>10.3f}  {ok}")
    worst_size = max(ours["place"][0], ours["england"][0])
    worst_s = max(ours["place"][1], ours["england"][1])
    print(
        f"ratio naive/ours (worst of ours): {naive_bytes / worst_size:,.0f}x smaller, "
        f"{naive_s / worst_s:,.0f}x faster per rerun"
    )
    print(
        f"ours, once per data version (cached): simplify + dissolve {ours['cache_s']:.1f} s "
        f"({ours['simplified']} simplification); budgets {BUDGET_MB} MB and {BUDGET_S} s per rerun"
    )


if __name__ == "__main__":
    main()
