"""The sample data's tables and area hierarchy, loaded once for the access tests."""

from __future__ import annotations

import pytest

from access import AreaTree
from loaders import load_catalog, load_dataset
from tests.conftest import SAMPLE_CATALOG

BOLTON, OLDHAM, MANCHESTER = "E08000001", "E08000004", "E08000003"
OLDHAM_EAST = "E08000004-east"


@pytest.fixture(scope="session")
def sample():
    """name -> (contract, frame) for every dataset in the sample catalog."""
    catalog = load_catalog(SAMPLE_CATALOG)
    return {
        name: (spec.contract, load_dataset(name, catalog))
        for name, spec in catalog.datasets.items()
    }


@pytest.fixture(scope="session")
def tree(sample) -> AreaTree:
    return AreaTree.from_frame(sample["areas"][1])
