"""Names in Plotly text show as typed: no tag in them is interpreted ("Trust II")."""

from __future__ import annotations

import json

import polars as pl

from charts.care_homes import cluster_figure
from charts.text import plotly_text, plotly_texts

LINK = 'East <a href="http://127.0.0.1:9/">x</a> <b>b</b><br>A&E'


def test_plotly_text_escapes_tags_and_ampersands_only():
    assert plotly_text(LINK) == (
        'East &lt;a href="http://127.0.0.1:9/"&gt;x&lt;/a&gt; &lt;b&gt;b&lt;/b&gt;&lt;br&gt;A&amp;E'
    )
    assert plotly_text("Oldham North ![b](http://x/b.png) *em* $x$") == (
        "Oldham North ![b](http://x/b.png) *em* $x$"  # not markdown: shown as typed
    )
    assert plotly_text(None) == ""
    assert plotly_texts(["<b>", None, 3]) == ["&lt;b&gt;", None, 3]


def test_a_cluster_named_like_a_link_is_text_in_the_figure():
    from datetime import date

    change = pl.DataFrame(
        {
            "cluster_name": [LINK, "West"],
            "share_homes": [80.0, 60.0],
            "share_homes_since": [50.0, 60.0],
            "change_homes_pp": [30.0, 0.0],
            "homes_good_or_better": [8, 6],
            "homes_rated": [10, 10],
            "homes_rated_since": [10, 10],
        }
    )
    fig = cluster_figure(change, date(2020, 3, 31), source="CQC")
    spec = json.dumps(json.loads(fig.to_json()))  # to_json writes < as \u003c
    assert "<a href" not in spec and "<b>b" not in spec and "&lt;a href" in spec
    assert fig.layout.title.text.startswith(
        "The share rated Good or better rose most in East &lt;a href="
    )
    assert plotly_text(LINK) in fig.data[0].y
