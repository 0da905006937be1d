"""Board pack as PDF: one page per slide, the same content as the PowerPoint pack.

Approach: every page (cover, each view, appendix) is a plotly figure of 1600 x 900 px, the
16:9 of the PowerPoint slides: the view's chart in large type, scaled to the room left by the
heading, the finding and the footer lines (source, as at, synthetic and suppression notes,
licence) around it, or text only for the cover, appendix and slides that cannot be drawn; the
board grid is drawn cell by cell with its icons (charts.spc_board.board_figure). Every page
says its number, as the contents and the appendix do. Kaleido prints each figure to a one-page PDF in Chromium
(one browser for the whole pack, see present.render.image_session) and pypdf joins the
pages. Charts stay vector graphics, so the PDF prints sharply at any size, except a page
with patterned bars or whose vector PDF is over MAX_VECTOR_BYTES (a pattern fill becomes
thousands of tiny shapes): that page is a 2x PNG of the same figure (present.render.raster_pdf).
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from exports.outline import APPENDIX_TITLE, cover, definitions, page_count, page_footer, page_of
from present.decks import Deck
from present.render import image_session, pdf_bytes, raster_pdf, slide_page, text_page
from present.slides import Slide

MAX_VECTOR_BYTES = 1_500_000


def _patterned(fig) -> bool:
    """Whether a bar trace has a pattern fill (slow to print and huge as vectors)."""
    return any(
        t.type == "bar" and t.marker.pattern is not None and t.marker.pattern.shape
        for t in fig.data
    )


def deck_to_pdf(deck: Deck, slides: list[Slide]) -> bytes:
    """The deck as a PDF: a cover, a page per slide and an appendix page of definitions, every
    page PAGE_WIDTH x PAGE_HEIGHT and numbered (exports.outline: the cover is page 1).

    Raises exports.images.ImageExportError (saying why) when no page can be drawn at all,
    e.g. there is no browser on this server.
    """
    made = cover(deck, slides)
    contents = ["Contents", *(entry.line for entry in made.contents)]
    pages = [text_page(made.title, [*made.lines[1:], "", *contents], lead=made.lines[:1],
                       page=page_footer(1, slides))]  # fmt: skip
    pages += [slide_page(s, page=page_footer(page_of(i), slides)) for i, s in enumerate(slides)]
    pages.append(
        text_page(
            APPENDIX_TITLE,
            definitions(slides) or ["No definitions."],
            page=page_footer(page_count(slides), slides),
        )  # fmt: skip
    )
    writer = PdfWriter()
    with image_session():
        for fig in pages:
            page = raster_pdf(fig) if _patterned(fig) else pdf_bytes(fig)
            if len(page) > MAX_VECTOR_BYTES:
                page = raster_pdf(fig)
            writer.append(PdfReader(io.BytesIO(page)))
    # Chromium's pages are 1200 x 675.12 pt and a picture page 1200 x 675: one box for all
    width = max(float(p.mediabox.width) for p in writer.pages)
    height = max(float(p.mediabox.height) for p in writer.pages)
    for page in writer.pages:
        page.mediabox = RectangleObject([0, 0, width, height])
    writer.add_metadata({"/Title": deck.title, "/Creator": "Placewise"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
