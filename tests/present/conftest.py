"""Shared fixtures: the sample catalog's data, loaded once for every slide test."""

from __future__ import annotations

import pytest

from loaders.catalog import load_catalog
from present.data import CatalogData
from tests.conftest import SAMPLE_CATALOG


@pytest.fixture(scope="session")
def sample_data() -> CatalogData:
    """Every dataset of the sample catalog, each loaded at most once in the test session."""
    return CatalogData(load_catalog(SAMPLE_CATALOG))
