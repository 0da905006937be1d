"""The real adult social care panel (the council's PSS-EX1 return) keeps the panel contract and
shows the return's own figures."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from panels.core import PanelProblem
from panels.params import parse
from panels.registry import get_panel
from panels.source import run
from tests.panels.suite import PanelContractSuite


class TestAscBySetting(PanelContractSuite):
    panel_id = "asc_by_setting"


def built(source, place: str, **area):
    panel = get_panel("asc_by_setting")
    params, problems = parse(panel.Params, {"place": place})
    assert problems == []
    return run(panel, dataclasses.replace(params, **area), source)


def test_oldham_long_term_spend_is_the_return_s_total_and_care_home_share(sample_source):
    result = built(sample_source, "E08000004")
    assert not isinstance(result, PanelProblem), str(result)
    # PSS-EX1 2014-15, Oldham, gross, long-term, all reasons, £000s: total 18-64 22,961 and 65+
    # 26,865; nursing 532 + 3,411 and residential 1,265 + 14,509
    total, homes = 22_961 + 26_865, 532 + 3_411 + 1_265 + 14_509
    assert result.rows.frame["amount_gbp"].sum() == pytest.approx(total * 1000)
    assert result.title == (
        f"Oldham: £{total / 1000:.1f}m gross spend on long-term adult social care in 2014/15, "
        f"{100 * homes / total:.0f}% of it in care homes"
    )
    assert result.caption.status == "Real data."
    assert "NHS Digital PSS-EX1" in result.caption.source
    bars = {t.name: t for t in result.figure.data}
    assert set(bars) == {"Aged 18 to 64", "Aged 65 and over"}
    assert result.figure.layout.xaxis.range[0] < 0  # the credit of 'other long-term care' shows
    # a projector's width: the long finding wraps, the legend sits under the axis
    assert "<br>" in result.figure.layout.title.text and result.figure.layout.legend.y < 0
    residential = result.rows.frame.filter(pl.col("setting") == "care_homes_residential")
    assert residential["amount_gbp"].sum() == pytest.approx((1_265 + 14_509) * 1000)


def test_a_place_without_a_whole_place_grant_is_told_the_return_is_not_in_its_access(
    sample_source,
):
    class Part:
        """The sample data, for a person whose access covers some of Oldham's clusters."""

        def get(self, need):
            return sample_source.get(need)

        def covers_place(self, place_code):
            return False

    result = built(Part(), "E08000004")
    assert isinstance(result, PanelProblem)
    assert (
        str(result) == "The council's return covers Oldham as a whole, which is not in your access."
    )
