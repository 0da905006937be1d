"""Slides and their PDF pages show names from the data as typed, never as Plotly markup.

Every sample deck is drawn on a copy of the sample data whose names carry HTML links and
images (tests/hostile.py). A slide's title is plain words (the name as typed); the figure on
screen, the pack figure and the PDF page are Plotly text, where the name must be escaped.
"""

from __future__ import annotations

import json

import pytest

from loaders.catalog import load_catalog
from panels.core import Need
from present.data import CatalogData
from present.decks import SlideSpec, catalog_decks, load_deck
from present.render import pack_figure, slide_page
from present.slides import build_deck, build_slide
from tests.hostile import PLOTLY_LEAKS, _strings, hostile_catalog


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    catalog = load_catalog(hostile_catalog(tmp_path_factory.mktemp("hostile") / "data"))
    return catalog, CatalogData(catalog)


def plotly_leaks(fig) -> list[str]:
    spec = json.loads(fig.to_json())
    for trace in spec.get("data", []):
        if "customdata" not in f"{trace.get('hovertemplate')}{trace.get('texttemplate')}":
            trace.pop("customdata", None)  # not drawn
    spec.get("layout", {}).pop("uirevision", None)
    spec.get("layout", {}).get("map", {}).pop("uirevision", None)
    return [
        f"{what} in {where}: {text[:120]!r}"
        for where, text in _strings(spec, "figure")
        for what, pattern in PLOTLY_LEAKS.items()
        if pattern.search(text)
    ]


@pytest.mark.parametrize("deck", ["bolton", "manchester", "oldham", "wirral"])
def test_every_slide_and_pdf_page_escapes_names(hostile_data, deck):
    catalog, data = hostile_data
    slides = build_deck(load_deck(catalog_decks(catalog)[deck]), data)
    assert [s.error for s in slides] == [None] * len(slides)
    assert any("<a href=" in s.title for s in slides)  # titles are plain: the name as typed
    for slide in slides:
        for fig in (slide.figure, pack_figure(slide), slide_page(slide)):
            leaks = plotly_leaks(fig)
            assert not leaks, f"{slide.spec.view}: " + "\n".join(leaks[:10])


def test_a_slide_that_cannot_be_drawn_escapes_the_names_in_its_message(hostile_data):
    _, data = hostile_data
    oldham = data.get(Need("areas")).frame.filter(area_code="E08000004")["area_name"].item()
    slide = build_slide(SlideSpec("outcome_spc", "E08000004", params={"indicator": "nope"}), data)
    page = slide_page(slide)
    assert slide.figure is None and slide.error
    assert not plotly_leaks(page)
    assert oldham.startswith("Oldham ") and "&lt;a href=" in json.dumps(page.to_plotly_json())
