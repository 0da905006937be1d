"""Board pack as an editable PowerPoint file (python-pptx).

A cover (deck title, place, date made, which pages show synthetic data, the contents with
page numbers), one slide per view and an appendix of metric definitions naming the pages they
apply to; every slide carries its page number (the cover is page 1, see exports.outline). A
view slide has the finding as its title, a native PowerPoint chart where the view maps to one
(line, clustered or stacked column: editable, with the numbers of the slide's rows), the board
grid as a native table (each cell's value, icon letters and arrows in their colours, and
words), and otherwise a high-resolution PNG of the plotly figure (maps, XmR charts); below it
the source, as-at date, synthetic-data and suppression notes and licence; the speaker note in
the notes page. A slide that cannot be drawn, or whose picture cannot be made (no browser),
says why and the pack is still produced.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from charts.spc_board import ASSURANCE_GLYPHS, VARIATION_GLYPHS, grid_table, icon_colour
from charts.theme import NHS_PALE_GREY
from charts.theme import WHITE as WHITE_HEX
from exports.outline import APPENDIX_TITLE, cover, definitions, page_count, page_footer, page_of
from metrics.outcomes import PlaceAnalysis
from present.decks import Deck
from present.render import image_session, pack_figure, png
from present.slides import Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT, INNER = Inches(0.5), Inches(12.333)
CHART_TOP, CHART_HEIGHT = Inches(1.75), Inches(4.6)
IMAGE_WIDTH_PX = 1600
GRID_HEIGHT = Inches(4.65)  # the board grid's table, from the chart top to the footer
PAGE_NO_WIDTH = Inches(1.3)
BLUE, TEXT, GREY = (
    RGBColor(0x00, 0x5E, 0xB8),
    RGBColor(0x21, 0x2B, 0x32),
    RGBColor(0x42, 0x55, 0x63),
)
TITLE_ONLY = 5

ImageFn = Callable[..., bytes]


@dataclass(frozen=True)
class NativeChart:
    """A chart PowerPoint can draw itself: its type, categories and named series of numbers."""

    kind: XL_CHART_TYPE
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    number_format: str
    axis_title: str


KINDS = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
}


def native_chart(slide: Slide) -> NativeChart | None:
    """The native chart the slide's panel declares (from its rows); None when it has none."""
    chart = slide.native
    if slide.figure is None or slide.rows.is_empty() or chart is None:
        return None
    return NativeChart(KINDS[chart.kind], list(chart.categories),
                       [(s.name, list(s.values)) for s in chart.series],
                       chart.number_format, chart.axis_title)  # fmt: skip
    return None


def _text(slide, text: str, left, top, width, height, *, size: int, colour=TEXT, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size, para.font.bold, para.font.color.rgb = Pt(size), bold, colour
    return box


def _title(slide, text: str, *, top: float = 0.7, height: float = 1.0, size: int = 26) -> None:
    """The slide's title placeholder, moved to `top` (inches) across the 16:9 slide."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = LEFT, Inches(top), INNER, Inches(height)
    shape.text = text
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # a long finding shrinks rather than spills
    for para in frame.paragraphs:
        para.font.size, para.font.bold, para.font.color.rgb = Pt(size), True, TEXT
        para.alignment = PP_ALIGN.LEFT


def _add_native(slide, chart: NativeChart) -> None:
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    frame = slide.shapes.add_chart(chart.kind, LEFT, CHART_TOP, INNER, CHART_HEIGHT, data)
    drawn = frame.chart
    drawn.has_title = False
    drawn.has_legend = len(chart.series) > 1
    if drawn.has_legend:
        drawn.legend.position, drawn.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        drawn.legend.font.size = Pt(14)
    drawn.font.size = Pt(14)
    axis = drawn.value_axis
    # the value axis starts at zero (below it only for negative values): an auto-scaled axis
    # draws a 2.5-point fall in a 33% share as a collapse
    if chart.kind == XL_CHART_TYPE.COLUMN_STACKED:  # the lowest a stack of negatives reaches
        columns = zip(*(series for _, series in chart.series), strict=True)
        values = [sum(v for v in column if v is not None and v < 0) for column in columns]
    else:
        values = [v for _, series in chart.series for v in series if v is not None]
    axis.minimum_scale = min([0.0, *values])
    axis.has_title = True
    axis.axis_title.text_frame.text = chart.axis_title
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = (
        chart.number_format,
        False,
    )


def _add_picture(slide, view: Slide, image_fn: ImageFn) -> None:
    fig = pack_figure(view)
    width_px = max(IMAGE_WIDTH_PX, int(fig.layout.width or 0))  # wide tables keep their width
    natural = int((fig.layout.height or 0) * 1.25)  # room for the larger type
    height_px = max(int(width_px * CHART_HEIGHT / INNER), min(natural, int(width_px * 0.75)))
    try:
        data = image_fn(fig, width=width_px, height=height_px, scale=2)
    except Exception as exc:  # the pack is still produced; the slide says why
        _text(slide, f"The chart picture could not be made: {exc}\nThe numbers behind it are in "
              "the CSV download of this view in Placewise.", LEFT, CHART_TOP, INNER, Inches(1.5),
              size=18)  # fmt: skip
        return
    scale = min(INNER / width_px, CHART_HEIGHT / height_px)
    width, height = Emu(int(width_px * scale)), Emu(int(height_px * scale))
    slide.shapes.add_picture(
        io.BytesIO(data), LEFT + (INNER - width) // 2, CHART_TOP, width, height
    )


def _view_slide(prs, view: Slide, image_fn: ImageFn) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    if view.spec.heading:
        _text(
            slide, view.spec.heading, LEFT, Inches(0.25), INNER, Inches(0.45), size=16, colour=BLUE
        )
    _title(slide, view.title)
    if view.error:
        _text(slide, "What is wrong: " + view.error, LEFT, CHART_TOP, INNER, Inches(2.0), size=20)
    elif _grid_table(slide, view):
        pass
    elif (chart := native_chart(view)) is not None:
        _add_native(slide, chart)
    else:
        _add_picture(slide, view, image_fn)
    footer = view.footer_lines()
    if footer:
        _text(
            slide,
            "\n".join(footer),
            LEFT,
            Inches(6.45),
            INNER - PAGE_NO_WIDTH,
            Inches(0.95),
            size=10,
            colour=GREY,
        )
    if view.spec.note:
        slide.notes_slide.notes_text_frame.text = view.spec.note


def _page_number(slide, page: int, slides: list[Slide]) -> None:
    _text(slide, page_footer(page, slides), WIDTH - LEFT - PAGE_NO_WIDTH, Inches(7.05),
          PAGE_NO_WIDTH, Inches(0.35), size=10, colour=GREY).text_frame.paragraphs[0].alignment = (
        PP_ALIGN.RIGHT
    )  # fmt: skip


def _cover_slide(prs, deck: Deck, slides: list[Slide]) -> None:
    """Title, place, date made, data status and the contents with page numbers."""
    made = cover(deck, slides)
    first = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(first, made.title, top=0.4, height=0.9, size=32)
    lines = made.lines
    _text(first, lines[0], LEFT, Inches(1.3), INNER, Inches(0.4), size=16, colour=BLUE)
    status = _text(first, "\n".join(lines[1:]), LEFT, Inches(1.75), INNER, Inches(1.3), size=12)
    status.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    _text(first, "Contents", LEFT, Inches(3.15), INNER, Inches(0.4), size=16, bold=True)
    rows = len(made.contents)
    table = first.shapes.add_table(rows, 2, LEFT, Inches(3.6), INNER, Inches(0.36 * rows)).table
    table.columns[0].width, table.columns[1].width = Inches(0.8), INNER - Inches(0.8)
    table.first_row = False
    for r, entry in enumerate(made.contents):
        words = f"{entry.heading}: {entry.finding}" if entry.heading else entry.finding
        for c, value in enumerate((str(entry.page), words)):
            cell = table.cell(r, c)
            cell.text = value
            cell.fill.background()
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for para in cell.text_frame.paragraphs:
                para.font.size, para.font.color.rgb = Pt(12), TEXT
                para.font.bold = c == 0
    _page_number(first, 1, slides)


def chosen_area(view: Slide, analysis: PlaceAnalysis) -> str | None:
    """The code of the cluster the slide names (marked in the grid), None for the place."""
    wanted = view.spec.cluster
    return (
        next((a.code for a in analysis.areas if wanted in (a.code, a.name)), None)
        if wanted
        else None
    )


def _grid_table(slide, view: Slide) -> bool:
    """The board grid as a native table (value, icon glyphs in their colours and words, cells
    filled as on the page), across the slide's content area; False when the slide has no grid."""
    analysis = view.extras.get("analysis")
    if view.spec.view != "spc_grid" or not isinstance(analysis, PlaceAnalysis):
        return False
    grid = grid_table(analysis, chosen_area=chosen_area(view, analysis))
    n_rows, n_cols = len(grid.cells) + 1, len(grid.header)
    small = n_cols > 8
    shape = slide.shapes.add_table(n_rows, n_cols, LEFT, CHART_TOP, INNER, GRID_HEIGHT)
    table = shape.table
    table.first_row = table.horz_banding = False  # the fills below say what a cell reads
    first = Inches(2.4 if small else 2.9)
    table.columns[0].width = first
    for c in range(1, n_cols):
        table.columns[c].width = int((INNER - first) / (n_cols - 1))
    head = Emu(int(GRID_HEIGHT * 0.16))
    table.rows[0].height = head
    for r in range(1, n_rows):
        table.rows[r].height = int((GRID_HEIGHT - head) / (n_rows - 1))
    size = Pt(9 if small else 11)

    def run(para, text: str, *, bold: bool = False, colour: RGBColor = TEXT) -> None:
        piece = para.add_run()
        piece.text = text
        piece.font.size, piece.font.bold, piece.font.color.rgb = size, bold, colour

    def fresh(cell):
        cell.margin_left = cell.margin_right = Inches(0.05)
        cell.margin_top = cell.margin_bottom = Inches(0.02)
        frame = cell.text_frame
        frame.word_wrap = True
        frame.paragraphs[0].text = ""
        return frame

    def fill(cell, colour: str) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))

    for c, header in enumerate(grid.header):
        cell = table.cell(0, c)
        fill(cell, NHS_PALE_GREY)
        run(fresh(cell).paragraphs[0], header, bold=True)
    for r, ((name, unit), cells) in enumerate(zip(grid.indicators, grid.cells, strict=True), 1):
        fill(table.cell(r, 0), WHITE_HEX)
        frame = fresh(table.cell(r, 0))
        run(frame.paragraphs[0], name, bold=True)
        run(frame.add_paragraph(), unit)
        for c, g in enumerate(cells, 1):
            cell = table.cell(r, c)
            fill(cell, g.fill)
            frame = fresh(cell)
            para = frame.paragraphs[0]
            if g.value:
                run(para, g.value, bold=True)
                para = frame.add_paragraph()
            icons = [(g.variation, False), (g.assurance, True)]
            words = list(g.words)
            for kind, assurance in icons:
                if kind is None:
                    continue
                glyph = (ASSURANCE_GLYPHS if assurance else VARIATION_GLYPHS)[kind]
                colour = RGBColor.from_string(icon_colour(kind, assurance=assurance).lstrip("#"))
                run(para, glyph + " ", bold=True, colour=colour)
                run(para, words.pop(0) if words else "")
                para = frame.add_paragraph()
            for word in words:
                run(para, word)
                para = frame.add_paragraph()
            if not para.runs and len(frame.paragraphs) > 1:  # no empty last line
                para._p.getparent().remove(para._p)
    return True


def deck_to_pptx(deck: Deck, slides: list[Slide], *, image_fn: ImageFn | None = None) -> bytes:
    """The deck as a .pptx: title slide, a slide per view, an appendix of definitions."""
    image_fn = image_fn or png
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = deck.title
    _cover_slide(prs, deck, slides)
    with image_session():
        for i, view in enumerate(slides):
            _view_slide(prs, view, image_fn)
            _page_number(prs.slides[-1], page_of(i), slides)
    appendix = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(appendix, APPENDIX_TITLE, top=0.4)
    text = "\n".join(definitions(slides)) or "No slide in this deck has a metric definition."
    _text(
        appendix, text, LEFT, Inches(1.5), INNER, Inches(5.6), size=12 if len(text) < 2400 else 10
    )
    _page_number(appendix, page_count(slides), slides)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
