"""Database passwords never leave the data layer: not in an error, its summary, its traceback,
its log line or `describe()`, whatever characters the password holds and whatever form the
connection string takes (tests/connection_forms.py)."""

from __future__ import annotations

import json
import logging
import textwrap
import traceback

import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import ContractError, DataError, LoaderError
from loaders.secrets import check_uri, mask_connection, secrets_of
from loaders.sql_loader import SqlLoader, SqlOptionError
from tests.connection_forms import FORMS, PIECES, Form, driver_option, leaked

IDS = [f.id for f in FORMS]


def test_the_corpus_covers_every_form():
    assert len(FORMS) >= 15
    joined = " ".join(f.conn for f in FORMS)
    for needle in ("postgresql://", "postgres://", "snowflake://", "sqlite:", "#", "/Zt4m",
                   "?Zt4m", "@Zt4m", "%23", " Zt4m", "password=", "sslpassword=", "token=",
                   "password='", "\\'", "password = "):  # fmt: skip
        assert needle in joined, needle


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_masking_hides_every_piece_of_the_password(form: Form):
    for text in (
        form.conn,
        f"cannot connect to {form.conn}: OperationalError: connection refused",
        f"Dataset 'warehouse': uri '{form.conn}' failed\nnext line {form.conn}",
        f"(uri={form.conn!r})",
    ):
        masked = mask_connection(text)
        assert not leaked(masked), masked
        assert "***" in masked
    if form.shown is not None:
        assert mask_connection(form.conn) == form.shown


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_a_password_echoed_without_its_connection_string_is_masked(form: Form):
    """Drivers quote a password they could not parse ('invalid percent-encoded token: ...')."""
    secrets = secrets_of(form.conn)
    assert secrets
    for secret in secrets:
        text = f'IO: [libpq] Failed to connect: invalid token: "{secret}"'
        assert not leaked(mask_connection(text, secrets)), secret


@pytest.mark.parametrize(
    "text",
    [
        "Dataset 'spend' (file /srv/data/spend.csv) does not match the 'spend' contract:\n"
        "  - column 'amount_gbp': expected a number, 1 value(s) could not be read: "
        "row 3 (line 4): 'Bolton'",
        "cannot connect to postgresql://reader@db.example.nhs.uk:5432/placewise: refused",
        "postgresql://db.example.nhs.uk:5432/placewise: FATAL: no pg_hba.conf entry for "
        'user "reader@example.nhs.uk"',
        "the query on sqlite:///srv/warehouse.db returned more than row_limit = 5,000,000 rows",
        "file:/srv/warehouse.db?mode=ro",
        "key 'options.timeout_seconds': expected int or float, got str 'sixty'",
    ],
)
def test_text_without_secrets_is_unchanged(text):
    assert mask_connection(text) == text


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("postgresql://u:kX9q-Zt4m@h:5432/db?sslmode=require", True),
        ("postgresql://u:kX9q%2F%40%23Zt4m@h/db", True),
        ("postgresql://h/db?application_name=a@b", True),  # no password: nothing to misread
        ("postgresql://u:kX9q/Zt4m@h/db", False),
        ("postgresql://u:kX9q#Zt4m@h/db", False),
        ("postgresql://u:kX9q?Zt4m@h/db", False),
        ("postgresql://u:kX9q@Zt4m@h/db", False),
        ("postgresql://u:kX9q Zt4m@h/db", False),
        ("postgresql://u:kX9q%zzZt4m@h/db", False),
        ("postgresql://h/db?password=kX9q&Zt4m", False),
    ],
)
def test_uris_drivers_would_misread_are_refused_without_quoting_them(uri, ok):
    if ok:
        check_uri(uri)
        SqlLoader(uri=uri, table="t")
        return
    with pytest.raises(SqlOptionError, match="percent|%26|%25") as info:
        SqlLoader(uri=uri, table="t")
    assert not leaked(str(info.value))


def _catalog(tmp_path, form: Form, monkeypatch, *, literal: bool = False):
    """A one-dataset catalog reading `form`'s database (the uri from the environment, or
    written in the catalog itself when `literal`)."""
    monkeypatch.setenv("PW_TEST_CONNECTION", form.conn)
    uri = json.dumps(form.conn) if literal else '{ env = "PW_TEST_CONNECTION" }'
    driver = driver_option(form)
    path = tmp_path / "catalog.toml"
    path.write_text(
        textwrap.dedent(
            """
            [datasets.warehouse]
            loader = "sql"
            contract = "settings"
            [datasets.warehouse.options]
            table = "settings"
            timeout_seconds = 5
            """
        )
        + f"uri = {uri}\n"
        + (f"driver = {json.dumps(driver)}\n" if driver else "")
    )
    return load_catalog(path)


def _everything_about(exc: BaseException) -> str:
    """Every text of an error a page or a log line could show, with its chained causes."""
    parts = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    if isinstance(exc, DataError):
        parts.append(exc.summary)
    return "\n".join(parts)


@pytest.mark.parametrize("literal", [False, True], ids=["env", "in-catalog"])
@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_load_dataset_errors_never_carry_the_password(tmp_path, monkeypatch, caplog, form, literal):
    """A real failing load (a closed port on 127.0.0.1, a missing driver, a refused URI)."""
    catalog = _catalog(tmp_path, form, monkeypatch, literal=literal)
    with pytest.raises(DataError) as info:
        load_dataset("warehouse", catalog)
    exc = info.value
    assert not leaked(_everything_about(exc)), _everything_about(exc)
    assert str(exc).startswith("Dataset 'warehouse'")
    assert exc.dataset == "warehouse" and exc.from_database
    assert exc.summary.startswith("Dataset 'warehouse' could not be read from its database.")
    assert "Tell the person who manages Placewise's data" in exc.summary
    for secret in PIECES:
        assert secret not in exc.summary
    # the two log lines ui/state writes for a failed dataset
    log = logging.getLogger("placewise")
    with caplog.at_level(logging.WARNING, logger="placewise"):
        log.warning("dataset %s failed: %s", "warehouse", exc)
        log.warning("distinct %s.%s failed: %s", "warehouse", "setting", exc)
    assert "dataset warehouse failed" in caplog.text and not leaked(caplog.text)


@pytest.mark.parametrize("form", [f for f in FORMS if f.conn.startswith("postgres")], ids=str)
def test_describe_and_repr_of_a_sql_loader_mask_the_password(form: Form):
    try:
        loader = SqlLoader(uri=form.conn, table="settings")
    except SqlOptionError as exc:
        assert not leaked(str(exc))
        return
    assert not leaked(repr(loader.describe())) and not leaked(repr(loader))
    echoed = " ".join(secrets_of(form.conn))
    assert not leaked(loader._scrub(f"could not connect to {form.conn}: {echoed}"))


def test_a_data_error_edited_after_it_was_raised_is_still_masked():
    exc = LoaderError("fine", dataset="d")
    exc.args = ("Dataset 'd': postgresql://u:kX9q#Zt4m@h/db refused",)
    assert not leaked(str(exc)) and not leaked(repr(exc))
    assert not leaked(str(ContractError("host=h password='kX9q Zt4m'", dataset="d")))


def test_summaries_name_the_dataset_and_whom_to_tell_but_no_detail():
    contract = ContractError(
        "Dataset 'spend' (file /srv/spend.csv): row 3: 'Bolton Royal'", dataset="spend"
    )
    assert contract.summary == (
        "Dataset 'spend' did not load. Tell the person who manages Placewise's data "
        "(the Data page shows them the details)."
    )
    assert (
        "could not be read from its database"
        in LoaderError("x", dataset="spend", from_database=True).summary
    )
    assert "/srv" not in DataError("/srv/catalog.toml is broken").summary
