"""Present: a deck of views one slide at a time, full width, in type readable from the back."""

import streamlit as st

from loaders.registry import suggest
from present.decks import DeckError
from ui import my_deck, present
from ui.filters import current
from ui.layout import ACCESSIBLE_CSS
from ui.messages import escape_md, show_data_error
from ui.present_slide import (
    FULLSCREEN_BUTTON,
    PRESENT_CSS,
    PRESENT_SCRIPT,
    render_downloads,
    render_slide,
)
from ui.urlparams import url_text

_LINK_WARNING = "_placewise_present_link_warning"  # why the link's slide is not the one shown
NOT_PERMITTED = (
    "**Not permitted.** This deck shows places or clusters outside your access, so nothing "
    "in it is shown."
)

st.html(PRESENT_CSS)  # hides the sidebar and widens the page, on this page only
st.html(PRESENT_SCRIPT, unsafe_allow_javascript=True)  # controls on mouse movement; full screen
st.html(ACCESSIBLE_CSS)  # caption contrast, as on every other page (page_header)
every = present.deck_choices()
choices = {c.name: c for c in every if c.permitted}
wanted = st.query_params.get("deck")


def forget_deck() -> None:
    for key in ("deck", "slide"):
        if key in st.query_params:
            del st.query_params[key]


def refuse(*, back: str, on_click) -> None:
    """'Not permitted', nothing of the deck (no title, no heading, no note), and stop."""
    st.error(NOT_PERMITTED, icon=":material/block:")
    st.button(back, on_click=on_click, key="present_back")
    st.stop()


if wanted and wanted not in choices:
    if any(c.name == wanted for c in every):  # a deck outside the person's access
        refuse(back="Show the decks I may open", on_click=forget_deck)
    st.warning(f"There is no deck {url_text(wanted)} "
               f"({escape_md(suggest(wanted, tuple(choices)))}).", icon=":material/warning:")  # fmt: skip


def first_slide() -> None:
    st.session_state["slide"] = 1


def step(by: int) -> None:
    st.session_state["slide"] = st.session_state.get("slide", 1) + by


# The controls: a bar fixed at the bottom of the screen, shown while the mouse moves
bar = st.container(horizontal=True, vertical_alignment="bottom", key="present_bar")
if st.session_state.get("deck") not in choices:  # a link's deck, or the sidebar place's
    f = current()
    at = present.deck_for_place(list(choices.values()), f.place_code, f.place_name)
    st.session_state["deck"] = wanted if wanted in choices else list(choices)[at]
name = bar.selectbox("Deck", list(choices), key="deck", on_change=first_slide,
                     format_func=lambda n: choices[n].title, width=320,
                     help="Decks in the catalog's decks folder, and My deck (Add to deck).")  # fmt: skip
# Bound to the URL by hand: a selectbox bound with bind= would put the title in the link
st.query_params["deck"] = name
try:
    deck = present.open_deck(choices[name])
except DeckError as exc:
    show_data_error(exc, needed_for="This deck")
    st.stop()
if not present.permitted(deck):  # My deck holding a slide outside the access (checked again)
    refuse(back="Empty My deck", on_click=my_deck.clear)
total = len(deck.slides)
if total == 0:
    st.info("**My deck is empty.** Add slides with **Add to deck** under a chart on any page, "
            "then come back here to present them.", icon=":material/slideshow:")  # fmt: skip
    st.page_link("views/overview.py", label="Back to the dashboard", icon=":material/arrow_back:")
    st.stop()
# The slide a link asks for is read here (ui.urlparams: ASCII digits only), never by the bound
# number input, which parses the link with float() and int(): ' 3', '+3', '3.0' and '٣' are 3
# to it, and 'inf' or '1e999' crash it. On the first run of the page an odd value is replaced
# in the URL by the slide shown, and the page runs again at once, so the widget reads that.
if "slide" not in st.session_state and (
    fix := present.out_of_range(st.query_params.get("slide"), total)
):
    st.session_state[_LINK_WARNING] = fix[1]
    if fix[0] == 1:
        del st.query_params["slide"]  # slide 1 is the default: the URL leaves it out
    else:
        st.query_params["slide"] = str(fix[0])
    st.rerun()
if not 1 <= st.session_state.get("slide", 1) <= total:
    st.session_state["slide"] = min(max(st.session_state.get("slide", 1), 1), total)
number = bar.number_input("Slide", min_value=1, max_value=total, step=1, key="slide",
                          bind="query-params", width=130)  # fmt: skip
if link_warning := st.session_state.pop(_LINK_WARNING, None):
    st.warning(link_warning, icon=":material/warning:")
bar.button("Previous", key="present_previous", icon=":material/arrow_back:", on_click=step,
           args=(-1,), disabled=number <= 1, shortcut="Left")  # fmt: skip
bar.button("Next", key="present_next", icon=":material/arrow_forward:", on_click=step,
           args=(1,), disabled=number >= total, shortcut="Right", type="primary")  # fmt: skip
bar.markdown(f"**Slide {number} of {total}**  \n{escape_md(choices[name].title)}")
bar.html(FULLSCREEN_BUTTON, width="content")
bar.page_link("views/overview.py", label="Leave presenter mode", icon=":material/close:")

render_slide(present.slide_at(deck, number - 1), number)
if deck.problems:
    bad = ", ".join(str(i + 1) for i in sorted(deck.problems))
    st.caption(escape_md(f"{len(deck.problems)} of {total} slides cannot be shown (slide {bad}); "
                         "each says why and the others present as usual."))  # fmt: skip
render_downloads(deck)
