"""Shared fixtures for the panel tests: the sample catalog read once, through panels.source."""

from __future__ import annotations

import pytest

from loaders.catalog import load_catalog
from panels.source import CatalogSource
from tests.conftest import SAMPLE_CATALOG


@pytest.fixture(scope="session")
def sample_source() -> CatalogSource:
    """Every dataset (and pushed-down filter) of the sample catalog, each loaded at most once."""
    return CatalogSource(load_catalog(SAMPLE_CATALOG))
