"""The spend panels keep the panel contract (tests/panels/suite.py), and their numbers are the page's."""

from __future__ import annotations

import polars as pl
import pytest

from panels.core import Need, PanelProblem
from panels.params import parse
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.panels.suite import PanelContractSuite

REAL = {"prices": "real", "base": "2019/20"}
CHOSEN = {
    "organisations": ["nhs"],
    "pools": ["pooled", "outside"],
    "setting_groups": ["acute", "community"],
}


class TestSpendTiles(PanelContractSuite):
    panel_id = "spend_tiles"
    examples = ({}, REAL, CHOSEN)


class TestSpendHeadline(PanelContractSuite):
    panel_id = "spend_headline"
    examples = ({}, REAL)


class TestAcuteShare(PanelContractSuite):
    panel_id = "acute_share"
    examples = ({}, REAL)


class TestSpendByGroup(PanelContractSuite):
    panel_id = "spend_by_group"
    examples = ({}, {"per": "resident"}, {"per": "need-weighted head", **REAL})


class TestSpendWaterfall(PanelContractSuite):
    panel_id = "spend_waterfall"
    examples = ({}, CHOSEN)


class TestSpendPools(PanelContractSuite):
    panel_id = "spend_pools"


class TestSpendPoolTable(PanelContractSuite):
    panel_id = "spend_pool_table"
    examples = ({}, {"table_pool": "bcf"})


class TestSpendClusters(PanelContractSuite):
    panel_id = "spend_clusters"


class TestSpendVariance(PanelContractSuite):
    panel_id = "spend_variance"


def built(source: CatalogSource, panel_id: str, raw: dict, place: str = "E08000004"):
    panel = get_panel(panel_id)
    params, problems = parse(panel.Params, {**raw, "place": place})
    assert problems == []
    return run(panel, params, source)


def test_oldham_acute_share_is_acute_outturn_over_all_outturn(sample_source):
    """The panel's share equals the sample rows summed by hand."""
    result = built(sample_source, "acute_share", {})
    assert not isinstance(result, PanelProblem)
    rows = result.rows.frame
    spend = sample_source.get(Need("spend", where={"place_code": "E08000004"})).frame
    settings = sample_source.get(Need("settings")).frame
    last = spend.filter(pl.col("financial_year") == "2024/25", pl.col("measure") == "outturn")
    last = last.join(settings, on="setting")
    acute = last.filter(pl.col("setting_group") == "acute")["amount_gbp"].sum()
    expected = 100 * acute / last["amount_gbp"].sum()
    got = rows.filter(pl.col("financial_year") == "2024/25")["acute_share"].item()
    assert got == pytest.approx(expected, abs=1e-9)


def test_every_spend_panel_takes_every_choice_of_the_page():
    """One parameter class for the page: 'Add to deck' from any chart keeps every choice."""
    ids = ("spend_tiles", "spend_headline", "acute_share", "spend_by_group", "spend_waterfall",
           "spend_pools", "spend_pool_table", "spend_clusters", "spend_variance")  # fmt: skip
    classes = {get_panel(i).Params for i in ids}
    assert len(classes) == 1
    (cls,) = classes
    names = {"organisations", "pools", "setting_groups", "prices", "base", "per", "table_pool"}
    assert names <= set(cls.__dataclass_fields__)


def test_real_terms_at_a_year_without_a_deflator_is_a_sentence(sample_source):
    result = built(sample_source, "acute_share", {"prices": "real", "base": "1999/00"})
    assert isinstance(result, PanelProblem)
    assert "1999/00" in str(result) and "deflator" in str(result)
