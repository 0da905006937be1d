"""The care home panels keep the panel contract (tests/panels/suite.py), and take every choice."""

from __future__ import annotations

import polars as pl

from panels.core import Need, PanelProblem
from panels.params import parse, to_url
from panels.registry import get_panel, panels
from panels.source import CatalogSource, run
from tests.panels.suite import PanelContractSuite

CHOSEN = {"setting": "nursing", "since": "31 Mar 2018", "carried_over": "true"}
IDS = ("care_home_tiles", "care_home_clusters", "care_home_quality", "care_home_mix",
       "care_home_moves", "care_home_map", "care_home_unlocated", "care_home_questions",
       "care_home_table")  # fmt: skip


class TestCareHomeTiles(PanelContractSuite):
    panel_id = "care_home_tiles"
    examples = ({}, CHOSEN)


class TestCareHomeClusters(PanelContractSuite):
    panel_id = "care_home_clusters"
    examples = ({}, CHOSEN)


class TestCareHomeQuality(PanelContractSuite):
    panel_id = "care_home_quality"
    examples = ({}, CHOSEN)


class TestCareHomeMix(PanelContractSuite):
    panel_id = "care_home_mix"


class TestCareHomeMoves(PanelContractSuite):
    panel_id = "care_home_moves"
    examples = ({}, CHOSEN)


class TestCareHomeMap(PanelContractSuite):
    panel_id = "care_home_map"
    examples = ({}, {"ratings": ["Good"], "search": "house"})


class TestCareHomeUnlocated(PanelContractSuite):
    panel_id = "care_home_unlocated"


class TestCareHomeQuestions(PanelContractSuite):
    panel_id = "care_home_questions"


class TestCareHomeTable(PanelContractSuite):
    panel_id = "care_home_table"
    examples = ({}, {"ratings": ["Requires improvement", "Inadequate"]})


def built(source: CatalogSource, panel_id: str, raw: dict, place: str = "E08000004"):
    panel = get_panel(panel_id)
    params, problems = parse(panel.Params, {**raw, "place": place})
    assert problems == [], problems
    result = run(panel, params, source)
    assert not isinstance(result, PanelProblem), str(result)
    return result


def test_every_care_home_panel_takes_every_choice_of_the_page():
    classes = {panels()[i].Params for i in IDS}
    assert len(classes) == 1
    (cls,) = classes
    names = {"setting", "provider", "since", "carried_over", "ratings", "search"}
    assert names <= set(cls.__dataclass_fields__)


def test_the_comparison_date_moves_the_change(sample_source):
    """The tile's change is the share now less the share on the date compared with."""
    march_16 = built(sample_source, "care_home_tiles", {"since": "31 Mar 2016"})
    march_18 = built(sample_source, "care_home_tiles", {"since": "31 Mar 2018"})
    a, b = march_16.rows.frame.row(0, named=True), march_18.rows.frame.row(0, named=True)
    assert a["share_homes"] == b["share_homes"]  # now is now
    assert a["share_homes_since"] != b["share_homes_since"]
    tile = {t.label: t.value for t in march_18.tiles}["Change since 31 Mar 2018"]
    assert tile == f"{b['share_homes'] - b['share_homes_since']:+.1f} pts"


def test_counting_carried_over_ratings_changes_the_rows(sample_source):
    left_out = built(sample_source, "care_home_table", {})
    counted = built(sample_source, "care_home_table", {"carried_over": "true"})
    assert left_out.rows.frame.height == counted.rows.frame.height  # the same homes
    rated = [f.filter(pl.col("last_rated").is_not_null()).height
             for f in (left_out.rows.frame, counted.rows.frame)]  # fmt: skip
    assert rated[1] > rated[0]  # carried-over ratings give homes a rating


def test_a_provider_is_kept_by_id_and_named_for_the_page_link(sample_source):
    homes = sample_source.get(Need("care_homes")).frame
    provider = (
        homes.filter(pl.col("place_code") == "E08000004", pl.col("registered_to").is_null(),
                     pl.col("provider_name").is_not_null())
        .group_by("provider_id").len().sort("len", "provider_id", descending=True)["provider_id"][0]
    )  # fmt: skip
    result = built(sample_source, "care_home_table", {"provider": provider})
    assert set(result.rows.frame["provider_id"]) == {provider}
    label = result.names[provider]
    assert label.endswith("homes)") and provider not in label
    params, _ = parse(get_panel("care_home_table").Params, {"provider": provider})
    assert to_url(params, result.names)["homes_provider"] == label  # what the page's list shows
