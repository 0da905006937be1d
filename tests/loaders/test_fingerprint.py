"""The data fingerprint behind snapshot links: it changes with the data, and only then."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from loaders import load_catalog
from loaders.fingerprint import (
    catalog_fingerprint,
    dataset_fingerprints,
    describe_changes,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("decks"))
    return target


def test_the_fingerprint_is_short_and_stable(copy):
    first = catalog_fingerprint(load_catalog(copy / "catalog.toml"))
    again = catalog_fingerprint(load_catalog(copy / "catalog.toml"))
    assert first == again
    assert len(first) == 12 and int(first, 16) >= 0


def test_a_copy_of_the_same_data_elsewhere_has_the_same_fingerprint(copy):
    assert catalog_fingerprint(load_catalog(copy / "catalog.toml")) == catalog_fingerprint(
        load_catalog(SAMPLE / "catalog.toml")
    )


def test_touching_a_file_without_changing_its_bytes_keeps_the_fingerprint(copy):
    before = catalog_fingerprint(load_catalog(copy / "catalog.toml"))
    events = copy / "events.csv"
    stat = events.stat()
    os.utime(events, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert catalog_fingerprint(load_catalog(copy / "catalog.toml")) == before


def test_editing_a_csv_changes_the_fingerprint_and_names_the_dataset(copy):
    catalog = load_catalog(copy / "catalog.toml")
    before, parts_before = catalog_fingerprint(catalog), dataset_fingerprints(catalog)
    events = copy / "events.csv"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("lockdown", "Lockdown", 1), encoding="utf-8")
    assert events.read_text(encoding="utf-8") != text
    catalog = load_catalog(copy / "catalog.toml")
    assert catalog_fingerprint(catalog) != before
    assert describe_changes(parts_before, dataset_fingerprints(catalog)) == ["events: refreshed"]


def test_a_changed_declared_period_changes_the_fingerprint(copy):
    path = copy / "catalog.toml"
    before = catalog_fingerprint(load_catalog(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('period = "2015 to 2021"', 'period = "2015 to 2022"'))
    assert catalog_fingerprint(load_catalog(path)) != before


def test_describe_changes_lists_added_removed_and_refreshed():
    old = {"spend": "a1", "events": "b1", "targets": "c1"}
    new = {"spend": "a2", "events": "b1", "outcomes": "d1"}
    assert describe_changes(old, new) == [
        "outcomes: added",
        "targets: removed",
        "spend: refreshed",
    ]
