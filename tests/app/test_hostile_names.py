"""Names from the data files reach every page as text, never as markup ("Trust II").

Each page runs under AppTest on a copy of the sample data whose area (place, cluster, ward,
LSOA, practice), indicator, care home, provider and event names end in markdown and HTML
images and links (tests/hostile.py). Every markdown body, label, help and metric of every
element, and every Plotly figure, is searched for the payload surviving unescaped.
"""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app
from tests.hostile import MARKDOWN_GAPS, find_leaks, hostile_catalog, payload

AREA_PAGES = ("overview", "spend", "care_homes", "neighbourhoods", "outcomes")
# How the sidebar is set: the default place (Oldham), another place (Manchester: an acute
# spend target, synthetic care homes), and Oldham's first cluster.
CHOICES = ("place", "other place", "cluster")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_catalog(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture
def hostile_env(hostile, monkeypatch):
    monkeypatch.setenv("PLACEWISE_CATALOG", str(hostile))


def _run(page: str, choice: str = "place"):
    at = open_app(page)
    if choice == "other place":
        at.selectbox(key="place").select_index(1).run()
        assert at.selectbox(key="place").value.startswith("Manchester ![b](")
    elif choice == "cluster":
        at.selectbox(key="cluster").select_index(1).run()
        assert at.selectbox(key="cluster").value.endswith(payload())
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("page", AREA_PAGES)
def test_names_are_escaped_on_every_area_page(hostile_env, page, choice):
    at = _run(page, choice)
    assert at.title[0].value.startswith(("Oldham ", "Manchester "))  # the name is shown
    leaks = find_leaks(at, page)
    assert not leaks, "\n".join(leaks[:20])


@pytest.mark.parametrize("page", ("data", "about"))
def test_names_are_escaped_on_the_data_and_about_pages(hostile_env, page):
    leaks = find_leaks(_run(page), page)
    assert not leaks, "\n".join(leaks[:20])


def test_present_slides_escape_names_in_their_figures(hostile_env):
    """Slide figures and captions escape names; the slide's own title is the known exception."""
    at = _run("present")
    leaks = [leak for leak in find_leaks(at, "present") if " in Title.body" not in leak]
    assert not leaks, "\n".join(leaks[:20])


def test_present_slide_title_escapes_names(hostile_env):
    leaks = find_leaks(_run("present"), "present")
    assert not leaks, "\n".join(leaks[:20])


def test_markdown_sinks_break_autolinks_and_icon_shortcodes(hostile_env):
    leaks = find_leaks(_run("overview"), "overview", markdown=MARKDOWN_GAPS)
    assert not leaks, "\n".join(leaks[:20])
