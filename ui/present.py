"""Presenter mode plumbing: the app's data as a slide DataSource, the decks on offer to the
person signed in, and slides built once per data version (so stepping back and forth through a
deck is instant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import streamlit as st

from loaders.errors import DataError
from panels.core import Input, Need, PanelProblem
from panels.registry import get_panel
from panels.source import AREAS, area_of, needs_of, where_key
from present.decks import (
    Deck,
    DeckError,
    SlideSpec,
    catalog_decks,
    check_deck,
    deck_permitted,
    load_deck,
)
from present.slides import Slide, build_slide
from present.views import check_params, is_panel
from ui import auth, my_deck, state
from ui.messages import sees_details
from ui.panels import AppSource
from ui.urlparams import exact_url_int, url_int, url_text

MY_DECK = my_deck.MY_DECK
MY_DECK_TITLE = "My deck"


StateData = AppSource  # the app's data as a slide source: scoped, pushed down, cached


@dataclass(frozen=True)
class DeckChoice:
    """A deck the presenter can pick: its URL name, its title, and where it comes from.

    `permitted` is False for a deck naming a place or cluster outside the person's access:
    such a deck is not offered, and its title is not kept.
    """

    name: str
    title: str
    path: Path | None = None
    permitted: bool = True
    places: frozenset[str] = frozenset()  # the places its slides name, as written (any case)


def permitted(deck: Deck) -> bool:
    """May the person signed in open `deck`? (present.decks.deck_permitted, for this session.)"""
    scope = auth.current_scope()
    if scope.unrestricted:
        return True
    return deck_permitted(deck, scope, state.area_tree()[0])


def deck_choices() -> list[DeckChoice]:
    """Every deck of the catalog (titles read from their files), then the session's 'My deck'.

    Offer only the permitted ones. A deck file that cannot be read cannot be checked, so it is
    permitted only to an unrestricted scope (who is then told why it cannot be shown).
    """
    catalog, _ = state.get_catalog()
    unrestricted = auth.current_scope().unrestricted
    choices = []
    for name, path in (catalog_decks(catalog) if catalog is not None else {}).items():
        try:
            deck = load_deck(path)
        except DeckError:
            choices.append(DeckChoice(name, f"{name} (cannot be read)", path, unrestricted))
            continue
        if permitted(deck):
            places = frozenset(s.place.casefold() for s in deck.slides if s.place)
            choices.append(DeckChoice(name, deck.title, path, places=places))
        else:
            choices.append(DeckChoice(name, "", path, permitted=False))
    count = len(my_deck.slides())
    choices.append(DeckChoice(MY_DECK, f"{MY_DECK_TITLE} ({count} slide{'s' * (count != 1)})"))
    return choices


def deck_for_place(choices: list[DeckChoice], place_code: str | None,
                   place_name: str | None) -> int:  # fmt: skip
    """The position in `choices` of the first deck about the place chosen (by code or name),
    so Present opened from Oldham opens Oldham's deck; 0 when no deck names that place."""
    wanted = {v.casefold() for v in (place_code, place_name) if v}
    for i, choice in enumerate(choices):
        if wanted and choice.places and choice.places <= wanted | {""}:
            return i
    for i, choice in enumerate(choices):  # a deck with slides for several places, one of them
        if wanted & choice.places:
            return i
    return 0


def session_deck() -> Deck:
    """'My deck' as a Deck, for presenting and for the TOML download."""
    return Deck(MY_DECK, MY_DECK_TITLE, None, tuple(my_deck.slides()), MappingProxyType({}))


def open_deck(choice: DeckChoice) -> Deck:
    """The chosen deck, with the data checks (places, clusters, indicators) applied.

    Raises DeckError when the file is unusable as a whole; a bad slide is only a problem.
    """
    data = StateData()
    if choice.name == MY_DECK:
        return check_deck(session_deck(), data)
    return load_deck(choice.path, data=data)


class LoadedData:
    """A slide Source over inputs already fetched (and cut to the person's access) by ui.state.

    Slides for the PowerPoint and PDF are built when the button is clicked, outside the page
    script, where the signed-in person is not known: they read these captured inputs (each
    dataset with the filter its slide pushed down), never ui.state, so a file holds exactly
    what its requester may see.
    """

    def __init__(self, items: Mapping[Any, Input], whole_places: frozenset[str] | None = None):
        self._items = dict(items)
        self._whole = whole_places  # None: every place (an unrestricted person)

    def covers_place(self, place_code: str) -> bool:
        """Captured with the datasets: may the requester see `place_code` as a whole?"""
        return self._whole is None or place_code in self._whole

    def get(self, need: Need) -> Input:
        for key in ((need.dataset, where_key(need.where)), need.dataset):
            if key in self._items:
                return self._items[key]
        error = DataError(f"The catalog has no dataset '{need.dataset}'.", dataset=need.dataset)
        return Input(need.dataset, None, None, error)


def slide_needs(spec: SlideSpec) -> tuple[Need, ...]:
    """The datasets a slide reads: its panel's needs (pushed down) and the areas."""
    if is_panel(spec.view) and not check_params(spec.view, spec.params):
        params = spec.panel_params()
        panel = get_panel(spec.view)
        try:
            return (AREAS, *needs_of(panel, params, area_of(params, AppSource())))
        except PanelProblem:  # the slide says why; its unbound needs are what it would read
            return (AREAS, *panel.needs(params))
    return (AREAS,)  # an unknown view or bad parameters: the slide says so, reading nothing


def capture(deck: Deck) -> dict[Any, Input]:
    """Every input of every slide of `deck` as this session may see it (in the page script)."""
    source = AppSource()
    items: dict[Any, Input] = {}
    for spec in deck.slides:
        for need in slide_needs(spec):
            item = source.get(need)
            items[(need.dataset, where_key(need.where))] = item
            if not need.where:
                items[need.dataset] = item
    return items


@dataclass(frozen=True)
class Viewer:
    """What the person may see beyond their rows, captured in the page script (a pack is made
    on click, where the person is no longer known)."""

    whole_places: tuple[str, ...] | None  # places granted whole; None: every place
    details: bool  # may read full error messages (admin)


def viewer() -> Viewer:
    """The Viewer of the person in this session (call in the page script)."""
    scope = auth.current_scope()
    whole = None if scope.unrestricted else tuple(sorted(scope.places or ()))
    return Viewer(whole, sees_details())


@st.cache_resource(show_spinner=False, max_entries=256)
def _cached_slide(key: str, problem: str | None, inputs: str, scope: str, details: bool,
                  _spec: SlideSpec, _source: Any) -> Slide:  # fmt: skip
    return build_slide(_spec, _source, problem=problem)


def slide_at(deck: Deck, index: int) -> Slide:
    """Slide `index` (0-based) of `deck`, built once per version (and access scope) of its data.

    In the page script: each of its datasets fetched with its filter pushed down.
    """
    spec, source = deck.slides[index], AppSource()
    versions = "|".join(f"{n.dataset}@{source.get(n).version}" for n in slide_needs(spec))
    key = repr(
        (spec.view, spec.place, spec.cluster, sorted(spec.params.items()), spec.heading, spec.note)
    )
    return _cached_slide(key, deck.problems.get(index), versions, auth.current_scope().key,
                         sees_details(), spec, source)  # fmt: skip


def all_slides(deck: Deck, inputs: Mapping[Any, Input], seen: Viewer) -> list[Slide]:
    """Every slide of the deck, in order, from inputs captured in the page script (`capture`)."""
    whole = None if seen.whole_places is None else frozenset(seen.whole_places)
    source = LoadedData(inputs, whole)
    return [
        build_slide(spec, source, problem=deck.problems.get(i))
        for i, spec in enumerate(deck.slides)
    ]


def out_of_range(asked: str | None, total: int) -> tuple[int, str] | None:
    """For a link asking for a slide the deck lacks: the slide to show instead, and why.

    The reason is markdown, with the link's value shown as typed (ui.urlparams.url_text).
    None when the link names no slide (absent or empty) or one of 1 to `total`.
    """
    if not asked or exact_url_int(asked, maximum=total) is not None:
        return None
    shown = url_int(asked, default=1, maximum=total)
    return shown, (
        f"The link asks for slide {url_text(asked)}, but this deck has slides 1 to {total}: "
        f"showing slide {shown}."
    )


def deck_file_stem(deck: Deck) -> str:
    """'placewise_oldham': the file name (without extension) of a deck's downloads."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in deck.name)
    return f"placewise_{safe or 'deck'}"


def page_script(url_path: str) -> str:
    """The views/ script of a page URL path ('care-homes' -> 'views/care_homes.py')."""
    return f"views/{url_path.replace('-', '_')}.py"
