"""The worked example: NHS Digital's PSS-EX1 2014-15 council-level expenditure file, as published
(latin-1, a row of region codes above the header, £000s, councils as columns, note rows),
onboarded by the sample catalog's entry alone. Its figures must equal the file's own totals,
read here by hand with the csv module from the copy in tests/fixtures."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from loaders import load_catalog, load_dataset
from tests.conftest import ROOT, SAMPLE_CATALOG

FIXTURE = ROOT / "tests" / "fixtures" / "pss_ex1_2014_15_councils.csv"
COUNCILS = {"304 - Bolton": "E08000001", "306 - Manchester": "E08000003",
            "307 - Oldham": "E08000004", "319 - Wirral": "E08000015"}  # fmt: skip
AGES = {"Age 18 to 64": "18-64", "Age 65 and over": "65+"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The sample catalog's own entry, pointed at the fixture copy of the file."""
    text = SAMPLE_CATALOG.read_text(encoding="utf-8")
    start = text.index("[datasets.asc_expenditure]")
    end = re.search(r"^\[datasets\.(?!asc_expenditure[.\]])", text[start + 1 :], re.M)
    entry = text[start : start + 1 + end.start()] if end else text[start:]
    entry = entry.replace('path = "pss_ex1_2014_15_councils.csv"', f'path = "{FIXTURE.as_posix()}"')
    folder = tmp_path_factory.mktemp("catalog")
    (folder / "catalog.toml").write_text(entry, encoding="utf-8")
    return load_dataset("asc_expenditure", load_catalog(folder / "catalog.toml"))


def published() -> list[list[str]]:
    return list(csv.reader(io.StringIO(FIXTURE.read_bytes().decode("latin-1"), newline="")))


def file_total(rows: list[list[str]], council: str, age: str) -> float:
    """The file's own 'Total' row: long-term support, all reasons, all settings, gross, £000s."""
    column = rows[1].index(council)
    (total,) = [
        r[column] for r in rows[2:]
        if r[:5] == ["Long term", age, "Total", "Total", "Gross total expenditure"]
    ]  # fmt: skip
    return float(total) * 1000


def test_the_fixture_is_the_published_format():
    rows = published()
    assert rows[1][:5] == ["Support type", "Age category", "Summary", "Delivery mechanism",
                           "Accounting category"]  # fmt: skip
    assert rows[1][5:] == list(COUNCILS)
    assert rows[0][5:] == ["NW"] * 4  # the region codes above the header
    assert any(r and r[0] == "Data are presented in £000's" for r in rows)


@pytest.mark.parametrize("council", list(COUNCILS))
@pytest.mark.parametrize("age", list(AGES))
def test_each_council_and_age_adds_up_to_the_file_s_own_total(loaded, council, age):
    place, group = COUNCILS[council], AGES[age]
    settings = loaded.filter((loaded["place_code"] == place) & (loaded["age_group"] == group))
    assert settings.height == 7  # nursing, residential, supported accommodation, 4 community
    assert settings["amount_gbp"].sum() == pytest.approx(file_total(published(), council, age))


def test_cells_read_by_hand(loaded):
    def amount(place, age, setting):
        row = loaded.filter(
            (loaded["place_code"] == place) & (loaded["age_group"] == age)
            & (loaded["setting"] == setting)
        )  # fmt: skip
        return row["amount_gbp"].item()

    # Oldham, age 65 and over: Residential 14,509 and Nursing 3,411 (£000s); 18-64 other long
    # term care -106 (a credit), as the file has them
    assert amount("E08000004", "65+", "care_homes_residential") == 14_509_000
    assert amount("E08000004", "65+", "care_homes_nursing") == 3_411_000
    assert amount("E08000004", "18-64", "other_long_term") == -106_000
    assert set(loaded["financial_year"]) == {"2014/15"}
    assert loaded.height == 4 * 2 * 7


def test_the_sample_catalog_reads_its_copy_the_same_way(loaded):
    from polars.testing import assert_frame_equal

    sample = load_dataset("asc_expenditure", load_catalog(SAMPLE_CATALOG))
    assert_frame_equal(sample, loaded)
    assert Path(load_catalog(SAMPLE_CATALOG).datasets["asc_expenditure"].path).read_bytes() == (
        FIXTURE.read_bytes()
    )
