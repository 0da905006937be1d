"""Decks: ordered lists of views (page + parameters + heading + speaker note) read from TOML.

A deck file looks like this::

    [deck]
    title = "Oldham partnership board"
    place = "Oldham"            # default place for every slide (code or name)

    [[slides]]
    view = "acute_share"        # a key of VIEWS
    heading = "Spend shift"
    note = "Speaker note"
    year_from = "2015/16"       # every other key is a parameter of the view
    prices = "real"

A file that cannot be read, is not TOML or has no slides raises DeckError (naming the file,
the line and what was expected). A slide with a mistake (unknown view or page, a parameter the
view does not take, a bad value) does not stop the deck: the deck loads, the slide's problem is
kept in `Deck.problems`, and the slide says what is wrong when it is presented. Checks that
need the data (is there such a place, cluster or indicator?) run in `check_deck`. Who may
open a deck (every place and cluster its slides name is in their access) is `deck_permitted`.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from loaders.errors import DataError
from loaders.registry import suggest
from panels.params import AreaParams, to_deck
from present.views import (
    PAGES,
    SLIDE_KEYS,
    VIEW_PAGES,
    VIEWS,
    check_params,
    panel_params,
    params_from_query,
    query_of,
)

if TYPE_CHECKING:
    from access.hierarchy import AreaTree
    from access.scope import Scope


class DeckError(DataError):
    """The deck file cannot be used at all: unreadable, not TOML, not a deck, or no slides."""

    @property
    def title(self) -> str:
        return "The deck cannot be read"


@dataclass(frozen=True)
class SlideSpec:
    """One view of a page, with everything needed to draw it again (nothing from the sidebar)."""

    view: str
    place: str | None = None
    cluster: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    heading: str | None = None
    note: str | None = None

    @property
    def page(self) -> str:
        """The URL path of the page this view comes from ('' for an unknown view)."""
        return VIEW_PAGES.get(self.view, "")

    @classmethod
    def from_query(cls, view: str, query: Mapping[str, Any], **text: str | None) -> SlideSpec:
        """The slide showing `view` as a page's URL `query` shows it ('add to deck')."""
        return cls.of_panel(view, params_from_query(view, query), **text)

    @classmethod
    def of_panel(cls, view: str, params: AreaParams, **text: str | None) -> SlideSpec:
        """The slide showing panel `view` with exactly `params` (nothing is dropped)."""
        return cls(view, params.place, params.cluster, MappingProxyType(to_deck(params)), **text)

    def panel_params(self) -> AreaParams:
        """The panel's parameters of this slide (a known view with checked parameters)."""
        return panel_params(self.view, self.place, self.cluster, self.params)

    def to_query(self, names: Mapping[str, str] | None = None) -> dict[str, str | list[str]]:
        """URL query parameters that reproduce this view on its page, with the pages' own keys.

        `names` maps codes (place, cluster) to the names the pages' URLs use; values not in it
        pass as they are. The financial-year range is a list (the URL repeats `period`, as the
        sidebar's range slider writes it); every other value is a string or list of strings.
        """
        if self.view not in VIEWS or check_params(self.view, self.params):
            return {}
        return query_of(self.panel_params(), names)


@dataclass(frozen=True)
class Deck:
    """A named, ordered set of slides; `problems` maps a slide index (0-based) to what is wrong."""

    name: str
    title: str
    path: Path | None
    slides: tuple[SlideSpec, ...]
    problems: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))


def _slide_lines(text: str) -> list[int]:
    """The line number of each [[slides]] header, so messages can point at a slide."""
    lines = text.splitlines()
    return [i for i, line in enumerate(lines, 1) if re.match(r"^\s*\[\[\s*slides\s*\]\]", line)]


def _where(name: str, path: Path | None) -> str:
    return str(path) if path else f"deck '{name}'"


def _parse_slide(raw: Any, default_place: str | None) -> tuple[SlideSpec, list[str]]:
    if not isinstance(raw, dict):
        return SlideSpec(view=""), [f"a slide must be a table of keys, got {raw!r}"]
    problems: list[str] = []
    text = {}
    for key in SLIDE_KEYS:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"key '{key}' must be text, got {value!r}")
            value = None
        text[key] = value or None
    view = text["view"] or ""
    params = {k: v for k, v in raw.items() if k not in SLIDE_KEYS}
    spec = SlideSpec(
        view=view,
        place=text["place"] or default_place,
        cluster=text["cluster"],
        params=MappingProxyType(params),
        heading=text["heading"],
        note=text["note"],
    )
    if not view:
        problems.append(f"key 'view' is missing (views: {', '.join(VIEWS)})")
    elif view not in VIEWS:
        problems.append(f"unknown view '{view}' ({suggest(view, tuple(VIEWS))})")
    page = text["page"]
    if page and page not in PAGES:
        problems.append(f"there is no page '{page}' ({suggest(page, PAGES)})")
    elif page and view in VIEWS and page != VIEW_PAGES[view]:
        problems.append(f"view '{view}' is on the page '{VIEW_PAGES[view]}', not '{page}'")
    if view in VIEWS:
        problems += check_params(view, params)
    if spec.cluster and not spec.place:
        problems.append(f"cluster '{spec.cluster}' is given without a place")
    return spec, problems


def parse_deck(text: str, *, name: str, path: Path | None = None, data: Any = None) -> Deck:
    """A deck from TOML text. Raises DeckError only when the whole file is unusable.

    With `data` (a present.data.DataSource) the places, clusters and indicators are checked too.
    """
    where = _where(name, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckError(
            f"{where} is not valid TOML: {exc}.", path=str(path) if path else None
        ) from None
    unknown = [k for k in raw if k not in ("deck", "slides")]
    meta = raw.get("deck", {})
    slides = raw.get("slides")
    if not isinstance(meta, dict):
        raise DeckError(f"{where}: 'deck' must be a table like [deck], got {meta!r}.")
    if not isinstance(slides, list) or not slides:
        extra = f" (it has {', '.join(repr(k) for k in unknown)} instead)" if unknown else ""
        raise DeckError(
            f"{where} is not a deck: it needs at least one [[slides]] table with a 'view'{extra}.",
            path=str(path) if path else None,
        )
    title = meta.get("title", name)
    place = meta.get("place")
    for key, value in (("title", title), ("place", place)):
        if value is not None and not isinstance(value, str):
            raise DeckError(f"{where}: [deck] key '{key}' must be text, got {value!r}.")
    lines = _slide_lines(text)
    specs, problems = [], {}
    for i, item in enumerate(slides):
        spec, found = _parse_slide(item, place or None)
        specs.append(spec)
        if found:
            line = f" (line {lines[i]})" if i < len(lines) else ""
            problems[i] = f"Slide {i + 1}{line}: " + "; ".join(found) + "."
    deck = Deck(name, title or name, path, tuple(specs), MappingProxyType(problems))
    return check_deck(deck, data) if data is not None else deck


def load_deck(path: Path, *, data: Any = None) -> Deck:
    """Read and parse a deck file (the deck's name is the file stem)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DeckError(f"Deck file not found: {path}.", path=str(path)) from None
    except OSError as exc:
        raise DeckError(
            f"Deck file {path} cannot be read: {exc.strerror}.", path=str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise DeckError(
            f"Deck file {path} is not UTF-8 text (byte {exc.start}).", path=str(path)
        ) from None
    return parse_deck(text, name=path.stem, path=path, data=data)


def check_deck(deck: Deck, data: Any) -> Deck:
    """The deck with a problem added for each slide naming a place, cluster or indicator the data lacks."""
    from present.data import reference_problem

    problems = dict(deck.problems)
    for i, spec in enumerate(deck.slides):
        if i in problems:
            continue
        found = reference_problem(spec, data)
        if found:
            problems[i] = f"Slide {i + 1}: {found}"
    return replace(deck, problems=MappingProxyType(problems))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def deck_to_toml(deck: Deck) -> str:
    """The deck as TOML that parse_deck reads back to the same slides (for 'download the deck')."""
    out = ["[deck]", f"title = {_toml_value(deck.title)}", ""]
    for spec in deck.slides:
        out.append("[[slides]]")
        fields = {"view": spec.view, "place": spec.place, "cluster": spec.cluster,
                  "heading": spec.heading, "note": spec.note}  # fmt: skip
        out += [f"{k} = {_toml_value(v)}" for k, v in fields.items() if v is not None]
        out += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in spec.params.items()]
        out.append("")
    return "\n".join(out)


def catalog_decks(catalog: Any) -> dict[str, Path]:
    """Deck name (file stem) -> path, for every *.toml in the catalog's decks folder."""
    folder = getattr(catalog, "decks_dir", None)
    if folder is None or not Path(folder).is_dir():
        return {}
    return {p.stem: p for p in sorted(Path(folder).glob("*.toml"))}


def _codes(tree: AreaTree, wanted: str, kind: str, parent: str | None = None) -> set[str]:
    """Codes of the areas of `kind` (under `parent`) named `wanted` by code or name, any case."""
    key = wanted.strip().casefold()
    return {
        code
        for code, area_kind in tree.kind.items()
        if area_kind == kind
        and key in (code.casefold(), tree.name.get(code, "").casefold())
        and (parent is None or tree.place_of(code) == parent)
    }


def _slide_permitted(spec: SlideSpec, scope: Scope, tree: AreaTree) -> bool:
    if not isinstance(spec.place, str) or not spec.place.strip():
        return False  # names no place: nobody restricted can be shown to be covered
    places = _codes(tree, spec.place, "place")
    if not places:
        return False  # an unknown place cannot be checked, so it is not offered
    for place in places:  # a name two places share must be covered as both
        if not spec.cluster:
            if not scope.covers_place(place):
                return False
            continue
        clusters = _codes(tree, spec.cluster, "cluster", parent=place)
        if not clusters:
            return False
        if not all(c in scope.clusters or scope.covers_place(place) for c in clusters):
            return False
    return True


def deck_permitted(deck: Deck, scope: Scope, tree: AreaTree | None) -> bool:
    """May a person with `scope` open `deck`: its title, headings, notes and slides?

    Only when every slide names a place (or cluster) their access covers: a slide naming a
    place alone needs the whole place (Scope.covers_place: a grant of some of its clusters is
    not enough, since the slide shows place figures); a slide naming a cluster needs that
    cluster granted, or its whole place. Places and clusters are matched by code or name, in
    any case, against the full area hierarchy `tree`. A slide naming no place, or a place or
    cluster the hierarchy lacks, refuses the deck for everyone but an unrestricted scope: it
    cannot be shown to be covered. A deck with no slides names nothing and is permitted.
    """
    if scope.unrestricted:
        return True
    if tree is None:
        return False
    return all(_slide_permitted(spec, scope, tree) for spec in deck.slides)
