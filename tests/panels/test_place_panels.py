"""The outcome and neighbourhood panels keep the panel contract (tests/panels/suite.py)."""

from __future__ import annotations

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
