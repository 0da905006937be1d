"""The PowerPoint board pack opens with python-pptx and holds the slides, titles and chart values."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from exports.images import ImageExportError
from exports.pptx import deck_to_pptx, native_chart
from loaders.catalog import load_catalog
from present.data import CatalogData
from present.decks import load_deck, parse_deck
from present.slides import build_deck
from tests.conftest import SAMPLE_CATALOG


@pytest.fixture(scope="module")
def data() -> CatalogData:
    return CatalogData(load_catalog(SAMPLE_CATALOG))


@pytest.fixture(scope="module")
def oldham(data):
    deck = load_deck(SAMPLE_CATALOG.parent / "decks" / "oldham.toml", data=data)
    return deck, build_deck(deck, data)


def tiny_png(fig, *, width: int, height: int, scale: float = 1) -> bytes:
    """Stands in for Chromium: a blank PNG of the requested shape (fast, no browser)."""
    out = io.BytesIO()
    Image.new("RGB", (width // 10, height // 10), "white").save(out, format="PNG")
    return out.getvalue()


def no_browser(fig, **kwargs) -> bytes:
    raise ImageExportError("no Chromium at /usr/bin/chromium (BROWSER_PATH)")


def open_pack(data: bytes):
    return Presentation(io.BytesIO(data))


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_pack_has_title_slide_a_slide_per_view_and_an_appendix(oldham):
    deck, slides = oldham
    prs = open_pack(deck_to_pptx(deck, slides, image_fn=tiny_png))
    assert len(prs.slides) == 1 + len(slides) + 1
    first = prs.slides[0]
    assert first.shapes.title.text == deck.title
    assert (
        "Synthetic data (illustrative): these figures are not real. Pages 2, 3, 6, 7: "
        "Placewise synthetic spend" in texts(first)
    )
    assert "Real data. Pages 4, 5: CQC ratings (Oldham, real)" in texts(first)  # real homes
    for shown, slide in zip(list(prs.slides)[1:-1], slides, strict=True):
        assert shown.shapes.title.text == slide.title
        body = texts(shown)
        assert slide.spec.heading in body and f"Source: {slide.source}" in body
        assert f"Licence: {slide.licence}" in body
        assert shown.notes_slide.notes_text_frame.text == slide.spec.note
    appendix = prs.slides[-1]
    assert appendix.shapes.title.text == "Appendix: metric definitions"
    assert "Pages 2, 3: Acute share of spend: outturn on acute (hospital) settings" in texts(
        appendix
    )


def test_native_charts_hold_the_slide_rows_and_maps_are_pictures(oldham):
    deck, slides = oldham
    prs = open_pack(deck_to_pptx(deck, slides, image_fn=tiny_png))
    kinds = {}
    for shown, slide in zip(list(prs.slides)[1:-1], slides, strict=True):
        charts = [s.chart for s in shown.shapes if s.has_chart]
        pictures = [s for s in shown.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        kinds[slide.spec.view] = "chart" if charts else ("picture" if pictures else "none")
        if charts:
            expected = native_chart(slide)
            plot = charts[0].plots[0]
            assert list(plot.categories) == expected.categories
            got = [(s.name, list(s.values)) for s in plot.series]
            assert got == [(n, list(v)) for n, v in expected.series]
            # the value axis starts at zero, written into the chart XML (c:min val="0.0"), so
            # PowerPoint and LibreOffice do not auto-scale a small change into a collapse
            assert charts[0].value_axis.minimum_scale == 0.0, slide.spec.view
            assert 'c:min val="0.0"' in charts[0]._chartSpace.xml
    assert kinds == {"spend_headline": "chart", "acute_share": "chart", "care_home_quality": "chart",
                     "cluster_map": "picture", "spc_grid": "none", "outcome_spc": "picture"}  # fmt: skip
    share = next(s for s in slides if s.spec.view == "acute_share")
    assert native_chart(share).series[0][1] == share.rows["acute_share"].to_list()
    homes = next(s for s in slides if s.spec.view == "care_home_quality")
    assert (
        native_chart(homes).series[1][1]
        == homes.rows.drop_nulls("share_homes")["share_beds"].to_list()
    )


def test_stacked_spend_chart_values_are_the_rows_in_millions(data):
    deck = parse_deck('[[slides]]\nview = "spend_by_group"\nplace = "Wirral"\n', name="w")
    slide = build_deck(deck, data)[0]
    chart = native_chart(slide)
    acute = slide.rows.filter(slide.rows["setting_group"] == "Acute (hospital)").sort("year_start")
    assert dict(chart.series)["Acute (hospital)"] == [v / 1e6 for v in acute["amount_gbp"]]
    prs = open_pack(deck_to_pptx(deck, [slide]))
    drawn = next(s.chart for s in prs.slides[1].shapes if s.has_chart)
    assert drawn.chart_type is not None and len(drawn.plots[0].series) == len(chart.series)


def test_without_a_browser_the_pack_is_still_made_and_the_slide_says_why(oldham):
    deck, slides = oldham
    prs = open_pack(deck_to_pptx(deck, slides, image_fn=no_browser))
    assert len(prs.slides) == len(slides) + 2
    map_slide = prs.slides[1 + [s.spec.view for s in slides].index("cluster_map")]
    assert "The chart picture could not be made: no Chromium at /usr/bin/chromium" in texts(
        map_slide
    )
    assert not [s for s in map_slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_a_bad_slide_becomes_a_slide_saying_what_is_wrong(data):
    deck = parse_deck('[deck]\nplace = "Oldham"\n[[slides]]\nview = "acute_share"\n'
                      '[[slides]]\nview = "outcome_spc"\nindicator = "Bed days"\n', name="bad")  # fmt: skip
    slides = build_deck(deck, data)
    prs = open_pack(deck_to_pptx(deck, slides, image_fn=tiny_png))
    assert len(prs.slides) == 4
    assert "What is wrong: Unknown indicator 'Bed days'" in texts(prs.slides[2])


def test_real_picture_of_the_map_is_high_resolution(data):
    deck = parse_deck('[[slides]]\nview = "cluster_map"\nplace = "Bolton"\n', name="map")
    slides = build_deck(deck, data)
    prs = open_pack(deck_to_pptx(deck, slides))
    picture = next(s for s in prs.slides[1].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    width, height = Image.open(io.BytesIO(picture.image.blob)).size
    assert width >= 3000 and height >= 1100
