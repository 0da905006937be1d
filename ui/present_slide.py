"""Drawing one slide on the Present page, and the deck's downloads (PowerPoint, PDF, TOML)."""

from __future__ import annotations

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

SLIDE_HEIGHT_PX = 600  # with the heading and title, one 1000-px-high screen
_FAILURES = "_placewise_deck_export_failures"

# Present page only (the <style> goes when the page does): no sidebar, full width, big type.
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.25rem 2.5rem 2rem; }
.st-key-placewise_open_banner { display: none; }  /* an admin's notice, not for the room */
[data-testid="stMain"] h1 { font-size: 2.5rem; line-height: 1.2; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
</style>"""


def screen_figure(fig: go.Figure) -> tuple[go.Figure, str]:
    """The figure in presentation type for the screen, and its subtitle as plain text.

    On the Present page the finding is the page's own heading and the source is the caption
    under the chart, so the copy drops its title, subtitle and source footer (which collide
    with the axes once the type is large) and the chart gets the room.
    """
    big = presentation_figure(fig)
    subtitle = plain(big.layout.title.subtitle.text) if big.layout.title.subtitle else ""
    subtitle = static_text(subtitle)  # nobody clicks or hovers on a projected slide
    big.update_layout(title={"text": "", "subtitle": {"text": ""}})
    tables = any(trace.type == "table" for trace in big.data)  # a table needs its own height
    height = max(SLIDE_HEIGHT_PX, fig.layout.height or 0) if tables else SLIDE_HEIGHT_PX
    big.layout.annotations = [
        a for a in big.layout.annotations if not plain(a.text).startswith("Source:")
    ]
    # notes drawn under the plot (events, readings) keep the room the chart gave them
    below = any(a.yref == "paper" and ((a.y or 0) < 0 or (a.yshift or 0) < 0)
                for a in big.layout.annotations)  # fmt: skip
    bottom = max(40, fig.layout.margin.b or 0) if below else 40
    big.update_layout(margin={"t": 56, "b": bottom}, height=height + bottom - 40)
    return big, subtitle


def render_slide(slide: Slide, number: int) -> None:
    """Heading, the finding as title, the chart in large type, its footer, and the note."""
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
        st.plotly_chart(fig, key="present_chart", config=PLOTLY_CONFIG, width="stretch",
                        theme=None, alt=f"Slide {number}: {plain(slide.title)}")  # fmt: skip
    else:
        st.dataframe(slide.rows, hide_index=True)
    if not slide.error:
        st.caption(escape_md(" · ".join(slide.footer_lines())))
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
