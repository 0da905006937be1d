"""Pictures of slides for packs: the figure made large, PNG for PowerPoint, one PDF page per slide.

Kaleido starts a headless Chromium for each picture unless its sync server is running; a
pack has several pictures, so `image_session` keeps one browser open for the whole pack
(about 0.3 s a picture instead of 2 to 5 s) and closes it afterwards if it opened it.
PNG goes through exports.images.figure_image (the app's own chart pictures); PDF pages are
plotly PDFs drawn by the same browser (kaleido prints the figure to PDF).
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
import threading
import warnings
from collections.abc import Callable, Iterator

import plotly.graph_objects as go

from charts.spc_board import board_figure
from charts.text import plotly_text
from charts.theme import FONT_FAMILY, NHS_BLUE, NHS_DARK_GREY, NHS_TEXT, WHITE
from exports.images import KALEIDO_LOCK, ImageExportError, export_problem, figure_image
from metrics.outcomes import PlaceAnalysis
from present.slides import Slide, presentation_figure

PAGE_WIDTH, PAGE_HEIGHT = 1600, 900  # PDF page, px (16:9)
_lock = threading.Lock()
_sessions = 0
_started = False


@contextlib.contextmanager
def image_session() -> Iterator[None]:
    """One Chromium for every picture made inside (nested and concurrent sessions share it).

    The browser starts at the first picture, so a pack without pictures starts none.
    """
    global _sessions
    with _lock:
        _sessions += 1
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            yield
    finally:
        with _lock:
            _sessions -= 1
            if _sessions == 0:
                _stop()


def _start() -> None:
    """Start kaleido's browser server when a session is open and it is not running yet."""
    global _started
    with _lock:
        if _sessions and not _started and export_problem() is None:
            import kaleido

            try:
                kaleido.start_sync_server(silence_warnings=True)
                _started = True
            except Exception:  # without the server each picture starts its own browser
                _started = False


def _stop() -> None:
    global _started
    if _started:
        import kaleido

        with KALEIDO_LOCK:  # never while another thread draws through the shared browser
            kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def pack_figure(slide: Slide) -> go.Figure:
    """The slide's figure for a pack: large type, its subtitle as the title (the slide states the
    finding above it) and no source footer (the slide prints it below)."""
    fig, subtitle = _without_footer(presentation_figure(slide.figure))
    fig.update_layout(title={"text": _wrap(static_text(subtitle), 120), "font": {"size": 20},
                             "x": 0.01, "xanchor": "left"})  # fmt: skip
    return fig


def static_text(text: str) -> str:
    """A subtitle without the sentences about clicking and hovering, which paper cannot do."""
    sentences = re.split(r"(?<=\.) ", text)
    return " ".join(s for s in sentences if not s.startswith(("Click", "Hover")))


def png(fig: go.Figure, *, width: int, height: int, scale: float = 2) -> bytes:
    """A PNG of the figure (raises ImageExportError saying why it could not be made)."""
    _start()
    return figure_image(fig, "png", width=width, height=height, scale=scale)


def _wrap(text: str, width: int) -> str:
    """Lines of about `width` characters joined by <br> (plotly text does not wrap by itself)."""
    return "<br>".join(textwrap.wrap(text.replace("<br>", " "), width)) or " "


def _plain(text: str, width: int) -> str:
    """Plain words (slide titles, errors, notes: they hold area names) as wrapped Plotly text."""
    return "<br>".join(plotly_text(line) for line in _wrap(text, width).split("<br>"))


def _text_page(
    lines: list[tuple[str, int, str]], *, footer: list[str], page: str = ""
) -> go.Figure:
    """A page of text only: (plain text, px, colour) blocks from the top, footer lines at the bottom."""
    fig = go.Figure()
    y = 1.0
    for text, size, colour in lines:
        wrapped = _plain(text, int(PAGE_WIDTH / (size * 0.55)))
        fig.add_annotation(text=wrapped, x=0, y=y, xref="paper", yref="paper", xanchor="left",
                           yanchor="top", showarrow=False, align="left",
                           font={"size": size, "color": colour})  # fmt: skip
        y -= (wrapped.count("<br>") + 1) * size * 1.35 / (PAGE_HEIGHT - 160) + 0.03
    _footer(fig, footer)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(margin={"l": 60, "r": 60, "t": 60, "b": 100})
    _page_number(fig, page)
    return _page(fig)


def _footer(fig: go.Figure, lines: list[str]) -> None:
    if lines:
        fig.add_annotation(text="<br>".join(_plain(line, 160) for line in lines), x=0, y=0,
                           xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-20,
                           showarrow=False, align="left", font={"size": 15, "color": NHS_DARK_GREY})  # fmt: skip


def _page(fig: go.Figure) -> go.Figure:
    fig.update_layout(width=PAGE_WIDTH, height=PAGE_HEIGHT, paper_bgcolor=WHITE,
                      plot_bgcolor=WHITE, font={"family": FONT_FAMILY, "color": NHS_TEXT})  # fmt: skip
    return fig


def _without_footer(fig: go.Figure) -> tuple[go.Figure, str]:
    """The figure without its title and source footer (the page prints both), and its subtitle.

    A legend placed under the x axis (at a height worked out for the screen's plot) moves
    above the plot, where it stays clear of the axis and the event key at any page size.
    """
    if fig.layout.legend.y is not None and fig.layout.legend.y < 0:
        fig.update_layout(legend={"y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left",
                                  "orientation": "h"})  # fmt: skip
    subtitle = fig.layout.title.subtitle.text if fig.layout.title.subtitle else ""
    fig.update_layout(title={"text": "", "subtitle": {"text": ""}})
    fig.layout.annotations = [
        a for a in fig.layout.annotations if not str(a.text or "").startswith("Source:")
    ]
    return fig, subtitle or ""


def _page_number(fig: go.Figure, page: str) -> None:
    """'Page 3 of 8' at the foot of the page, on the right."""
    if page:
        fig.add_annotation(text=plotly_text(page), x=1, y=0, xref="paper", yref="paper",
                           xanchor="right", yanchor="bottom", showarrow=False,
                           yshift=-(fig.layout.margin.b or 0) + 24,
                           font={"size": 15, "color": NHS_DARK_GREY})  # fmt: skip


def slide_page(slide: Slide, *, page: str = "") -> go.Figure:
    """The slide as one PDF page of PAGE_WIDTH x PAGE_HEIGHT (every page the same size, 16:9 as
    the PowerPoint slides): heading, the finding, the chart scaled to the room left, the footer
    lines and the page number."""
    footer = slide.footer_lines()
    if slide.figure is None:
        blocks = [(slide.spec.heading or "", 22, NHS_BLUE), (slide.title, 34, NHS_TEXT),
                  ("What is wrong: " + (slide.error or "no figure"), 24, NHS_TEXT)]  # fmt: skip
        return _text_page([b for b in blocks if b[0]], footer=footer, page=page)
    fig, subtitle = _without_footer(presentation_figure(slide.figure, font_px=18))
    subtitle = static_text(subtitle)
    blocks = [(slide.spec.heading or "", 20, NHS_BLUE, False, _plain),
              (slide.title, 30, NHS_TEXT, True, _plain),
              (subtitle, 18, NHS_DARK_GREY, False, _wrap)]  # the subtitle is Plotly text already  # fmt: skip
    placed, y = [], 28
    for text, size, colour, bold, lines in blocks:
        if text:
            wrapped = lines(text, int((PAGE_WIDTH - 120) / (size * (0.56 if bold else 0.5))))
            placed.append((wrapped, size, colour, bold, y))
            y += (wrapped.count("<br>") + 1) * size * 1.25 + 10
    grid = _board(slide)
    shown = [t for t in fig.data if getattr(t, "showlegend", None) is not False]
    has_legend = fig.layout.showlegend is not False and (
        len(shown) > 1 or any(getattr(t, "showlegend", None) for t in shown)
    )
    legend = 0 if grid or not has_legend else (80 if fig.layout.legend.orientation == "h" else 46)
    top = int(y) + (20 if grid else max(legend, 36))  # room for a legend
    margin = slide.figure.layout.margin
    # axis labels and event keys, in larger type (a grid has no axes)
    below = 30 if grid else max(int((margin.b or 0) * 1.1) - 30, 60)
    bottom = below + 21 * len(footer) + 44  # the footer lines and the page number
    if grid:
        fig = grid(PAGE_WIDTH - 120, PAGE_HEIGHT - top - bottom)
    # a chart that labels its panels left of the axes keeps its wider left margin; the page's
    # text still starts 60 px in
    left = 60 if grid else max(60, margin.l or 0)
    for wrapped, size, colour, bold, at in placed:
        fig.add_annotation(text=f"<b>{wrapped}</b>" if bold else wrapped, x=0, y=1, xref="paper",
                           yref="paper", xanchor="left", yanchor="top", yshift=top - at,
                           xshift=60 - left, showarrow=False, align="left",
                           font={"size": size, "color": colour})  # fmt: skip
    fig.update_layout(margin={"t": top, "b": bottom, "l": left, "r": 60})
    fig.add_annotation(text="<br>".join(_plain(line, 160) for line in footer), x=0, y=0,
                       xshift=60 - left,
                       xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-below,
                       showarrow=False, align="left", font={"size": 15, "color": NHS_DARK_GREY})  # fmt: skip
    _page_number(fig, page)
    return _page(fig)


def _board(slide: Slide) -> Callable[[int, int], go.Figure] | None:
    """For the board grid: a function drawing it with its icons in a given box (a Plotly table
    holds text only, so its picture has none); None for any other slide."""
    analysis = slide.extras.get("analysis")
    if slide.spec.view != "spc_grid" or not isinstance(analysis, PlaceAnalysis):
        return None
    wanted = slide.spec.cluster
    chosen = next((a.code for a in analysis.areas if wanted in (a.code, a.name)), None)
    return lambda width, height: board_figure(
        analysis, chosen_area=chosen if wanted else None, width=width, height=height
    )


def text_page(
    title: str,
    paragraphs: list[str],
    *,
    footer: list[str] | None = None,
    page: str = "",
    lead: list[str] | None = None,
) -> go.Figure:
    """A cover or appendix page as a PDF figure: the title, `lead` lines in blue, paragraphs."""
    size = 18 if sum(len(p) for p in paragraphs) < 2600 else 14  # long appendices stay on the page
    blocks = [(title, 36, NHS_TEXT)] + [(p, 20, NHS_BLUE) for p in lead or []]
    blocks += [(p, size, NHS_TEXT) for p in paragraphs]
    return _text_page(blocks, footer=footer or [], page=page)


def pdf_bytes(fig: go.Figure) -> bytes:
    """One PDF page of the figure, at its layout size (at least PAGE_WIDTH x PAGE_HEIGHT)."""
    if problem := export_problem():
        raise ImageExportError(problem)
    import plotly.io as pio

    _start()
    try:
        width, height = fig.layout.width or PAGE_WIDTH, fig.layout.height or PAGE_HEIGHT
        with KALEIDO_LOCK:  # one caller at a time on kaleido's shared browser
            return pio.to_image(fig, format="pdf", width=width, height=height)
    except Exception as exc:  # kaleido and Chromium fail in many ways; say which one
        raise ImageExportError(f"Chromium could not draw the page as PDF ({exc})") from exc


def raster_pdf(fig: go.Figure, *, scale: float = 2) -> bytes:
    """One PDF page holding a PNG of the figure, the same size as its vector page.

    For figures whose vector PDF is huge (a patterned bar fill becomes thousands of tiny
    shapes): the picture at `scale` is sharp in print and a fraction of the size.
    """
    from PIL import Image

    width, height = fig.layout.width or PAGE_WIDTH, fig.layout.height or PAGE_HEIGHT
    data = png(fig, width=width, height=height, scale=scale)
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(out, format="PDF", resolution=96 * scale)
    return out.getvalue()
