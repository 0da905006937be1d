"""Production settings and secrets: what a council's information governance lead would check first.

The server settings are read from the real .streamlit/config.toml, then checked against what
Streamlit itself resolves, so a misspelt key (which Streamlit silently ignores) fails here.
The secrets test runs the Data page on a catalog whose database URI, with a password, comes from
an environment variable, and looks for the password everywhere the page and the log could show it.
"""

from __future__ import annotations

import logging
import re
import socket
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
SAMPLE = ROOT / "sample_data" / "catalog.toml"
SECRET = "Tr0ub4dor-and-3"
URI_ENV = "PLACEWISE_HARDENING_DB_URI"

# option -> value required in production
REQUIRED = {
    "server.enableXsrfProtection": True,
    "client.showErrorDetails": "none",
    "browser.gatherUsageStats": False,
    "client.disableDataExport": True,  # st.dataframe's own CSV download and copy
    "server.runOnSave": False,
    "server.headless": True,
}
MAX_UPLOAD_MB = 50
# defaults that must stay so (not written in the file, checked as Streamlit resolves them)
RESOLVED_DEFAULTS = {
    "server.enableStaticServing": False,  # no folder served as-is beside the app
    "global.developmentMode": False,
}


@pytest.fixture(scope="module")
def settings() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def _get(settings: dict, option: str):
    section, key = option.split(".")
    return settings.get(section, {}).get(key)


@pytest.mark.parametrize("option", sorted(REQUIRED))
def test_production_setting(settings, option):
    assert _get(settings, option) == REQUIRED[option], f"{option} in {CONFIG}"


def test_upload_limit_is_set_and_small(settings):
    limit = _get(settings, "server.maxUploadSize")
    assert isinstance(limit, int) and 0 < limit <= MAX_UPLOAD_MB
    # also bounds websocket messages (Streamlit's default is 200 MB)
    assert _get(settings, "server.maxMessageSize") in (None, *range(1, 201))


def test_every_key_is_one_streamlit_knows():
    """A typo such as `disableDataExports` would be ignored by Streamlit and leave the export on."""
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    known = set(st_config.get_config_options())
    unknown = [
        f"{section}.{key}"
        for section, values in settings.items()
        for key in values
        if f"{section}.{key}" not in known
    ]
    assert not unknown


def test_streamlit_resolves_the_file_to_the_same_values(monkeypatch):
    """Streamlit, started in the repository, reads these values (no other config wins)."""
    monkeypatch.chdir(ROOT)
    st_config.get_config_options(force_reparse=True)
    try:
        for option, value in {**REQUIRED, **RESOLVED_DEFAULTS}.items():
            assert st_config.get_option(option) == value, option
        assert st_config.get_option("server.maxUploadSize") <= MAX_UPLOAD_MB
    finally:
        st_config.get_config_options(force_reparse=True)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: connections are refused


def _catalog_with_secret_uri(tmp_path: Path) -> Path:
    """The sample catalog (absolute paths) plus a warehouse dataset whose URI is an env secret."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = re.sub(
        r'^path = "([^"]+)"',
        lambda m: f'path = "{(SAMPLE.parent / m[1]).as_posix()}"',
        text,
        flags=re.MULTILINE,
    )
    text += (
        "\n[datasets.warehouse_settings]\n"
        'loader = "sql"\n'
        'contract = "settings"\n'
        'title = "Settings from the warehouse"\n'
        "[datasets.warehouse_settings.options]\n"
        f'uri = {{ env = "{URI_ENV}" }}\n'
        'table = "analytics.settings"\n'
        "timeout_seconds = 5\n"
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _all_text(at: AppTest) -> str:
    """Every protobuf delta the page sent (markdown, errors, tables as Arrow bytes, widgets)."""
    out = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def test_a_database_password_from_the_environment_is_never_shown_or_logged(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv(URI_ENV, f"postgresql://placewise:{SECRET}@127.0.0.1:{_closed_port()}/db")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(_catalog_with_secret_uri(tmp_path)))
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    errors = " ".join(e.value for e in at.error).replace("\\", "")  # markdown escapes
    assert "Dataset 'warehouse_settings': the 'sql' loader could not read it" in errors
    table = at.dataframe[0].value
    status = dict(zip(table["dataset"], table["status"], strict=True))
    assert status["warehouse_settings"] != "Loaded" and status["settings"] == "Loaded"

    shown = _all_text(at)
    assert "127.0.0.1" in shown  # the host may be shown, to help fix the connection ...
    assert SECRET not in shown  # ... but never the password
    assert SECRET not in caplog.text
