"""Data access: the catalog, loaders, contracts and validation funnel."""

from loaders.catalog import Catalog, DatasetSpec, load_catalog
from loaders.funnel import load_dataset, load_dataset_with_report
from loaders.registry import register_loader

__all__ = [
    "Catalog",
    "DatasetSpec",
    "load_catalog",
    "load_dataset",
    "load_dataset_with_report",
    "register_loader",
]
