"""Vector boundary files (GeoJSON, GeoPackage, shapefile) through geopandas and pyogrio."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from loaders.base import FileLoader, OptionTypes
from loaders.errors import MissingDependencyError
from loaders.registry import register_loader

if TYPE_CHECKING:
    import geopandas as gpd


@register_loader("geo")
class GeoLoader(FileLoader):
    """Reads one layer of a vector file into a GeoDataFrame (CRS as stored in the file)."""

    options: ClassVar[OptionTypes] = {"layer": (str, int)}
    suffixes = (".geojson", ".json", ".gpkg", ".shp", ".zip")
    header_lines: ClassVar[int] = 0

    def load(self) -> gpd.GeoDataFrame:
        try:
            import geopandas as gpd
        except ImportError as exc:  # pragma: no cover - geopandas is in requirements.txt
            raise MissingDependencyError(
                "Reading boundary files needs 'geopandas' and 'pyogrio': pip install geopandas pyogrio"
            ) from exc
        # no layer (None): the file's first layer, as pyogrio reads it by default
        return gpd.read_file(self.path, engine="pyogrio", layer=self.opts.get("layer"))
