"""The cluster finding of the Care home quality page ranks only clusters with enough rated homes."""

from __future__ import annotations

from charts.care_homes import MIN_RATED_HOMES
from panels.care_homes import CareHomeClusters
from panels.registry import get_panel
from panels.source import run


def clusters(source, place: str, setting: str = "all"):
    panel = get_panel("care_home_clusters")
    built = run(panel, panel.Params(place=place, setting=setting), source)
    assert not isinstance(built, Exception), built
    return built


def test_the_sample_places_have_too_few_homes_rated_on_both_dates_to_rank(sample_source):
    # Oldham's clusters had 0 or 1 rated homes each on the default date compared with (no
    # "Oldham West (Chadderton) improved most: rose from 0.0% to 80.0%" on a handful of homes)
    assert CareHomeClusters.min_rated_homes == MIN_RATED_HOMES == 5
    for place, name in (("E08000004", "Oldham"), ("E08000001", "Bolton")):
        for setting in ("all", "nursing"):
            built = clusters(sample_source, place, setting)
            assert built.title == (
                f"{name}: no cluster has 5 or more rated homes on both dates: too few to rank"
            ), (place, setting)
            rows = built.rows.frame
            assert (rows["homes_rated_since"] < 5).all()  # the reason, in the rows released


def test_the_minimum_is_one_setting_the_panel_passes_on(sample_source, monkeypatch):
    monkeypatch.setattr(CareHomeClusters, "min_rated_homes", 1)
    built = clusters(sample_source, "E08000004")
    rows = {r["cluster_name"]: r for r in built.rows.frame.iter_rows(named=True)}
    # with one home enough: Oldham East fell (1 of 1 Good -> 8 of 9), Oldham South rose
    # (0 of 1 -> 3 of 3); clusters with no rated home then are still not ranked
    south = rows["Oldham South"]
    assert (south["homes_rated_since"], south["homes_rated"]) == (1, 3)
    assert built.title == (
        "The share rated Good or better rose most in Oldham South, from 0.0% (0 of 1 rated home) to 100.0% "
        "(3 of 3 rated homes)"
    )


def test_a_finding_led_by_the_place_keeps_the_clusters_capital(sample_source, monkeypatch):
    monkeypatch.setattr(CareHomeClusters, "min_rated_homes", 3)
    built = clusters(sample_source, "E08000003")
    # Manchester with 3 rated homes enough on both dates: Newton Heath and Moston (1 of 3 Good
    # -> 7 of 7) rose; Higher Blackley, Harpurhey and Charlestown (3 of 3 -> 7 of 10) fell
    assert built.title == (
        "Manchester: the share rated Good or better rose most in Newton Heath and Moston, from "
        "33.3% (1 of 3 rated homes) to 100.0% (7 of 7 rated homes)"
    )
