"""The Present page under AppTest: a sample deck step by step, a deck with broken slides,
My deck built with 'Add to deck', and the deck downloads."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from present.decks import SlideSpec, load_deck

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TIMEOUT = 60
MY_DECK_KEY = "_placewise_my_deck"

BROKEN_DECK = """
[deck]
title = "Oldham board, with mistakes"
place = "Oldham"

[[slides]]
view = "acute_share"
heading = "A good slide"
note = "Say this first."

[[slides]]
view = "acute_shares"
heading = "A misspelt view"

[[slides]]
view = "outcome_spc"
indicator = "Bed days lost to winter"

[[slides]]
view = "care_home_quality"
cluster = "Atlantis"

[[slides]]
view = "spc_grid"
heading = "Another good slide"
"""


def open_present(query: dict, state: dict | None = None) -> AppTest:
    """A fresh session on the Present page with `query` in the URL (see test_url_round_trip)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update(query)
    at.run()
    at.query_params.clear()
    at.query_params.update(query)
    at.switch_page("views/present.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counter(at: AppTest) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("**Slide ")]
    assert len(found) == 1
    return found[0].split("**")[1]


def chart_json(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1, "one chart per slide"
    return json.loads(charts[0].proto.spec)


@pytest.fixture
def broken_catalog(tmp_path, monkeypatch) -> Path:
    """The sample catalog with its decks folder replaced by one holding BROKEN_DECK."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "broken.toml").write_text(BROKEN_DECK, encoding="utf-8")
    text = (SAMPLE / "catalog.toml").read_text(encoding="utf-8")
    text = re.sub(r'^path = "', f'path = "{SAMPLE.as_posix()}/', text, flags=re.M)
    text = re.sub(r'^decks = ".*"$', f'decks = "{decks.as_posix()}"', text, flags=re.M)
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(path))
    return path


def test_a_link_to_slide_2_of_the_oldham_deck_opens_it_and_next_moves_on():
    at = open_present({"deck": "oldham", "slide": "2"})
    total = len(load_deck(SAMPLE / "decks" / "oldham.toml").slides)
    assert counter(at) == f"Slide 2 of {total}"
    assert at.markdown[1].value == "#### Acute share over time"
    assert at.title[0].value.startswith("Oldham: acute share of spend")
    at.button(key="present_next").click().run()
    assert counter(at) == f"Slide 3 of {total}"
    assert at.query_params["slide"] == "3" and at.query_params["deck"] == "oldham"
    assert at.title[0].value.startswith("Oldham: care homes rated Good or better")
    at.button(key="present_previous").click().run()
    assert counter(at) == f"Slide 2 of {total}" and at.query_params["slide"] == "2"


def test_a_slide_is_drawn_in_large_type_with_its_footer_and_note():
    at = open_present({"deck": "oldham", "slide": "2"})
    layout = chart_json(at)["layout"]
    assert layout["font"]["size"] >= 18
    assert layout["title"]["font"]["size"] >= 18
    assert all(a["font"]["size"] >= 18 for a in layout.get("annotations", []) if "font" in a)
    captions = " ".join(c.value for c in at.caption)
    assert "Source: Placewise synthetic spend" in captions and "Synthetic data" in captions
    assert at.expander[0].label == "Speaker note"
    assert "Walk along the line year by year" in at.expander[0].markdown[0].value
    css = [h.value for h in at.html if "stSidebar" in h.value]
    assert css and "display: none" in css[0], "the sidebar is hidden while presenting"


def test_the_first_and_last_slides_disable_previous_and_next():
    at = open_present({"deck": "oldham"})
    assert counter(at).startswith("Slide 1 of ")
    assert at.button(key="present_previous").disabled
    assert not at.button(key="present_next").disabled
    total = int(counter(at).rsplit(" ", 1)[1])
    at = open_present({"deck": "oldham", "slide": str(total)})
    assert at.button(key="present_next").disabled


def test_a_deck_with_broken_slides_says_what_is_wrong_and_presents_the_rest(broken_catalog):
    at = open_present({"deck": "broken"})
    assert counter(at) == "Slide 1 of 5"
    assert len(at.get("plotly_chart")) == 1 and not at.error
    expected = {
        2: "unknown view 'acute_shares' (did you mean 'acute_share'?",
        3: "unknown indicator 'Bed days lost to winter'",
        4: "unknown cluster 'Atlantis' in Oldham",
    }
    for number in range(2, 6):
        at.button(key="present_next").click().run()
        assert counter(at) == f"Slide {number} of 5"
        if number in expected:
            assert len(at.error) == 1 and not at.get("plotly_chart")
            message = at.error[0].value.replace("\\", "")
            assert message.startswith("**This slide cannot be shown.**")
            assert expected[number] in message
        else:
            assert not at.error and len(at.get("plotly_chart")) == 1
    captions = " ".join(c.value for c in at.caption)
    assert "3 of 5 slides cannot be shown (slide 2, 3, 4)" in captions


def test_an_unknown_deck_in_the_link_is_named():
    at = open_present({"deck": "oldam"})
    assert "There is no deck `oldam`" in at.warning[0].value.replace("\\", "")
    assert "oldham" in at.warning[0].value


def test_choosing_another_deck_starts_at_its_first_slide():
    at = open_present({"deck": "oldham", "slide": "3"})
    at.selectbox(key="deck").set_value("wirral").run()
    assert counter(at).startswith("Slide 1 of ")
    assert "slide" not in at.query_params  # slide 1 is the default, so the URL drops it
    assert at.title[0].value.startswith("Wirral")


def test_the_deck_downloads_are_offered():
    at = open_present({"deck": "oldham"})
    labels = [b.label for b in at.get("download_button")]
    assert labels[-3:] == ["Deck as PowerPoint", "Deck as PDF", "Deck as TOML"]
    assert "This slide's data (CSV)" in labels
    links = [p for p in at.get("page_link") if p.proto.label == "Open this view on its page"]
    assert len(links) == 1


def test_my_deck_presents_the_slides_added_and_is_downloadable_as_toml():
    added = [
        SlideSpec("acute_share", place="Manchester", heading="Manchester's acute share"),
        SlideSpec("care_home_quality", place="Bolton"),
    ]
    at = open_present({"deck": "my-deck"}, state={MY_DECK_KEY: added})
    assert counter(at) == "Slide 1 of 2"
    assert at.markdown[1].value == "#### Manchester's acute share"
    assert at.title[0].value.startswith("Manchester")
    assert at.expander[-1].label == "Slides in My deck (2)"
    at.button(key="my_deck_remove_0").click().run()
    assert counter(at) == "Slide 1 of 1" and at.title[0].value.startswith("Bolton")


def test_an_empty_my_deck_says_how_to_fill_it():
    at = open_present({"deck": "my-deck"})
    assert "My deck is empty" in at.info[-1].value
    assert not at.get("plotly_chart")


@functools.cache
def captured_inputs() -> dict:
    """Every sample dataset as ui.present.capture would hand it to the pack (panels Inputs)."""
    from loaders import load_catalog
    from panels.core import Need
    from present.data import CatalogData

    data = CatalogData(load_catalog(SAMPLE / "catalog.toml"))
    return {name: data.get(Need(name)) for name in data.catalog.names()}


def test_deck_files_are_built_from_the_datasets_captured_on_the_page(monkeypatch):
    """The click runs outside the page script, where the person is unknown: ui.state (which
    cuts data to the person's access) must not be asked again there."""
    from exports import pptx
    from present.decks import load_deck
    from ui import present, present_slide, state

    inputs = captured_inputs()

    def forbidden(*args, **kwargs):
        raise AssertionError("ui.state was read outside the page script")

    monkeypatch.setattr(state, "dataset", forbidden)
    monkeypatch.setattr(state, "all_datasets", forbidden)
    monkeypatch.setattr(
        pptx, "deck_to_pptx", lambda deck, slides: "|".join(s.title for s in slides).encode()
    )
    deck = load_deck(SAMPLE / "decks" / "oldham.toml")
    failures: dict[str, str] = {}
    seen = present.Viewer(None, details=True)  # captured on the page with the datasets
    titles = present_slide._export("pptx", deck, inputs, failures, seen)().decode().split("|")
    assert len(titles) == len(deck.slides) and not failures
    assert titles[1].startswith("Oldham: acute share of spend")
    assert [s.title for s in present.all_slides(deck, inputs, seen)] == titles  # cached, same


def test_a_deck_file_that_fails_is_explained_on_the_next_run(monkeypatch):
    from exports import pdf
    from exports.images import ImageExportError
    from present.decks import load_deck
    from ui import present, present_slide

    def broken(deck, slides):
        raise ImageExportError("no Chromium at /usr/bin/chromium")

    monkeypatch.setattr(pdf, "deck_to_pdf", broken)
    failures: dict[str, str] = {}
    make = present_slide._export("pdf", load_deck(SAMPLE / "decks" / "oldham.toml"),
                                 captured_inputs(), failures, present.Viewer(None, True))  # fmt: skip
    with pytest.raises(ImageExportError):
        make()
    assert failures == {"pdf": "no Chromium at /usr/bin/chromium"}
    at = open_present({"deck": "oldham"}, state={"_placewise_deck_export_failures": failures})
    warning = at.warning[-1].value.replace("\\", "")
    assert warning.startswith("The PDF file could not be made: no Chromium at /usr/bin/chromium.")
    assert "Each slide's data is still available as CSV." in warning


@pytest.mark.parametrize(("asked", "last"), [("99", True), ("0", False), ("three", False)])
def test_a_link_to_a_slide_the_deck_lacks_says_so(asked, last):
    total = len(load_deck(SAMPLE / "decks" / "oldham.toml").slides)
    shown = total if last else 1
    at = open_present({"deck": "oldham", "slide": asked})
    assert counter(at) == f"Slide {shown} of {total}"
    assert at.warning[0].value == (
        f"The link asks for slide `{asked}`, but this deck has slides 1 to {total}: "
        f"showing slide {shown}."
    )


# ?slide= values and the slide shown (of the oldham deck's 6): ASCII digits only, as
# ui.urlparams.url_int reads them. '²' crashed the page ('²'.isdigit() is True, int('²')
# raises); Streamlit's own reading of the bound number input (float(), then int()) took ' 3',
# '+3', '3.0' and Arabic-Indic digits as numbers, so the page said "showing slide 1" and showed
# another, and it crashes on 'inf' and '1e999'.
ODD_SLIDES = {
    "²": 1,
    "١٢": 1,
    "٣": 1,
    "-1": 1,
    "0": 1,
    "99999999999999999999": 6,
    "9" * 5000: 6,
    " 3": 1,
    "3 ": 1,
    "+3": 1,
    "3.0": 1,
    "3_0": 1,
    "3e0": 1,
    "inf": 1,  # float('inf'): Streamlit's own reading of the bound input crashes on it
    "1e999": 1,
}


@pytest.mark.parametrize(
    ("asked", "shown"), ODD_SLIDES.items(), ids=[repr(v)[:12] for v in ODD_SLIDES]
)
def test_an_odd_slide_number_in_the_link_shows_the_slide_the_warning_names(asked, shown):
    total = len(load_deck(SAMPLE / "decks" / "oldham.toml").slides)
    assert total == 6
    at = open_present({"deck": "oldham", "slide": asked})
    assert counter(at) == f"Slide {shown} of {total}"
    assert at.session_state["slide"] == shown and at.number_input(key="slide").value == shown
    assert len(at.warning) == 1
    assert at.warning[0].value.endswith(
        f"this deck has slides 1 to {total}: showing slide {shown}."
    )
    assert at.query_params.get("slide") == (str(shown) if shown > 1 else None)  # URL fixed
    if shown < total:  # and the deck steps on from there
        at.button(key="present_next").click().run()
        assert not at.exception and counter(at) == f"Slide {shown + 1} of {total}"
        assert at.query_params["slide"] == str(shown + 1) and not at.warning


@pytest.mark.parametrize("asked", ["", "3", "03"])
def test_a_plain_or_empty_slide_number_needs_no_warning(asked):
    at = open_present({"deck": "oldham", "slide": asked})
    assert counter(at) == f"Slide {3 if asked else 1} of 6" and not at.warning


LINKS = {
    "deck": [
        "[click](http://evil.example)",
        "https://x.example",
        "www.evil.example",
        "someone@evil.example",
        "<http://evil.example>",
        "`x` https://x.example `y`",
        "a\n\n[x](http://evil.example)",
    ],
    "slide": ["https://x.example", "[click](http://evil.example)", "3 www.evil.example"],
}


def outside_code_spans(markdown: str) -> str:
    """`markdown` without its code spans (CommonMark: a backtick run closed by one as long)."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "`":
            run = len(markdown[i:]) - len(markdown[i:].lstrip("`"))
            close = re.search(rf"(?<!`){'`' * run}(?!`)", markdown[i + run :])
            if close:
                i += run + close.end()
                continue
            out.append(markdown[i : i + run])
            i += run
            continue
        out.append(markdown[i])
        i += 1
    return "".join(out)


# What Streamlit's markdown (remark-gfm) makes a link of, escaped or not: inline links and
# autolinks, bare URLs, www. and e-mail addresses.
LINK_SHAPES = re.compile(r"\]\s*\(|<[a-z]+:|https?:|www\.|@\S*\.|evil|x\.example", re.I)


@pytest.mark.parametrize(
    ("key", "value"), [(k, v) for k, vs in LINKS.items() for v in vs], ids=lambda v: repr(v)[:24]
)
def test_a_link_or_markdown_in_the_url_is_never_a_link_on_the_page(key, value):
    query = {"deck": "oldham", key: value} if key == "slide" else {key: value}
    at = open_present(query)
    boxes = [*at.warning, *at.error, *at.info, *at.markdown, *at.caption]
    said = [b.value for b in boxes if "example" in b.value or "evil" in b.value]
    assert said, "the value is repeated in a message (else this test proves nothing)"
    for markdown in said:
        assert not LINK_SHAPES.search(outside_code_spans(markdown)), markdown
        assert "\n" not in markdown


def test_the_link_check_finds_what_escaping_leaves_live():
    """Escaping markdown leaves bare URLs and addresses live: the check above says so."""
    from ui.messages import escape_md

    for value in LINKS["deck"]:
        assert LINK_SHAPES.search(outside_code_spans(escape_md(f"There is no deck '{value}'")))
    assert outside_code_spans("a `https://x` b ``c ` d`` e") == "a  b  e"


def test_add_to_deck_on_the_spend_page_captures_the_view_as_shown():
    from tests.app.conftest import open_app

    at = open_app("spend", {"place": "Bolton", "spend_prices": "Real terms"})
    at.button(key="spend_acute_share_add_to_deck").click().run()
    assert not at.exception
    added = at.session_state[MY_DECK_KEY]
    assert len(added) == 1
    spec = added[0]
    # the place as its code: a slide names the area it shows exactly (Bolton is E08000001)
    assert (spec.view, spec.place, spec.cluster) == ("acute_share", "E08000001", None)
    assert spec.params["prices"] == "real"
    assert {"year_from", "year_to"} <= set(spec.params)


def test_the_map_slide_drops_the_click_and_hover_hints_a_room_cannot_use():
    at = open_present({"deck": "oldham", "slide": "4"})
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "by cluster" in shown
    assert "Click an area" not in shown and "Hover" not in shown


def test_present_opened_from_manchester_opens_manchesters_deck_and_the_link_names_it():
    """No deck in the link: the sidebar's place picks the deck (not the first file, Bolton's),
    the picker shows deck titles, and the URL gets the deck's name, not its title."""
    at = open_present({"place": "Manchester"})
    picker = at.selectbox(key="deck")
    assert picker.value == "manchester"
    assert "Manchester" in picker.options[picker.index] and "bolton" not in picker.options
    assert at.query_params["deck"] == "manchester"
    assert at.title[0].value.startswith("Manchester")
    picker.set_value("wirral").run()
    assert at.query_params["deck"] == "wirral" and counter(at).startswith("Slide 1 of ")
