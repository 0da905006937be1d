"""Outcome series: place figures from numerators and denominators, checks, and the sample data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from formatting import format_value
from metrics import outcomes as om
from metrics.outcomes_checks import describe_periods

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

AREAS = pl.DataFrame(
    {
        "area_code": ["P", "C1", "C2"],
        "area_name": ["Placeton", "North", "South"],
        "area_type": ["place", "cluster", "cluster"],
        "parent_code": [None, "P", "P"],
        "vintage": ["x", "x", "x"],
    }
)
INDICATORS = pl.DataFrame(
    {
        "indicator_id": ["adm", "cnt", "pct"],
        "name": ["Admissions rate", "Carers", "At home"],
        "unit": ["per 100,000 per month", "carers", "%"],
        "polarity": ["lower_is_better", "higher_is_better", "higher_is_better"],
        "value_type": ["rate", "count", "proportion"],
        "multiplier": [100_000.0, 1.0, 100.0],
        "frequency": ["monthly", "monthly", "monthly"],
        "source": ["s", "s", "s"],
        "disclosure_control": [False, False, False],  # the disclosure tests switch it on
    }
)
DISCLOSED = INDICATORS.with_columns(disclosure_control=pl.lit(True))


def month(i: int) -> date:
    return date(2020 + i // 12, i % 12 + 1, 1)


def rows(indicator: str, area: str, nums, dens=None, values=None, start: int = 0) -> pl.DataFrame:
    n = len(nums)
    dens = dens if dens is not None else [None] * n
    if values is None:
        mult = {"adm": 100_000.0, "pct": 100.0}.get(indicator)
        values = [
            (a / b * mult if b else None) if mult else a for a, b in zip(nums, dens, strict=True)
        ]
    return pl.DataFrame(
        {
            "indicator_id": indicator,
            "area_code": area,
            "period_start": [month(start + i) for i in range(n)],
            "period_end": [month(start + i) for i in range(n)],
            "numerator": [float(x) if x is not None else None for x in nums],
            "denominator": [float(x) if x is not None else None for x in dens],
            "value": values,
        },
        schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64},
    )


def analyse(observations: pl.DataFrame, targets: pl.DataFrame | None = None, **kw):
    return om.analyse_place(observations, INDICATORS, targets, AREAS, place_code="P", **kw)


def steady(indicator: str, area: str, n: int = 14, **kw) -> pl.DataFrame:
    nums = [10 + (i % 3) for i in range(n)]
    dens = [1000] * n if indicator != "cnt" else None
    return rows(indicator, area, nums, dens, **kw)


def test_place_rates_come_from_numerators_and_denominators_not_averages():
    obs = pl.concat(
        [rows("adm", "C1", [10, 12], [1000, 1000]), rows("adm", "C2", [10, 8], [9000, 9000])]
    )
    place = om.area_series(obs, INDICATORS, *om.place_areas(AREAS, "P")).filter(
        pl.col("area_code") == "P"
    )
    assert place["value"].to_list() == pytest.approx([20 / 10_000 * 100_000, 20 / 10_000 * 100_000])
    mean_of_rates = (1000 + 10 / 9000 * 100_000) / 2
    assert place["value"][0] != pytest.approx(mean_of_rates)
    assert place["numerator"].to_list() == [20.0, 20.0]


def test_place_counts_are_sums():
    obs = pl.concat([steady("cnt", "C1"), steady("cnt", "C2")])
    a = analyse(obs)
    assert a.result("cnt", "P").frame["value"].to_list() == [2 * (10 + i % 3) for i in range(14)]


def test_every_series_of_a_clean_place_is_charted():
    obs = pl.concat([steady(i, c) for i in ("adm", "cnt", "pct") for c in ("C1", "C2")])
    a = analyse(obs)
    assert [ar.code for ar in a.areas] == ["P", "C1", "C2"]  # the place first
    assert [i.name for i in a.indicators] == ["Admissions rate", "At home", "Carers"]
    assert len(a.results) == 9 and all(r.ok for r in a.results.values())
    assert a.latest_period == month(13)
    r = a.result("adm", "C1")
    assert r.variation == "common_cause" and r.sentence.startswith("Admissions rate in North:")


def test_a_gap_is_reported_with_indicator_area_and_months_and_the_rest_still_works():
    c1 = steady("adm", "C1").filter(~pl.col("period_start").is_in([month(4), month(5)]))
    obs = pl.concat([c1, steady("adm", "C2"), steady("cnt", "C1"), steady("cnt", "C2")])
    a = analyse(obs)
    gap = a.result("adm", "C1")
    assert not gap.ok and gap.frame is None
    assert gap.problems == (
        "Admissions rate in North: 2 months are missing from the series (May 2020 to Jun 2020); "
        "an SPC chart needs every month from Jan 2020 to Feb 2021.",
    )
    place = a.result("adm", "P")
    assert "Placeton figure cannot be added up for May 2020 to Jun 2020" in place.problems[0]
    assert "no usable figure from North" in place.problems[0]
    assert a.result("adm", "C2").ok and a.result("cnt", "P").ok


def test_duplicate_periods_are_reported():
    c1 = steady("cnt", "C1")
    obs = pl.concat([c1, c1.slice(3, 1), steady("cnt", "C2")])
    problem = analyse(obs).result("cnt", "C1").problems[0]
    assert problem == (
        "Carers in North: more than one figure for the same month (Apr 2020); keep one row per month."
    )


def test_a_missing_or_non_numeric_value_is_reported():
    c1 = steady("cnt", "C1").with_columns(
        value=pl.when(pl.col("period_start") == month(2)).then(float("nan")).otherwise("value"),
        numerator=pl.when(pl.col("period_start") == month(2)).then(None).otherwise("numerator"),
    )
    a = analyse(pl.concat([c1, steady("cnt", "C2")]))
    assert a.result("cnt", "C1").problems == (
        "Carers in North: the value is missing or not a number for Mar 2020.",
    )
    assert not a.result("cnt", "P").ok and a.result("cnt", "C2").ok


def test_fewer_than_two_points_is_reported():
    obs = pl.concat([steady("cnt", "C1", n=1), steady("cnt", "C2", n=1)])
    problem = analyse(obs).result("cnt", "C1").problems[0]
    assert problem.startswith("Carers in North: only one month with a figure (Jan 2020)")
    assert "at least 2 points" in problem


def test_zero_denominator_months_are_left_out_with_a_note_not_an_error():
    c1 = rows("pct", "C1", [8, 0, 9, 7, 8, 9], [10, 0, 10, 10, 10, 10])
    c2 = rows("pct", "C2", [5, 4, 5, 6, 5, 4], [6, 5, 6, 7, 6, 5])
    a = analyse(pl.concat([c1, c2]))
    r = a.result("pct", "C1")
    assert r.ok and r.empty_periods == (month(1),) and r.frame.height == 5
    assert r.note.startswith(
        "At home in North: no figure for Feb 2020 because the denominator was 0"
    )
    assert a.result("pct", "P").frame["value"][1] == pytest.approx(4 / 5 * 100)
    table = om.table_rows(r)
    assert table.height == 6 and table["variation"][1] == "No figure (denominator 0)"


def test_rates_without_denominators_cannot_make_a_place_figure():
    c1 = rows("adm", "C1", [None] * 3, None, values=[100.0, 120.0, 110.0])
    c2 = rows("adm", "C2", [None] * 3, None, values=[90.0, 95.0, 99.0])
    a = analyse(pl.concat([c1, c2]))
    assert a.result("adm", "C1").ok
    assert "rates are never averaged" in a.result("adm", "P").problems[0]


def test_place_rows_in_the_data_are_used_as_they_are():
    given = rows("cnt", "P", [100 + i for i in range(14)])
    a = analyse(pl.concat([steady("cnt", "C1"), steady("cnt", "C2"), given]))
    assert a.result("cnt", "P").frame["value"][0] == 100.0


def test_targets_give_the_assurance_icon_from_the_date_they_start():
    obs = pl.concat([steady("adm", c) for c in ("C1", "C2")])
    targets = pl.DataFrame(
        {
            "indicator_id": ["adm", "adm"],
            "area_code": ["C1", "C1"],
            "period_start": [month(0), month(6)],
            "value": [5000.0, 500.0],
            "kind": ["target", "target"],
        }
    )
    r = analyse(obs, targets).result("adm", "C1")
    assert r.frame["target"].to_list()[:7] == [5000.0] * 6 + [500.0]
    assert r.assurance == "fail"  # lower is better and 500 is below the lower limit
    assert "consistently failing the target of 500" in r.sentence
    assert analyse(obs, targets).result("adm", "C2").assurance is None


def test_limits_stay_within_what_the_measure_can_take():
    obs = pl.concat(
        [rows("cnt", c, [0, 3, 0, 4, 1, 0, 3, 0, 2, 0, 4, 1, 2, 1]) for c in ("C1", "C2")]
    )
    frame = analyse(obs).result("cnt", "C1").frame
    assert frame["lower_limit"][0] == 0.0 and frame["lower_2sigma"][0] == 0.0


def test_a_long_special_cause_suggests_recalculating_the_limits():
    high = [10 + (i % 3) for i in range(12)] + [30 + (i % 3) for i in range(24)]
    obs = pl.concat([rows("cnt", c, high) for c in ("C1", "C2")])
    a = analyse(obs)
    hint = om.rebase_hint(a.result("cnt", "C1"))
    assert hint.startswith(
        "North has shown special cause variation for 25 months in a row, since Dec 2020"
    )
    assert om.rebase_hint(analyse(obs, rebase_at=(month(12),)).result("cnt", "C1")) == ""
    assert (
        om.rebase_hint(
            analyse(pl.concat([steady("cnt", c) for c in ("C1", "C2")])).result("cnt", "C1")
        )
        == ""
    )


def test_rebasing_by_date_is_passed_to_every_series():
    obs = pl.concat([steady("cnt", c, n=24) for c in ("C1", "C2")])
    a = analyse(obs, rebase_at=(date(2021, 1, 15),), indicator_ids=("cnt",))
    assert a.result("cnt", "C1").frame["segment"].to_list() == [0] * 13 + [1] * 11
    assert [i.indicator_id for i in a.indicators] == ["cnt"]


def test_observations_without_a_definition_are_named():
    obs = pl.concat([steady("cnt", "C1"), rows("mystery", "C1", [1, 2, 3])])
    assert analyse(obs).problems == (
        "Indicator 'mystery' has observations but no definition in the indicators table, "
        "so it cannot be charted.",
    )


def test_events_for_a_place_include_its_clusters_and_everywhere():
    events = pl.DataFrame(
        {
            "date": [date(2020, 3, 23), date(2019, 4, 1), date(2018, 1, 1), date(2021, 1, 1)],
            "area_code": [None, "P", "ELSEWHERE", "C2"],
            "label": ["Lockdown", "Pooled budget", "Other place", "Cluster launch"],
            "detail": [None, None, None, None],
        }
    )
    found = om.events_for(events, AREAS, "P")
    assert found["label"].to_list() == ["Pooled budget", "Lockdown", "Cluster launch"]
    assert list(om.event_choices(found)) == [
        "Apr 2019: Pooled budget",
        "Mar 2020: Lockdown",
        "Jan 2021: Cluster launch",
    ]
    assert list(om.event_choices(found, after=date(2020, 1, 1))) == [
        "Mar 2020: Lockdown",
        "Jan 2021: Cluster launch",
    ]
    assert om.events_for(None, AREAS, "P").is_empty()


def test_number_and_period_wording():
    assert format_value(82.345, "proportion", "%") == "82.3%"
    assert format_value(1902.4, "rate", "per 100,000") == "1,902"
    assert format_value(35.44, "rate", "per 100,000") == "35.4"
    assert format_value(8428.0, "count", "attendances") == "8,428"
    assert format_value(None, "count") == "n/a"
    assert describe_periods([month(0), month(1), month(2), month(7)]) == (
        "Jan 2020 to Mar 2020, Aug 2020"
    )
    many = describe_periods([month(2 * i) for i in range(8)])
    assert many.endswith("and 2 more")


@pytest.fixture(scope="module")
def sample():
    return {
        "observations": pl.read_parquet(SAMPLE / "outcomes.parquet"),
        "indicators": pl.read_csv(SAMPLE / "indicators.csv"),
        "targets": pl.read_csv(SAMPLE / "targets.csv", try_parse_dates=True),
        "areas": pl.read_parquet(SAMPLE / "areas.parquet"),
    }


@pytest.mark.parametrize(
    ("place", "clusters"),
    [("E08000001", 6), ("E08000003", 12), ("E08000004", 5), ("E08000015", 7)],
)
def test_every_cluster_of_every_sample_place_is_charted(sample, place, clusters):
    a = om.analyse_place(**sample, place_code=place)
    assert len(a.areas) == clusters + 1 and len(a.indicators) == 6
    assert len(a.results) == 6 * (clusters + 1)
    assert not a.series_problems()
    shown = [r for r in a.results.values() if r.ok]
    withheld = [r for r in a.results.values() if r.withheld]
    assert len(shown) + len(withheld) == len(a.results)
    assert all(r.frame.height >= 100 for r in shown)
    # small monthly numbers in clusters: delayed discharges and care home admissions
    assert {r.indicator.indicator_id for r in withheld} <= {
        "delayed_discharges", "care_home_admissions_65plus", "reablement_91_days",
        "emergency_admissions_65plus",
    }  # fmt: skip
    assert withheld and all(not r.area.is_place for r in withheld)
    assert all(r.ok for r in a.results.values() if r.area.is_place)


def test_sample_place_counts_equal_the_sum_of_their_clusters(sample):
    a = om.analyse_place(**sample, place_code="E08000004", indicator_ids=("ae_attendances",))
    clusters = [a.result("ae_attendances", c.code).frame["value"][-1] for c in a.areas[1:]]
    place = a.result("ae_attendances", "E08000004").frame["value"][-1]
    assert all(c % 5 == 0 for c in clusters)  # cluster person counts shown to the nearest 5
    assert abs(place - sum(clusters)) <= 2.5 * len(clusters)  # the place adds the exact counts
    assert place == 8428


def test_cluster_rows_are_disclosure_controlled_and_the_place_rows_are_not():
    # North counts 13 then 11, ...; South 12 then 13, ...: both shown, rounded to 5
    north = rows("cnt", "C1", [13 - (i % 2) * 2 for i in range(14)])
    south = rows("cnt", "C2", [12 + (i % 2) for i in range(14)])
    a = om.analyse_place(pl.concat([north, south]), DISCLOSED, None, AREAS, place_code="P")
    place, c1, c2 = (a.result("cnt", code) for code in ("P", "C1", "C2"))
    table = om.table_rows_many([place, c1, c2])
    by_area = {n: table.filter(pl.col("area") == n) for n in ("Placeton", "North", "South")}
    assert by_area["Placeton"]["numerator"].to_list()[:2] == [25.0, 24.0]  # published totals
    assert by_area["North"]["numerator"].to_list()[:2] == [15.0, 10.0]
    assert by_area["South"]["numerator"].to_list()[:2] == [10.0, 15.0]
    assert c1.frame["value"].to_list()[:2] == [15.0, 10.0]  # the chart shows the rounded counts


def test_a_cluster_with_months_of_fewer_than_8_is_withheld_and_the_place_still_shown():
    north = rows("cnt", "C1", [3, *[13] * 13])
    south = rows("cnt", "C2", [12] * 14)
    a = om.analyse_place(pl.concat([north, south]), DISCLOSED, None, AREAS, place_code="P")
    c1 = a.result("cnt", "C1")
    assert c1.frame is None and not c1.ok and not c1.problems
    assert c1.withheld.startswith("Carers in North is not shown: 1 of 14 periods count fewer")
    assert "disclosure control" in c1.withheld
    assert a.result("cnt", "P").frame["value"][0] == 15.0  # 3 + 12, exact at place level
    assert a.result("cnt", "C2").ok and not a.series_problems()
    undisclosed = om.analyse_place(
        pl.concat([north, south]), INDICATORS, None, AREAS, place_code="P"
    )
    assert undisclosed.result("cnt", "C1").ok  # indicators without disclosure control are shown
