"""Data errors in the real app: who sees what (Trust II).

People marked admin (and the open, single-operator mode) see a failed dataset's full message,
with every database password masked; everyone else sees which dataset failed and whom to tell,
never a connection string, a server path or a value from another place's rows. The server log
has the full message, masked.
"""

from __future__ import annotations

import json
import logging
import re
import shutil

import polars as pl
import pytest

from tests.app.conftest import AUTH, ROOT, open_app
from tests.connection_forms import FORMS, driver_option, leaked

ACCESS = """\
[users."alice@oldham.gov.uk"]
places = ["E08000004"]
downloads = true

[users."dana@placewise.example"]
places = ["*"]
admin = true
"""
ALICE = "alice@oldham.gov.uk"  # Oldham only, not an admin
DANA = "dana@placewise.example"  # every place, admin
BOLTON_VALUE = "Bolton-Royal-Ward-7-note"  # a Bolton row's text, unreadable as an amount
TELL = "Tell the person who manages Placewise's data (the Data page shows them the details)."


def shown(at) -> str:
    """Everything drawn, main area and sidebar, as text (markdown escapes removed)."""
    text = " ".join(str(node.proto) for block in (at.main, at.sidebar) for node in block)
    return text.replace("\\\\", "\\").replace("\\", "")


def errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def _copy_sample(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", folder)
    monkeypatch.setenv("PLACEWISE_CATALOG", str(folder / "catalog.toml"))
    monkeypatch.setenv("PLACEWISE_CACHE", str(tmp_path / "cache"))
    return folder


def _fresh():
    """Forget the cached datasets, so every run reads (and logs) them again."""
    from ui import state

    state.reload_data()


@pytest.fixture
def database_catalog(tmp_path, monkeypatch):
    """The sample data, with spend read from an unreachable database (its password holds a
    percent-encoded '#'), and one more failing sql dataset for every connection-string form."""
    folder = _copy_sample(tmp_path, monkeypatch)
    catalog = folder / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace(
        '[datasets.spend]\nloader = "parquet"\ncontract = "spend"\npath = "spend.parquet"\n',
        '[datasets.spend]\nloader = "sql"\ncontract = "spend"\n',
    )
    text = text.replace(
        "[datasets.spend.options]\n",
        '[datasets.spend.options]\nuri = { env = "PW_SPEND_URI" }\ntable = "spend"\n',
    )
    monkeypatch.setenv("PW_SPEND_URI", "postgresql://reader:kX9q%23Zt4m@127.0.0.1:1/placewise")
    for i, form in enumerate(FORMS):
        monkeypatch.setenv(f"PW_FORM_{i}", form.conn)
        text += (
            f'\n[datasets.warehouse_{i}]\nloader = "sql"\ncontract = "settings"\n'
            f'[datasets.warehouse_{i}.options]\nuri = {{ env = "PW_FORM_{i}" }}\n'
            'table = "settings"\ntimeout_seconds = 5\n'
        )
        if driver := driver_option(form):
            text += f"driver = {json.dumps(driver)}\n"
    catalog.write_text(text, encoding="utf-8")
    _fresh()
    return folder


@pytest.fixture
def bolton_catalog(tmp_path, monkeypatch):
    """The sample data, with spend as a CSV whose one bad amount is in a Bolton row."""
    folder = _copy_sample(tmp_path, monkeypatch)
    spend = pl.read_parquet(folder / "spend.parquet").with_columns(pl.col("amount_gbp").cast(str))
    bolton = spend["place_code"].to_list().index("E08000001")
    spend[bolton, "amount_gbp"] = BOLTON_VALUE
    spend.write_csv(folder / "spend.csv")
    catalog = folder / "catalog.toml"
    text = catalog.read_text(encoding="utf-8").replace(
        'loader = "parquet"\ncontract = "spend"\npath = "spend.parquet"',
        'loader = "csv"\ncontract = "spend"\npath = "spend.csv"',
    )
    catalog.write_text(text, encoding="utf-8")
    _fresh()
    return folder


def run(page: str, email: str | None, tmp_path, monkeypatch, query: dict | None = None):
    """The app on `page`, open (email None) or signed in as `email` with ACCESS."""
    if email is not None:
        access = tmp_path / "access.toml"
        access.write_text(ACCESS, encoding="utf-8")
        monkeypatch.setenv("PLACEWISE_ACCESS", str(access))

    def sign_in(at):
        if email is not None:
            at.secrets = AUTH
            at.user = {"is_logged_in": True, "email": email, "email_verified": True}

    return open_app(page, query or {"place": "Oldham"}, setup=sign_in)


# -- 1. database passwords: never on screen, never in the log ------------------------------------


@pytest.mark.parametrize("who", [None, DANA, ALICE], ids=["open", "admin", "not-admin"])
def test_no_database_password_on_the_data_page_or_in_the_log(
    database_catalog, tmp_path, monkeypatch, caplog, who
):
    caplog.set_level(logging.WARNING, logger="placewise")
    at = run("data", who, tmp_path, monkeypatch)
    page = shown(at)
    assert not leaked(page), re.findall(r".{80}(?:kX9q|Zt4m).{40}", page, flags=re.I)
    assert not leaked(caplog.text), caplog.text
    assert "dataset spend failed" in caplog.text
    assert "distinct spend.financial_year failed" in caplog.text  # the year list, pushed down
    assert f"dataset warehouse_{len(FORMS) - 1} failed" in caplog.text
    failed = [e for e in errors(at) if "could not be loaded" in e]
    assert len(failed) == len(FORMS) + 1, errors(at)


@pytest.mark.parametrize("who", [None, DANA], ids=["open", "admin"])
def test_admins_see_the_masked_connection_and_where_the_catalog_is(
    database_catalog, tmp_path, monkeypatch, who
):
    at = run("data", who, tmp_path, monkeypatch)
    # escape_md puts an invisible word joiner in addresses so that none becomes a link
    text = " ".join(errors(at)).replace("\u2060", "")
    assert "postgresql://reader:***@127.0.0.1:1/placewise" in text
    for form in FORMS:  # snowflake and sqlite fail before a connection: no driver, no file
        if form.shown and not form.conn.startswith(("snowflake:", "sqlite:")):
            assert form.shown in text, form.id
    assert str(database_catalog / "catalog.toml") in shown(at)


def test_people_who_are_not_admins_never_see_a_connection_string(
    database_catalog, tmp_path, monkeypatch, caplog
):
    caplog.set_level(logging.WARNING, logger="placewise")
    for page in ("data", "overview", "spend"):
        at = run(page, ALICE, tmp_path, monkeypatch)
        text = shown(at)
        for needle in ("://", "127.0.0.1", "host=", "password", "***", "snowflake", "postgres"):
            assert needle not in text.lower(), (page, needle)
        assert str(tmp_path) not in text, page
        summary = "Dataset 'spend' could not be read from its database. " + TELL
        assert any(summary in e for e in errors(at)), (page, errors(at))
    assert "postgresql://reader:***@127.0.0.1:1/placewise" in caplog.text  # the log has it all


# -- 2. contract errors quote any row: admins and the log only -----------------------------------


def test_an_oldham_user_never_sees_a_bolton_rows_value_in_an_error(
    bolton_catalog, tmp_path, monkeypatch, caplog
):
    caplog.set_level(logging.WARNING, logger="placewise")
    for page in ("data", "overview", "spend"):
        at = run(page, ALICE, tmp_path, monkeypatch)
        text = shown(at)
        assert BOLTON_VALUE not in text, page
        assert str(tmp_path) not in text, page  # no server path (the table names the file)
        assert any(f"Dataset 'spend' did not load. {TELL}" in e for e in errors(at)), page
    assert BOLTON_VALUE in caplog.text  # the log has the full message


@pytest.mark.parametrize("who", [None, DANA], ids=["open", "admin"])
def test_admins_see_the_full_contract_error(bolton_catalog, tmp_path, monkeypatch, who):
    at = run("data", who, tmp_path, monkeypatch)
    text = " ".join(errors(at))
    assert BOLTON_VALUE in text and "spend.csv" in text and "amount_gbp" in text
    assert "Reload data" in " ".join(c.value for c in at.caption)  # how to fix it


def test_the_data_page_shows_the_catalog_path_to_admins_only(tmp_path, monkeypatch):
    path = str(ROOT / "sample_data" / "catalog.toml")
    assert path in shown(run("data", DANA, tmp_path, monkeypatch))
    text = shown(run("data", ALICE, tmp_path, monkeypatch))
    assert path not in text and str(ROOT) not in text
    assert "Catalog: Placewise sample data" in text


def test_a_broken_catalog_is_explained_to_admins_only(tmp_path, monkeypatch):
    folder = _copy_sample(tmp_path, monkeypatch)
    (folder / "catalog.toml").write_text("[datasets.spend]\nloader = 3\n", encoding="utf-8")
    _fresh()
    at = run("data", None, tmp_path, monkeypatch)
    assert any("catalog.toml" in e for e in errors(at))
