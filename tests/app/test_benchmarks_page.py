"""The Benchmarks page answers "which Oldham cluster has the highest emergency admissions 65+,
and is it significantly different from Oldham?" on screen, says the figures are crude rates and
synthetic, and shows a person with one cluster (and no downloads) nothing of the others."""

from __future__ import annotations

import pytest

from metrics.compare import SPC_WORDS
from panels.core import SYNTHETIC_LABEL
from tests.app.conftest import open_app, sign_in
from tests.app.test_download_audit import Recorder

ACCESS = """\
[users."erin@oldham.gov.uk"]
clusters = ["E08000004-south"]
downloads = false
"""
QUESTION = {"bench_indicator": "Emergency admissions, aged 65+"}


def drawn(at) -> str:
    return " ".join(str(node.proto) for block in (at.main, at.sidebar) for node in block)


def test_the_page_names_the_cluster_that_differs_from_oldham():
    at = open_app("benchmarks", QUESTION)
    headers = [h.value for h in at.header]
    assert any(
        h.startswith(
            "Oldham Central has the highest emergency admissions, aged 65+, "
            "significantly higher than Oldham (worse)"
        )  # fmt: skip
        for h in headers
    ), headers
    captions = " ".join(c.value for c in at.caption)
    assert "Crude rates (not age" in captions and SYNTHETIC_LABEL in captions
    assert at.get("plotly_chart"), "the chart is drawn"
    assert not any(word in " ".join(headers).lower() for word in SPC_WORDS)
    assert [s.value for s in at.selectbox if s.label == "Period"][
        0
    ] == "The 12 months Apr 2025 to Mar 2026"


def test_changing_the_confidence_changes_the_finding():
    at = open_app("benchmarks", {**QUESTION, "bench_confidence": "99.8%"})
    headers = " ".join(h.value for h in at.header)
    assert "at 99.8%: Oldham North (lower, better)" in headers
    assert "Oldham East (lower" not in headers


def test_a_financial_year_is_chosen_by_the_url():
    at = open_app("benchmarks", {**QUESTION, "bench_period": "2019/20"})
    assert any("(95% confidence, 2019/20)" in h.value for h in at.header)


@pytest.fixture
def one_cluster(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(path))


def test_a_person_with_one_cluster_sees_only_that_cluster_and_no_downloads(
    one_cluster, monkeypatch
):
    recorder = Recorder()
    recorder.install(monkeypatch)
    at = open_app("benchmarks", QUESTION, setup=sign_in("erin@oldham.gov.uk"))
    page = drawn(at)
    assert "Oldham South" in page
    for other in ("Oldham Central", "Oldham East", "Oldham North", "Chadderton"):
        assert other not in page, other
    assert "Oldham as a whole: not in your access" in page
    assert "significantly" not in " ".join(h.value for h in at.header)
    assert [b.label for b in at.get("download_button")] == []
    assert recorder.items == []
    assert "Peers are compared for whole places only" in page
    assert "Rochdale" not in page and "Walsall" not in page  # Oldham's peers, not shown


def test_the_page_compares_oldham_with_its_statistical_neighbours():
    at = open_app(
        "benchmarks", {**QUESTION, "peer_figure": "Depression recorded prevalence (QOF 2019/20)"}
    )
    assert "Oldham against places like it" in [s.value for s in at.subheader]
    page = drawn(at).replace("<br>", " ").replace("\\u003cbr\\u003e", " ")
    assert "Oldham would have about 1,940 more patients on the depression register" in page
    assert "Real data: published council figures." in [c.value for c in at.caption]
    assert len(at.get("plotly_chart")) == 2, "the clusters chart and the peers chart"
