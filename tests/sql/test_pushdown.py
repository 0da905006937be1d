"""Aggregation pushdown on a real PostgreSQL server: the same groups as the parquet files."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from loaders import load_catalog, load_dataset, sql_pool
from loaders.aggregate import aggregate
from loaders.errors import LoaderError
from loaders.sql_loader import DatabaseError, SqlLoader
from tests.sql.conftest import SAMPLE_CATALOG, SCHEMA

OLDHAM, WIRRAL = "E08000004", "E08000015"
REQUESTS = [
    ("spend", ["financial_year", "setting"], ["amount_gbp"], {"place_code": OLDHAM}),
    ("spend", ["place_code", "pool", "measure"], ["amount_gbp"], {}),
    ("outcomes", ["indicator_id", "period_start"], ["numerator", "denominator", "value"], {}),
    ("cqc_ratings", ["key_question", "rating"], [], {"key_question": ["Overall", "Safe"]}),
    ("care_homes", ["place_code", "nursing"], ["beds"], {"place_code": [OLDHAM, WIRRAL]}),
]


@pytest.fixture(scope="module")
def catalogs(postgres):
    return load_catalog(SAMPLE_CATALOG), load_catalog(postgres.catalog_path)


@pytest.mark.parametrize(("name", "group_by", "sums", "where"), REQUESTS)
def test_postgres_groups_equal_the_parquet_groups(catalogs, name, group_by, sums, where):
    sample, pg = catalogs
    want = aggregate(name, sample, group_by=group_by, sums=sums, count="rows", where=where)
    got = aggregate(name, pg, group_by=group_by, sums=sums, count="rows", where=where)
    assert want.height > 1 and want["rows"].sum() > want.height
    assert_frame_equal(got, want, check_exact=False, rel_tol=1e-12, abs_tol=1e-6)


def test_only_the_groups_cross_the_wire(catalogs, monkeypatch):
    _, pg = catalogs
    returned = []
    original = SqlLoader._run

    def counting(self, text, params):
        frame = original(self, text, params)
        returned.append((text, params, frame.height))
        return frame

    monkeypatch.setattr(SqlLoader, "_run", counting)
    got = aggregate(
        "spend", pg, group_by=["financial_year"], sums=["amount_gbp"], where={"place_code": OLDHAM}
    )
    ((text, params, height),) = returned
    assert height == got.height == 10
    assert text.startswith('SELECT "financial_year", CAST(SUM("amount_gbp") AS DOUBLE PRECISION)')
    assert f'FROM "{SCHEMA}"."spend" WHERE "place_code" IN ($1) GROUP BY "financial_year"' in text
    assert params == [OLDHAM] and OLDHAM not in text
    assert load_dataset("spend", pg, where={"place_code": OLDHAM}).height > 100 * height


def test_hostile_filter_in_an_aggregate_is_harmless(catalogs):
    _, pg = catalogs
    before = aggregate("spend", pg, count="n")["n"][0]
    hostile = "x'; DROP TABLE spend; --"
    assert (
        aggregate(
            "spend", pg, group_by=["setting"], count="n", where={"place_code": hostile}
        ).height
        == 0
    )
    assert aggregate("spend", pg, count="n")["n"][0] == before > 0


def test_a_filter_change_reuses_the_pooled_session(catalogs, postgres, monkeypatch):
    _, pg = catalogs
    sql_pool.forget()
    connects = []
    original = SqlLoader._connect

    def counting(self):
        connects.append(1)
        return original(self)

    monkeypatch.setattr(SqlLoader, "_connect", counting)
    for place in (OLDHAM, WIRRAL, OLDHAM):
        aggregate(
            "spend", pg, group_by=["setting"], sums=["amount_gbp"], where={"place_code": place}
        )
    assert len(connects) == 1 and sql_pool.idle_count() == 1
    # a kept session is still read-only: a write through it (and through the fresh session
    # the loader retries with) is refused by the server
    loader = SqlLoader(uri=postgres.uri, table=f"{SCHEMA}.settings")
    with pytest.raises(DatabaseError, match="read-only transaction"):
        loader._run(f"CREATE TABLE {SCHEMA}.nope AS SELECT 1 AS x", [])
    with pytest.raises(LoaderError, match="does not exist"):
        load_dataset("settings", _table_catalog(pg, f"{SCHEMA}.nope"))


def _table_catalog(pg, table: str):
    """The settings dataset of `pg` re-pointed at another table."""
    import dataclasses
    from types import MappingProxyType

    spec = pg.datasets["settings"]
    options = MappingProxyType({**spec.options, "table": table})
    return dataclasses.replace(
        pg, datasets={"settings": dataclasses.replace(spec, options=options)}
    )
