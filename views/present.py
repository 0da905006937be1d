"""Present: a deck of views one slide at a time, full width, in type readable from the back."""

import streamlit as st

from loaders.registry import suggest
from present.decks import DeckError
from ui import present
from ui.layout import ACCESSIBLE_CSS
from ui.messages import escape_md, show_data_error
from ui.present_slide import PRESENT_CSS, render_downloads, render_slide

st.html(PRESENT_CSS)  # hides the sidebar and widens the page, on this page only
st.html(ACCESSIBLE_CSS)  # caption contrast, as on every other page (page_header)
choices = {c.name: c for c in present.deck_choices()}
wanted = st.query_params.get("deck")
if wanted and wanted not in choices:
    st.warning(escape_md(f"There is no deck '{wanted}' ({suggest(wanted, tuple(choices))})."),
               icon=":material/warning:")  # fmt: skip


def first_slide() -> None:
    st.session_state["slide"] = 1


def step(by: int) -> None:
    st.session_state["slide"] = st.session_state.get("slide", 1) + by


bar = st.container(horizontal=True, vertical_alignment="bottom", key="present_bar")
name = bar.selectbox("Deck", list(choices), key="deck", bind="query-params", on_change=first_slide,
                     help="Decks in the catalog's decks folder, and My deck (Add to deck).")  # fmt: skip
try:
    deck = present.open_deck(choices[name])
except DeckError as exc:
    show_data_error(exc, needed_for="This deck")
    st.stop()
total = len(deck.slides)
if total == 0:
    st.info("**My deck is empty.** Add slides with **Add to deck** under a chart on any page, "
            "then come back here to present them.", icon=":material/slideshow:")  # fmt: skip
    st.page_link("views/overview.py", label="Back to the dashboard", icon=":material/arrow_back:")
    st.stop()
fix = present.out_of_range(st.query_params.get("slide"), total)
if fix and "slide" not in st.session_state:  # a link naming a slide this deck does not have
    st.session_state["slide"] = fix[0]
    st.warning(escape_md(fix[1]), icon=":material/warning:")
if not 1 <= st.session_state.get("slide", 1) <= total:
    st.session_state["slide"] = min(max(st.session_state.get("slide", 1), 1), total)
number = bar.number_input("Slide", min_value=1, max_value=total, step=1, key="slide",
                          bind="query-params", width=130)  # fmt: skip
bar.button("Previous", key="present_previous", icon=":material/arrow_back:", on_click=step,
           args=(-1,), disabled=number <= 1, shortcut="Left")  # fmt: skip
bar.button("Next", key="present_next", icon=":material/arrow_forward:", on_click=step,
           args=(1,), disabled=number >= total, shortcut="Right", type="primary")  # fmt: skip
bar.markdown(f"**Slide {number} of {total}**  \n{escape_md(choices[name].title)}")
bar.page_link("views/overview.py", label="Leave presenter mode", icon=":material/close:")

render_slide(present.slide_at(deck, number - 1), number)
if deck.problems:
    bad = ", ".join(str(i + 1) for i in sorted(deck.problems))
    st.caption(escape_md(f"{len(deck.problems)} of {total} slides cannot be shown (slide {bad}); "
                         "each says why and the others present as usual."))  # fmt: skip
render_downloads(deck)
