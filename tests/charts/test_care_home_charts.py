"""Care home figures: findings in titles, CQC order and colours with labels, the offline map and its size."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from charts import care_homes as charts
from charts.theme import CQC_RATING_COLOURS
from geo.clusters import dissolve_areas
from loaders import load_catalog, load_dataset
from metrics.care_quality import rating_share_series
from metrics.care_quality_changes import rating_transitions
from metrics.care_quality_market import home_table, key_question_mix, share_change
from metrics.care_quality_select import for_homes, market_base, select_homes
from metrics.care_quality_time import rating_mix_series
from tests.conftest import SAMPLE_CATALOG
from tests.metrics.test_care_quality_time import END, HOMES, RATINGS, START

NOTE = {"source": "CQC ratings", "as_at": "31 Mar 2019", "synthetic": False}


def test_day_format():
    assert charts.day(date(2019, 3, 1)) == "1 Mar 2019" and charts.day(None) == "n/a"


def test_trend_title_states_the_change_and_draws_target_and_events():
    series = rating_share_series(HOMES, RATINGS, [START, date(2018, 3, 31), END])
    events = pl.DataFrame({"date": [date(2018, 4, 1)], "label": ["Fees aligned to ratings"]})
    fig = charts.trend_figure(
        series,
        area_name="Place",
        since=START,
        target=(80.0, date(2017, 4, 1)),
        events=events,
        **NOTE,
    )
    # 2016: 1 of 2 rated homes Good (50%); 2019: 1 of 2 (50%)
    assert fig.layout.title.text == (
        "Care homes rated Good or better stayed at 50.0% (31 Dec 2016 to 31 Mar 2019)"
    )
    names = [t.name for t in fig.data]
    assert names[:2] == ["Homes rated Good or better", "Beds rated Good or better"]
    assert names[2] == "Target 80% (from 1 Apr 2017)" and list(fig.data[2].y) == [80.0, 80.0]
    assert any(a.text == "Fees aligned to ratings" for a in fig.layout.annotations)
    assert list(fig.layout.yaxis.range) == [0, 100]
    assert "As at 31 Mar 2019" in fig.layout.annotations[-1].text


def test_trend_rose_and_fell_titles():
    series = pl.DataFrame(
        {
            "as_of": [START, END],
            "share_homes": [40.0, 85.4],
            "share_beds": [30.0, 80.5],
            "homes_rated": [10, 12],
            "beds_rated": [300, 400],
        }
    )
    rose = charts.trend_figure(series, area_name="Oldham", **NOTE).layout.title.text
    assert rose.startswith("Care homes rated Good or better rose from 40.0% (31 Dec 2016) to 85.4%")
    fell = charts.trend_figure(
        series.reverse().with_columns(as_of=series["as_of"]), area_name="X", **NOTE
    )
    assert "fell from 85.4%" in fell.layout.title.text


def test_mix_in_cqc_order_with_non_ratings_folded_and_counts_in_the_title():
    fig = charts.mix_figure(rating_mix_series(HOMES, RATINGS, [START, END]), **NOTE)
    assert [t.name for t in fig.data] == [
        "Good",
        "Requires improvement",
        "Inadequate",
        "Not rated yet",
    ]
    assert [t.marker.color for t in fig.data[:3]] == [
        CQC_RATING_COLOURS[r] for r in ("Good", "Requires improvement", "Inadequate")
    ]
    assert fig.layout.title.text == "On 31 Mar 2019: 1 Good, 1 Inadequate, 1 Not rated yet"
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"


def test_transition_matrix_counts_and_title():
    fig = charts.transition_figure(
        rating_transitions(HOMES, RATINGS, START, END), START, END, **NOTE
    )
    heat = fig.data[0]
    assert list(heat.y) == ["Good", "Requires improvement", "Not rated yet", "Not open then"]
    assert list(heat.x) == ["Good", "Inadequate", "Not rated yet", "Closed since"]
    assert [list(row) for row in heat.z] == [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]
    assert fig.layout.title.text == "1 home improved their rating and 0 got worse"


def test_key_questions_labelled_with_counts_and_the_weakest_named():
    cqc = pl.concat(
        [
            RATINGS,
            pl.DataFrame(
                {
                    "location_id": ["A"],
                    "published": [date(2018, 6, 1)],
                    "rating": ["Inadequate"],
                    "key_question": ["Safe"],
                }
            ),
        ],
        how="diagonal",
    )
    fig = charts.key_question_figure(key_question_mix(HOMES, cqc, END, ("Overall", "Safe")), **NOTE)
    # Safe: A Inadequate, C and D no Safe rating; Overall (C Inadequate) is not a key question
    assert fig.layout.title.text == "Safe has the most homes rated below Good: 1"
    good = next(t for t in fig.data if t.name == "Good")
    assert list(good.y) == ["Overall", "Safe"] and list(good.text) == ["1", ""]
    assert all(t.textfont.color for t in fig.data)  # every segment's number has a readable colour


def test_cluster_chart_does_not_rank_clusters_of_one_or_two_rated_homes():
    named = HOMES.with_columns(cluster_name=pl.Series(["North", "North", "South", "South"]))
    change = share_change(named, RATINGS, START, END, by="cluster_name")
    fig = charts.cluster_figure(change, START, **NOTE)
    # North: A RI + B Good (1 of 2, 50%) -> A Good (1 of 1, 100%); South: nothing rated -> C
    # Inadequate (0 of 1): too few homes to say which improved most
    assert fig.layout.title.text == (
        "No cluster has 5 or more rated homes on both dates: too few to rank"
    )
    assert (
        "fewer than 5 rated homes on either date are not ranked" in fig.layout.title.subtitle.text
    )
    values = next(t for t in fig.data if t.name == "Values")
    assert list(values.text) == ["0%<br>0 of 1 rated home", "100% (was 50%)<br>1 of 1 rated home"]
    assert list(values.x) == [1.5, 101.5]  # right of the bar and of the earlier mark
    # the setting: with a minimum of one home, North's real rise is named, with its counts
    fig = charts.cluster_figure(change, START, min_rated=1, **NOTE)
    assert fig.layout.title.text == (
        "The share rated Good or better rose most in North, from 50.0% (1 of 2 rated homes) to 100.0% (1 of 1 rated home)"
    )


def cluster_homes(name: str, then: tuple[int, int], now: tuple[int, int]):
    """`now[1]` homes of cluster `name` registered early: `then[1]` of them rated on 1 Jun 2016
    (the first `then[0]` Good, the rest Requires improvement) and every one rated again on
    1 Jun 2018 (the first `now[0]` Good)."""
    from tests.metrics.test_care_quality import EARLY, homes, ratings

    ids = [f"{name}-{i}" for i in range(now[1])]
    found = homes(*((i, 10, EARLY, None) for i in ids)).with_columns(cluster_name=pl.lit(name))
    rated = [
        (i, date(2016, 6, 1), "Good" if k < then[0] else "Requires improvement")
        for k, i in enumerate(ids[: then[1]])
    ]
    rated += [
        (i, date(2018, 6, 1), "Good" if k < now[0] else "Requires improvement")
        for k, i in enumerate(ids)
    ]
    return found, ratings(*rated)


CLUSTERS = {  # hand-made: (Good, rated) on 31 Dec 2016 and on 31 Mar 2019
    "Tiny": ((0, 2), (4, 5)),  # 0.0% -> 80.0%, but only 2 rated homes then
    "Big": ((8, 15), (12, 15)),  # 53.3% -> 80.0%
    "Level": ((5, 10), (5, 10)),  # stayed at 50.0%
    "Fell": ((6, 6), (3, 6)),  # 100.0% -> 50.0%
}


def cluster_change(*names: str) -> pl.DataFrame:
    parts = [cluster_homes(n, *CLUSTERS[n]) for n in names]
    homes = pl.concat([h for h, _ in parts], how="vertical_relaxed")
    rated = pl.concat([r for _, r in parts], how="vertical_relaxed")
    return share_change(homes, rated, START, END, by="cluster_name")


def test_the_cluster_with_enough_homes_that_rose_most_is_named_with_its_counts():
    change = cluster_change("Tiny", "Big", "Level", "Fell")
    fig = charts.cluster_figure(change, START, **NOTE)
    # Tiny rose 80 points but on 2 rated homes; Big rose 26.7 points on 15
    assert fig.layout.title.text == (
        "The share rated Good or better rose most in Big, from 53.3% (8 of 15 rated homes) to 80.0% (12 of 15 rated homes)"
    )
    values = next(t for t in fig.data if t.name == "Values")
    text = dict(zip(values.y, values.text, strict=True))
    assert text["Big"] == "80% (was 53%)<br>12 of 15 rated homes"
    assert text["Tiny"] == "80% (was 0%)<br>4 of 5 rated homes"
    # with the minimum lowered to 2, Tiny's rise counts (the setting is honoured)
    assert charts.improved_most(change, START, min_rated=2) == (
        "The share rated Good or better rose most in Tiny, from 0.0% (0 of 2 rated homes) to 80.0% (4 of 5 rated homes)"
    )


def test_a_cluster_that_stayed_level_or_fell_never_improved_most():
    change = cluster_change("Tiny", "Level", "Fell")
    for minimum in (1, 5):
        title = charts.improved_most(change, START, min_rated=minimum)
        assert "Level" not in title and "Fell" not in title
    assert charts.improved_most(change, START) == (
        "No cluster with 5 or more rated homes on both dates improved its share rated Good or "
        "better since 31 Dec 2016"
    )


def test_no_cluster_with_enough_homes_says_so_plainly():
    fig = charts.cluster_figure(cluster_change("Tiny"), START, **NOTE)
    assert fig.layout.title.text == (
        "No cluster has 5 or more rated homes on both dates: too few to rank"
    )


def test_a_tie_for_most_homes_below_good_names_both_key_questions():
    cqc = pl.concat(
        [
            RATINGS.with_columns(key_question=pl.lit("Overall")),
            pl.DataFrame(
                {
                    "location_id": ["A", "C"],
                    "published": [date(2018, 6, 1), date(2018, 6, 1)],
                    "rating": ["Inadequate", "Requires improvement"],
                    "key_question": ["Safe", "Well-led"],
                }
            ),
        ],
        how="diagonal",
    )
    mix = key_question_mix(HOMES, cqc, END, ("Overall", "Safe", "Well-led"))
    fig = charts.key_question_figure(mix, **NOTE)
    assert fig.layout.title.text == "Safe and Well-led have the most homes rated below Good: 1 each"


@pytest.fixture(scope="module")
def oldham_map():
    catalog = load_catalog(SAMPLE_CATALOG)
    frames = {
        n: load_dataset(n, catalog) for n in ("care_homes", "cqc_ratings", "areas", "boundaries")
    }
    base = market_base(
        frames["care_homes"], frames["cqc_ratings"], frames["areas"], today=date(2026, 11, 22)
    )
    oldham = select_homes(base.homes, "E08000004")
    table = home_table(oldham, for_homes(oldham, base.ratings), date(2025, 2, 27))
    clusters = dissolve_areas(
        frames["boundaries"], frames["areas"], "cluster", tolerance=0.0005, decimals=5
    )
    places = dissolve_areas(
        frames["boundaries"], frames["areas"], "place", tolerance=0.0005, decimals=5
    )
    fig = charts.care_home_map(
        table, clusters, places, place_code="E08000004", area_name="Oldham", **NOTE
    )
    return table, fig


def test_oldham_map_draws_offline_within_the_size_budget(oldham_map):
    table, fig = oldham_map
    kinds = [t.type for t in fig.data]
    assert kinds[:2] == ["choroplethmap", "scattermap"] and kinds.count("scattermap") >= 3
    assert len(fig.data[0].locations) == 5  # Oldham's five clusters only
    assert fig.layout.map.style == "white-bg" and fig.layout.uirevision == "E08000004|None"
    drawn = sum(len(t.lat) for t in fig.data[2:] if t.showlegend is not False)
    assert drawn == table.height
    assert "Contains OS data" in fig.layout.annotations[-1].text
    good = table.filter(pl.col("rating").cast(pl.String).is_in(["Good", "Outstanding"])).height
    assert (
        fig.layout.title.text
        == f"{good} of {table.height} care homes shown are rated Good or better, Oldham"
    )
    size = len(fig.to_json())
    assert size < 100_000, f"map figure is {size:,} bytes of JSON"
