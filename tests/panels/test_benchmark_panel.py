"""The benchmark panel: Oldham's clusters against Oldham on an outcome rate, in significance
words, with rows under disclosure control, and without the place for a one-cluster grant."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from metrics.compare import SPC_WORDS
from panels.benchmarks import BenchParams
from panels.core import PanelProblem
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.panels.suite import PanelContractSuite

EMERGENCY = "emergency_admissions_65plus"


class TestClusterBenchmark(PanelContractSuite):
    panel_id = "cluster_benchmark"
    examples = (
        {"indicator": EMERGENCY},
        {"indicator": "reablement_91_days", "period": "2019/20", "confidence": "99.8"},
    )


def built(source: CatalogSource, **values):
    result = run(get_panel("cluster_benchmark"), BenchParams(place="E08000004", **values), source)
    assert not isinstance(result, PanelProblem), result
    return result


def test_oldham_central_is_significantly_higher_than_oldham(sample_source):
    result = built(sample_source, indicator=EMERGENCY)
    assert result.title.startswith(
        "Oldham Central has the highest emergency admissions, aged 65+, significantly higher "
        "than Oldham (worse); also significantly different at 95%: Oldham East (lower, better), "
        "Oldham North (lower, better)"
    )
    assert "the 12 months Apr 2025 to Mar 2026" in result.title
    assert not any(word in result.title.lower() for word in SPC_WORDS)
    rows = result.rows.frame
    assert rows.height == 5
    central = rows.filter(pl.col("area_name") == "Oldham Central").row(0, named=True)
    # released counts are rounded to 5 and shown as text; the value is worked from them
    assert central["numerator"] == "1175" and central["denominator"] == "45830"
    assert central["value"] == pytest.approx(2563.8228, abs=1e-3)  # 1175 / 45830 x 100,000
    assert (central["vs_95"], central["vs_99_8"]) == ("worse", "worse")
    assert result.caption.synthetic is True
    assert "Crude rates" in result.extras["kind"]
    assert result.native is not None and result.native.categories[0] == "Oldham Central"


def test_at_99_8_fewer_clusters_differ(sample_source):
    result = built(sample_source, indicator=EMERGENCY, confidence="99.8")
    assert "at 99.8%: Oldham North (lower, better)" in result.title
    assert "Oldham East (lower" not in result.title


def test_a_count_and_a_missing_year_are_said_in_words(sample_source):
    panel = get_panel("cluster_benchmark")
    for values, words in (
        ({"indicator": "ae_attendances"}, "not an outcome rate or percentage"),
        ({"indicator": EMERGENCY, "period": "2030/31"}, "has no complete period '2030/31'"),
    ):
        result = run(panel, BenchParams(place="E08000004", **values), sample_source)
        assert isinstance(result, PanelProblem) and words in str(result)


def test_without_the_whole_place_there_is_no_place_line_or_comparison(sample_source):
    panel = get_panel("cluster_benchmark")
    params = BenchParams(place="E08000004", indicator=EMERGENCY)

    class OneCluster(CatalogSource):
        def covers_place(self, place_code: str) -> bool:
            return False

        def get(self, need):  # the data layer keeps only the person's cluster
            item = super().get(need)
            if need.dataset == "outcomes" and item.frame is not None:
                frame = item.frame.filter(pl.col("area_code") == "E08000004-east")
                return dataclasses.replace(item, frame=frame)
            return item

    result = run(panel, params, OneCluster(sample_source.catalog))
    assert not isinstance(result, PanelProblem), result
    assert "Oldham as a whole: not in your access" in result.title
    assert result.rows.frame["area_name"].to_list() == ["Oldham East"]
    assert result.rows.frame["benchmark"].to_list() == [None]
    assert result.rows.frame["vs_95"].to_list() == ["not compared"]
    assert result.extras["benchmark"] is None
