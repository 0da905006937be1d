"""Making Data Count XmR engine: limits, each rule on a hand-built series, icons and sentence.

The baseline B alternates 12, 10: mean 11, every moving range 2, so mR-bar = 2 and
process limits = 11 +/- 5.32 = 5.68 and 16.32; sigma = 2.66 / 3 x 2 = 1.7733, so the 2 sigma
lines are 7.4533 and 14.5467. B ends on 10 (below the mean) so no run starts inside it.
"""

from __future__ import annotations

from datetime import date

import pytest

from metrics.spc import (
    SpcInputError,
    assurance_icon,
    describe,
    improvement_for,
    special_cause_since,
    variation_icon,
    xmr,
)

B = [12.0, 10.0] * 6
LOWER, UPPER = 5.68, 16.32
TWO_SIGMA_LOW, TWO_SIGMA_HIGH = 11 - 2 * 2.66 / 3 * 2, 11 + 2 * 2.66 / 3 * 2


def months(n: int, start: date = date(2017, 4, 1)) -> list[date]:
    return [
        date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(n)
    ]


def types(frame) -> list[str]:
    return frame["point_type"].to_list()


def tail(frame, n: int) -> list[str]:
    return types(frame)[-n:]


def test_limits_from_the_first_twelve_points_by_hand():
    values = [10, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 10]
    r = xmr(values)
    mean = sum(values) / 12
    amr = 16 / 11  # moving ranges 2,1,2,1,2,1,1,1,2,1,2
    assert r["mean"][0] == pytest.approx(mean)
    assert r["average_moving_range"][0] == pytest.approx(amr)
    assert r["upper_limit"][0] == pytest.approx(mean + 2.66 * amr)
    assert r["lower_limit"][0] == pytest.approx(mean - 2.66 * amr)
    assert r["upper_2sigma"][0] == pytest.approx(mean + 2 * 2.66 / 3 * amr)
    assert r["lower_1sigma"][0] == pytest.approx(mean - 2.66 / 3 * amr)
    assert r["moving_range"].to_list()[:3] == [None, 2.0, 1.0]
    assert set(types(r)) == {"common_cause"}
    assert not r["trial_limits"].any() and r["baseline"].all()


def test_rule_1_a_point_beyond_a_limit():
    high = xmr([*B, 17.0], "increase")
    assert (high["lower_limit"][0], high["upper_limit"][0]) == pytest.approx((LOWER, UPPER))
    assert high["rule_outside"][-1] == 1 and tail(high, 1) == ["special_cause_improvement"]
    assert tail(xmr([*B, 17.0], "decrease"), 1) == ["special_cause_concern"]
    low = xmr([*B, 5.0], "increase")
    assert low["rule_outside"][-1] == -1 and tail(low, 1) == ["special_cause_concern"]
    assert tail(xmr([*B, 16.0], "increase"), 1) == ["common_cause"]  # inside the limit


def test_rule_2_a_run_of_seven_on_one_side_of_the_mean():
    run = [11.5, 12.0, 11.2, 12.5, 11.8, 11.3, 12.2]
    r = xmr([*B, *run], "decrease")
    assert r["rule_shift"].to_list()[-7:] == [1] * 7 and r["rule_shift"][-8] == 0
    assert tail(r, 8) == ["common_cause"] + ["special_cause_concern"] * 7
    assert set(types(xmr([*B, *run[:6], 10.5]))) == {"common_cause"}  # six is not enough


def test_a_point_on_the_mean_breaks_a_run():
    r = xmr([*B, 11.5, 12.0, 11.2, 11.0, 12.5, 11.8, 11.3, 12.2])
    assert set(types(r)) == {"common_cause"}


def test_rule_3_seven_points_rising_even_across_the_mean():
    rising = [9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5]
    r = xmr([*B, *rising], "increase")
    assert r["rule_trend"].to_list()[-7:] == [1] * 7 and r["rule_trend"][-8] == 0
    # every point of the trend is an improvement, including those below the mean
    assert tail(r, 7) == ["special_cause_improvement"] * 7
    assert set(types(xmr([*B, *rising[:6]]))) == {"common_cause"}  # six points only


def test_equal_neighbours_break_a_trend():
    r = xmr([*B, 9.5, 10.0, 10.5, 10.5, 11.0, 11.5, 12.0, 12.5])
    assert r["rule_trend"].to_list() == [0] * r.height


def test_a_falling_trend_that_starts_above_the_mean_is_low_throughout():
    r = xmr([*B, 13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0], "decrease")
    assert r["direction"].to_list()[-7:] == [-1] * 7
    assert tail(r, 7) == ["special_cause_improvement"] * 7
    assert variation_icon(r) == "improvement_low"


def test_a_turning_point_takes_the_direction_of_the_later_trend():
    up_down = [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0]
    r = xmr([*B, *up_down], "increase")
    trend = r["rule_trend"].to_list()[-13:]
    assert trend[:6] == [1] * 6 and trend[6] == -1 and trend[7:] == [-1] * 6


def test_rule_4_two_of_three_beyond_two_sigma_on_the_same_side():
    assert TWO_SIGMA_HIGH < 15.0 < UPPER
    r = xmr([*B, 15.0, 11.0, 15.0], "increase")
    assert r["rule_two_of_three"].to_list()[-3:] == [1, 0, 1]
    assert tail(r, 3) == ["special_cause_improvement", "common_cause", "special_cause_improvement"]
    # the two high points three apart are not in one window of three
    assert set(types(xmr([*B, 15.0, 11.0, 11.0, 15.0]))) == {"common_cause"}
    # one high and one low do not count together
    assert TWO_SIGMA_LOW > 7.0 > LOWER
    assert set(types(xmr([*B, 15.0, 7.0, 11.0]))) == {"common_cause"}


def test_a_point_beyond_the_limit_counts_towards_two_of_three():
    r = xmr([*B, 17.0, 15.0, 11.0], "increase")
    assert r["rule_outside"].to_list()[-3:] == [1, 0, 0]
    assert r["rule_two_of_three"].to_list()[-3:] == [1, 1, 0]
    assert tail(r, 3)[:2] == ["special_cause_improvement"] * 2


def test_the_latest_two_points_can_fire_two_of_three():
    r = xmr([*B, 11.0, 15.0, 15.0])
    assert r["rule_two_of_three"].to_list()[-2:] == [1, 1]


def test_neutral_direction_has_no_improvement_or_concern():
    r = xmr([*B, 17.0], "neutral")
    assert tail(r, 1) == ["special_cause_neutral"]
    assert variation_icon(r) == "neutral_high"
    assert assurance_icon(r, "neutral", target=20.0) is None


def test_short_series_get_trial_limits_from_every_point():
    assert xmr([]).height == 0
    one = xmr([5.0])
    assert one["mean"][0] == 5.0 and one["upper_limit"][0] is None
    assert types(one) == ["common_cause"] and one["trial_limits"][0]
    two = xmr([3.0, 5.0])
    assert two["mean"][0] == 4.0
    assert two["upper_limit"][0] == pytest.approx(4 + 2.66 * 2)
    assert two["trial_limits"].all()


def test_limits_stay_fixed_after_the_baseline():
    later = [11.0, 12.0, 10.0, 13.0]
    a = xmr([*B, *later])
    b = xmr([*B, *(v + 1.5 for v in later)])
    assert a["upper_limit"][-1] == b["upper_limit"][-1] == pytest.approx(UPPER)
    assert a["baseline"].to_list() == [True] * 12 + [False] * 4
    c = xmr([*B, *later], baseline=16)  # all 16 points set the limits
    assert c["mean"][0] != pytest.approx(11.0)


def test_rebasing_starts_new_limits_and_rules_at_the_change():
    shifted = [v + 6.0 for v in B]
    without = xmr([*B, *shifted])
    assert "special_cause_improvement" in types(without)
    r = xmr([*B, *shifted], rebase_at=[12])
    assert r["segment"].to_list() == [0] * 12 + [1] * 12
    assert r["mean"][0] == pytest.approx(11.0) and r["mean"][-1] == pytest.approx(17.0)
    assert r["moving_range"][12] is None  # no moving range across the rebase
    assert set(types(r)) == {"common_cause"}
    periods = months(24)
    by_date = xmr([*B, *shifted], rebase_at=[date(2018, 3, 15)], periods=periods)
    assert by_date["segment"].to_list() == r["segment"].to_list()  # snapped to Apr 2018


def test_a_short_segment_after_a_rebase_has_trial_limits():
    r = xmr([*B, 20.0, 21.0, 22.0], rebase_at=[12])
    assert not r["trial_limits"][0] and r["trial_limits"][-1]


def test_extreme_moving_ranges_are_screened_out_of_the_limits():
    values = [10.0, 12.0, 10.0, 12.0, 10.0, 40.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0]
    assert xmr(values)["average_moving_range"][0] == pytest.approx(2.0)
    unscreened = xmr(values, screen_outliers=False)["average_moving_range"][0]
    assert unscreened == pytest.approx(78 / 11)


def test_a_flat_baseline_gives_limits_on_the_mean():
    r = xmr([5.0] * 12 + [5.0, 6.0])
    assert r["lower_limit"][0] == r["upper_limit"][0] == 5.0
    assert tail(r, 2) == ["common_cause", "special_cause_improvement"]


def test_bounds_clip_impossible_limits_without_changing_any_point():
    values = [0.0, 3.0, 0.0, 4.0, 1.0, 0.0, 3.0, 0.0, 2.0, 0.0, 4.0, 1.0, 9.0, 0.0]
    free, clipped = xmr(values), xmr(values, bounds=(0.0, None))
    assert free["lower_limit"][0] < 0 and clipped["lower_limit"][0] == 0.0
    assert clipped["lower_2sigma"][0] == 0.0 and clipped["upper_limit"][0] == free["upper_limit"][0]
    assert types(clipped) == types(free)
    pct = xmr([99.0, 97.0] * 6, bounds=(0.0, 100.0))
    assert pct["upper_limit"][0] == 100.0


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(SpcInputError, match="not finite"):
        xmr([1.0, float("nan"), 2.0])
    with pytest.raises(SpcInputError, match="numbers"):
        xmr([1.0, "x"])
    with pytest.raises(SpcInputError, match="improvement"):
        xmr([1.0, 2.0], "up")
    with pytest.raises(SpcInputError, match="outside"):
        xmr([1.0, 2.0], rebase_at=[5])
    with pytest.raises(SpcInputError, match="periods"):
        xmr([1.0, 2.0], rebase_at=[date(2020, 1, 1)])
    with pytest.raises(SpcInputError, match="targets"):
        xmr([1.0, 2.0], target=[1.0])
    assert improvement_for("lower_is_better") == "decrease"
    with pytest.raises(SpcInputError, match="polarity"):
        improvement_for("bigger")


@pytest.mark.parametrize(
    ("values", "improvement", "icon"),
    [
        ([*B, 11.0], "increase", "common_cause"),
        ([*B, 17.0], "increase", "improvement_high"),
        ([*B, 5.0], "decrease", "improvement_low"),
        ([*B, 17.0], "decrease", "concern_high"),
        ([*B, 5.0], "increase", "concern_low"),
        ([*B, 5.0], "neutral", "neutral_low"),
    ],
)
def test_variation_icon_reads_the_latest_point(values, improvement, icon):
    assert variation_icon(xmr(values, improvement)) == icon


def test_variation_icon_is_common_cause_once_the_latest_point_is():
    assert variation_icon(xmr([*B, 17.0, 11.0])) == "common_cause"
    assert variation_icon(xmr([])) is None


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        ("increase", 5.0, "pass"),  # below the lower limit: every value meets it
        ("increase", 17.0, "fail"),  # above the upper limit: no value reaches it
        ("increase", 10.0, "hit_and_miss"),
        ("decrease", 17.0, "pass"),
        ("decrease", 5.0, "fail"),
        ("decrease", 12.0, "hit_and_miss"),
        ("neutral", 5.0, None),
    ],
)
def test_assurance_icon_compares_the_target_with_the_limits(improvement, target, icon):
    r = xmr([*B, 11.0], improvement, target=target)
    assert assurance_icon(r, improvement) == icon


def test_assurance_edge_cases():
    r = xmr([*B, 11.0], "increase")
    assert assurance_icon(r, "increase") is None  # no target
    on_limit = r["lower_limit"][-1]
    assert assurance_icon(r, "increase", target=on_limit) == "hit_and_miss"
    assert assurance_icon(xmr([5.0], target=1.0), "increase") is None  # no limits
    changing = xmr([*B, 11.0], "increase", target=[None] * 6 + [17.0] * 7)
    assert assurance_icon(changing, "increase") == "fail"  # the latest target counts


def test_special_cause_since_finds_the_start_of_the_latest_stretch():
    r = xmr([*B, 17.0, 17.5, 18.0])
    assert special_cause_since(r) == 12
    assert special_cause_since(xmr([*B, 11.0])) is None


def test_the_sentence_a_board_member_can_quote():
    periods = months(13)
    r = xmr([*B, 17.0], "increase", target=20.0, periods=periods)
    text = describe(r, indicator="Carers identified", area="Oldham North", improvement="increase")
    assert text == (
        "Carers identified in Oldham North: special cause improvement since Apr 2018 "
        "(latest 17, Apr 2018); consistently failing the target of 20."
    )
    after = xmr([*B, 17.0, 11.0, 12.0], "decrease", periods=months(15))
    text = describe(after, indicator="A&E attendances", area="Wirral", improvement="decrease")
    assert text == (
        "A&E attendances in Wirral: no significant change since May 2018 (common cause "
        "variation), after special cause concern (latest 12, Jun 2018); no target set."
    )
    flat = describe(
        xmr([3.0, 5.0], "increase", periods=months(2)),
        indicator="X",
        area="Y",
        improvement="increase",
        fmt=lambda v: f"{v:.1f}%",
    )
    assert flat == (
        "X in Y: common cause variation only, no significant change "
        "(latest 5.0%, May 2017; trial limits (fewer than 12 points)); no target set."
    )


def test_two_of_three_matches_a_window_by_window_reading():
    import numpy as np

    from metrics.spc_rules import two_of_three

    rng = np.random.default_rng(7)
    for _ in range(200):
        y = rng.normal(0, 1.2, rng.integers(2, 30))
        expected = [0] * len(y)
        for i in range(len(y) - 1):
            window = range(i, min(i + 3, len(y)))
            for d, beyond in ((1, lambda v: v > 2), (-1, lambda v: v < -2)):
                hits = [j for j in window if beyond(y[j])]
                if len(hits) >= 2:
                    for j in hits:
                        expected[j] = d
        assert two_of_three(y, -2.0, 2.0).tolist() == expected
