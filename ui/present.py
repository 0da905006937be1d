"""Presenter mode plumbing: the app's data as a slide DataSource, the decks on offer to the
person signed in, and slides built once per data version (so stepping back and forth through a
deck is instant)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from loaders.errors import DataError
from present.decks import (
    Deck,
    DeckError,
    catalog_decks,
    check_deck,
    deck_permitted,
    load_deck,
)
from present.slides import Slide, build_slide
from ui import auth, my_deck, state
from ui.messages import sees_details
from ui.urlparams import exact_url_int, url_int, url_text

MY_DECK = my_deck.MY_DECK
MY_DECK_TITLE = "My deck"


class StateData:
    """A present.data.DataSource over ui.state: each dataset loaded once per data version."""

    def get(self, name: str) -> tuple[Any, Any, DataError | None]:
        item = state.dataset(name)
        error = item.error
        if error is not None and not sees_details():
            # slides, speaker view and packs quote this text: for people who may not see the
            # details (paths, servers, other places' rows), only which dataset failed
            error = DataError(error.summary, dataset=error.dataset)
        return item.frame, item.spec, error

    def covers_place(self, place_code: str) -> bool:
        """The frames hold only the person's rows: a place total only for a whole-place grant."""
        return auth.covers_place(place_code)


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
            choices.append(DeckChoice(name, deck.title, path))
        else:
            choices.append(DeckChoice(name, "", path, permitted=False))
    count = len(my_deck.slides())
    choices.append(DeckChoice(MY_DECK, f"{MY_DECK_TITLE} ({count} slide{'s' * (count != 1)})"))
    return choices


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
    """A DataSource over datasets already loaded (and cut to the person's access) by ui.state.

    Slides for the PowerPoint and PDF are built when the button is clicked, outside the page
    script, where the signed-in person is not known: they read these captured datasets, never
    ui.state, so a file holds exactly what its requester may see.
    """

    def __init__(
        self,
        items: dict[str, tuple[Any, Any, DataError | None]],
        whole_places: frozenset[str] | None = None,
    ):
        self._items = items
        self._whole = whole_places  # None: every place (an unrestricted person)

    def covers_place(self, place_code: str) -> bool:
        """Captured with the datasets: may the requester see `place_code` as a whole?"""
        return self._whole is None or place_code in self._whole

    def get(self, name: str) -> tuple[Any, Any, DataError | None]:
        if name in self._items:
            return self._items[name]
        return None, None, DataError(f"The catalog has no dataset '{name}'.", dataset=name)


def _build(
    *frames: Any,
    spec: Any,
    problem: str | None,
    meta: tuple[tuple[str, Any, Any], ...],
    whole_places: tuple[str, ...] | None = None,
) -> Slide:
    """Build one slide from the frames (in `meta` order: name, catalog entry, error)."""
    items = {
        name: (frame, entry, error)
        for frame, (name, entry, error) in zip(frames, meta, strict=True)
    }
    whole = None if whole_places is None else frozenset(whole_places)
    return build_slide(spec, LoadedData(items, whole), problem=problem)


@dataclass(frozen=True)
class Viewer:
    """What the person may see beyond their rows, captured in the page script (a pack is made
    on click, where the person is no longer known)."""

    whole_places: tuple[str, ...] | None  # places granted whole; None: every place
    details: bool  # may read full error messages (admin)

    def shown_error(self, error: DataError | None) -> DataError | None:
        """The error as a slide, speaker notes or pack may quote it for this person: in full
        for an admin; otherwise only which dataset failed (no path, server or row)."""
        if error is None or self.details:
            return error
        return DataError(error.summary, dataset=error.dataset)


def viewer() -> Viewer:
    """The Viewer of the person in this session (call in the page script)."""
    scope = auth.current_scope()
    whole = None if scope.unrestricted else tuple(sorted(scope.places or ()))
    return Viewer(whole, sees_details())


def datasets() -> list[Any]:
    """Every dataset as this session may see it (ui.state.Loaded), loaded or not."""
    return state.all_datasets()


def slide_at(
    deck: Deck, index: int, inputs: list[Any] | None = None, seen: Viewer | None = None
) -> Slide:
    """Slide `index` (0-based) of `deck`, built once per version (and access scope) of the data.

    `inputs` (from `datasets()`) and `seen` (from `viewer()`) must be captured in the page
    script when this runs outside it.
    """
    inputs = datasets() if inputs is None else inputs
    seen = viewer() if seen is None else seen
    return state.derived(
        "present_slide",
        _build,
        *inputs,
        spec=deck.slides[index],
        problem=deck.problems.get(index),
        meta=tuple((i.name, i.spec, seen.shown_error(i.error)) for i in inputs),
        # place totals only for places granted whole (access.Scope.covers_place)
        whole_places=seen.whole_places,
    )


def all_slides(
    deck: Deck, inputs: list[Any] | None = None, seen: Viewer | None = None
) -> list[Slide]:
    """Every slide of the deck, in order (built or taken from the cache)."""
    inputs = datasets() if inputs is None else inputs
    seen = viewer() if seen is None else seen
    return [slide_at(deck, i, inputs, seen) for i in range(len(deck.slides))]


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
