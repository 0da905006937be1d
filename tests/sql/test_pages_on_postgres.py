"""Every page served from PostgreSQL equals the page on the embedded sample data, and the chosen
place reaches the database as a bound filter rather than every row being fetched."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.sql.conftest import ROOT

PAGES = ("overview", "spend", "care_homes", "neighbourhoods", "outcomes", "benchmarks")


def page_content(page: str, place: str) -> dict:
    """What a board member sees: headings, tiles, chart data and titles, table sizes."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["place"] = place
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    charts = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        charts.append(
            {
                "title": spec["layout"].get("title", {}).get("text"),
                "data": [{k: t.get(k) for k in ("x", "y", "z", "locations")} for t in spec["data"]],
            }
        )
    return {
        "title": [t.value for t in at.title],
        "headers": [h.value for h in at.header],
        "metrics": [(m.label, m.value) for m in at.metric],
        "charts": charts,
        "tables": [d.value.shape for d in at.dataframe],
    }


def rounded(value):
    """Numbers to 9 significant figures: sums of the same rows read in another order differ in
    the last bits (4.061336320000052 against 4.0613363200001125), nothing a reader could see."""
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


@pytest.fixture
def use_catalog(monkeypatch):
    from ui import state

    def use(path) -> None:
        state.reload_data()
        if path is None:
            monkeypatch.delenv("PLACEWISE_CATALOG", raising=False)
        else:
            monkeypatch.setenv("PLACEWISE_CATALOG", str(path))

    monkeypatch.delenv("PLACEWISE_ACCESS", raising=False)
    yield use
    state.reload_data()


@pytest.mark.parametrize("place", ["Oldham", "Manchester"])
def test_every_page_from_postgres_equals_the_page_from_the_sample_files(
    postgres, use_catalog, place
):
    use_catalog(None)
    files = {page: page_content(page, place) for page in PAGES}
    use_catalog(postgres.catalog_path)
    database = {page: page_content(page, place) for page in PAGES}
    for page in PAGES:
        assert rounded(database[page]) == rounded(files[page]), page
        assert files[page]["charts"] or page == "overview", page


def test_the_spend_page_fetches_only_the_chosen_place(postgres, use_catalog, monkeypatch):
    from ui import state

    asked: list[tuple[str, dict | None]] = []
    fetch = state.Request.fetch

    def recording(self, name, catalog):
        asked.append((name, dict(self.where) or None))
        return fetch(self, name, catalog)

    monkeypatch.setattr(state.Request, "fetch", recording)
    use_catalog(postgres.catalog_path)
    content = page_content("spend", "Bolton")
    assert content["title"] == ["Bolton: spend shift"]
    spend_requests = [where for name, where in asked if name == "spend"]
    assert spend_requests == [{"place_code": "E08000001"}]  # never the whole table


def test_the_outcomes_page_fetches_only_the_place_and_its_clusters(
    postgres, use_catalog, monkeypatch
):
    from ui import state

    asked: list[dict | None] = []
    fetch = state.Request.fetch

    def recording(self, name, catalog):
        if name == "outcomes":
            asked.append(dict(self.where) or None)
        return fetch(self, name, catalog)

    monkeypatch.setattr(state.Request, "fetch", recording)
    use_catalog(postgres.catalog_path)
    for page in ("overview", "outcomes"):
        assert page_content(page, "Wirral")["charts"] or page == "overview"
    assert len(asked) == 1  # one request, shared by the Overview grid and the Outcomes page
    codes = asked[0]["area_code"]
    assert "E08000015" in codes and len(codes) == 1 + 7  # Wirral and its seven clusters
    assert all(c == "E08000015" or c.startswith("E08000015-") for c in codes)
