"""loaders.aggregate: the same groups and sums from SQL, a lazy parquet plan and a loaded CSV."""

from __future__ import annotations

import sqlite3
import textwrap

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from loaders import load_catalog, load_dataset
from loaders.aggregate import AggregateError, aggregate
from loaders.errors import LoaderError
from loaders.parquet_loader import ParquetLoader
from loaders.sql_loader import SqlLoader, SqlOptionError
from tests.conftest import SAMPLE_CATALOG

OLDHAM, BOLTON = "E08000004", "E08000001"
GROUPS = ["financial_year", "organisation", "setting"]


@pytest.fixture(scope="module")
def spend() -> pl.DataFrame:
    return load_dataset("spend", load_catalog(SAMPLE_CATALOG))


@pytest.fixture(scope="module")
def engines(spend, tmp_path_factory):
    """One catalog with the sample spend as parquet, CSV and SQLite (source names renamed)."""
    folder = tmp_path_factory.mktemp("engines")
    source = spend.with_columns(pl.col(pl.Date).cast(pl.String)).rename({"amount_gbp": "gbp"})
    source.write_parquet(folder / "spend.parquet")
    source.write_csv(folder / "spend.csv")
    with sqlite3.connect(folder / "spend.sqlite") as conn:
        conn.execute(f"CREATE TABLE spend ({', '.join(source.columns)})")
        marks = ", ".join("?" for _ in source.columns)
        conn.executemany(f"INSERT INTO spend VALUES ({marks})", source.rows())
    conn.close()
    text = ""
    for name, loader, path, options in (
        ("pq", "parquet", "spend.parquet", ""),
        ("csv", "csv", "spend.csv", ""),
        ("db", "sql", "spend.sqlite", 'table = "spend"\n'),
    ):
        text += textwrap.dedent(
            f"""
            [datasets.{name}]
            loader = "{loader}"
            contract = "spend"
            path = "{path}"
            [datasets.{name}.rename]
            gbp = "amount_gbp"
            [datasets.{name}.options]
            """
        )
        text += options
    (folder / "catalog.toml").write_text(text)
    return load_catalog(folder / "catalog.toml")


def expected(spend: pl.DataFrame, where: dict) -> pl.DataFrame:
    """The same aggregate written by hand on the loaded frame."""
    rows = spend
    for column, value in where.items():
        rows = rows.filter(pl.col(column).is_in(value if isinstance(value, list) else [value]))
    return (
        rows.group_by(GROUPS)
        .agg(pl.col("amount_gbp").sum(), pl.len().cast(pl.Int64).alias("rows"))
        .sort(GROUPS)
    )


@pytest.mark.parametrize("where", [{"place_code": OLDHAM}, {"place_code": [OLDHAM, BOLTON]}])
def test_sql_parquet_and_csv_give_the_same_groups(engines, spend, where):
    where = {**where, "measure": "outturn"}
    want = expected(spend, where)
    assert want.height > 100
    for name in ("pq", "csv", "db"):
        got = aggregate(
            name, engines, group_by=GROUPS, sums=["amount_gbp"], count="rows", where=where
        )
        assert got.columns == [*GROUPS, "amount_gbp", "rows"], name
        assert_frame_equal(got, want, check_exact=False, rel_tol=1e-12, abs_tol=1e-6)


def test_group_columns_keep_contract_types(engines):
    for name in ("pq", "csv", "db"):
        got = aggregate(name, engines, group_by=["year_start"], sums=["amount_gbp"])
        assert got.schema == pl.Schema({"year_start": pl.Date, "amount_gbp": pl.Float64}), name
        assert got.height == 10 and got["year_start"].is_sorted()


def test_an_empty_filter_gives_no_groups_and_a_null_total(engines):
    for name in ("pq", "csv", "db"):
        groups = aggregate(
            name, engines, group_by=["setting"], sums=["amount_gbp"], where={"place_code": []}
        )
        assert groups.height == 0, name
        total = aggregate(
            name, engines, sums=["amount_gbp"], count="n", where={"place_code": "none"}
        )
        assert total.rows() == [(None, 0)], name


def test_hostile_filter_value_is_data_not_sql(engines):
    hostile = {"place_code": "x'); DROP TABLE spend; --"}
    assert aggregate("db", engines, group_by=["setting"], count="n", where=hostile).height == 0
    assert aggregate("db", engines, sums=["amount_gbp"], count="n")["n"][0] > 1000


def test_sql_text_binds_values_and_quotes_names():
    loader = SqlLoader(
        uri="postgresql://u:p@h/db", table="analytics.spend", where={"measure": "outturn"}
    )
    text, params = loader.aggregate_sql(["setting"], ["gbp"], "n", {"place_code": [OLDHAM, BOLTON]})
    assert text == (
        'SELECT "setting", CAST(SUM("gbp") AS DOUBLE PRECISION) AS "gbp", COUNT(*) AS "n" '
        'FROM "analytics"."spend" WHERE "measure" IN ($1) AND "place_code" IN ($2, $3) '
        'GROUP BY "setting" LIMIT 5000001'
    )
    assert params == ["outturn", OLDHAM, BOLTON]
    with pytest.raises(SqlOptionError, match="not a valid identifier"):
        loader.aggregate_sql(['setting" FROM x; --'], ["gbp"])
    with pytest.raises(SqlOptionError, match="not a valid identifier"):
        loader.aggregate_sql(["setting"], ["gbp"], count="n) FROM x; --")


def test_parquet_plan_reads_only_the_named_columns_and_filters_in_the_scan(engines):
    loader = ParquetLoader(path=engines.datasets["pq"].path)
    plan = loader.aggregate_plan(
        group_by=["setting"], sums=["gbp"], where={"place_code": OLDHAM}
    ).explain()
    assert "3/10 COLUMNS" in plan.upper() or "PROJECT 3/10" in plan.upper(), plan
    assert "SELECTION" in plan.upper() and "place_code" in plan


def test_names_are_checked_against_the_contract(engines):
    with pytest.raises(AggregateError) as info:
        aggregate("pq", engines, group_by=["plce_code"], sums=["setting"])
    message = str(info.value)
    assert message.startswith("Dataset 'pq': ")
    assert "cannot group by 'plce_code'" in message and "did you mean 'place_code'" in message
    assert "cannot sum 'setting': it is String, not a number" in message
    assert isinstance(info.value, LoaderError) and info.value.dataset == "pq"
    with pytest.raises(AggregateError, match="at least one column in 'sums' or a 'count'"):
        aggregate("pq", engines, group_by=["setting"])
    with pytest.raises(AggregateError, match="cannot filter on 'gbp'"):
        aggregate("pq", engines, count="n", where={"gbp": 1})
    with pytest.raises(AggregateError, match="repeated setting"):
        aggregate("pq", engines, group_by=["setting"], count="setting")


def test_boundaries_cannot_be_aggregated():
    with pytest.raises(AggregateError, match="Dataset 'boundaries'.*cannot be aggregated"):
        aggregate("boundaries", load_catalog(SAMPLE_CATALOG), group_by=["area_code"], count="n")


@pytest.mark.parametrize(
    ("uri", "driver", "cast"),
    [
        ("bigquery:///project", None, "CAST(SUM(`gbp`) AS FLOAT64) AS `gbp`"),
        ("databricks://host", "databricks", "CAST(SUM(`gbp`) AS DOUBLE) AS `gbp`"),
        ("snowflake://acct/db", None, 'CAST(SUM("gbp") AS DOUBLE PRECISION) AS "gbp"'),
    ],
)
def test_aggregate_sql_uses_each_warehouse_dialect(uri, driver, cast):
    text, params = SqlLoader(uri=uri, driver=driver, table="a.spend").aggregate_sql(
        ["setting"], ["gbp"], where={"place_code": OLDHAM}
    )
    assert cast in text and "IN (?)" in text and params == [OLDHAM]
