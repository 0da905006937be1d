"""Drawing one slide on the Present page, and the deck's downloads (PowerPoint, PDF, TOML).

The slide is a stage exactly one screen high (title, chart, source and data status; the chart
takes what the text leaves, so a slide fits 1280x720 as well as 1920x1080). The controls sit in
a bar fixed at the bottom of the screen, hidden until the mouse moves or a control has focus;
the speaker note, definition and downloads are below the stage, for the presenter only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from exports.csv import to_csv_bytes
from present.decks import Deck, deck_to_toml
from present.render import static_text
from present.slides import Slide, presentation_figure
from ui import auth, present
from ui.charts import PLOTLY_CONFIG, plain, slug
from ui.messages import escape_md

_FAILURES = "_placewise_deck_export_failures"
# On a projected slide nobody zooms or pans: no mode bar, no hover toolbar.
SLIDE_CONFIG = {**PLOTLY_CONFIG, "displayModeBar": False}
CONTROLS_SHOWN_MS = 2500  # the controls stay this long after the mouse last moved

# Present page only (the <style> goes when the page does): no sidebar or header, full width,
# big type, the stage one screen high, the controls bar fixed at the bottom and hidden.
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 0 2.5rem 6rem; }
/* the page's invisible parts (styles, script, the fixed bar) take no room above the stage */
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { gap: 0; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :has(.st-key-present_stage) ~ * {
  margin-top: 1rem; }
.st-key-present_stage { height: 100vh !important; min-height: 100vh; max-height: 100vh;
  flex: 0 0 auto !important; padding: 0.75rem 0 1.5rem; gap: 0.35rem;
  overflow: hidden; flex-wrap: nowrap !important; }
.st-key-present_stage > * { flex-shrink: 0 !important; }  /* text keeps its height */
.st-key-present_stage > .st-key-present_chart,
.st-key-present_stage > div:has([data-testid="stDataFrame"]) { flex: 1 1 0 !important;
  min-height: 0 !important; height: auto !important; }
.st-key-present_stage h1 { font-size: clamp(1.6rem, 2.6vh + 1rem, 2.6rem); line-height: 1.2;
  padding: 0.25rem 0 0; }
.st-key-present_stage h4 { font-size: clamp(1rem, 1.2vh + 0.6rem, 1.4rem); padding: 0; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: clamp(1rem, 1vh + 0.6rem, 1.3rem); }
.st-key-present_stage [data-testid="stCaptionContainer"] p { font-size: clamp(0.9rem, 0.8vh + 0.5rem, 1.1rem); }
.st-key-present_bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: #ffffff; border-top: 1px solid #d8dde0; padding: 0.5rem 2.5rem;
  opacity: 0; transition: opacity 0.4s; }
body.placewise-controls .st-key-present_bar, .st-key-present_bar:hover,
.st-key-present_bar:focus-within { opacity: 1; }
.st-key-present_bar p { font-size: 1rem !important; }
button.placewise-fullscreen { font: inherit; font-size: 1rem; padding: 0.4rem 0.9rem;
  border: 1px solid #4C6272; border-radius: 0.5rem; background: #ffffff; color: #212B32;
  cursor: pointer; white-space: nowrap; }
button.placewise-fullscreen:focus-visible { outline: 3px solid #FFB81C; }
</style>"""

# Shows the controls on mouse movement and runs the Full screen button (the browser's Fullscreen
# API needs the click itself, so the button is plain HTML). Constant text, no data in it; set up
# once per browser tab (Streamlit swaps pages without reloading).
PRESENT_SCRIPT = (
    """<script>
(() => {
  if (window.placewisePresent) return;
  window.placewisePresent = true;
  let timer = 0;
  const show = () => {
    document.body.classList.add("placewise-controls");
    clearTimeout(timer);
    timer = setTimeout(() => document.body.classList.remove("placewise-controls"), """
    + str(CONTROLS_SHOWN_MS)
    + """);
  };
  document.addEventListener("mousemove", show, {passive: true});
  const label = () => document.querySelectorAll("button.placewise-fullscreen").forEach(b => {
    b.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
  });
  document.addEventListener("fullscreenchange", label);
  document.addEventListener("click", event => {
    if (!event.target.closest || !event.target.closest("button.placewise-fullscreen")) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
})();
</script>"""
)
FULLSCREEN_BUTTON = (
    '<button type="button" class="placewise-fullscreen" title="Full screen (Esc to leave)">'
    "Full screen</button>"
)


def screen_figure(fig: go.Figure) -> tuple[go.Figure, str]:
    """The figure in presentation type for the screen, and its subtitle as plain text.

    On the Present page the finding is the page's own heading and the source is the caption
    under the chart, so the copy drops its title, subtitle and source footer (which collide
    with the axes once the type is large) and the chart gets the room: no fixed height, it
    fills what the stage leaves (autosize).
    """
    big = presentation_figure(fig)
    subtitle = plain(big.layout.title.subtitle.text) if big.layout.title.subtitle else ""
    subtitle = static_text(subtitle)  # nobody clicks or hovers on a projected slide
    big.update_layout(title={"text": "", "subtitle": {"text": ""}})
    big.layout.annotations = [
        a for a in big.layout.annotations if not plain(a.text).startswith("Source:")
    ]
    # notes drawn under the plot (events, readings) keep the room the chart gave them
    below = any(a.yref == "paper" and ((a.y or 0) < 0 or (a.yshift or 0) < 0)
                for a in big.layout.annotations)  # fmt: skip
    bottom = max(40, fig.layout.margin.b or 0) if below else 40
    big.update_layout(margin={"t": 24, "b": bottom}, height=None, autosize=True)
    for trace in big.data:  # a grid: the names get the width, so rows keep to three lines
        if trace.type == "table" and trace.columnwidth and len(trace.columnwidth) > 1:
            fit_grid(trace)
            big.update_layout(margin={"t": 8, "b": 8})
    return big, subtitle


NAME_CHARS = 38  # an indicator's name and unit per line in the widened first column
NAME_WIDTH = 2.8  # the first column's width, in area columns
GRID_STAGE_PX = 1180  # the stage's width on the narrowest screen (1280, less the margins)
CHAR_EM = 0.58  # a character's width in em, for the widest words of the type used
MIN_TABLE_PX = 12  # the smallest type a grid of many clusters is set in
CELL_PAD_PX = 16  # a table cell's padding, left and right


def _rewrap(cell: str, width: int) -> str:
    """'<b>Delayed discharges<br>(delayed ...</b><br>people' wrapped again at `width` characters
    (a Plotly table breaks lines only where the text says)."""
    name, _, unit = cell.partition("</b>")
    wrap = textwrap.TextWrapper(width, break_long_words=False, break_on_hyphens=False)
    lines = wrap.wrap(name.removeprefix("<b>").replace("<br>", " ")) or [""]
    text = "<b>" + "<br>".join(lines) + "</b>" if name.startswith("<b>") else "<br>".join(lines)
    unit = unit.removeprefix("<br>").replace("<br>", " ")
    return text + ("<br>" + "<br>".join(wrap.wrap(unit)) if unit.strip() else "")


def fit_grid(trace: Any, stage_px: int = GRID_STAGE_PX) -> None:
    """Fit a board grid (a Plotly table, which never wraps) to the stage's width: the first
    column widened for the names, each name and unit wrapped again, and for a place with many
    clusters the type made smaller until the longest word of a cell fits its column."""
    areas = len(trace.columnwidth) - 1
    trace.columnwidth = [NAME_WIDTH] + [1] * areas
    trace.cells.height = 30
    area_px = stage_px / (NAME_WIDTH + areas) - CELL_PAD_PX
    values = [list(column) for column in trace.cells.values]
    lines = [line for column in values[1:] for text in column for line in _lines(str(text))]
    longest = max((len(line) for line in lines), default=1)
    size = trace.cells.font.size or MIN_TABLE_PX
    size = max(MIN_TABLE_PX, min(size, int(area_px / (CHAR_EM * longest))))
    chars = max(6, int(area_px / (CHAR_EM * size)))
    name_chars = min(NAME_CHARS, int((area_px + CELL_PAD_PX) * NAME_WIDTH / (CHAR_EM * size)) - 2)
    values[0] = [_rewrap(str(text), name_chars) for text in values[0]]
    header = [str(h) for h in trace.header.values]
    trace.header.values = [header[0], *(_rewrap(h, chars) for h in header[1:])]
    trace.cells.values = values
    trace.cells.font.size = size
    trace.header.font.size = size


def _lines(text: str) -> list[str]:
    return [plain(line) for line in text.split("<br>")]


def stage_lines(slide: Slide) -> tuple[str, list[str]]:
    """The slide's source and data status for the stage (one line), and the rest (licences)."""
    lines = slide.footer_lines()
    shown = [line for line in lines if not line.startswith("Licence:")]
    return " · ".join(shown), [line for line in lines if line.startswith("Licence:")]


def render_slide(slide: Slide, number: int) -> None:
    """The stage (heading, the finding as title, the chart in large type, its source and data
    status), then the speaker note, definition and links for the presenter below it."""
    with st.container(key="present_stage"):
        if slide.spec.heading:
            st.markdown(f"#### {escape_md(slide.spec.heading)}")
        st.title(escape_md(plain(slide.title)) or "Untitled slide", anchor=False)
        if slide.error:
            st.error(f"**This slide cannot be shown.**  \n{escape_md(slide.error)}",
                     icon=":material/error:")  # fmt: skip
        elif slide.figure is not None:
            fig, subtitle = screen_figure(slide.figure)
            if subtitle:
                st.markdown(escape_md(subtitle))
            st.plotly_chart(fig, key="present_chart", config=SLIDE_CONFIG, width="stretch",
                            height="stretch", theme=None,
                            alt=f"Slide {number}: {plain(slide.title)}")  # fmt: skip
        else:
            st.dataframe(slide.rows, hide_index=True, height="stretch")
        status, licences = stage_lines(slide)
        if status and not slide.error:
            st.caption(escape_md(status))
    if licences and not slide.error:
        st.caption(escape_md(" · ".join(licences)))
    if slide.spec.note:
        with st.expander("Speaker note", icon=":material/record_voice_over:"):
            st.markdown(escape_md(slide.spec.note))
    if slide.definition and not slide.error:
        with st.expander("Definition", icon=":material/menu_book:"):
            st.markdown(escape_md(slide.definition))
    links = st.container(horizontal=True, key="present_slide_links")
    if slide.page and slide.query and not slide.error:
        links.page_link(present.page_script(slide.page), label="Open this view on its page",
                        query_params=slide.query, icon=":material/open_in_new:")  # fmt: skip
    if not slide.error and slide.rows.height:
        with links:
            auth.download_button(
                "This slide's data (CSV)",
                data=lambda: to_csv_bytes(slide.rows, source=slide.source,
                                          as_at=slide.as_at or None, synthetic=slide.synthetic),
                file_name=f"placewise_slide_{number}_{slug(slide.spec.view)}.csv",
                mime="text/csv",
                key="present_slide_csv",
                icon=":material/download:",
                on_click="ignore",
            )  # fmt: skip


def _export(
    kind: str, deck: Deck, inputs: Mapping[Any, Any], failures: dict[str, str], seen: present.Viewer
) -> Any:
    """A no-argument callable making the deck's PPTX or PDF on click (every slide, cached).

    It runs outside the page script, so a failure is remembered (session state) and said on
    the next run, next to the buttons.
    """

    def make() -> bytes:
        try:
            slides = present.all_slides(deck, inputs, seen)
            if kind == "pptx":
                from exports.pptx import deck_to_pptx

                return deck_to_pptx(deck, slides)
            from exports.pdf import deck_to_pdf

            return deck_to_pdf(deck, slides)
        except Exception as exc:
            failures[kind] = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
            raise

    return make


def render_downloads(deck: Deck) -> None:
    """The deck as PowerPoint and PDF (made on click), and as TOML to keep or edit.

    All three go through ui.auth.download_button, the one permission gate: the PowerPoint's
    charts embed their workbooks (full-precision values) and the TOML holds the notes, so a
    person whose access excludes downloads gets none of them.
    """
    st.divider()
    if not auth.may_download_rows():
        st.caption("The deck as PowerPoint, PDF or TOML: not available, your access does not "
                   "include downloads.")  # fmt: skip
        if deck.name == present.MY_DECK:
            render_my_deck(deck)
        return
    failures: dict[str, str] = st.session_state.setdefault(_FAILURES, {})
    stem = present.deck_file_stem(deck)
    # captured here: the click runs where the person is unknown
    inputs, seen = present.capture(deck), present.viewer()
    with st.container(horizontal=True, key="present_downloads"):
        auth.download_button("Deck as PowerPoint", data=_export("pptx", deck, inputs, failures, seen),
                             file_name=f"{stem}.pptx", key="present_pptx",
                             icon=":material/slideshow:", on_click="ignore",
                             mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")  # fmt: skip
        auth.download_button("Deck as PDF", data=_export("pdf", deck, inputs, failures, seen),
                             file_name=f"{stem}.pdf", mime="application/pdf", key="present_pdf",
                             icon=":material/picture_as_pdf:", on_click="ignore")  # fmt: skip
        auth.download_button("Deck as TOML", data=deck_to_toml(deck).encode("utf-8"),
                             file_name=f"{stem}.toml", mime="application/toml",
                             key="present_toml", icon=":material/description:",
                             on_click="ignore")  # fmt: skip
    for kind, label in (("pptx", "PowerPoint"), ("pdf", "PDF")):
        if reason := failures.pop(kind, None):
            st.warning(escape_md(f"The {label} file could not be made: {reason}. Each slide's "
                                 "data is still available as CSV."), icon=":material/warning:")  # fmt: skip
    st.caption(
        "The PowerPoint has one editable slide per view (native charts where PowerPoint can draw "
        "them, pictures otherwise) and an appendix of definitions; the PDF has the same pages. "
        + ("Save the TOML in the catalog's decks folder to keep this deck."
           if deck.name == present.MY_DECK else "")
    )  # fmt: skip
    if deck.name == present.MY_DECK:
        render_my_deck(deck)


def render_my_deck(deck: Deck) -> None:
    """The session deck's slides, each removable, and a way to start again."""
    from ui import my_deck

    with st.expander(f"Slides in My deck ({len(deck.slides)})"):
        for i, spec in enumerate(deck.slides):
            line = st.container(horizontal=True, vertical_alignment="center", key=f"my_deck_{i}")
            line.markdown(escape_md(f"{i + 1}. {spec.heading or spec.view} ({spec.place or ''})"))
            line.button("Remove", key=f"my_deck_remove_{i}", on_click=my_deck.remove, args=(i,))
        st.button("Empty My deck", key="my_deck_clear", on_click=my_deck.clear)
