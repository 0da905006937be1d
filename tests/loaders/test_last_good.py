"""loaders.last_good without a server: what is kept, when it is served, and what is not hidden."""

from __future__ import annotations

from typing import ClassVar

import polars as pl
import pytest

from loaders import load_catalog, load_dataset_with_report
from loaders.errors import ContractError, LoaderError
from loaders.registry import register_loader, unregister_loader
from tests.loaders.contract_suite import SETTINGS


class Unreachable(RuntimeError):
    unreachable = True


@pytest.fixture
def source():
    """A loader kind whose next outcome the test sets: a frame or an exception."""

    class Source:
        options: ClassVar = {"keep_last_good": bool}
        needs_path: ClassVar[bool] = False
        outcome: ClassVar[object] = SETTINGS

        def __init__(self, keep_last_good: bool = False):
            pass

        def load(self):
            if isinstance(Source.outcome, Exception):
                raise Source.outcome
            return Source.outcome

        def describe(self):
            return {"kind": "test_source"}

    register_loader("test_source")(Source)
    yield Source
    unregister_loader("test_source")


def _catalog(tmp_path, keep: bool = True):
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[datasets.settings]\nloader = "test_source"\ncontract = "settings"\n'
        f"[datasets.settings.options]\nkeep_last_good = {'true' if keep else 'false'}\n"
    )
    return load_catalog(path)


def test_copy_is_kept_beside_the_catalog_and_served_when_unreachable(source, tmp_path, monkeypatch):
    monkeypatch.delenv("PLACEWISE_CACHE", raising=False)
    catalog = _catalog(tmp_path)
    fresh, report = load_dataset_with_report("settings", catalog)
    assert (
        not report.stale
        and len(list((tmp_path / ".placewise-cache" / "last_good").glob("settings-*.arrow"))) == 1
    )
    source.outcome = Unreachable("cannot connect")
    stale, report = load_dataset_with_report("settings", catalog)
    assert report.stale and report.as_at is not None and stale.equals(fresh)
    assert report.note.startswith("Data as at ") and report.loaded_at == report.as_at


def test_other_failures_and_missing_copies_are_raised(source, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEWISE_CACHE", str(tmp_path / "cache"))
    catalog = _catalog(tmp_path)
    source.outcome = Unreachable("cannot connect")
    with pytest.raises(LoaderError, match="Dataset 'settings'.*cannot connect"):
        load_dataset_with_report("settings", catalog)  # nothing kept yet
    source.outcome = SETTINGS
    load_dataset_with_report("settings", catalog)
    source.outcome = RuntimeError("syntax error in the query")
    with pytest.raises(LoaderError, match="syntax error in the query"):
        load_dataset_with_report("settings", catalog)
    source.outcome = SETTINGS.with_columns(pl.lit("nonsense").alias("setting_group"))
    with pytest.raises(ContractError, match="setting_group"):
        load_dataset_with_report("settings", catalog)  # a contract break is not an outage


def test_an_unwritable_cache_does_not_fail_the_load(source, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PLACEWISE_CACHE", str(blocker))
    frame, report = load_dataset_with_report("settings", _catalog(tmp_path))
    assert frame.height == SETTINGS.height and not report.stale


def test_off_by_default(source, tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEWISE_CACHE", str(tmp_path / "cache"))
    load_dataset_with_report("settings", _catalog(tmp_path, keep=False))
    assert not (tmp_path / "cache").exists()
