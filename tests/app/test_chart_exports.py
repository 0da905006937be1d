"""ui.charts.show_chart: CSV, PNG and SVG downloads, the text alternative, and Add to deck."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from exports.images import ImageExportError
from ui import charts

TIMEOUT = 60
ALT = "Chart: Acute share fell from 41.5% to 38.2%. Drawn from 2 rows of data, downloadable as CSV."


def chart_script():
    import plotly.graph_objects as go
    import polars as pl

    from present.decks import SlideSpec
    from ui.charts import show_chart

    fig = go.Figure(go.Bar(x=["2019/20", "2020/21"], y=[41.5, 38.2]))
    fig.update_layout(title="Acute share <b>fell</b> from 41.5% to 38.2%")
    rows = pl.DataFrame({"financial_year": ["2019/20", "2020/21"], "acute_share": [41.5, 38.2]})
    show_chart(fig, rows, key="demo", source="Test source", as_at="2024/25",
               slide=SlideSpec("acute_share", place="Oldham"))  # fmt: skip


def run() -> AppTest:
    at = AppTest.from_function(chart_script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


def test_csv_png_and_svg_downloads_and_a_text_alternative(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    at = run()
    assert labels(at) == ["Download the data (CSV)", "Picture (PNG)", "Picture (SVG)"]
    # all three are made on click (deferred), not on every run of the page
    assert all(b.proto.deferred_file_id and not b.proto.url for b in at.get("download_button"))
    assert at.get("plotly_chart")[0].proto.alt == ALT
    assert at.caption[0].value == ALT  # and shown small under the chart


def test_without_a_browser_the_csv_stays_and_the_page_says_why(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run()
    assert labels(at) == ["Download the data (CSV)"]
    assert any(
        c.value.replace("\\", "") == "Pictures (PNG, SVG) are not available here: no Chromium at "
        "/nonexistent/chromium (BROWSER_PATH). The CSV of the same rows is."
        for c in at.caption
    )


def test_a_picture_that_fails_on_click_is_explained_on_the_next_run(monkeypatch):
    failures: dict[str, str] = {}

    def broken(fig, fmt):
        raise ImageExportError("Chromium could not draw the chart as PNG (timed out)")

    monkeypatch.setattr(charts, "figure_image", broken)
    make = charts._picture(go.Figure(), "png", "demo_png", failures)
    with pytest.raises(ImageExportError):
        make()
    assert failures == {"demo_png": "Chromium could not draw the chart as PNG (timed out)"}

    at = AppTest.from_function(chart_script, default_timeout=TIMEOUT)
    at.session_state["_placewise_image_failures"] = dict(failures)
    at.run()
    text = [c.value.replace("\\", "") for c in at.caption]
    assert "The PNG picture could not be made: Chromium could not draw the chart as PNG " \
        "(timed out)" in text  # fmt: skip
    assert labels(at)[0] == "Download the data (CSV)"
    at.run()  # said once, then gone
    assert not any("could not be made" in c.value for c in at.caption)


def test_add_to_deck_appends_the_slide_once():
    at = run()
    at.button(key="demo_add_to_deck").click().run()
    deck = at.session_state["_placewise_my_deck"]
    assert [(s.view, s.place) for s in deck] == [("acute_share", "Oldham")]
    assert at.toast[0].value == "Added to My deck (1 slide)."
    at.button(key="demo_add_to_deck").click().run()
    assert len(at.session_state["_placewise_my_deck"]) == 1
    assert at.toast[0].value == "Already in My deck."


def test_default_alt_counts_rows_and_strips_markup():
    import polars as pl

    fig = go.Figure(layout={"title": {"text": "Spend rose<br><sup>cash</sup> &amp; more."}})
    one = pl.DataFrame({"a": [1]})
    assert charts.default_alt(fig, one) == (
        "Chart: Spend rose cash & more. Drawn from 1 row of data, downloadable as CSV."
    )
    assert charts.default_alt(go.Figure(), one.clear()).startswith("Chart. Drawn from 0 rows")
