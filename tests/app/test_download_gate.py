"""Every download on every page goes through the one permission gate, ui.auth.download_button
("Trust II"): a person whose access says `downloads = false` can download nothing anywhere, the
Present page's PowerPoint (whose chart workbooks hold full-precision values), PDF and TOML
included; and no module but ui/auth.py calls st.download_button, so a new page cannot forget.

As the download audit does, the runs record everything a page registers with Streamlit's media
file manager (lazy downloads and ready-made bytes), so a download made any other way than
through a download button is counted too.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AUTH, ROOT, TIMEOUT
from tests.app.test_download_audit import Recorder

PAGES = ("overview", "spend", "care_homes", "neighbourhoods", "outcomes", "benchmarks",
         "present", "data", "about")  # fmt: skip
WITH_DOWNLOADS = ("spend", "care_homes", "neighbourhoods", "outcomes", "benchmarks", "present",
                  "data")  # fmt: skip
QUERY = {"present": {"deck": "oldham"}}
ACCESS = """\
[users."reader@gm.nhs.uk"]
places = ["*"]
downloads = false

[users."oldham.reader@oldham.gov.uk"]
places = ["E08000004"]
downloads = false

[users."analyst@gm.nhs.uk"]
places = ["*"]
downloads = true
"""
REFUSED = "not available, your access does not include downloads"


@pytest.fixture(autouse=True)
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(path))
    return path


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    rec = Recorder()
    rec.install(monkeypatch)
    return rec


def open_as(email: str, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
    for key, value in QUERY.get(page, {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption).replace("\\", "")


@pytest.mark.parametrize("email", ["reader@gm.nhs.uk", "oldham.reader@oldham.gov.uk"])
@pytest.mark.parametrize("page", PAGES)
def test_without_downloads_no_page_offers_any_download(page, email, recorder):
    at = open_as(email, page)
    assert at.title or at.get("plotly_chart"), f"{page} drew nothing: the run proves nothing"
    assert [b.label for b in at.get("download_button")] == []
    assert [name for name, _ in recorder.items] == []  # nothing registered for download
    if page in WITH_DOWNLOADS:
        assert REFUSED in captions(at), f"{page} does not say why there are no downloads"
    if page == "present":
        assert "The deck as PowerPoint, PDF or TOML: not available" in captions(at)


@pytest.mark.parametrize("page", WITH_DOWNLOADS)
def test_with_downloads_the_same_pages_offer_them(page, recorder):
    """The control: the gate opens for a person whose access includes downloads."""
    at = open_as("analyst@gm.nhs.uk", page)
    labels = [b.label for b in at.get("download_button")]
    assert labels and recorder.items
    assert REFUSED not in captions(at)
    if page == "present":
        assert labels[-3:] == ["Deck as PowerPoint", "Deck as PDF", "Deck as TOML"]
        names = [name for name, _ in recorder.items]
        assert {"placewise_oldham.pptx", "placewise_oldham.pdf", "placewise_oldham.toml"} <= set(
            names
        )


@pytest.mark.parametrize("page", ["spend", "neighbourhoods", "present"])
def test_no_chart_toolbar_saves_a_picture_past_the_gate(page):
    """Plotly's own "Download plot as a png" would save the picture in the browser."""
    at = open_as("reader@gm.nhs.uk", page)
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert "toImage" in config.get("modeBarButtonsToRemove", []) or not config.get(
            "displayModeBar", True
        )


def _python_files() -> list[Path]:
    skip = {".venv", ".git", "tests", "node_modules", "artifacts"}
    return sorted(p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts))


def bypasses(path: Path) -> list[str]:
    """Every way `path` reaches Streamlit's download button other than ui.auth's gate."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "download_button":
            if not (isinstance(node.value, ast.Name) and node.value.id == "auth"):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and any(
            a.name == "download_button" for a in node.names
        ):
            if node.module != "ui.auth" and not (node.module == "ui" and node.level == 0):
                found.append(f"line {node.lineno}: from {node.module} import download_button")
        elif isinstance(node, ast.Constant) and node.value == "download_button":
            found.append(f"line {node.lineno}: the name as text (getattr?)")
    return sorted(found, key=lambda line: int(line.split(":")[0].removeprefix("line ")))


def test_no_module_but_ui_auth_calls_st_download_button():
    files = _python_files()
    assert ROOT / "views" / "present.py" in files and ROOT / "ui" / "charts.py" in files
    gate = ROOT / "ui" / "auth.py"
    assert bypasses(gate), "the scan finds the gate's own st.download_button"
    report = {
        str(p.relative_to(ROOT)): found for p in files if p != gate and (found := bypasses(p))
    }
    assert report == {}


def test_the_scan_catches_the_ways_round_the_gate(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import streamlit as st\n"
        "from streamlit import download_button\n"
        "st.download_button('a', data=b'')\n"
        "row = st.container()\n"
        "row.download_button('b', data=b'')\n"
        "getattr(st, 'download_button')('c', data=b'')\n"
        "auth.download_button('fine', data=b'')\n",
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in bypasses(sample)] == [
        "line 2", "line 3", "line 5", "line 6",
    ]  # fmt: skip
