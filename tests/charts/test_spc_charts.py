"""XmR figures and icons: what a board member sees must say the finding, units and source."""

from __future__ import annotations

import base64
import re
from datetime import date

import polars as pl
import pytest

from charts.spc import (
    CONCERN_ORANGE,
    IMPROVEMENT_BLUE,
    POINT_STYLES,
    small_multiples,
    xmr_chart,
)
from charts.spc_icons import icon_svg
from charts.spc_layout import count_title, y_title
from metrics import outcomes as om
from metrics.spc import xmr
from metrics.spc_icons import ASSURANCE_ICONS, VARIATION_ICONS

B = [12.0, 10.0] * 6
RATE = om.Indicator(
    "adm",
    "Emergency admissions",
    "per 100,000 per month",
    "lower_is_better",
    "rate",
    1e5,
    "monthly",
)


def months(n: int) -> list[date]:
    return [date(2017 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(n)]


def result(values, area="Oldham North", indicator=RATE, target=None, rebase_at=(), skipped=()):
    frame = xmr(
        values,
        indicator.improvement,
        target=target,
        periods=months(len(values)),
        rebase_at=rebase_at,
    ).with_columns(numerator=pl.lit(None, pl.Float64), denominator=pl.lit(None, pl.Float64))
    from metrics.spc import assurance_icon, describe, variation_icon

    return om.SeriesResult(
        indicator,
        om.Area(area.lower().replace(" ", "-"), area),
        frame,
        (),
        variation_icon(frame),
        assurance_icon(frame, indicator.improvement),
        describe(frame, indicator=indicator.name, area=area, improvement=indicator.improvement),
        tuple(skipped),
    )


def marker_trace(fig, n=0):
    return [t for t in fig.data if t.mode == "markers" and t.x[0] is not None][n]


def test_the_chart_title_states_the_finding_with_units_source_and_synthetic_marker():
    fig = xmr_chart(
        result([*B, 5.0], target=11.0),
        source="Placewise synthetic KPIs",
        as_at="Apr 2018",
        synthetic=True,
    )
    assert fig.layout.title.text == (
        "Emergency admissions in Oldham North: special cause improvement since Apr 2018"
    )
    assert fig.layout.yaxis.title.text == "Per 100,000 per month"
    assert fig.layout.xaxis.title.text == "Month"
    subtitle = fig.layout.title.subtitle.text
    assert (
        "Latest 5.0 (Apr 2018)" in subtitle
        and "hit and miss against the target of 11.0" in subtitle
    )
    assert "Limits set on Apr 2017 to Mar 2018" in subtitle
    footer = [a.text for a in fig.layout.annotations if a.text.startswith("Source:")]
    assert footer and "Synthetic data" in footer[0] and "As at Apr 2018" in footer[0]


def test_points_are_coloured_and_shaped_by_type_and_the_legend_names_them():
    fig = xmr_chart(result([*B, 5.0, 17.0]), source="s")
    points = marker_trace(fig)
    assert list(points.marker.color[-2:]) == [IMPROVEMENT_BLUE, CONCERN_ORANGE]
    assert list(points.marker.symbol[-2:]) == ["circle", "square"]  # not colour alone
    assert points.marker.symbol[0] == POINT_STYLES["common_cause"][2]
    assert "below the lower limit" in points.text[-2]
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert legend == [
        "Mean",
        "Process limits",
        "Common cause",
        "Special cause: improvement",
        "Special cause: concern",
    ]


def test_target_trial_limits_rebase_and_baseline_are_drawn():
    fig = xmr_chart(result([*B, 3.0, 4.0, 3.5], target=11.0, rebase_at=[12]), source="s")
    names = [t.name for t in fig.data if t.name]
    assert "Target" in names and "Process limits (trial)" in names
    limits = [t for t in fig.data if t.name == "Process limits (trial)"][0]
    assert limits.line.dash == "dot"
    shapes = fig.layout.shapes
    assert sum(s.type == "rect" for s in shapes) == 2  # one shaded baseline per limits period
    assert any(s.type == "line" and s.x0 == "2018-04-01" for s in shapes)  # the rebase
    assert "Trial limits set on Apr 2018 to Jun 2018" in fig.layout.title.subtitle.text


def test_events_are_numbered_on_the_chart_and_listed_below_it():
    events = pl.DataFrame(
        {
            "date": [date(2017, 10, 1), date(2030, 1, 1)],
            "label": ["Teams co-located", "Out of range"],
            "detail": [None, None],
        }
    )
    fig = xmr_chart(result([*B, 11.0]), source="s", events=events)
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>1</b>" in texts and "<b>2</b>" not in texts
    assert any(t.startswith("Events: 1 Oct 2017: Teams co-located") for t in texts)


def test_months_left_out_break_the_line():
    r = result([*B, 11.0], skipped=(date(2018, 5, 1),))
    line = xmr_chart(r, source="s").data[0]
    assert line.x[-1] == "2018-05-01" and line.y[-1] is None


def test_small_multiples_draw_one_panel_per_area_and_count_the_findings():
    results = [
        result([*B, 5.0], area="Oldham"),
        result([*B, 11.0], area="Oldham East"),
        result([*B, 17.0], area="Oldham West"),
        om.SeriesResult(RATE, om.Area("x", "Oldham South"), None, ("a problem",)),
    ]
    fig = small_multiples(results, source="s", synthetic=True)
    assert fig.layout.title.text == (
        "In Apr 2018: improvement in 1 of 3 areas, concern in 1 (1 without usable data)"
    )
    panels = [a.text for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert panels == [
        "<b>Oldham</b><br>Improving",
        "<b>Oldham East</b><br>No change",
        "<b>Oldham West</b><br>Concern",
    ]
    axes = {t.xaxis for t in fig.data if t.x and t.x[0] is not None}
    assert axes == {"x", "x2", "x3"}


def test_count_title_wording():
    class R:
        def __init__(self, variation):
            self.variation = variation

    assert (
        count_title([R("concern_high")] * 6, 6, "Mar 2026") == "In Mar 2026: concern in all 6 areas"
    )
    assert (
        count_title([R("common_cause")] * 2, 2)
        == "Latest month: no significant change in any of the 2 areas"
    )
    assert count_title([], 3) == "No area has a series that can be charted"


@pytest.mark.parametrize("kind", VARIATION_ICONS)
def test_variation_icons_are_self_contained_svg_with_a_text_alternative(kind):
    svg = icon_svg(kind)
    assert svg.startswith("<svg") and 'aria-label="' in svg and "<title>" in svg
    assert "href=" not in svg and "src=" not in svg  # nothing is fetched
    assert set(re.findall(r"https?://[^\"]+", svg)) == {"http://www.w3.org/2000/svg"}
    letter = {"high": ">H<", "low": ">L<"}.get(kind.rsplit("_", 1)[-1])
    if letter:
        assert letter in svg  # readable without colour
    else:
        assert svg.count("<circle") == 4  # the ring and three dots


@pytest.mark.parametrize(
    ("kind", "letter"), list(zip(ASSURANCE_ICONS, (">P<", ">F<", ">?<"), strict=True))
)
def test_assurance_icons_carry_a_letter(kind, letter):
    svg = icon_svg(kind, assurance=True)
    assert letter in svg and "target" in svg.lower()
    assert icon_svg(None) == ""


def test_icon_img_embeds_the_svg_offline():
    from ui.spc_grid import icon_img

    img = icon_img("improvement_low", size=22)
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', img).group(1)
    assert "Special cause improvement" in base64.b64decode(data).decode()
    assert 'alt="Special cause improvement: lower than expected"' in img


def test_y_axis_titles_carry_units():
    assert y_title("%") == "Percentage (%)"
    assert y_title("attendances per month") == "Attendances per month"


def test_the_grid_escapes_data_links_each_cell_and_dates_a_series_that_ends_early():
    from ui.spc_grid import grid_html, outcomes_link

    place = om.Area("P", "Place & <Co>", True)
    shorter = result([*B, 11.0], area="<script>alert(1)</script>")
    longer = result([*B, 11.0, 12.0], area="South")
    analysis = om.PlaceAnalysis(
        place,
        (place, shorter.area, longer.area),
        (RATE,),
        {("adm", shorter.area.code): shorter, ("adm", longer.area.code): longer},
    )
    html = grid_html(analysis, chosen_area=longer.area.code)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Place &amp; &lt;Co&gt;" in html
    assert "11.0 (Apr 2018)" in html and "12.0<" in html  # only the shorter series is dated
    assert "Not reported" in html  # the place has no result here
    assert html.count('class="pw-chosen"') == 2  # South's heading and its cell
    assert outcomes_link("Oldham", "Oldham North", "A&E attendances") == (
        "outcomes?place=Oldham&cluster=Oldham%20North&outcomes_indicator=A%26E%20attendances"
    )
    assert outcomes_link("Oldham", None, "X") == "outcomes?place=Oldham&outcomes_indicator=X"


def test_a_count_title_for_one_area_reads_as_english():
    """A cluster-only person's small multiples hold one area: no 'all 1 areas'."""

    class R:
        def __init__(self, variation):
            self.variation = variation

    assert (
        count_title([R("concern_high")], 1, "Mar 2026")
        == "In Mar 2026: concern in the one area shown"
    )
