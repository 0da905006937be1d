"""Deck files: parsing, bad slides that do not stop the deck, errors naming file and line, round trip."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from loaders.catalog import load_catalog
from present.decks import (
    VIEWS,
    DeckError,
    SlideSpec,
    catalog_decks,
    deck_to_toml,
    load_deck,
    parse_deck,
)
from tests.conftest import SAMPLE_CATALOG

DECKS = SAMPLE_CATALOG.parent / "decks"
GOOD = """
[deck]
title = "Test deck"
place = "Oldham"

[[slides]]
view = "acute_share"
heading = "Spend"
note = "Say this"
year_from = "2016/17"
year_to = "2019/20"

[[slides]]
view = "care_home_quality"
cluster = "Oldham North"
setting = "nursing"
"""


def deck(text: str, **kwargs):
    return parse_deck(textwrap.dedent(text), name="test", **kwargs)


def test_sample_decks_load_without_problems_and_name_the_required_views(sample_data):
    found = catalog_decks(load_catalog(SAMPLE_CATALOG))
    assert sorted(found) == ["bolton", "manchester", "oldham", "wirral"]
    for name, path in found.items():
        loaded = load_deck(path, data=sample_data)
        assert loaded.name == name and loaded.path == path
        assert not loaded.problems, loaded.problems
        views = [s.view for s in loaded.slides]
        for view in (
            "spend_headline",
            "acute_share",
            "care_home_quality",
            "cluster_map",
            "spc_grid",
        ):
            assert view in views, (name, view)
        assert all(s.heading and s.note for s in loaded.slides), name
        assert {s.place for s in loaded.slides} == {name.capitalize()}


def test_a_valid_deck_keeps_its_order_defaults_and_parameters():
    loaded = deck(GOOD)
    assert loaded.title == "Test deck" and not loaded.problems
    first, second = loaded.slides
    assert first == SlideSpec(
        "acute_share",
        "Oldham",
        None,
        {"year_from": "2016/17", "year_to": "2019/20"},
        "Spend",
        "Say this",
    )
    assert (second.place, second.cluster, dict(second.params)) == (
        "Oldham",
        "Oldham North",
        {"setting": "nursing"},
    )
    assert (first.page, second.page) == ("spend", "care-homes")


def test_to_query_uses_the_pages_url_keys():
    spec = SlideSpec("spend_by_group", "Bolton", "Bolton East",
                     {"year_from": "2016/17", "year_to": "2020/21", "prices": "real", "per": "resident"})  # fmt: skip
    assert spec.to_query() == {
        "place": "Bolton", "cluster": "Bolton East", "period": ["2016/17", "2020/21"],
        "spend_prices": "Real terms", "spend_per": "Per resident",
    }  # fmt: skip
    hoods = SlideSpec(
        "cluster_map", "E08000004", params={"indicator": "imd_score", "level": "lsoa"}
    )
    names = {"E08000004": "Oldham", "imd_score": "Index of Multiple Deprivation 2025 score"}
    assert hoods.to_query(names) == {
        "place": "Oldham", "hoods_indicator": "Index of Multiple Deprivation 2025 score",
        "hoods_level": "Small areas (LSOA)",
    }  # fmt: skip


def test_unknown_view_page_or_parameter_spoils_only_that_slide():
    loaded = deck(GOOD + '\n[[slides]]\nview = "acute_shares"\n\n[[slides]]\nview = "spc_grid"\n'
                  'page = "finance"\n\n[[slides]]\nview = "acute_share"\nprices = "euros"\ncolour = "red"\n')  # fmt: skip
    assert len(loaded.slides) == 5
    assert set(loaded.problems) == {2, 3, 4}
    assert "unknown view 'acute_shares'" in loaded.problems[2]
    assert "did you mean 'acute_share'" in loaded.problems[2]
    assert loaded.problems[2].startswith("Slide 3 (line 18): ")
    assert "no page 'finance'" in loaded.problems[3]
    assert "'prices' = 'euros' is not allowed" in loaded.problems[4]
    assert "has no parameter 'colour'" in loaded.problems[4]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('cluster = "Oldham Nowhere"', "unknown cluster 'Oldham Nowhere' in Oldham"),
        ('place = "Rochdale"', "unknown place 'Rochdale'"),
    ],
)
def test_unknown_place_or_cluster_is_a_problem_of_that_slide_only(sample_data, extra, expected):
    text = GOOD + f'\n[[slides]]\nview = "spc_grid"\n{extra}\n'
    loaded = deck(text, data=sample_data)
    assert list(loaded.problems) == [2]
    assert expected in loaded.problems[2]


@pytest.mark.parametrize("view", ["outcome_spc", "cluster_map"])
def test_unknown_indicator_is_a_problem_of_that_slide_only(sample_data, view):
    loaded = deck(
        GOOD + f'\n[[slides]]\nview = "{view}"\nindicator = "Bed days lost"\n', data=sample_data
    )
    assert list(loaded.problems) == [2]
    assert "Slide 3: unknown indicator 'Bed days lost'" in loaded.problems[2]


def test_unreadable_toml_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[deck]\ntitle = "x"\n\n[[slides]]\nview = "spc_grid\n', encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    message = str(caught.value)
    assert str(path) in message and "not valid TOML" in message and "line 5" in message


def test_a_file_without_slides_or_missing_is_not_a_deck(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text('[deck]\ntitle = "x"\n[dataset]\nname = "y"\n', encoding="utf-8")
    with pytest.raises(
        DeckError, match=r"is not a deck: it needs at least one \[\[slides\]\].*'dataset'"
    ):
        load_deck(path)
    with pytest.raises(DeckError, match="Deck file not found"):
        load_deck(tmp_path / "nope.toml")


def test_deck_to_toml_round_trips_every_field():
    text = GOOD + '\n[[slides]]\nview = "outcome_spc"\nindicator = "A&E attendances"\n' \
        'note = "Line one\\nline \\"two\\" — ü"\n'  # fmt: skip
    original = deck(text)
    again = parse_deck(deck_to_toml(original), name="test")
    assert again.slides == original.slides
    assert again.title == original.title and not again.problems


def test_catalog_decks_key_is_relative_to_the_catalog(write_catalog, tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "board.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "data.csv").write_text("setting,setting_group\n", encoding="utf-8")
    body = '\n[datasets.settings]\nloader = "csv"\ncontract = "settings"\npath = "data.csv"\n'
    with_decks = load_catalog(write_catalog('[catalog]\ndecks = "packs"\n' + body))
    assert with_decks.decks_dir == (tmp_path / "packs").resolve()
    assert catalog_decks(with_decks) == {"board": (tmp_path / "packs" / "board.toml").resolve()}
    without = load_catalog(write_catalog("[catalog]\n" + body, name="other.toml"))
    assert without.decks_dir is None and catalog_decks(without) == {}


def test_every_view_has_a_page():
    assert {SlideSpec(v).page for v in VIEWS} == {
        "spend",
        "care-homes",
        "neighbourhoods",
        "overview",
        "outcomes",
        "benchmarks",
    }
    assert SlideSpec("nonsense").page == ""
    assert isinstance(DECKS, Path)


@pytest.mark.parametrize(
    "spec",
    [
        SlideSpec("spend_by_group", "Bolton", "Bolton East",
                  {"year_from": "2016/17", "year_to": "2020/21", "prices": "real", "per": "resident"}),
        SlideSpec("care_home_quality", "Wirral", None, {"setting": "nursing"}),
        SlideSpec("cluster_map", "Oldham", None, {"indicator": "Residents aged 85+", "level": "lsoa"}),
        SlideSpec("outcome_spc", "Oldham", "Oldham North", {"indicator": "A&E attendances"}),
        SlideSpec("spc_grid", "Manchester"),
    ],
)  # fmt: skip
def test_from_query_inverts_to_query(spec):
    assert SlideSpec.from_query(spec.view, spec.to_query()) == spec


def test_from_query_keeps_only_what_the_view_takes():
    query = {"place": "Oldham", "cluster": "All clusters", "period": ["2017/18", "2019/20"],
             "spend_prices": "Real terms", "homes_setting": "Nursing homes"}  # fmt: skip
    spec = SlideSpec.from_query("care_home_quality", query, heading="Homes", note="Say")
    assert spec == SlideSpec("care_home_quality", "Oldham", None,
                             {"year_from": "2017/18", "year_to": "2019/20", "setting": "nursing"},
                             "Homes", "Say")  # fmt: skip
    assert not parse_deck(deck_to_toml_for(spec), name="x").problems


def deck_to_toml_for(spec: SlideSpec) -> str:
    from present.decks import Deck

    return deck_to_toml(Deck("x", "x", None, (spec,)))
