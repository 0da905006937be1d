"""Slides carry the numbers the pages draw, say what is wrong when they cannot be drawn, and read large."""

from __future__ import annotations

import json
import re
from html import unescape

import polars as pl
import pytest

from charts.text import figure_words
from present.decks import SlideSpec, parse_deck
from present.slides import MIN_FONT_PX, build_deck, build_slide, presentation_figure
from tests.app.conftest import open_app

SPEND = {"place": "Bolton", "cluster": "Bolton East", "year_from": "2016/17", "year_to": "2020/21"}


def page_charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def traces(spec: dict) -> list[tuple]:
    return [
        (t.get("type"), t.get("name"), t.get("x"), t.get("y"), t.get("z")) for t in spec["data"]
    ]


def slide_spec(slide) -> dict:
    return json.loads(slide.figure.to_json())


def test_spend_slides_draw_what_the_spend_page_draws_for_the_same_link(sample_data):
    params = {"year_from": SPEND["year_from"], "year_to": SPEND["year_to"], "prices": "real"}
    where = {"place": SPEND["place"], "cluster": SPEND["cluster"]}
    by_group = build_slide(
        SlideSpec("spend_by_group", **where, params={**params, "per": "resident"}), sample_data
    )
    share = build_slide(SlideSpec("acute_share", **where, params=params), sample_data)
    headline = build_slide(SlideSpec("spend_headline", **where, params=params), sample_data)
    assert (
        by_group.query["spend_per"] == "Per resident" and by_group.query["cluster"] == "Bolton East"
    )
    assert by_group.link == (
        "spend?place=Bolton&cluster=Bolton%20East&spend_prices=Real%20terms"
        "&spend_per=Per%20resident&period=2016%2F17&period=2020%2F21"
    )
    at = open_app("spend", by_group.query)  # the link the slide gives reproduces the page view
    charts = page_charts(at)
    assert traces(charts[0]) == traces(slide_spec(by_group))
    assert traces(charts[1]) == traces(slide_spec(share))
    assert charts[1]["layout"]["title"]["text"] == slide_spec(share)["layout"]["title"]["text"]
    words = figure_words(charts[1]["layout"]["title"]["text"])  # the chart wraps its title
    assert share.title == "Bolton East: " + words[0].lower() + words[1:]
    tiles = {m.label: m.value for m in at.metric}
    last = headline.rows.row(-1, named=True)
    assert tiles["Acute share of spend"] == f"{last['acute_share']:.1f}%"
    assert headline.rows["financial_year"].to_list() == ["2016/17", "2020/21"]
    assert share.synthetic is True and "2024/25 prices" not in share.source


def test_care_home_quality_slide_draws_the_care_home_pages_trend(sample_data):
    slide = build_slide(
        SlideSpec(
            "care_home_quality",
            "Wirral",
            params={"setting": "nursing", "year_from": "2015/16", "year_to": "2024/25"},
        ),
        sample_data,
    )
    # the years as the page's sidebar has them by default (a slide without years shows every
    # quarter since CQC's first ratings in 2014)
    assert slide.error is None and slide.query == {
        "place": "Wirral",
        "homes_setting": "Nursing homes",
        "period": ["2015/16", "2024/25"],
    }
    at = open_app("care_homes", slide.query)
    trend = next(
        c
        for c in page_charts(at)
        if c["layout"]["title"]["text"].startswith("Care homes rated Good")
    )
    assert traces(trend) == traces(slide_spec(slide))
    assert trend["layout"]["title"]["text"] == slide.figure.layout.title.text
    shown = slide.rows.drop_nulls("share_homes")
    assert trend["data"][0]["y"] == shown["share_homes"].to_list()
    assert slide.synthetic is True and slide.licence


def test_outcome_and_map_slides_match_their_pages(sample_data):
    spc = build_slide(
        SlideSpec("outcome_spc", "Oldham", "Oldham North", {"indicator": "ae_attendances"}),
        sample_data,
    )
    assert spc.query == {
        "place": "Oldham",
        "cluster": "Oldham North",
        "outcomes_indicator": "A&E attendances",
    }
    page = page_charts(open_app("outcomes", spc.query))
    assert traces(page[0]) == traces(slide_spec(spc))
    hoods = build_slide(
        SlideSpec("cluster_map", "Manchester", params={"indicator": "imd_score"}), sample_data
    )
    page = page_charts(open_app("neighbourhoods", hoods.query))
    on_page, on_slide = (
        next(t for t in spec["data"] if t["type"] == "choropleth")
        for spec in (page[0], slide_spec(hoods))
    )  # the map's coloured areas (its first trace is the outline lines: geo.maps)
    assert on_page["z"] == on_slide["z"] and len(on_page["z"]) == 12  # Manchester's clusters
    assert on_page["locations"] == on_slide["locations"]
    assert hoods.suppression_note and "nearest 5" in hoods.suppression_note


def test_spc_grid_rows_hold_every_indicator_for_the_place_and_each_cluster(sample_data):
    slide = build_slide(SlideSpec("spc_grid", "Oldham"), sample_data)
    areas = slide.rows["area"].unique().to_list()
    assert len(areas) == 6 and "Oldham" in areas  # the place and its five clusters
    assert slide.rows.height == 6 * slide.rows["indicator"].n_unique()
    assert slide.title.startswith("Oldham outcomes in March 2026: ")
    cells = slide.figure.data[0].cells.values
    assert len(cells) == 7 and len(cells[1]) == slide.rows["indicator"].n_unique()


def test_a_broken_slide_says_what_is_wrong_and_the_others_are_drawn(sample_data):
    deck = parse_deck(
        '[deck]\nplace = "Oldham"\n[[slides]]\nview = "acute_share"\n[[slides]]\nview = "outcome_spc"\n'
        'indicator = "Bed days"\n[[slides]]\nview = "care_home_quality"\ncluster = "Atlantis"\n'
        '[[slides]]\nview = "maps"\n',
        name="mixed",
    )
    slides = build_deck(deck, sample_data)
    assert [s.error is None for s in slides] == [True, False, False, False]
    assert "Unknown indicator 'Bed days'" in slides[1].error
    assert "Unknown cluster 'Atlantis' in Oldham" in slides[2].error
    assert "unknown view 'maps'" in slides[3].error
    assert all(s.figure is None and s.rows.is_empty() for s in slides[1:])


def test_slide_without_place_data_says_why(sample_data):
    slide = build_slide(SlideSpec("acute_share"), sample_data)
    assert slide.error == "No place is given (set place on the slide or in [deck])."


def _sizes(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                out += value["size"] if isinstance(value["size"], list) else [value["size"]]
            _sizes(value, out)
    elif isinstance(node, list):
        for item in node:
            _sizes(item, out)
    return out


@pytest.mark.parametrize("view", ["acute_share", "care_home_quality", "spc_grid", "cluster_map"])
def test_presentation_figure_sets_every_text_to_at_least_18px(sample_data, view):
    slide = build_slide(SlideSpec(view, "Oldham"), sample_data)
    before = _sizes(slide.figure.to_plotly_json(), [])
    assert min(before) < MIN_FONT_PX  # the screen figures have smaller footers and labels
    big = presentation_figure(slide.figure)
    sizes = _sizes(big.to_plotly_json(), [])
    assert sizes and min(sizes) >= MIN_FONT_PX
    assert big.layout.font.size == 20
    assert _sizes(slide.figure.to_plotly_json(), []) == before  # the original is untouched


def test_rows_are_a_frame_and_footer_names_source_licence_and_synthetic(sample_data):
    slide = build_slide(SlideSpec("spend_headline", "Manchester"), sample_data)
    assert isinstance(slide.rows, pl.DataFrame) and slide.rows.height == 2
    lines = slide.footer_lines()
    assert (
        lines[0].startswith("Source: Placewise synthetic spend")
        and "As at 2024/25 outturn" in lines[0]
    )
    assert any("Synthetic data" in line for line in lines)
    assert lines[-1] == (
        "Licence: MIT (Placewise synthetic data) · Contains public sector information licensed "
        "under the Open Government Licence v3.0"
    )
    assert slide.title.endswith(
        "acute spend target missed in 2020/21 (-17.0% against -20%); reached in 2022/23"
    )


def test_spc_grid_slide_shows_the_overview_grids_values_and_readings(sample_data):
    slide = build_slide(SlideSpec("spc_grid", "Wirral"), sample_data)
    html = next(h.value for h in open_app("overview", slide.query).html if "pw-grid" in h.value)
    page_values = [unescape(v) for v in re.findall(r'<span class="pw-value">([^<]+)</span>', html)]
    columns = slide.figure.data[0].cells.values[1:]  # one column per area, the place first
    cells = [column[row] for row in range(len(columns[0])) for column in columns]
    assert len(cells) == len(page_values) == 6 * len(columns)  # six indicators, every area
    assert [re.match(r"<b>(.*?)</b>", c).group(1) for c in cells] == page_values
    page_words = re.findall(r'<span class="pw-words">([^<]+)<br>', html)
    assert [c.split("<br>")[1] for c in cells] == [unescape(w) for w in page_words]


def test_bad_parameters_given_straight_to_build_slide_are_reported(sample_data):
    slide = build_slide(SlideSpec("acute_share", "Oldham", params={"prices": "euros"}), sample_data)
    assert slide.figure is None
    assert slide.error == "Parameter 'prices' = 'euros' is not allowed (known: cash, real)."


@pytest.mark.parametrize("place", ["bolton", "manchester", "oldham", "wirral"])
def test_every_slide_of_every_sample_deck_draws(sample_data, place):
    from loaders import load_catalog
    from present.decks import catalog_decks, load_deck
    from tests.present.conftest import SAMPLE_CATALOG

    deck = load_deck(catalog_decks(load_catalog(SAMPLE_CATALOG))[place])
    slides = build_deck(deck, sample_data)
    assert len(slides) >= 5
    assert [s.error for s in slides] == [None] * len(slides)
    assert all(s.figure is not None and s.title for s in slides)
