"""Board packs as a reader checks them (issue 15): one page size, a cover with place, date,
data status and contents, pages numbered alike in the contents, appendix and footers, the
outcomes grid legible with its icons, and each slide stating its own finding."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from charts.spc import ICON_COLOURS
from charts.spc_board import ASSURANCE_GLYPHS, VARIATION_GLYPHS, board_figure, grid_table
from exports import outline
from exports.pdf import deck_to_pdf
from exports.pptx import CHART_HEIGHT, INNER, deck_to_pptx
from loaders.catalog import load_catalog
from present.data import CatalogData
from present.decks import load_deck
from present.slides import build_deck
from tests.conftest import SAMPLE_CATALOG
from tests.exports.test_pptx import tiny_png


@pytest.fixture(scope="module")
def oldham():
    data = CatalogData(load_catalog(SAMPLE_CATALOG))
    deck = load_deck(SAMPLE_CATALOG.parent / "decks" / "oldham.toml", data=data)
    return deck, build_deck(deck, data)


@pytest.fixture(scope="module")
def pdf(oldham) -> PdfReader:
    deck, slides = oldham
    return PdfReader(io.BytesIO(deck_to_pdf(deck, slides)))


def words(text: str) -> str:
    return " ".join(text.split())


def test_oldham_slides_1_and_2_state_different_findings(oldham):
    _, slides = oldham
    first, second = slides[0], slides[1]
    assert (first.spec.view, second.spec.view) == ("spend_headline", "acute_share")
    assert first.title != second.title
    assert re.fullmatch(r"Oldham: community spend rose \d+% and acute spend rose \d+%, "
                        r"2015/16 to 2024/25", first.title), first.title  # fmt: skip
    assert re.fullmatch(r"Oldham: acute share of spend fell in \d of 9 years, to 32\.7% in "
                        r"2024/25; no acute spend target is set", second.title), second.title  # fmt: skip


def test_every_pdf_page_has_the_same_16_9_mediabox(pdf):
    boxes = {tuple(round(float(v), 1) for v in page.mediabox) for page in pdf.pages}
    assert len(boxes) == 1, boxes
    (_, _, width, height), = boxes  # fmt: skip
    assert width / height == pytest.approx(16 / 9, rel=0.01)


def test_the_cover_lists_place_date_data_status_and_contents(oldham, pdf):
    deck, slides = oldham
    made = outline.cover(deck, slides)
    assert made.place == "Oldham"
    today = date.today()
    assert made.made == f"{today.day} {today:%B %Y}"
    assert made.status == (
        "Synthetic data (illustrative): these figures are not real. Pages 2, 3, 6, 7: "
        "Placewise synthetic spend, calibrated to partnership reports; Placewise synthetic "
        "KPIs, shaped on a draft outcomes framework.",
        "Real data. Pages 4, 5: CQC ratings (Oldham, real); synthetic elsewhere; ONS mid-year "
        "estimates 2017-2020; IMD 2025; Census 2021; NHS weighted populations.",
    )
    assert [e.page for e in made.contents] == [2, 3, 4, 5, 6, 7, 8]
    cover_text = words(pdf.pages[0].extract_text())
    assert f"Oldham · Made {made.made}" in cover_text
    for line in made.status:
        assert words(line) in cover_text
    for entry in made.contents:
        assert words(entry.line) in cover_text, entry.line
    prs = Presentation(io.BytesIO(deck_to_pptx(deck, slides, image_fn=tiny_png)))
    first = prs.slides[0]
    shown = "\n".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert f"Oldham · Made {made.made}" in shown and all(line in shown for line in made.status)
    table = next(s.table for s in first.shapes if s.has_table)
    rows = [(table.cell(r, 0).text, table.cell(r, 1).text) for r in range(len(table.rows))]
    assert rows[0] == ("2", f"Spend shift: the headline: {slides[0].title}")
    assert rows[-1] == ("8", "Appendix: metric definitions")


def test_contents_appendix_and_footers_number_the_pages_as_printed(oldham, pdf):
    deck, slides = oldham
    texts = [words(p.extract_text()) for p in pdf.pages]
    total = len(pdf.pages)
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {total}" in text  # the printed page number
    for entry in outline.cover(deck, slides).contents[:-1]:  # each slide is on its page
        assert words(slides[entry.page - 2].title) in texts[entry.page - 1]
    appendix = texts[-1]
    for line in outline.definitions(slides):
        pages = [int(n) for n in re.match(r"Pages? ([\d, ]+):", line).group(1).split(", ")]
        assert words(line) in appendix
        for page in pages:  # the definition's pages are the pages of slides defined by it
            assert slides[page - 2].definition == line.split(": ", 1)[1]
    assert "Pages 2, 3: Acute share of spend" in appendix
    prs = Presentation(io.BytesIO(deck_to_pptx(deck, slides, image_fn=tiny_png)))
    for n, slide in enumerate(prs.slides, 1):
        shown = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert f"Page {n} of {len(prs.slides)}" in shown


def test_the_pptx_grid_is_a_native_table_filling_the_content_area_with_icon_glyphs(oldham):
    deck, slides = oldham
    prs = Presentation(io.BytesIO(deck_to_pptx(deck, slides, image_fn=tiny_png)))
    index = [s.spec.view for s in slides].index("spc_grid")
    grid = slides[index]
    shape = next(s for s in prs.slides[outline.page_of(index) - 1].shapes if s.has_table)
    table = shape.table
    width = sum(c.width for c in table.columns)
    height = sum(r.height for r in table.rows)
    assert width * height >= 0.7 * INNER * CHART_HEIGHT
    assert width == pytest.approx(INNER, abs=Emu(100))
    expected = grid_table(grid.extras["analysis"], chosen_area=None)
    assert len(table.rows) == len(expected.cells) + 1
    assert len(table.columns) == len(expected.header) == 7  # the indicator and 6 areas
    place = expected.cells[0][0]  # A&E attendances, Oldham as a whole: special cause concern
    assert place.variation == "concern_high" and place.value == "8,428"
    cell = table.cell(1, 1).text_frame
    assert cell.text.split("\n") == ["8,428", f"{VARIATION_GLYPHS['concern_high']} Concern"]
    glyph = cell.paragraphs[1].runs[0]
    assert str(glyph.font.color.rgb) == ICON_COLOURS["concern"].lstrip("#").upper()
    for r, row in enumerate(expected.cells, 1):
        for c, g in enumerate(row, 1):
            text = table.cell(r, c).text
            if g.assurance:
                assert f"{ASSURANCE_GLYPHS[g.assurance]} " in text
            assert all(word in text for word in g.words)


def test_the_pdf_grid_page_draws_every_icon(oldham, pdf):
    _, slides = oldham
    index = [s.spec.view for s in slides].index("spc_grid")
    analysis = slides[index].extras["analysis"]
    table = grid_table(analysis, chosen_area=None)
    icons = [(c.variation, c.assurance) for row in table.cells for c in row]
    n_icons = sum((v is not None) + (a is not None) for v, a in icons)
    assert n_icons >= 12
    fig = board_figure(analysis, chosen_area=None, width=1480, height=560)
    rings = [s for s in fig.layout.shapes if s.type == "circle" and s.fillcolor == "#FFFFFF"]
    assert len(rings) == n_icons + 7  # each cell's icons, and the key's seven
    page = pdf.pages[outline.page_of(index) - 1]
    text = words(page.extract_text())
    assert "Concern" in text and "Meets target" in text and "Hit and miss" in text
    stream = page.get_contents().get_data().decode("latin-1")
    strokes = [tuple(map(float, m)) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) RG", stream)]
    for colour in (ICON_COLOURS["concern"], ICON_COLOURS["improvement"], ICON_COLOURS["hit"]):
        rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        assert any(
            all(abs(a - b) < 0.002 for a, b in zip(rgb, got, strict=True)) for got in strokes
        ), colour  # the icon rings are drawn, in their colours
