"""Every registered panel, built from the PostgreSQL catalog, asks the server for its place's
rows only: each statement against a table whose rows belong to one place (spend, outcomes)
carries a WHERE on the place's code (or its clusters' codes) as bound parameters, and the panel
built from the database equals the panel built from the sample files."""

from __future__ import annotations

import dataclasses

import pytest
from polars.testing import assert_frame_equal

from loaders import load_catalog
from loaders.sql_loader import SqlLoader
from panels.core import PanelProblem
from panels.params import parse
from panels.registry import panels
from panels.source import CatalogSource, run
from tests.panels.suite import PLACE_FILTERED
from tests.panels.test_registry import suites
from tests.sql.conftest import SAMPLE_CATALOG, SCHEMA

WIRRAL = "E08000015"


@pytest.fixture(scope="module")
def catalogs(postgres):
    return load_catalog(SAMPLE_CATALOG), load_catalog(postgres.catalog_path)


def statements(monkeypatch) -> list[tuple[str, list]]:
    """Every statement the sql loader sends from now on, with its bound parameters."""
    sent: list[tuple[str, list]] = []
    original = SqlLoader._run

    def recording(self, text, params):
        sent.append((text, list(params or [])))
        return original(self, text, params)

    monkeypatch.setattr(SqlLoader, "_run", recording)
    return sent


@pytest.mark.parametrize("panel_id", sorted(panels()))
def test_each_panel_reads_only_its_place_from_the_database(catalogs, monkeypatch, panel_id):
    sample, pg = catalogs
    panel = panels()[panel_id]
    suite = suites()[panel_id]
    params, problems = parse(panel.Params, suite.examples[0])
    assert problems == []
    params = dataclasses.replace(params, place=WIRRAL)
    sent = statements(monkeypatch)
    from_db = run(panel, params, CatalogSource(pg))
    monkeypatch.undo()
    from_files = run(panel, params, CatalogSource(sample))

    for table, column in PLACE_FILTERED.items():
        against = [(text, ps) for text, ps in sent if f'"{SCHEMA}"."{table}"' in text]
        for text, ps in against:
            assert f'WHERE "{column}" IN (' in text, f"{panel_id}: {table} fetched whole: {text}"
            assert WIRRAL in ps and WIRRAL not in text, f"{panel_id}: codes not bound: {text}"
            assert all(p == WIRRAL or str(p).startswith(f"{WIRRAL}-") for p in ps), ps
    if any(need.dataset in PLACE_FILTERED for need in panel.needs(params)):
        assert any(f'"{SCHEMA}"."{t}"' in text for text, _ in sent for t in PLACE_FILTERED), (
            f"{panel_id} declares a place-filtered need but sent no statement for it"
        )

    assert isinstance(from_db, PanelProblem) == isinstance(from_files, PanelProblem), panel_id
    if isinstance(from_db, PanelProblem):
        assert str(from_db) == str(from_files)
        return
    assert from_db.title == from_files.title
    assert_frame_equal(
        from_db.rows.frame, from_files.rows.frame, check_exact=False, abs_tol=1e-3,
        check_dtypes=False,
    )  # fmt: skip
