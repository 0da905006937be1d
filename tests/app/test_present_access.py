"""The Present page offers and opens only decks inside the signed-in person's access
("Trust II"): a person scoped to Oldham who edits the link to `?deck=bolton` is told "Not
permitted" and sees nothing of Bolton's deck (no title, heading, speaker note or slide), and
the deck picker lists only the decks whose every place and cluster their access covers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from present.decks import SlideSpec, load_deck
from tests.app.conftest import AUTH, ROOT, TIMEOUT

SAMPLE = ROOT / "sample_data"
MY_DECK_KEY = "_placewise_my_deck"
ACCESS = """\
[users."alice@oldham.gov.uk"]
places = ["E08000004"]
downloads = true

[users."carol@oldham.gov.uk"]
clusters = ["E08000004-east"]
downloads = true

[users."analyst@gm.nhs.uk"]
places = ["*"]
downloads = true
"""
# Decks for the cluster-only person: one naming only her cluster (by code and by name), one
# that also names a cluster she may not see, one that shows the place as a whole.
EAST = """
[deck]
title = "Oldham East neighbourhood"
place = "Oldham"

[[slides]]
view = "care_home_quality"
cluster = "E08000004-east"
heading = "East care homes"

[[slides]]
view = "outcome_spc"
cluster = "oldham east"
indicator = "delayed_discharges"
heading = "East discharges"
"""
EAST_AND_WEST = (
    EAST
    + """
[[slides]]
view = "care_home_quality"
cluster = "E08000004-west"
heading = "West care homes, secret"
note = "Say nothing of the west."
"""
)
WHOLE_PLACE = """
[deck]
title = "Oldham as a whole, secret"
place = "E08000004"

[[slides]]
view = "acute_share"
heading = "Oldham acute share"
"""


@pytest.fixture(autouse=True)
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_ACCESS", str(path))
    return path


@pytest.fixture
def cluster_decks(tmp_path, monkeypatch) -> Path:
    """The sample catalog with a decks folder holding the sample decks and EAST & co."""
    decks = tmp_path / "decks"
    decks.mkdir()
    for sample in (SAMPLE / "decks").glob("*.toml"):
        (decks / sample.name).write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in (("east", EAST), ("east_and_west", EAST_AND_WEST), ("whole", WHOLE_PLACE)):
        (decks / f"{name}.toml").write_text(text, encoding="utf-8")
    text = (SAMPLE / "catalog.toml").read_text(encoding="utf-8")
    text = re.sub(r'^path = "', f'path = "{SAMPLE.as_posix()}/', text, flags=re.M)
    text = re.sub(r'^decks = ".*"$', f'decks = "{decks.as_posix()}"', text, flags=re.M)
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLACEWISE_CATALOG", str(path))
    return path


def present_as(email: str, query: dict, state: dict | None = None) -> AppTest:
    """A fresh session signed in as `email`, opened on the Present page with `query`."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True}
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


def shown(at: AppTest) -> str:
    """Everything drawn, main area and sidebar, as text (includes chart specs and tables),
    less the person's own link repeated in the sidebar's "Copy snapshot link"."""
    text = " ".join(str(node.proto) for block in (at.main, at.sidebar) for node in block)
    return re.sub(r"\?deck=[^&\"]*", "", text)


def deck_text(name: str) -> list[str]:
    """The title, headings and notes of a sample deck: what must not be shown when refused."""
    deck = load_deck(SAMPLE / "decks" / f"{name}.toml")
    return [deck.title] + [t for s in deck.slides for t in (s.heading, s.note) if t]


def titled(names: list[str], folder: Path = SAMPLE / "decks") -> list[str]:
    """What the deck picker lists for decks `names`: each deck's title (not its file name)."""
    return [
        "My deck (0 slides)" if n == "my-deck" else load_deck(folder / f"{n}.toml").title
        for n in names
    ]


def refused(at: AppTest) -> bool:
    errors = " ".join(e.value for e in at.error)
    return errors.startswith("**Not permitted.**") and not at.get("plotly_chart")


def test_an_oldham_user_who_edits_the_link_to_the_bolton_deck_sees_nothing_of_it():
    at = present_as("alice@oldham.gov.uk", {"deck": "bolton"})
    assert refused(at)
    page = shown(at)
    assert "bolton" not in page.casefold() and "E08000001" not in page
    assert not [t for t in deck_text("bolton") if t in page]  # no title, heading or note
    assert not at.expander and not at.title and not at.get("download_button")
    assert not [m for m in at.markdown if m.value.startswith("####")]
    at.button(key="present_back").click().run()  # "Show the decks I may open"
    assert not at.exception and not at.error
    assert at.selectbox(key="deck").options == titled(["oldham", "my-deck"])
    assert at.title[0].value.startswith("Oldham")


@pytest.mark.parametrize("deck", ["manchester", "wirral"])
def test_every_other_place_deck_is_refused_too(deck):
    at = present_as("alice@oldham.gov.uk", {"deck": deck, "slide": "2"})
    assert refused(at)
    assert deck not in shown(at).casefold()


@pytest.mark.parametrize(
    ("email", "decks"),
    [
        ("alice@oldham.gov.uk", ["oldham", "my-deck"]),
        ("carol@oldham.gov.uk", ["my-deck"]),  # a cluster grant does not cover Oldham's deck
        ("analyst@gm.nhs.uk", ["bolton", "manchester", "oldham", "wirral", "my-deck"]),
    ],
)
def test_the_picker_lists_only_the_decks_the_person_may_open(email, decks):
    at = present_as(email, {})
    assert at.selectbox(key="deck").options == titled(decks)
    assert not at.exception and not at.error


def test_the_oldham_deck_still_presents_for_an_oldham_user():
    at = present_as("alice@oldham.gov.uk", {"deck": "oldham", "slide": "2"})
    assert not at.error and at.title[0].value.startswith("Oldham: acute share of spend")
    assert at.expander[0].label == "Speaker note"


def test_a_cluster_grant_opens_only_decks_naming_that_cluster(cluster_decks):
    at = present_as("carol@oldham.gov.uk", {})
    assert at.selectbox(key="deck").options == titled(
        ["east", "my-deck"], cluster_decks.parent / "decks"
    )
    at = present_as("carol@oldham.gov.uk", {"deck": "east"})
    assert not at.error and at.markdown[1].value == "#### East care homes"
    for deck, secret in (("east_and_west", "west"), ("whole", "secret"), ("oldham", "acute")):
        at = present_as("carol@oldham.gov.uk", {"deck": deck})
        assert refused(at), deck
        assert secret not in shown(at).casefold()


def test_my_deck_holding_a_slide_outside_the_access_is_refused_and_can_be_emptied():
    added = [
        SlideSpec("acute_share", place="Oldham", heading="Ours"),
        SlideSpec("care_home_quality", place="Bolton", heading="Theirs", note="Bolton's note"),
    ]
    at = present_as("alice@oldham.gov.uk", {"deck": "my-deck"}, state={MY_DECK_KEY: added})
    assert refused(at)
    assert "bolton" not in shown(at).casefold() and "Theirs" not in shown(at)
    at.button(key="present_back").click().run()  # "Empty My deck"
    assert not at.exception and "My deck is empty" in at.info[-1].value
