"""The Data page's Reload data (it empties every person's caches): admins only, and at most
once every ui.reload.INTERVAL_SECONDS for the whole process. And the disclosure rule shown
under "Download a dataset"."""

from __future__ import annotations

import pytest

from tests.app.test_error_details import ALICE, DANA, run
from ui import reload

RULE = (
    "Disclosure control: counts of 1 to 7 people or events below place level are withheld, "
    "other counts below place level are rounded to the nearest 5, and every rate, proportion "
    "and confidence limit below place level is recomputed from the rounded counts (or withheld "
    "with them). For a proportion, the people not counted (denominator minus numerator) are "
    "checked too."
)


@pytest.fixture(autouse=True)
def no_recent_reload(monkeypatch):
    """No reload has happened yet; a fake clock; reload_data counted, not run (it is slow)."""
    from ui import state

    reload.reset()
    clock = {"now": 1_000.0}
    monkeypatch.setattr(reload, "_clock", lambda: clock["now"])
    calls = []
    monkeypatch.setattr(state, "reload_data", lambda: calls.append(clock["now"]))
    yield clock, calls
    reload.reset()


def reload_buttons(at) -> list:
    return [b for b in at.button if b.label == "Reload data"]


def test_people_who_are_not_admins_have_no_reload_button(tmp_path, monkeypatch):
    at = run("data", ALICE, tmp_path, monkeypatch)
    assert at.dataframe  # the page itself is there
    assert not reload_buttons(at)
    assert "Reload data" not in " ".join(str(n.proto) for n in at.main)


@pytest.mark.parametrize("who", [None, DANA], ids=["open", "admin"])
def test_admins_have_the_reload_button(tmp_path, monkeypatch, who):
    assert len(reload_buttons(run("data", who, tmp_path, monkeypatch))) == 1


def test_a_second_reload_within_the_interval_is_refused_and_says_when(
    tmp_path, monkeypatch, no_recent_reload
):
    clock, calls = no_recent_reload
    at = run("data", None, tmp_path, monkeypatch)
    at.button(key="reload_data").click().run()
    assert calls == [1_000.0] and not at.exception
    assert not [w for w in at.warning if "reloaded" in w.value]

    clock["now"] += 12
    at.button(key="reload_data").click().run()
    assert calls == [1_000.0], "the second press within 30 seconds must not reload"
    (told,) = [w.value for w in at.warning if "reloaded" in w.value]
    assert "less than 30 seconds ago" in told and "pressed again in 18 seconds" in told

    # process-wide: another person's session is refused too
    other = run("data", None, tmp_path, monkeypatch)
    other.button(key="reload_data").click().run()
    assert calls == [1_000.0]
    assert any("pressed again in 18 seconds" in w.value for w in other.warning)

    clock["now"] += 18
    at.button(key="reload_data").click().run()
    assert calls == [1_000.0, 1_030.0]


def test_the_limiter_on_its_own():
    assert reload.claim(now=0.0) is None
    assert reload.claim(now=29.5) == pytest.approx(0.5)
    assert reload.claim(now=30.0) is None
    assert reload.claim(now=31.0) == pytest.approx(29.0)
    assert "in 1 second " in reload.wait_message(0.2)


@pytest.mark.parametrize("who", [None, ALICE], ids=["open", "signed-in"])
def test_the_download_section_states_the_disclosure_rule(tmp_path, monkeypatch, who):
    at = run("data", who, tmp_path, monkeypatch)
    assert RULE in [c.value for c in at.caption]
