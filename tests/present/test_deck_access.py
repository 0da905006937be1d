"""present.decks.deck_permitted: a deck is for a person only when every place and cluster its
slides name is in their access ("Trust II"), matched by code or name in any case, and an
unknown or missing place refuses it (fail closed)."""

from __future__ import annotations

import polars as pl
import pytest

from access.hierarchy import AreaTree
from access.scope import Scope
from panels.core import Need
from present.decks import Deck, SlideSpec, deck_permitted, load_deck, parse_deck
from tests.conftest import SAMPLE_CATALOG

TREE = AreaTree.from_frame(
    pl.DataFrame(
        {
            "area_code": ["E92000001", "P1", "P1-east", "P1-west", "P2", "P2-east", "P3"],
            "area_name": [
                "England",
                "Oldham",
                "Oldham East",
                "Oldham West",
                "Bolton",
                "Bolton East",
                "Oldham",
            ],  # fmt: skip
            "area_type": ["england", "place", "cluster", "cluster", "place", "cluster", "place"],
            "parent_code": [None, "E92000001", "P1", "P1", "E92000001", "P2", "E92000001"],
        }
    )
)
# P3 is a second place called Oldham: a deck naming "Oldham" must be covered as both
OLDHAM = Scope(frozenset({"P1"}))
BOTH_OLDHAMS = Scope(frozenset({"P1", "P3"}))
EAST = Scope(frozenset(), frozenset({"P1-east"}))
EVERYTHING = Scope.everything()


def deck(*slides: SlideSpec) -> Deck:
    return Deck("test", "Test", None, tuple(slides))


@pytest.mark.parametrize(
    ("slides", "scope", "allowed"),
    [
        ((SlideSpec("acute_share", place="P1"),), OLDHAM, True),
        ((SlideSpec("acute_share", place="p1"),), OLDHAM, True),  # codes in any case
        ((SlideSpec("acute_share", place="P2"),), OLDHAM, False),
        ((SlideSpec("acute_share", place="bolton"),), OLDHAM, False),
        (
            (SlideSpec("acute_share", place="P1"), SlideSpec("spc_grid", place="P2")),
            OLDHAM,
            False,
        ),  # fmt: skip
        ((SlideSpec("acute_share", place="Oldham"),), OLDHAM, False),  # P3 is Oldham too
        ((SlideSpec("acute_share", place=" oldham "),), BOTH_OLDHAMS, True),
        ((SlideSpec("acute_share", place="P1", cluster="P1-east"),), OLDHAM, True),
        # a cluster grant: the cluster's slides only, never the place as a whole
        ((SlideSpec("acute_share", place="P1"),), EAST, False),
        ((SlideSpec("care_home_quality", place="P1", cluster="P1-east"),), EAST, True),
        ((SlideSpec("care_home_quality", place="P1", cluster="oldham east"),), EAST, True),
        ((SlideSpec("care_home_quality", place="P1", cluster="P1-west"),), EAST, False),
        ((SlideSpec("care_home_quality", place="P2", cluster="P1-east"),), EAST, False),
        ((SlideSpec("care_home_quality", place="P2", cluster="Bolton East"),), EAST, False),
        # what cannot be checked is refused, except to someone who may see everything
        ((SlideSpec("acute_share", place="Atlantis"),), OLDHAM, False),
        ((SlideSpec("acute_share", place="P1", cluster="Atlantis"),), OLDHAM, False),
        ((SlideSpec("acute_share"),), OLDHAM, False),
        ((SlideSpec("acute_share", cluster="P1-east"),), EAST, False),
        ((SlideSpec("acute_share", place="Atlantis"),), EVERYTHING, True),
        ((SlideSpec("acute_share", place="P2"),), EVERYTHING, True),
        ((), OLDHAM, True),  # an empty My deck names nothing
        ((), Scope.nothing(), True),
        ((SlideSpec("acute_share", place="P1"),), Scope.nothing(), False),
    ],
)
def test_deck_permitted(slides, scope, allowed):
    assert deck_permitted(deck(*slides), scope, TREE) is allowed


def test_without_the_area_hierarchy_only_an_unrestricted_scope_opens_a_deck():
    one = deck(SlideSpec("acute_share", place="P1"))
    assert not deck_permitted(one, OLDHAM, None)
    assert deck_permitted(one, EVERYTHING, None)


def test_the_deck_place_is_the_default_for_every_slide_and_a_slide_can_name_another():
    text = """
[deck]
title = "Oldham board"
place = "Oldham"

[[slides]]
view = "acute_share"

[[slides]]
view = "spc_grid"
place = "Bolton"
"""
    parsed = parse_deck(text, name="mixed")
    assert [s.place for s in parsed.slides] == ["Oldham", "Bolton"]
    assert not deck_permitted(parsed, BOTH_OLDHAMS, TREE)
    assert deck_permitted(parsed, Scope(frozenset({"P1", "P2", "P3"})), TREE)


def test_the_sample_decks_against_the_sample_areas(sample_data):
    areas = sample_data.get(Need("areas")).frame
    tree = AreaTree.from_frame(areas)
    folder = SAMPLE_CATALOG.parent / "decks"
    decks = {p.stem: load_deck(p) for p in sorted(folder.glob("*.toml"))}
    oldham = Scope(frozenset({"E08000004"}))
    assert [n for n, d in decks.items() if deck_permitted(d, oldham, tree)] == ["oldham"]
    east = Scope(frozenset(), frozenset({"E08000004-east"}))
    assert [n for n, d in decks.items() if deck_permitted(d, east, tree)] == []
    assert all(deck_permitted(d, EVERYTHING, tree) for d in decks.values())
