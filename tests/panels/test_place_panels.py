"""The outcome and neighbourhood panels keep the panel contract (tests/panels/suite.py)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from panels.core import Need, PanelProblem
from panels.params import parse
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.panels.suite import PanelContractSuite

EMERGENCY = "emergency_admissions_65plus"


class TestOutcomeSpc(PanelContractSuite):
    panel_id = "outcome_spc"
    examples = ({"indicator": EMERGENCY}, {"indicator": "EMERGENCY ADMISSIONS, AGED 65+"})


class TestOutcomeClusters(PanelContractSuite):
    panel_id = "outcome_clusters"
    examples = ({"indicator": EMERGENCY}, {})


class TestSpcGrid(PanelContractSuite):
    panel_id = "spc_grid"


class TestClusterMap(PanelContractSuite):
    panel_id = "cluster_map"
    examples = ({}, {"level": "lsoa", "scheme": "quintiles", "confidence": "99.8"})


class TestClusterCompare(PanelContractSuite):
    panel_id = "cluster_compare"
    examples = ({}, {"indicator": "imd_score", "confidence": "99.8"})


class TestClusterTable(PanelContractSuite):
    panel_id = "cluster_table"
    examples = ({}, {"level": "lsoa", "confidence": "99.8"})


class TestAreaAges(PanelContractSuite):
    panel_id = "area_ages"


class TestAreaProfile(PanelContractSuite):
    panel_id = "area_profile"
    examples = ({}, {"confidence": "99.8"})


def built(source: CatalogSource, panel_id: str, raw: dict, place: str = "E08000004"):
    panel = get_panel(panel_id)
    params, problems = parse(panel.Params, {**raw, "place": place})
    assert problems == [], problems
    return run(panel, params, source)


def test_an_unknown_indicator_is_a_sentence_with_a_suggestion(sample_source):
    result = built(sample_source, "outcome_spc", {"indicator": "emergency admisions 65+"})
    assert isinstance(result, PanelProblem)
    assert "Unknown indicator 'emergency admisions 65+'" in str(result)
    assert "did you mean" in str(result)


def test_rebase_points_are_events_of_the_place(sample_source):
    plain = built(sample_source, "outcome_spc", {"indicator": EMERGENCY})
    assert not isinstance(plain, PanelProblem)
    assert set(plain.rows.frame["limits period"].to_list()) == {1}
    from metrics import outcomes as om

    areas = sample_source.get(Need("areas")).frame
    events = om.events_for(sample_source.get(Need("events")).frame, areas, "E08000004")
    label = next(iter(om.event_choices(events)))
    rebased = built(sample_source, "outcome_spc", {"indicator": EMERGENCY, "rebase": [label]})
    assert not isinstance(rebased, PanelProblem), str(rebased)
    assert set(rebased.rows.frame["limits period"].to_list()) == {1, 2}
    wrong = built(sample_source, "outcome_spc", {"indicator": EMERGENCY, "rebase": ["Mar 1999: x"]})
    assert isinstance(wrong, PanelProblem) and "Mar 1999: x" in str(wrong)


def test_outcomes_are_fetched_for_the_place_and_its_clusters_only(sample_source):
    source = CatalogSource(sample_source.catalog)
    result = built(source, "outcome_spc", {"indicator": EMERGENCY})
    assert not isinstance(result, PanelProblem)
    fetched = [n for n in source.requests if n.dataset == "outcomes"]
    assert len(fetched) == 1
    codes = set(fetched[0].where["area_code"])
    areas = source.get(Need("areas")).frame
    oldham = areas.filter(
        (areas["area_code"] == "E08000004")
        | ((areas["parent_code"] == "E08000004") & (areas["area_type"] == "cluster"))
    )
    assert codes == set(oldham["area_code"]) and len(codes) > 1


@pytest.mark.parametrize("level", ["95", "99.8"])
def test_the_confidence_level_reaches_the_map_rows(sample_source, level):
    result = built(sample_source, "cluster_map", {"confidence": level})
    assert not isinstance(result, PanelProblem)
    assert result.rows.frame.height > 0
    other = built(sample_source, "cluster_map", {"confidence": "99.8" if level == "95" else "95"})
    widths = [
        (r.rows.frame["upper"] - r.rows.frame["lower"]).drop_nulls().sum() for r in (result, other)
    ]
    assert (widths[0] < widths[1]) == (level == "95")


def test_the_age_panel_gives_the_place_share_of_residents_aged_65_and_over(sample_source):
    """The place's share, summed by hand from its small areas' counts in the latest year."""
    result = built(sample_source, "area_ages", {})
    assert not isinstance(result, PanelProblem)
    lsoas = built(sample_source, "cluster_table", {"level": "lsoa"}).rows.frame["area_code"]
    population = sample_source.get(Need("population")).frame
    oldham = population.filter(
        pl.col("area_code").is_in(lsoas.to_list()) & (pl.col("period_start") == date(2020, 6, 30))
    )
    count = {
        i: oldham.filter(pl.col("indicator_id") == i)["value"].sum()
        for i in ("population_65_plus", "population_total")
    }
    share = 100 * count["population_65_plus"] / count["population_total"]
    older = result.rows.frame.filter(pl.col("band") == "65+")
    assert older["value"].item() == pytest.approx(share)
    assert result.title == f"{share:.1f}% aged 65+ in Oldham (mid-2020)"


def test_a_small_area_measure_is_not_compared_across_clusters(sample_source):
    result = built(sample_source, "cluster_compare", {"indicator": "imd_decile"})
    assert isinstance(result, PanelProblem)
    assert "cannot be added up or averaged into clusters" in str(result)
    assert "choose Small areas (LSOA)" in str(result)


def test_the_table_behind_the_map_holds_every_small_area_with_small_counts_hidden(sample_source):
    by_lsoa = built(
        sample_source, "cluster_table", {"level": "lsoa", "indicator": "population_85_plus_share"}
    )
    assert not isinstance(by_lsoa, PanelProblem)
    assert by_lsoa.rows.height == 142  # Oldham's LSOAs (2021)
    assert by_lsoa.rows.frame["area_code"].str.starts_with("E01").all()
    assert by_lsoa.title.startswith("142 small areas (LSOAs) in Oldham, Residents aged 85+")
    assert (by_lsoa.rows.frame["numerator"] == "*").any()
    by_cluster = built(sample_source, "cluster_table", {})
    assert by_cluster.rows.height == 5  # Oldham's five clusters
    assert by_cluster.rows.frame["area_name"].str.starts_with("Oldham ").all()


def test_the_profile_compares_a_cluster_with_its_place_and_the_place_with_england(sample_source):
    place = built(sample_source, "area_profile", {})
    assert place.title.endswith("indicators, against England.")
    assert place.rows.frame["place_value"].is_null().all()
    panel = get_panel("area_profile")
    params, _ = parse(panel.Params, {"place": "E08000004", "cluster": "Oldham North"})
    cluster = run(panel, params, sample_source)
    assert not isinstance(cluster, PanelProblem), str(cluster)
    assert cluster.title.startswith("Oldham North: ")
    assert cluster.title.endswith("indicators, against Oldham and England.")
    assert cluster.rows.frame["place_value"].is_not_null().any()
