"""Connection strings in every form a driver accepts, each with a password made of two marked
pieces (KX9Q and ZT4M): a test fails if either piece shows anywhere, so a driver quoting part
of a misread password is caught too.

Used by tests/loaders/test_secrets.py (masking, load_dataset's errors) and
tests/app/test_error_details.py (the Data page and the server log).
"""

from __future__ import annotations

from dataclasses import dataclass

PIECES = ("kX9q", "Zt4m")
#: the libpq driver for the ADBC driver manager, for key=value strings (no URI scheme)
LIBPQ = "adbc_driver_postgresql"


@dataclass(frozen=True)
class Form:
    id: str
    conn: str
    driver: str | None = None  # "libpq": the PostgreSQL driver's library through the manager
    #: what an admin is shown of it (masked), when the masked form is predictable
    shown: str | None = None


FORMS = (
    Form(
        "uri",
        "postgresql://placewise:kX9qZt4m@127.0.0.1:1/db",
        shown="postgresql://placewise:***@127.0.0.1:1/db",
    ),
    Form(
        "postgres-scheme",
        "postgres://placewise:kX9qZt4m@127.0.0.1:1/db",
        shown="postgres://placewise:***@127.0.0.1:1/db",
    ),
    Form("raw-hash", "postgresql://placewise:kX9q#Zt4m@127.0.0.1:1/db"),
    Form("raw-slash", "postgresql://placewise:kX9q/Zt4m@127.0.0.1:1/db"),
    Form("raw-question-mark", "postgresql://placewise:kX9q?Zt4m@127.0.0.1:1/db"),
    Form("raw-at", "postgresql://placewise:kX9q@Zt4m@127.0.0.1:1/db"),
    Form("raw-everything", "postgresql://placewise:kX9q#/?@:Zt4m@127.0.0.1:1/db?sslmode=disable"),
    Form(
        "percent-encoded",
        "postgresql://placewise:kX9q%23%2F%3F%40%20Zt4m@127.0.0.1:1/db",
        shown="postgresql://placewise:***@127.0.0.1:1/db",
    ),
    Form("raw-space", "postgresql://placewise:kX9q Zt4m@127.0.0.1:1/db"),
    Form("bad-percent-escape", "postgresql://placewise:kX9q%zzZt4m@127.0.0.1:1/db"),
    Form(
        "quotes-and-backslash",
        "postgresql://placewise:kX9q'\"\\Zt4m@127.0.0.1:1/db",
        shown="postgresql://placewise:***@127.0.0.1:1/db",
    ),
    Form(
        "query-password",
        "postgresql://placewise@127.0.0.1:1/db?password=kX9qZt4m",
        shown="postgresql://placewise@127.0.0.1:1/db?password=***",
    ),
    Form(
        "query-sslpassword",
        "postgresql://placewise:kX9qZt4m@127.0.0.1:1/db?sslmode=disable&sslpassword=Zt4mkX9q",
        shown="postgresql://placewise:***@127.0.0.1:1/db?sslmode=disable&sslpassword=***",
    ),
    Form("query-password-raw-ampersand", "postgresql://127.0.0.1:1/db?password=kX9q&Zt4m"),
    Form(
        "ipv6-multi-host",
        "postgresql://placewise:kX9q%40Zt4m@[::1]:1,127.0.0.1:1/db",
        shown="postgresql://placewise:***@[::1]:1,127.0.0.1:1/db",
    ),
    Form(
        "conninfo",
        "host=127.0.0.1 port=1 user=placewise password=kX9qZt4m dbname=db",
        driver=LIBPQ,
        shown="host=127.0.0.1 port=1 user=placewise password=*** dbname=db",
    ),
    Form(
        "conninfo-quoted-escapes",
        "host=127.0.0.1 port=1 password='kX9q \\' Zt4m\\\\' dbname=db",
        driver=LIBPQ,
        shown="host=127.0.0.1 port=1 password=*** dbname=db",
    ),
    Form(
        "conninfo-spaces-around-equals",
        "host = 127.0.0.1 port = 1 sslpassword = Zt4m password = kX9q",
        driver=LIBPQ,
    ),
    Form("conninfo-malformed", "host=127.0.0.1 port=1 password=kX9qZt4m dbname", driver=LIBPQ),
    Form("snowflake-raw-hash", "snowflake://placewise:kX9q#Zt4m@account/db/schema?warehouse=wh"),
    Form(
        "snowflake-token",
        "snowflake://placewise@account/db?authenticator=oauth&token=kX9qZt4m",
        shown="snowflake://placewise@account/db?authenticator=oauth&token=***",
    ),
    Form(
        "databricks-driver-manager",
        "databricks://token:kX9qZt4m@127.0.0.1:1/sql/1.0/warehouses/w",
        driver="databricks",
        shown="databricks://token:***@127.0.0.1:1/sql/1.0/warehouses/w",
    ),
    Form(
        "sqlite-key",
        "sqlite:///missing/warehouse.db?key=kX9qZt4m",
        shown="sqlite:///missing/warehouse.db?key=***",
    ),
)


def leaked(text: str) -> list[str]:
    """The pieces of a password that `text` shows."""
    return [p for p in PIECES if p.lower() in text.lower()]


def driver_option(form: Form) -> str | None:
    """The catalog's `driver` option for `form` (the libpq library's path for key=value)."""
    if form.driver != LIBPQ:
        return form.driver
    import adbc_driver_postgresql

    return str(adbc_driver_postgresql._driver_path())
