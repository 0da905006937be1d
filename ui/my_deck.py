"""'My deck': the slides a user collects with 'Add to deck' on any chart, kept for the session.

The deck lives in st.session_state so it survives page changes; it is downloadable as TOML
from the Present page, which is how it outlives the session (save it into the decks folder).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

MY_DECK = "my-deck"  # the name the Present page (and its URL) uses for the session deck
_KEY = "_placewise_my_deck"


def slides() -> list[Any]:
    """The SlideSpecs added so far, in the order they were added."""
    return list(st.session_state.get(_KEY, []))


def add(spec: Any) -> bool:
    """Append `spec` unless the same view is already in the deck; True when it was added."""
    current = st.session_state.setdefault(_KEY, [])
    if spec in current:
        return False
    current.append(spec)
    return True


def remove(index: int) -> None:
    """Drop the slide at `index` (0-based); out-of-range indexes are ignored."""
    current = st.session_state.get(_KEY, [])
    if 0 <= index < len(current):
        del current[index]


def clear() -> None:
    """Empty the deck."""
    st.session_state[_KEY] = []


def current_view(view: str) -> Any:
    """The SlideSpec of `view` as this page shows it now: the URL's choices plus the sidebar's.

    The sidebar's place, cluster and years come from the widgets, since a default choice is not
    written into the URL.
    """
    from present.decks import SlideSpec

    query: dict[str, Any] = {}
    for name in st.query_params:
        values = st.query_params.get_all(name)
        query[name] = values if len(values) > 1 else values[0]
    for name in ("place", "cluster", "period"):
        if st.session_state.get(name) is not None:
            query[name] = st.session_state[name]
    return SlideSpec.from_query(view, query)
