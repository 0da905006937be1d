"""Board pack as an editable PowerPoint file (python-pptx).

A title slide (deck title, date, which data is synthetic), one slide per view and an appendix
of metric definitions. A view slide has the finding as its title, a native PowerPoint chart
where the view maps to one (line, clustered or stacked column: editable, with the numbers of
the slide's rows) and otherwise a high-resolution PNG of the plotly figure (maps, the SPC grid,
XmR charts); below it the source, as-at date, synthetic-data and suppression notes and licence;
the speaker note in the notes page. A slide that cannot be drawn, or whose picture cannot be
made (no browser), says why and the pack is still produced.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from present.decks import Deck
from present.render import image_session, pack_figure, png
from present.slides import Slide

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT, INNER = Inches(0.5), Inches(12.333)
CHART_TOP, CHART_HEIGHT = Inches(1.75), Inches(4.6)
IMAGE_WIDTH_PX = 1600
BLUE, TEXT, GREY = (
    RGBColor(0x00, 0x5E, 0xB8),
    RGBColor(0x21, 0x2B, 0x32),
    RGBColor(0x42, 0x55, 0x63),
)
TITLE_LAYOUT, TITLE_ONLY = 0, 5

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
    elif (chart := native_chart(view)) is not None:
        _add_native(slide, chart)
    else:
        _add_picture(slide, view, image_fn)
    footer = view.footer_lines()
    if footer:
        _text(
            slide, "\n".join(footer), LEFT, Inches(6.45), INNER, Inches(0.95), size=10, colour=GREY
        )
    if view.spec.note:
        slide.notes_slide.notes_text_frame.text = view.spec.note


def data_status(slides: list[Slide]) -> str:
    """Which data in the pack is synthetic, by source, for the title slide."""
    status: dict[str, list[str]] = {"synthetic": [], "partly synthetic": [], "real": []}
    for s in slides:
        if s.source and s.error is None:
            kind = {True: "synthetic", "partly": "partly synthetic"}.get(s.synthetic, "real")
            if not any(s.source.startswith(seen) for seen in status[kind]):
                status[kind].append(s.source)
    if not any(status.values()):
        return "Data status: no slide could be drawn."
    parts = [
        f"{kind.capitalize()} data: {' | '.join(sources)}."
        for kind, sources in status.items()
        if sources
    ]
    return "Data status. " + " ".join(parts)


def definitions(slides: list[Slide]) -> list[str]:
    """Each distinct metric definition once, with the slides it applies to."""
    seen: dict[str, list[int]] = {}
    for i, s in enumerate(slides, 1):
        if s.definition:
            seen.setdefault(s.definition, []).append(i)
    return [
        f"Slide{'s' if len(n) > 1 else ''} {', '.join(map(str, n))}: {d}" for d, n in seen.items()
    ]


def deck_to_pptx(deck: Deck, slides: list[Slide], *, image_fn: ImageFn | None = None) -> bytes:
    """The deck as a .pptx: title slide, a slide per view, an appendix of definitions."""
    image_fn = image_fn or png
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = deck.title
    first = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    _title(first, deck.title, top=2.0, height=1.5, size=36)
    subtitle = first.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        LEFT,
        Inches(3.8),
        INNER,
        Inches(2.8),
    )
    today = date.today()
    subtitle.text = f"{today.day} {today:%B %Y} · Placewise board pack · {len(slides)} slides\n{data_status(slides)}"
    for para in subtitle.text_frame.paragraphs:
        para.font.size, para.alignment = Pt(16), PP_ALIGN.LEFT
    with image_session():
        for view in slides:
            _view_slide(prs, view, image_fn)
    appendix = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(appendix, "Appendix: metric definitions", top=0.4)
    text = "\n".join(definitions(slides)) or "No slide in this deck has a metric definition."
    _text(
        appendix, text, LEFT, Inches(1.5), INNER, Inches(5.6), size=12 if len(text) < 2400 else 10
    )
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
