"""The sql loader on SQLite files: contract suite, identifiers, bound parameters, read-only."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import LoaderError
from loaders.sql_loader import SqlLoader, SqlOptionError, mask_uri, quote_identifier
from tests.loaders.contract_suite import SETTINGS, LoaderContractSuite


def write_sqlite(frame: pl.DataFrame, path: Path, table: str = "settings") -> None:
    with sqlite3.connect(path) as conn:
        cols = ", ".join(f'"{c}" TEXT' for c in frame.columns)
        conn.execute(f'CREATE TABLE "{table}" ({cols})')
        marks = ", ".join("?" for _ in frame.columns)
        conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', frame.rows())
    conn.close()


class TestSqlLoaderOnSqlite(LoaderContractSuite):
    kind = "sql"
    suffix = ".sqlite"
    options = {"table": "settings"}

    def write(self, frame, path):
        write_sqlite(frame, path)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "warehouse.sqlite"
    write_sqlite(SETTINGS, path)
    return path


def catalog_for(tmp_path: Path, options: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(
        textwrap.dedent(
            """
            [datasets.settings]
            loader = "sql"
            contract = "settings"
            path = "warehouse.sqlite"
            [datasets.settings.options]
            """
        )
        + textwrap.dedent(options)
    )
    return path


@pytest.mark.parametrize(
    "name", ["settings; DROP TABLE x", 'a"b', "1abc", "a b", "a.b.c.d", "", "a-b", "a" * 64]
)
def test_bad_identifiers_are_refused(name):
    with pytest.raises(SqlOptionError, match="not a valid identifier|expected an identifier"):
        quote_identifier(name)


def test_identifiers_are_quoted_per_dialect():
    assert quote_identifier("analytics.spend") == '"analytics"."spend"'
    assert quote_identifier("proj.ds.spend", "bigquery") == "`proj`.`ds`.`spend`"


def test_bad_column_or_where_key_is_refused_before_connecting(tmp_path):
    with pytest.raises(SqlOptionError):
        SqlLoader(path=tmp_path / "none.sqlite", table="settings", columns=["ok", "bad name"])
    with pytest.raises(SqlOptionError):
        SqlLoader(path=tmp_path / "none.sqlite", table="settings", where={"x' OR 1=1": "a"})


def test_bad_option_names_the_dataset(db, tmp_path):
    c = load_catalog(catalog_for(tmp_path, 'table = "settings; DROP TABLE settings"\n'))
    with pytest.raises(LoaderError, match=r"Dataset 'settings'.*not a valid identifier"):
        load_dataset("settings", c)


def test_where_values_are_bound_parameters_not_sql_text(db):
    loader = SqlLoader(
        path=db, table="settings", where={"setting_group": ["acute", "x' OR '1'='1"]}
    )
    text, params = loader.sql()
    assert "acute" not in text and "OR" not in text
    assert params == ["acute", "x' OR '1'='1"]
    assert loader.load()["setting"].to_list() == ["non_elective"]


def test_injection_attempt_in_where_returns_no_rows_and_table_survives(db, tmp_path):
    c = load_catalog(catalog_for(tmp_path, 'table = "settings"\n'))
    hostile = "x'; DROP TABLE settings; --"
    assert load_dataset("settings", c, where={"setting": hostile}).height == 0
    assert load_dataset("settings", c).height == SETTINGS.height


def test_where_and_columns_push_down(db, tmp_path):
    c = load_catalog(catalog_for(tmp_path, 'table = "settings"\n'))
    out = load_dataset("settings", c, where={"setting_group": ["acute", "community"]})
    assert sorted(out["setting"].to_list()) == ["home_care", "non_elective"]
    assert load_dataset("settings", c, where={"setting_group": []}).height == 0


def test_where_uses_canonical_names_through_rename(tmp_path):
    write_sqlite(SETTINGS.rename({"setting_group": "grp"}), tmp_path / "warehouse.sqlite")
    path = catalog_for(tmp_path, 'table = "settings"\n')
    path.write_text(path.read_text() + '[datasets.settings.rename]\n"grp" = "setting_group"\n')
    out = load_dataset("settings", load_catalog(path), where={"setting_group": "community"})
    assert out["setting"].to_list() == ["home_care"]


def test_query_option_and_its_select_only_rule(db, tmp_path):
    c = load_catalog(
        catalog_for(tmp_path, "query = \"SELECT * FROM settings WHERE setting <> 'home_care'\"\n")
    )
    assert sorted(load_dataset("settings", c)["setting"]) == ["general_practice", "non_elective"]
    for bad in ("DELETE FROM settings", "SELECT 1; DROP TABLE settings", "PRAGMA x"):
        with pytest.raises(SqlOptionError):
            SqlLoader(path=db, query=bad)


def test_session_is_read_only(db):
    loader = SqlLoader(path=db, table="settings")
    conn = loader._connect()
    try:
        with conn.cursor() as cursor:
            loader._start_session(cursor)
            with pytest.raises(Exception, match="readonly|read-only|query_only"):
                cursor.execute("INSERT INTO settings VALUES ('a', 'b', 'other')")
    finally:
        conn.close()
    assert SqlLoader(path=db, table="settings").load().height == SETTINGS.height


def test_row_limit_message_names_dataset(db, tmp_path):
    c = load_catalog(catalog_for(tmp_path, 'table = "settings"\nrow_limit = 2\n'))
    with pytest.raises(LoaderError, match=r"Dataset 'settings'.*more than row_limit = 2 rows"):
        load_dataset("settings", c)
    c = load_catalog(catalog_for(tmp_path, 'table = "settings"\nrow_limit = 3\n'))
    assert load_dataset("settings", c).height == 3


def test_uri_option_with_env_secret(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PW_TEST_SQLITE", f"sqlite://{db}")
    path = tmp_path / "uri.toml"
    path.write_text(
        textwrap.dedent(
            """
            [datasets.settings]
            loader = "sql"
            contract = "settings"
            [datasets.settings.options]
            uri = { env = "PW_TEST_SQLITE" }
            table = "settings"
            """
        )
    )
    assert load_dataset("settings", load_catalog(path)).height == 3


def test_password_is_masked_in_describe_and_errors():
    uri = "postgresql://placewise:s3cret-pw@127.0.0.1:1/db?sslmode=disable&password=other-pw"
    assert mask_uri(uri) == (
        "postgresql://placewise:***@127.0.0.1:1/db?sslmode=disable&password=***"
    )
    loader = SqlLoader(uri=uri, table="spend")
    assert "s3cret-pw" not in repr(loader.describe()) and "other-pw" not in repr(loader)
    scrubbed = loader._scrub(f"could not connect to {uri} using password s3cret-pw")
    assert "s3cret-pw" not in scrubbed and "other-pw" not in scrubbed


def test_unknown_scheme_says_how_to_name_a_driver():
    with pytest.raises(SqlOptionError, match="driver"):
        SqlLoader(uri="mysql://u@h/db", table="t")


def test_where_can_be_set_in_the_catalog_as_a_table(db, tmp_path):
    """A partnership can pin a shared warehouse table to its own place in the catalog."""
    c = load_catalog(
        catalog_for(
            tmp_path, 'table = "settings"\nwhere = { setting_group = ["acute", "community"] }\n'
        )
    )
    assert dict(c.datasets["settings"].options["where"]) == {
        "setting_group": ["acute", "community"]
    }
    assert sorted(load_dataset("settings", c)["setting"].to_list()) == ["home_care", "non_elective"]


def test_a_table_value_for_a_text_option_must_still_be_an_env_secret(db, tmp_path):
    from loaders.errors import CatalogError

    with pytest.raises(CatalogError, match=r"options.uri': a table value must be \{ env"):
        load_catalog(catalog_for(tmp_path, 'table = "settings"\nuri = { value = "x" }\n'))
