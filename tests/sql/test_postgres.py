"""The sql loader against a real PostgreSQL server holding the sample data."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from loaders import load_catalog, load_dataset
from loaders.errors import LoaderError
from loaders.sql_loader import SqlLoader
from panels.core import PanelProblem
from panels.params import AreaParams
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.app.conftest import open_app
from tests.sql.conftest import PASSWORD, SAMPLE_CATALOG, SCHEMA, URI_ENV, _sql_execute


@pytest.fixture(scope="module")
def catalogs(postgres):
    return load_catalog(SAMPLE_CATALOG), load_catalog(postgres.catalog_path)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(
        pl.col(c).cast(pl.String)
        for c, dtype in frame.schema.items()
        if isinstance(dtype, pl.Enum | pl.Categorical)
    )
    return frame.sort(frame.columns, nulls_last=True)


def test_every_table_dataset_is_read_through_sql(catalogs):
    _, pg = catalogs
    kinds = {name: spec.loader for name, spec in pg.datasets.items()}
    assert kinds.pop("boundaries") == "geo"
    assert set(kinds.values()) == {"sql"} and len(kinds) >= 10


def test_every_dataset_from_postgres_equals_the_sample_data(catalogs):
    sample, pg = catalogs
    for name, spec in pg.datasets.items():
        if spec.loader != "sql":
            continue
        want, got = load_dataset(name, sample), load_dataset(name, pg)
        assert got.columns == want.columns, name
        assert got.schema == want.schema, name
        assert _sorted(got).equals(_sorted(want)), name


def _tiles(catalog, place_code: str) -> list:
    """The Overview's tiles for the place, drawn by its panel from `catalog`."""
    result = run(get_panel("overview_tiles"), AreaParams(place=place_code), CatalogSource(catalog))
    assert not isinstance(result, PanelProblem), result
    return result.tiles


def test_overview_headline_tiles_match_for_every_place(catalogs):
    sample, pg = catalogs
    places = load_dataset("areas", sample).filter(pl.col("area_type") == "place")
    assert places.height == 4
    for code, name in places.select("area_code", "area_name").iter_rows():
        want = _tiles(sample, code)
        assert all(t.value for t in want), name
        assert _tiles(pg, code) == want, name


def test_where_is_pushed_down_as_bound_parameters(catalogs):
    sample, pg = catalogs
    got = load_dataset("spend", pg, where={"place_code": ["E08000004", "E08000001"]})
    want = load_dataset("spend", sample).filter(
        pl.col("place_code").is_in(["E08000004", "E08000001"])
    )
    assert got.height == want.height > 0
    assert _sorted(got).equals(_sorted(want))


def test_injection_in_where_returns_no_rows_and_the_table_survives(catalogs):
    _, pg = catalogs
    before = load_dataset("spend", pg).height
    hostile = load_dataset("spend", pg, where={"place_code": "x'; DROP TABLE spend; --"})
    assert hostile.height == 0
    hostile = load_dataset("spend", pg, where={"place_code": f"x'; DROP TABLE {SCHEMA}.spend; --"})
    assert hostile.height == 0
    assert load_dataset("spend", pg).height == before > 0


def _one_dataset_catalog(tmp_path, options: str):
    path = tmp_path / "catalog.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [datasets.settings]
            loader = "sql"
            contract = "settings"
            [datasets.settings.options]
            uri = {{ env = "{URI_ENV}" }}
            """
        )
        + textwrap.dedent(options)
    )
    return load_catalog(path)


def test_writes_through_query_fail_in_the_read_only_session(postgres, tmp_path):
    # an INSERT is refused before it reaches the server
    insert = f"INSERT INTO {SCHEMA}.settings VALUES ('a', 'A', 'other')"
    with pytest.raises(LoaderError, match="Dataset 'settings'.*must be a SELECT"):
        load_dataset("settings", _one_dataset_catalog(tmp_path, f'query = "{insert}"\n'))
    # a SELECT that writes reaches the server, which refuses it in the read-only session
    _sql_execute(postgres.uri, f"CREATE SEQUENCE IF NOT EXISTS {SCHEMA}.counter")
    writes = f"SELECT s.* FROM {SCHEMA}.settings AS s WHERE nextval('{SCHEMA}.counter') > 0"
    with pytest.raises(LoaderError, match="Dataset 'settings'.*read-only transaction"):
        load_dataset("settings", _one_dataset_catalog(tmp_path, f'query = "{writes}"\n'))
    # and so is a plain INSERT sent on the loader's session
    loader = SqlLoader(uri=postgres.uri, table=f"{SCHEMA}.settings")
    conn = loader._connect()
    try:
        with conn.cursor() as cursor:
            loader._start_session(cursor)
            with pytest.raises(Exception, match="read-only transaction"):
                cursor.execute(insert)
    finally:
        conn.close()
    assert "a" not in load_dataset("settings", catalog_for_table(tmp_path))["setting"].to_list()


def catalog_for_table(tmp_path):
    return _one_dataset_catalog(tmp_path, f'table = "{SCHEMA}.settings"\n')


def test_statement_timeout_names_the_dataset(postgres, tmp_path):
    query = f"SELECT s.* FROM {SCHEMA}.settings AS s CROSS JOIN pg_sleep(5) AS p"
    catalog = _one_dataset_catalog(tmp_path, f'query = "{query}"\ntimeout_seconds = 0.3\n')
    with pytest.raises(LoaderError) as info:
        load_dataset("settings", catalog)
    message = str(info.value)
    assert "Dataset 'settings'" in message and "timeout_seconds = 0.3" in message
    assert PASSWORD not in message and "***" in message


def test_row_limit_names_the_dataset(postgres, tmp_path):
    catalog = _one_dataset_catalog(tmp_path, f'table = "{SCHEMA}.settings"\nrow_limit = 5\n')
    with pytest.raises(LoaderError, match=r"Dataset 'settings'.*more than row_limit = 5 rows"):
        load_dataset("settings", catalog)


def test_outage_names_the_dataset_not_the_password_and_recovers(postgres, catalogs):
    _, pg = catalogs
    postgres.stop()
    try:
        with pytest.raises(LoaderError) as info:
            load_dataset("spend", pg)
        message = str(info.value)
        assert "Dataset 'spend'" in message and "cannot connect" in message
        assert PASSWORD not in message and PASSWORD not in repr(info.value.__cause__)
        assert info.value.dataset == "spend"
    finally:
        postgres.start()
    assert load_dataset("spend", pg).height > 0


def test_wrong_password_is_not_echoed(postgres, tmp_path, monkeypatch):
    monkeypatch.setenv(URI_ENV, postgres.uri.replace(PASSWORD, "Wrong-pw-123"))
    with pytest.raises(LoaderError) as info:
        load_dataset("settings", catalog_for_table(tmp_path))
    assert "Wrong-pw-123" not in str(info.value) and "Dataset 'settings'" in str(info.value)


def _app(page: str | None = None) -> AppTest:
    return open_app(page)


def test_overview_and_data_pages_on_postgres_show_the_sample_values(postgres, monkeypatch):
    monkeypatch.delenv("PLACEWISE_CATALOG", raising=False)
    sample_tiles = {m.label: m.value for m in _app().metric}
    monkeypatch.setenv("PLACEWISE_CATALOG", str(postgres.catalog_path))
    overview = _app()
    assert {m.label: m.value for m in overview.metric} == sample_tiles
    assert len(sample_tiles) == 7
    table = _app("data").dataframe[0].value
    assert set(table["status"]) == {"Loaded"}
    assert {"areas", "spend", "care_homes", "cqc_ratings", "boundaries"} <= set(table["dataset"])
    page_text = " ".join(str(v) for v in table.to_numpy().ravel())
    assert PASSWORD not in page_text
