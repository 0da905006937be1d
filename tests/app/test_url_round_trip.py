"""Every URL-bound choice on every page survives a round trip through the URL.

The keys are read from the source (every widget call with bind="query-params"), so a new
bound widget is covered, or this test says it is not. For each page: open it, choose a
non-default value for every bound widget it shows, put those choices in the URL as the
browser would, open the page fresh from that URL, and check that every widget holds the
value and that the app left the URL as it was.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
WIDGETS = ("selectbox", "radio", "multiselect", "select_slider", "checkbox", "text_input",
           "number_input")  # fmt: skip
# Widgets drawn only when the data calls for them: the reason they can be absent.
CONDITIONAL = {
    "homes_carried_over": "shown only when some ratings were carried over from a previous registration",
}
PAGES = {  # url path -> views file; the sidebar filters are on every page
    "overview": "overview",
    "spend": "spend",
    "care-homes": "care_homes",
    "neighbourhoods": "neighbourhoods",
    "outcomes": "outcomes",
    "present": "present",
}


def bound_keys(path: Path) -> list[str]:
    """The key of every widget call in `path` that binds itself to the URL."""
    keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            bind, key = kw.get("bind"), kw.get("key")
            if isinstance(bind, ast.Constant) and bind.value == "query-params":
                assert isinstance(key, ast.Constant), f"{path}: a bound widget needs a literal key"
                keys.append(key.value)
    return keys


FILTER_KEYS = bound_keys(ROOT / "ui" / "filters.py")


def panel_keys(page: str) -> list[str]:
    """The URL keys of the parameters of the page's panels: ui.panels.widget binds each (the
    key comes from the field's metadata, so the source scan above cannot see it)."""
    from panels.params import AreaParams, fields_of
    from panels.registry import panels

    shared = set(fields_of(AreaParams))
    keys = [
        spec.url
        for panel in panels().values()
        if panel.page == page
        for name, spec in fields_of(panel.Params).items()
        if name not in shared
    ]
    return list(dict.fromkeys(keys))


def page_keys(page: str) -> list[str]:
    keys = FILTER_KEYS + bound_keys(ROOT / "views" / f"{PAGES[page]}.py") + panel_keys(page)
    return list(dict.fromkeys(keys))


def open_page(page: str, query: dict) -> AppTest:
    """A new session opened on `page` with `query` in the URL, as a browser opens a link.

    AppTest can only switch to a page with its own url_path after a first run; that run
    (the default page) is given the URL too, and the page's own widgets, drawn for the first
    time in the second run, read their values from the URL as on a fresh load.
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.query_params.clear()
    at.query_params.update(query)
    at.switch_page(f"views/{PAGES[page]}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widgets(at: AppTest, keys: list[str]) -> dict:
    found = {}
    for kind in WIDGETS:
        for w in getattr(at, kind):
            if w.key in keys:
                found[w.key] = w
    return found


def label(w, value) -> str:
    try:
        text = w.format_func(value)
    except Exception:
        text = value
    return str(text)


def shown(w) -> str | list[str]:
    """The widget's value as the URL writes it (option labels; lists for several values)."""
    kind = type(w).__name__
    if kind == "Multiselect":
        return [label(w, v) for v in w.value]
    if kind == "SelectSlider" and isinstance(w.value, tuple | list):
        return [label(w, v) for v in w.value]
    if kind == "Checkbox":
        return str(w.value).lower()
    if kind == "NumberInput":
        return str(w.value)
    if kind == "TextInput":
        return w.value or ""
    return label(w, w.value)


def other_value(w) -> str | list[str]:
    """A value for the widget that is not its current (default) one, as the URL writes it.

    The second option rather than the last: a gentle change (one provider, one cluster) that
    leaves something on the page to draw, so the widgets further down are still shown.
    """
    kind, now = type(w).__name__, shown(w)
    if kind == "Checkbox":
        return "false" if now == "true" else "true"
    if kind == "TextInput":
        return "lodge"
    if kind == "NumberInput":
        assert w.max is None or w.value + 1 <= w.max, f"{w.key}: no other number"
        return str(w.value + 1)
    options = list(w.options)
    if kind == "Multiselect":
        return options[:2] if options[:2] != now else options[:1]
    if kind == "SelectSlider" and isinstance(now, list):
        assert len(options) >= 3, f"{w.key}: too few options for another range"
        return [options[1], options[-2]] if [options[1], options[-2]] != now else options[:2]
    assert len(options) >= 2, f"{w.key}: one option only, so no other value to choose"
    return options[1] if options[1] != now else options[0]


def as_read(query: dict) -> dict:
    """The query as AppTest reads a URL back: a parameter given once is a string."""
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in query.items()}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_bound_choice_round_trips_through_the_url(page):
    keys = page_keys(page)
    query: dict = {"deck": "oldham"} if page == "present" else {}
    for _ in range(3):  # later choices depend on earlier ones (a cluster of the chosen place)
        at = open_page(page, query)
        found = widgets(at, keys)
        wrong = [k for k, w in found.items() if k not in query or shown(w) != query[k]]
        if not wrong:
            break
        for key in wrong:
            query[key] = other_value(found[key])
    missing = [k for k in keys if k not in found and k not in CONDITIONAL]
    assert not missing, f"{page}: bound widgets not shown on the sample data: {missing}"
    assert set(found) <= set(query), "every bound widget shown has a chosen value"

    at = open_page(page, query)
    found = widgets(at, keys)
    for key, w in found.items():
        assert shown(w) == query[key], f"{page}: {key} holds {shown(w)!r}, URL said {query[key]!r}"
    assert dict(at.query_params) == as_read(query), f"{page}: the app rewrote the URL"
    # and the choices are real choices, not the defaults
    defaults = widgets(open_page(page, {"deck": "oldham"} if page == "present" else {}), keys)
    changed = [k for k in found if k in defaults and shown(defaults[k]) != query[k]]
    assert sorted(changed) == sorted(k for k in found if k in defaults and k != "deck")


def test_the_source_scan_finds_the_known_bound_widgets():
    assert FILTER_KEYS == ["place", "cluster", "period"]
    assert {"spend_prices", "spend_base", "spend_per"} <= set(page_keys("spend"))
    assert {"spend_orgs", "spend_pools", "spend_groups", "spend_table_pool"} <= set(
        page_keys("spend")
    )
    assert {"outcomes_indicator", "outcomes_rebase"} <= set(page_keys("outcomes"))
    assert {"slide"} <= set(page_keys("present"))  # the deck is bound by hand (views/present.py)
