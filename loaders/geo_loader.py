"""Vector boundary files (GeoJSON, GeoPackage, shapefile) through geopandas and pyogrio."""

from __future__ import annotations

from typing import ClassVar

from loaders.base import FileLoader
from loaders.errors import MissingDependencyError
from loaders.registry import register_loader


@register_loader("geo")
class GeoLoader(FileLoader):
    """Reads one layer of a vector file into a GeoDataFrame (CRS as stored in the file)."""

    options: ClassVar = {"layer": (str, int)}
    suffixes = (".geojson", ".json", ".gpkg", ".shp", ".zip")
    header_lines: ClassVar[int] = 0

    def load(self):
        try:
            import geopandas as gpd
        except ImportError as exc:  # pragma: no cover - geopandas is in requirements.txt
            raise MissingDependencyError(
                "Reading boundary files needs 'geopandas' and 'pyogrio': pip install geopandas pyogrio"
            ) from exc
        kwargs = {}
        if "layer" in self.opts:
            kwargs["layer"] = self.opts["layer"]
        return gpd.read_file(self.path, engine="pyogrio", **kwargs)
