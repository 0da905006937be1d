"""keep_last_good: the database goes away, the last good copy is served with its "as at" time."""

from __future__ import annotations

import textwrap

import pytest

from loaders import load_catalog, load_dataset_with_report
from loaders.aggregate import aggregate_with_report
from loaders.errors import LoaderError
from tests.sql.conftest import PASSWORD, SCHEMA, URI_ENV, _sql_execute

OLDHAM, BOLTON = "E08000004", "E08000001"
SPEND_BY_SETTING = {
    "group_by": ["setting"],
    "sums": ["amount_gbp"],
    "where": {"place_code": OLDHAM},
}


def _catalog(tmp_path, keep: bool):
    path = tmp_path / "catalog.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [datasets.spend]
            loader = "sql"
            contract = "spend"
            [datasets.spend.options]
            uri = {{ env = "{URI_ENV}" }}
            table = "{SCHEMA}.spend"
            keep_last_good = {"true" if keep else "false"}
            """
        )
    )
    return load_catalog(path)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLACEWISE_CACHE", str(folder))
    return folder / "last_good"


def test_outage_serves_the_last_good_copy_then_reconnects(postgres, tmp_path, cache):
    catalog = _catalog(tmp_path, keep=True)
    fresh, first = load_dataset_with_report("spend", catalog, where={"place_code": OLDHAM})
    sums, _ = aggregate_with_report("spend", catalog, **SPEND_BY_SETTING)
    assert not first.stale and first.as_at is None and first.note == "" and fresh.height > 0
    assert len(list(cache.glob("spend-*.arrow"))) == 2
    postgres.stop()
    try:
        stale, report = load_dataset_with_report("spend", catalog, where={"place_code": OLDHAM})
        assert report.stale and stale.equals(fresh)
        assert report.as_at == pytest.approx(first.loaded_at, abs=5)
        assert report.note.startswith("Data as at ") and "'spend' cannot be reached" in report.note
        stale_sums, agg_report = aggregate_with_report("spend", catalog, **SPEND_BY_SETTING)
        assert agg_report.stale and stale_sums.equals(sums)
        # a request never answered before has no copy: the outage is reported as before
        with pytest.raises(LoaderError, match="Dataset 'spend'.*cannot connect") as info:
            load_dataset_with_report("spend", catalog, where={"place_code": BOLTON})
        assert PASSWORD not in str(info.value)
    finally:
        postgres.start()
    again, report = load_dataset_with_report("spend", catalog, where={"place_code": OLDHAM})
    assert not report.stale and report.loaded_at > first.loaded_at and again.equals(fresh)


def test_without_the_option_nothing_is_kept_or_served(postgres, tmp_path, cache):
    catalog = _catalog(tmp_path, keep=False)
    load_dataset_with_report("spend", catalog, where={"place_code": OLDHAM})
    assert not cache.exists()
    postgres.stop()
    try:
        with pytest.raises(LoaderError, match="cannot connect"):
            load_dataset_with_report("spend", catalog, where={"place_code": OLDHAM})
    finally:
        postgres.start()


def test_a_failing_query_is_not_hidden_by_an_old_copy(postgres, tmp_path, cache):
    catalog = _catalog(tmp_path, keep=True)
    load_dataset_with_report("spend", catalog)
    _sql_execute(postgres.uri, f"ALTER TABLE {SCHEMA}.spend RENAME TO spend_moved")
    try:
        with pytest.raises(LoaderError, match='relation "analytics.spend" does not exist'):
            load_dataset_with_report("spend", catalog)
    finally:
        _sql_execute(postgres.uri, f"ALTER TABLE {SCHEMA}.spend_moved RENAME TO spend")
