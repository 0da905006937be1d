"""The peers panel: Oldham against its 10 statistical neighbours on real published council
figures, with the gap in people or pounds, and refused for a person without the whole place."""

from __future__ import annotations

import polars as pl
import pytest

from panels.core import PanelProblem
from panels.peers import PeerParams
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.panels.suite import PanelContractSuite

OLDHAM_PEERS = [
    "Rochdale", "Walsall", "Wolverhampton", "Stoke-on-Trent", "Bradford", "Tameside", "Halton",
    "Bolton", "Newcastle upon Tyne", "Blackburn with Darwen",
]  # fmt: skip


class TestPeerBenchmark(PanelContractSuite):
    panel_id = "peer_benchmark"
    examples = (
        {"figure": "qof_depression_2019_20"},
        {"figure": "Dementia recorded prevalence (QOF 2019/20)"},
    )


def built(source: CatalogSource, place: str = "E08000004", **values):
    result = run(get_panel("peer_benchmark"), PeerParams(place=place, **values), source)
    assert not isinstance(result, PanelProblem), result
    return result


def test_oldham_depression_register_against_its_peers(sample_source):
    result = built(sample_source, figure="qof_depression_2019_20")
    rows = result.rows.frame
    names = set(rows["area_name"].to_list())
    assert names == {"Oldham", *OLDHAM_PEERS}
    # QOF 2019/20: Oldham 13.05% of registered patients; the ten peers' median 14.06%;
    # (14.0592% - 13.0547%) x Oldham's list of 192,919 = about 1,938 people -> "about 1,940"
    assert result.title == (
        "Depression recorded prevalence (QOF 2019/20): Oldham 13.1% against its peers' median "
        "14.1%. At its peers' median rate, Oldham would have about 1,940 more patients on the "
        "depression register"
    )
    comparison = result.extras["comparison"]
    assert comparison.rank == 7 and comparison.of == 11
    assert result.caption.synthetic is False
    oldham = rows.filter(pl.col("area_name") == "Oldham").row(0, named=True)
    assert oldham["value"] == pytest.approx(13.0547, abs=1e-4)


def test_pounds_gap_and_fewer_peers_said(sample_source):
    result = built(sample_source, figure="bcf_ic_reablement_2023_24")
    assert "would plan about £" in result.title and "million more" in result.title
    assert "9 of its 10 peers have this figure" in result.figure.layout.title.subtitle.text.replace(
        "<br>", " "
    )


def test_manchester_has_no_bcf_figure_and_says_so(sample_source):
    result = run(get_panel("peer_benchmark"),
                 PeerParams(place="E08000003", figure="bcf_ic_reablement_2023_24"), sample_source)  # fmt: skip
    assert isinstance(result, PanelProblem)
    assert "not published for Manchester or for at least 3 of its peers" in str(result)


def test_an_unknown_figure_names_the_closest(sample_source):
    result = run(get_panel("peer_benchmark"), PeerParams(place="E08000004", figure="dementa"),
                 sample_source)  # fmt: skip
    assert isinstance(result, PanelProblem) and "'dementa' is not a council figure" in str(result)


def test_a_one_cluster_person_gets_no_peers(sample_source):
    class OneCluster(CatalogSource):
        def covers_place(self, place_code: str) -> bool:
            return False

    result = run(get_panel("peer_benchmark"), PeerParams(place="E08000004"),
                 OneCluster(sample_source.catalog))  # fmt: skip
    assert isinstance(result, PanelProblem)
    assert "whole places only" in str(result)
