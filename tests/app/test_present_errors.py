"""Slides quote a dataset's failure in full to admins only; everyone else reads which dataset
failed and whom to tell (the full text names server paths and other places' rows)."""

from __future__ import annotations

import io
import shutil

import pytest

from tests.app.conftest import ROOT, open_app, sign_in
from tests.app.test_download_audit import Recorder

ACCESS = """\
[users."alice@oldham.gov.uk"]
places = ["E08000004"]
downloads = true

[users."root@oldham.gov.uk"]
places = ["*"]
admin = true
"""


@pytest.fixture
def broken_outcomes(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", copy)
    (copy / "outcomes.parquet").write_bytes(b"not a parquet file")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(copy / "catalog.toml"))
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(access))
    return copy


def _present(email: str):
    return open_app("present", {"deck": "oldham", "slide": "5"}, setup=sign_in(email))  # grid


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_a_slide_tells_a_non_admin_which_dataset_failed_not_where(broken_outcomes):
    shown = _errors(_present("alice@oldham.gov.uk"))
    assert "Dataset 'outcomes' did not load" in shown
    assert str(broken_outcomes) not in shown and "parquet" not in shown


def test_an_admin_reads_the_full_message(broken_outcomes):
    shown = _errors(_present("root@oldham.gov.uk"))
    assert "outcomes.parquet" in shown


def test_the_board_pack_made_on_click_keeps_the_short_message(broken_outcomes, monkeypatch):
    """The pack is made outside the page script: what the person may read is captured first."""
    from pptx import Presentation

    recorder = Recorder()
    recorder.install(monkeypatch)
    _present("alice@oldham.gov.uk")
    made = [make() for name, make in recorder.items if name.endswith(".pptx")]
    assert len(made) == 1
    text = " ".join(
        run.text
        for slide in Presentation(io.BytesIO(made[0])).slides
        for shape in slide.shapes
        if shape.has_text_frame
        for para in shape.text_frame.paragraphs
        for run in para.runs
    )
    assert "Dataset 'outcomes' did not load" in text
    assert str(broken_outcomes) not in text and "PAR1" not in text
