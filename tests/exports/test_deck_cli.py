"""python -m exports.deck: exit codes and one-line messages for scheduled board packs."""

from __future__ import annotations

import io
import subprocess
import sys

from pptx import Presentation
from pypdf import PdfReader

from exports.deck import main
from tests.conftest import ROOT

ONE_SLIDE = '[deck]\ntitle = "CLI pack"\nplace = "Wirral"\n[[slides]]\nview = "spend_headline"\n'


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exports.deck", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_good_deck_writes_both_packs_and_exits_0(tmp_path, capsys):
    deck = tmp_path / "cli.toml"
    deck.write_text(ONE_SLIDE + '[[slides]]\nview = "care_home_quality"\n', encoding="utf-8")
    pptx, pdf = tmp_path / "out.pptx", tmp_path / "out.pdf"
    assert main([str(deck), "--pptx", str(pptx), "--pdf", str(pdf)]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("CLI pack: 2 slides (2 drawn); slides built in ")
    assert f"PPTX {pptx} in " in out.out and f"PDF {pdf} in " in out.out and not out.err
    assert len(Presentation(io.BytesIO(pptx.read_bytes())).slides) == 4
    assert len(PdfReader(pdf).pages) == 4


def test_a_slide_that_cannot_be_drawn_stops_the_pack_unless_a_partial_one_is_accepted(
    tmp_path, capsys
):
    deck = tmp_path / "bad.toml"
    deck.write_text(
        ONE_SLIDE + '[[slides]]\nview = "spc_grid"\ncluster = "Atlantis"\n', encoding="utf-8"
    )
    out = tmp_path / "bad.pptx"
    assert main([str(deck), "--pptx", str(out)]) == 1  # a scheduled pack does not go out holed
    err = capsys.readouterr().err
    assert err.startswith(
        "error: slide 2 (spc_grid) cannot be drawn: Slide 2: unknown cluster 'Atlantis'"
    )
    assert "error: no pack written: 1 of 2 slide(s) cannot be drawn (slide 2)" in err
    assert "--allow-partial" in err and not out.exists()

    assert main([str(deck), "--pptx", str(out), "--allow-partial"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: slide 2 (spc_grid) cannot be drawn")
    assert out.stat().st_size > 10_000


def test_a_deck_whose_only_slide_fails_exits_non_zero(tmp_path):
    deck = tmp_path / "only.toml"
    deck.write_text('[deck]\ntitle = "t"\nplace = "Wirral"\n[[slides]]\nview = "spc_grid"\n'
                    'cluster = "Atlantis"\n', encoding="utf-8")  # fmt: skip
    done = run(str(deck), "--pptx", str(tmp_path / "only.pptx"))
    assert done.returncode == 1 and not (tmp_path / "only.pptx").exists()


def test_broken_toml_exits_1_with_one_line_naming_file_and_line(tmp_path):
    deck = tmp_path / "broken.toml"
    deck.write_text('[deck]\ntitle = "x\n', encoding="utf-8")
    result = run(str(deck), "--pptx", str(tmp_path / "x.pptx"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.startswith(f"error: {deck} is not valid TOML") and "line 2" in result.stderr
    )
    assert not (tmp_path / "x.pptx").exists()


def test_missing_deck_or_catalog_exits_1(tmp_path, capsys):
    assert main([str(tmp_path / "none.toml"), "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err == f"error: Deck file not found: {tmp_path / 'none.toml'}.\n"
    deck = tmp_path / "ok.toml"
    deck.write_text(ONE_SLIDE, encoding="utf-8")
    bad = tmp_path / "catalog.toml"
    bad.write_text("[catalog]\ntitle = 1\n", encoding="utf-8")
    assert main([str(deck), "--pdf", str(tmp_path / "x.pdf"), "--catalog", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: 2 problems in the catalog") and err.count("\n") == 1


def test_nothing_to_write_is_a_usage_error(tmp_path, capsys):
    assert main([str(tmp_path / "deck.toml")]) == 2
    assert "give --pptx OUT.pptx and/or --pdf OUT.pdf" in capsys.readouterr().err
