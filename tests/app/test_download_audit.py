"""Walk every page for every place and audit every CSV a person can download from it.

Two rules, from the information governance brief:
- formula safety: no text cell starts with = + - @ tab or CR (a spreadsheet would run it);
  a leading '-' followed by a digit is a negative number and is fine;
- disclosure control: person counts (numerator, denominator, or a count-type value, of an
  indicator under disclosure control) in rows below place level (cluster, ward, LSOA, practice)
  are suppressed as metrics/suppression does it: blank or '*' for 1 to 7, others rounded to 5.

The downloads are lazy (a callable run on click), so the test records what each page registers
with Streamlit's media file manager and runs the CSV ones itself, exactly as a click would.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from loaders import load_catalog, load_dataset
from metrics.suppression import BASE, HIGH, SUPPRESSED
from tests.app.conftest import ROOT, open_app

PLACES = ("Bolton", "Manchester", "Oldham", "Wirral")
PAGES = ("overview", "spend", "care_homes", "neighbourhoods", "outcomes", "about")
if (ROOT / "views" / "present.py").exists():  # the board-pack page, when it is there
    PAGES += ("present",)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"^-(\d|\.\d)")
PERSON_COUNT = re.compile(
    r"^(numerator|denominator)$|(^|_)(count|people|persons|residents|patients|population)(_|$)"
)
ABOVE_PLACE = {"place", "england", "icb"}
AREA_COLUMNS = ("area_code", "area", "area_name")
CLUSTER_COLUMNS = ("cluster_code", "cluster_name", "cluster")


@dataclass(frozen=True)
class Download:
    page: str
    place: str
    file_name: str
    text: str


class Recorder:
    """Keeps every CSV download a run registers (lazy callables and ready-made bytes)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, object]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        add_deferred, add = MediaFileManager.add_deferred, MediaFileManager.add
        recorder = self

        def deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
            recorder.items.append((file_name or "", data_callable))
            return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

        def static(self, data, mimetype, coordinates, file_name=None, **kwargs):
            if kwargs.get("is_for_static_download"):
                recorder.items.append((file_name or "", lambda data=data: data))
            return add(self, data, mimetype, coordinates, file_name, **kwargs)

        monkeypatch.setattr(MediaFileManager, "add_deferred", deferred)
        monkeypatch.setattr(MediaFileManager, "add", static)

    def take(self, page: str, place: str) -> list[Download]:
        out = []
        for name, make in self.items:
            if name.lower().endswith(".csv"):
                data = make()
                text = data.decode("utf-8-sig") if isinstance(data, bytes) else str(data)
                out.append(Download(page, place, name, text.removeprefix("\ufeff")))
        self.items.clear()
        return out


@pytest.fixture(scope="module")
def reference() -> dict:
    """Area levels (by code and by name) and indicators (by id and by name) from the sample data."""
    catalog = load_catalog()
    areas = load_dataset("areas", catalog)
    indicators = load_dataset("indicators", catalog)
    level: dict[str, str] = {}
    for code, name, kind in areas.select("area_code", "area_name", "area_type").iter_rows():
        level[code] = kind
        # a name is above place level only if every area of that name is (Wallasey is a ward
        # and a cluster: below place either way)
        if name not in level or level[name] in ABOVE_PLACE:
            level[name] = kind
    # published council figures are for whole councils: place level (codes, and names not known)
    for code, name, kind in (
        load_dataset("councils", catalog).select("area_code", "area_name", "area_type").iter_rows()
    ):
        level.setdefault(code, kind)
        level.setdefault(name, kind)
    indicators = pl.concat([indicators, load_dataset("council_indicators", catalog)])
    rules: dict[str, tuple[bool, str]] = {}
    for ind_id, name, controlled, value_type in indicators.select(
        "indicator_id", "name", "disclosure_control", "value_type"
    ).iter_rows():
        rules[ind_id] = rules[name] = (bool(controlled), value_type)
    clusters: dict[str, list[str]] = {}
    for name, parent in (
        areas.filter(areas["area_type"] == "cluster")
        .sort("area_name")
        .select("area_name", "parent_code")
    ).iter_rows():
        clusters.setdefault(parent, []).append(name)
    return {"level": level, "indicators": rules, "clusters": clusters}


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    table = list(csv.reader(io.StringIO("".join(lines))))
    return (table[0], table[1:]) if table else ([], [])


def formula_cells(download: Download) -> list[str]:
    header, rows = _rows(download.text)
    bad = [f"header {h!r}" for h in header if h.startswith(FORMULA_START)]
    for r, row in enumerate(rows, start=1):
        for column, cell in zip(header, row, strict=False):
            if cell.startswith(FORMULA_START) and not NEGATIVE_NUMBER.match(cell):
                bad.append(f"row {r} column {column!r}: {cell!r}")
    return bad


def stem(dataset: str) -> str:
    """How a Data page download's file name starts: the dataset's name as a slug."""
    return dataset.replace("_", "-")


def _below_place(row: dict[str, str], level: dict[str, str]) -> bool:
    # a row naming a cluster is below place, whatever area the view as a whole shows
    if any(row.get(column) for column in CLUSTER_COLUMNS):
        return True
    for column in AREA_COLUMNS:
        if row.get(column):
            return level.get(row[column], "unknown") not in ABOVE_PLACE
    return any(row.get(column) for column in CLUSTER_COLUMNS)


def _suppressed(cell: str) -> bool:
    """Blank, '*', zero, or a whole multiple of 5 above the suppressed range."""
    if cell in ("", SUPPRESSED):
        return True
    try:
        value = float(cell)
    except ValueError:
        return False
    return value == 0 or (value > HIGH and value % BASE == 0)


def unsuppressed_counts(download: Download, reference: dict) -> list[str]:
    header, rows = _rows(download.text)
    problems = []
    for r, cells in enumerate(rows, start=1):
        row = dict(zip(header, cells, strict=False))
        if not _below_place(row, reference["level"]):
            continue
        indicator = row.get("indicator_id") or row.get("indicator") or ""
        controlled, value_type = reference["indicators"].get(indicator, (True, "count"))
        if not controlled:
            continue
        columns = [c for c in header if PERSON_COUNT.search(c)]
        if value_type == "count" and "value" in header and "numerator" in header and indicator:
            columns.append("value")
        for column in columns:
            if not _suppressed(row.get(column, "")):
                problems.append(f"row {r} ({indicator or 'no indicator'}) {column}={row[column]!r}")
    return problems


def _audit(downloads: list[Download], reference: dict) -> list[str]:
    report = []
    for d in downloads:
        for problem in formula_cells(d)[:3]:
            report.append(f"{d.page} / {d.place} / {d.file_name}: formula {problem}")
        leaks = unsuppressed_counts(d, reference)
        if leaks:
            report.append(
                f"{d.page} / {d.place} / {d.file_name}: {len(leaks)} unsuppressed count(s), "
                f"e.g. {'; '.join(leaks[:3])}"
            )
    return report


@pytest.fixture
def recorder(monkeypatch) -> Iterator[Recorder]:
    rec = Recorder()
    rec.install(monkeypatch)
    yield rec


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("page", PAGES)
def test_every_csv_on_the_page_is_formula_safe_and_disclosure_controlled(
    page, place, recorder, reference
):
    open_app(page, {"place": place})
    downloads = recorder.take(page, place)
    if page not in ("overview", "about"):
        assert downloads, f"{page} offers no CSV download for {place}"
    assert not _audit(downloads, reference)


@pytest.mark.parametrize("page", PAGES)
def test_with_one_cluster_chosen_the_downloads_are_still_controlled(page, recorder, reference):
    """A cluster chosen in the sidebar makes the page's main series cluster level."""
    cluster = reference["clusters"]["E08000004"][0]
    at = open_app(page, {"place": "Oldham", "cluster": cluster})
    assert at.query_params.get("cluster") in (cluster, [cluster])  # the choice was kept
    assert not _audit(recorder.take(page, f"Oldham / {cluster}"), reference)


def test_every_dataset_on_the_data_page(recorder, reference):
    """The Data page offers each loaded dataset whole: check every one it offers."""
    at = open_app("data")
    choices = list(at.selectbox(key="download_dataset").options)
    assert {"spend", "outcomes", "population", "care_homes"} <= set(choices)
    downloads = recorder.take("data", "all")
    for choice in choices:
        at.selectbox(key="download_dataset").set_value(choice).run()
        assert not at.exception
        downloads += [
            d for d in recorder.take("data", "all") if d.file_name.startswith(stem(choice))
        ]
    # each file is named by its dataset and any period it covers (care-homes_oct-2010-to-...)
    named = {d.file_name.removesuffix(".csv").split("_")[0] for d in downloads}
    assert named >= {stem(c) for c in choices}
    assert all(d.file_name.endswith(".csv") and " " not in d.file_name for d in downloads)
    assert not _audit(downloads, reference)


def test_the_audit_catches_a_formula_and_an_unsuppressed_cluster_count(reference):
    """The checks above can fail: a crafted download with both faults is reported twice."""
    text = (
        "# Source: test\n"
        "indicator_id,area_code,numerator,denominator,value,label\n"
        'ae_attendances,E08000004,3,,3,=HYPERLINK("x")\n'  # place level: count may show
        "ae_attendances,E08000001-central,3,,3,-12\n"  # cluster: 3 must be suppressed
        "ae_attendances,E08000001-east,*,,,'=ok\n"
        "ae_attendances,E08000001-east,10,,10,@SUM(A1)\n"
    )
    report = _audit([Download("test", "Bolton", "x.csv", text)], reference)
    assert len(report) == 3, report
    assert "formula row 1 column 'label'" in report[0] and "formula row 4" in report[1]
    assert (
        "2 unsuppressed count(s)" in report[2]
        and "row 2 (ae_attendances) numerator='3'" in report[2]
    )


def test_data_page_disclosure_rules_on_a_small_table():
    """metrics.disclosure: place rows pass; small-area counts suppressed with their siblings."""
    import datetime as dt

    import polars as pl

    from metrics.disclosure import protect_observations

    areas = pl.DataFrame(
        {
            "area_code": ["P", "C1", "C2", "C3", "L1"],
            "area_type": ["place", "cluster", "cluster", "cluster", "lsoa"],
            "parent_code": [None, "P", "P", "P", "C1"],
        }
    )
    indicators = pl.DataFrame(
        {
            "indicator_id": ["falls", "spend_pct"],
            "disclosure_control": [True, False],
            "value_type": ["count", "proportion"],
        }
    )
    day = dt.date(2024, 4, 1)
    frame = pl.DataFrame(
        {
            "indicator_id": ["falls"] * 5 + ["spend_pct", "falls"],
            "area_code": ["P", "C1", "C2", "C3", "L1", "C1", "X9"],
            "period_start": [day] * 7,
            "numerator": [3.0, 3.0, 41.0, 122.0, 7.2, 2.0, 12.0],
            "denominator": [None] * 5 + [10.0, None],
            "value": [3.0, 3.0, 41.0, 122.0, 7.2, 20.0, 12.0],
        }
    )
    out = protect_observations(frame, areas, indicators)
    assert out.columns == [*frame.columns, "suppressed"]
    got = dict(zip(out["area_code"] + "/" + out["indicator_id"], out["numerator"], strict=True))
    assert got["P/falls"] == 3.0  # the place total is published
    assert got["C1/falls"] is None  # 3 people: suppressed
    assert got["C2/falls"] is None  # secondary: the smallest sibling, or C1 = P - C2 - C3
    assert got["C3/falls"] == 120.0  # rounded to 5
    assert got["L1/falls"] is None  # 7.2 modelled people is 7: suppressed, not rounded to 5
    assert got["C1/spend_pct"] == 2.0  # not under disclosure control
    assert got["X9/falls"] == 10.0  # an unknown area is treated as small (rounded)
    assert out["value"].to_list()[:5] == [3.0, None, None, 120.0, None]
    assert out["suppressed"].to_list() == [False, True, True, False, True, False, False]
