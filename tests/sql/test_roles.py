"""A real read-only role: the server itself refuses writes, whatever session the client opens."""

from __future__ import annotations

import adbc_driver_postgresql.dbapi as pg
import pytest

from loaders import load_catalog, load_dataset
from tests.sql.conftest import DATABASE, SCHEMA, URI_ENV, _sql_execute

READER = "placewise_reader"
READER_PASSWORD = "rd-Kp4-only-select"
# the SQL the README gives for a warehouse: log in, read one schema, nothing else
GRANTS = (
    f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'",
    f'GRANT CONNECT ON DATABASE "{DATABASE}" TO {READER}',
    f"GRANT USAGE ON SCHEMA {SCHEMA} TO {READER}",
    f"GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO {READER}",
    f"ALTER DEFAULT PRIVILEGES IN SCHEMA {SCHEMA} GRANT SELECT ON TABLES TO {READER}",
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
)


@pytest.fixture(scope="module")
def reader_uri(postgres):
    _sql_execute(postgres.uri, *GRANTS)
    return postgres.role_uri(READER, READER_PASSWORD)


def _plain_session(uri: str, statement: str) -> None:
    """A write on an ordinary read-write session: no read-only transaction from the loader."""
    with pg.connect(uri, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('default_transaction_read_only')")
        assert cursor.fetchone() == ("off",)
        cursor.execute(statement)


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        (
            f"INSERT INTO {SCHEMA}.settings VALUES ('x', 'X', 'other')",
            "permission denied for table settings",
        ),
        (f"UPDATE {SCHEMA}.spend SET amount_gbp = 0", "permission denied for table spend"),
        (f"DELETE FROM {SCHEMA}.spend", "permission denied for table spend"),
        (f"DROP TABLE {SCHEMA}.spend", "must be owner of table spend"),
        (f"TRUNCATE {SCHEMA}.spend", "permission denied for table spend"),
        (f"CREATE TABLE {SCHEMA}.mine (x int)", "permission denied for schema analytics"),
        ("CREATE TABLE public.mine (x int)", "permission denied for schema public"),
    ],
)
def test_the_reader_role_cannot_write_even_outside_a_read_only_session(
    reader_uri, statement, refusal
):
    with pytest.raises(Exception, match=refusal):
        _plain_session(reader_uri, statement)


def test_the_catalog_reads_everything_through_the_reader_role(postgres, reader_uri, monkeypatch):
    catalog = load_catalog(postgres.catalog_path)
    as_owner = {n: load_dataset(n, catalog).height for n in ("spend", "settings", "care_homes")}
    monkeypatch.setenv(URI_ENV, reader_uri)
    as_reader = {n: load_dataset(n, catalog).height for n in ("spend", "settings", "care_homes")}
    assert as_reader == as_owner and as_owner["settings"] == 28
