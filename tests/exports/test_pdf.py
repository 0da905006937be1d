"""The PDF board pack: one page per slide (plus title and appendix), the findings in its text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from exports.images import ImageExportError
from exports.pdf import deck_to_pdf
from loaders.catalog import load_catalog
from present import render
from present.data import CatalogData
from present.decks import parse_deck
from present.slides import build_deck
from tests.conftest import SAMPLE_CATALOG

DECK = """
[deck]
title = "Bolton test pack"
place = "Bolton"

[[slides]]
view = "acute_share"
heading = "Acute share"

[[slides]]
view = "spc_grid"

[[slides]]
view = "outcome_spc"
indicator = "Bed days lost"
"""


@pytest.fixture(scope="module")
def pack():
    data = CatalogData(load_catalog(SAMPLE_CATALOG))
    deck = parse_deck(DECK, name="bolton_test", data=data)
    return deck, build_deck(deck, data)


def test_pdf_has_a_page_per_slide_with_title_finding_and_footer(pack):
    deck, slides = pack
    reader = PdfReader(io.BytesIO(deck_to_pdf(deck, slides)))
    assert len(reader.pages) == 1 + len(slides) + 1
    assert reader.metadata.title == "Bolton test pack"
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Bolton test pack" in pages[0] and "Synthetic data (illustrative)" in pages[0]
    assert slides[0].title in pages[1] and "Source: Placewise synthetic spend" in pages[1]
    assert "Licence: MIT (Placewise synthetic data)" in pages[1]
    assert slides[1].title in pages[2]
    assert "What is wrong: Slide 3: unknown indicator 'Bed days lost'" in pages[3]
    assert "Source:" not in pages[3]
    assert "Appendix: metric definitions" in pages[4]


def test_without_a_browser_the_pdf_says_why(pack, monkeypatch):
    monkeypatch.setattr(render, "export_problem", lambda: "no Chromium at /usr/bin/chromium")
    deck, slides = pack
    with pytest.raises(ImageExportError, match="no Chromium at /usr/bin/chromium"):
        deck_to_pdf(deck, slides)
