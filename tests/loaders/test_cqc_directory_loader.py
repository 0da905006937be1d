"""The cqc_directory loader on CQC's real published layouts: CSV, XLSX and ODS, one or several months."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.cqc_loader import parse_dates
from loaders.errors import DataError, LoaderError
from tests.conftest import FIXTURES
from tests.loaders.contract_suite import LoaderContractSuite

CQC = FIXTURES / "cqc"
APRIL_2019 = CQC / "01_April_2019_HSCA_Active_Locations.csv"
MARCH_2025 = CQC / "01_March_2025_HSCA_Active_Locations.csv"
LOCATIONS = CQC / "Locations-head-sample.csv"
OLDHAM = "E08000004"
COUNCILS = ["Oldham=E08000004", "Bolton=E08000001", "Manchester=E08000003", "Wirral=E08000015"]


def text_frame(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def catalog(tmp_path: Path, path: str, **options) -> Path:
    """A one-dataset catalog `thing` reading `path` with the cqc_directory loader."""
    contract = "cqc_ratings" if options.get("table") == "cqc_ratings" else "care_homes"
    lines = [
        f'[datasets.thing]\nloader = "cqc_directory"\ncontract = "{contract}"\npath = "{path}"'
    ]
    lines.append("[datasets.thing.options]")
    for key, value in options.items():
        rendered = repr(value).replace("'", '"').replace("True", "true").replace("False", "false")
        lines.append(f"{key} = {rendered}")
    out = tmp_path / "catalog.toml"
    out.write_text("\n".join(lines) + "\n")
    return out


def load(tmp_path: Path, path: str, **options) -> pl.DataFrame:
    return load_dataset("thing", load_catalog(catalog(tmp_path, path, **options)))


def write_excel(frame: pl.DataFrame, path: Path, *, typed_dates: bool = False) -> None:
    """Write a CQC-layout frame as XLSX or ODS, optionally with real date cells as spreadsheets hold them."""
    data = frame.to_pandas()
    if typed_dates:
        data["Location HSCA start date"] = [
            datetime.strptime(v, "%d/%m/%Y") for v in data["Location HSCA start date"]
        ]
    engine = "odf" if path.suffix == ".ods" else "openpyxl"
    data.to_excel(path, index=False, engine=engine, sheet_name="HSCA_Active_Locations")


# Hand-checked against 01_March_2025_HSCA_Active_Locations.csv: its six care homes (Ebenezer
# Care Services, a domiciliary care agency with 'Care home?' = N, is left out).
MARCH_2025_HOMES = [
    (
        "1-109570155",
        "Neville House Residential Home",
        "1-101712519",
        "OL9 6LD",
        22,
        False,
        date(2010, 12, 7),
    ),
    (
        "1-118563363",
        "Royley House Care Home",
        "1-101641674",
        "OL2 5ED",
        41,
        False,
        date(2011, 1, 24),
    ),
    ("1-120031878", "Alexandra - Oldham", "1-101681127", "OL8 2BA", 35, True, date(2010, 12, 23)),
    ("1-16483173019", "Fernbank", "1-16429477230", "OL8 2BA", 29, False, date(2023, 7, 14)),
    (
        "1-18437805065",
        "Park Hills Private Nursing Home",
        "1-18135701101",
        "OL8 4DJ",
        17,
        True,
        date(2024, 1, 31),
    ),
    (
        "1-21881721930",
        "Royton House Care Home",
        "1-4521210418",
        "OL2 8SP",
        30,
        False,
        date(2025, 2, 25),
    ),
]
COLUMNS = [
    "location_id",
    "location_name",
    "provider_id",
    "postcode",
    "beds",
    "nursing",
    "registered_from",
]


class TestCqcDirectoryCsv(LoaderContractSuite):
    kind = "cqc_directory"
    suffix = ".csv"
    contract = "care_homes"
    frame = text_frame(MARCH_2025)
    options = {"place_code": OLDHAM}

    def write(self, frame, path):
        frame.write_csv(path)

    def expected(self):
        return pl.DataFrame(MARCH_2025_HOMES, schema=COLUMNS, orient="row").with_columns(
            place_code=pl.lit(OLDHAM), registered_to=pl.lit(None, pl.Date)
        )

    def test_corrupt_file_raises_loader_error_naming_dataset_and_file(self, tmp_path):
        self.write_corrupt(tmp_path / f"bad{self.suffix}")
        with pytest.raises(DataError) as info:
            load_dataset("thing", load_catalog(self.catalog(tmp_path, f"bad{self.suffix}")))
        assert info.value.title == "Dataset 'thing' could not be loaded"
        assert f"bad{self.suffix}" in str(info.value)

    def test_missing_contract_column_is_named(self, tmp_path):
        """Without a 'Location ID' header the loader says so (it finds the header row by it)."""
        self.write(self.frame.rename({"Location ID": "Ref"}), tmp_path / f"data{self.suffix}")
        with pytest.raises(LoaderError, match="no 'Location ID' column header"):
            load_dataset("thing", load_catalog(self.catalog(tmp_path, f"data{self.suffix}")))


class TestCqcDirectoryXlsx(TestCqcDirectoryCsv):
    suffix = ".xlsx"

    def write(self, frame, path):
        write_excel(frame, path, typed_dates=True)


class TestCqcDirectoryOds(TestCqcDirectoryCsv):
    suffix = ".ods"

    def write(self, frame, path):
        write_excel(frame, path)


def test_locations_export_keeps_care_homes_of_the_chosen_councils(tmp_path):
    shutil.copy(LOCATIONS, tmp_path / "locations.csv")
    homes = load(tmp_path, "locations.csv", local_authorities=COUNCILS)
    assert homes.select("location_name", "place_code", "beds", "nursing").sort(
        "location_name"
    ).rows() == [
        ("1, 2 and 3 St Georges Gardens", "E08000015", 3, False),
        ("Abafields Residential Home", "E08000001", 52, False),
        ("Abbey Hey Care Home", "E08000004", 39, False),
        ("Abbeyfield Lear House", "E08000015", 33, False),
        ("Abney Low Nursing home", "E08000015", 40, True),
    ]
    lear = homes.filter(pl.col("location_name") == "Abbeyfield Lear House").row(0, named=True)
    assert lear["registered_from"] == date(2010, 11, 23)
    assert lear["latitude"] is None and lear["area_code"] is None


def test_locations_export_ratings_are_case_normalised_with_us_dates(tmp_path):
    shutil.copy(LOCATIONS, tmp_path / "locations.csv")
    ratings = load(tmp_path, "locations.csv", table="cqc_ratings", local_authorities=COUNCILS)
    lear = ratings.filter(pl.col("location_id") == "1-106890455").sort("key_question")
    # "Requires Improvement" in the file; Publication Date "11/23/2010 12:00:00 AM" (month first)
    assert lear.select("published", "key_question", "rating").rows() == [
        (date(2010, 11, 23), "Caring", "Good"),
        (date(2010, 11, 23), "Effective", "Requires improvement"),
        (date(2010, 11, 23), "Overall", "Requires improvement"),
        (date(2010, 11, 23), "Responsive", "Good"),
        (date(2010, 11, 23), "Safe", "Requires improvement"),
        (date(2010, 11, 23), "Well-led", "Requires improvement"),
    ]
    # the Wirral home with no rating yet has no rows; five homes, four of them rated
    assert ratings["location_id"].n_unique() == 4
    every = load(tmp_path, "locations.csv", table="cqc_ratings", care_homes_only=False)
    assert every["location_id"].n_unique() > 30
    assert {"Inspected but not rated", "Outstanding"} <= set(every["rating"])


def test_monthly_snapshots_combine_into_histories(tmp_path):
    for path in (APRIL_2019, MARCH_2025):
        shutil.copy(path, tmp_path / path.name)
    homes = load(tmp_path, ".", place_code=OLDHAM, pattern="*HSCA_Active_Locations.csv")
    assert homes["location_id"].is_unique().all() and homes.height == 8
    by_id = {row["location_id"]: row for row in homes.iter_rows(named=True)}
    # blank beds in April 2019, 22 in March 2025: the latest snapshot wins
    assert by_id["1-109570155"]["beds"] == 22
    # in April 2019 but not March 2025: closed by the later snapshot's date
    assert by_id["1-113831768"]["registered_to"] == date(2025, 3, 1)
    assert by_id["1-2711314834"]["registered_to"] == date(2025, 3, 1)
    assert by_id["1-118563363"]["registered_to"] is None
    ratings = load(tmp_path, ".", table="cqc_ratings", pattern="*HSCA_Active_Locations.csv")
    assert ratings.filter(pl.col("location_id") == "1-118563363").select(
        "published", "rating"
    ).rows() == [
        (
            date(2018, 10, 6),
            "Requires improvement",
        ),  # "Requires Improvement", 10/6/2018 12:00:00 AM
        (date(2021, 12, 17), "Good"),  # 17/12/2021
    ]
    # Neville House's Good of 10 Oct 2018 is in both files, written two ways: kept once
    assert ratings.filter(pl.col("location_id") == "1-109570155")["published"].to_list() == [
        date(2018, 10, 10)
    ]
    assert ratings.select("location_id", "published", "key_question").is_unique().all()


def test_snapshots_in_ods_and_xlsx_give_the_same_result(tmp_path):
    shutil.copy(APRIL_2019, tmp_path / APRIL_2019.name)
    csv_only = load(tmp_path, ".", place_code=OLDHAM)
    spreadsheet = tmp_path / "sheets"
    spreadsheet.mkdir()
    write_excel(text_frame(APRIL_2019), spreadsheet / "01_April_2019_HSCA_Active_Locations.ods")
    from_ods = load(tmp_path, "sheets", place_code=OLDHAM)
    assert from_ods.equals(csv_only)
    assert csv_only.filter(pl.col("location_id") == "1-109570155")["beds"].to_list() == [None]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    rows = [["CQC care directory with filters", None], ["Data as at 1 March 2025", None]]
    frame = text_frame(MARCH_2025).to_pandas()
    top = pd.DataFrame(rows + [list(frame.columns[:2])], columns=frame.columns[:2])
    path = tmp_path / "directory.xlsx"
    with pd.ExcelWriter(path) as writer:
        top.to_excel(writer, index=False, header=False, sheet_name="Notes")
        pd.DataFrame([["Data as at 1 March 2025"]]).to_excel(
            writer, index=False, header=False, sheet_name="HSCA_Active_Locations"
        )
        frame.to_excel(writer, index=False, startrow=2, sheet_name="HSCA_Active_Locations")
    homes = load(tmp_path, "directory.xlsx", place_code=OLDHAM, sheet="HSCA_Active_Locations")
    assert homes.height == 6
    csv_text = "Placewise test: a title line\n\n" + MARCH_2025.read_text()
    (tmp_path / "titled.csv").write_text(csv_text)
    assert load(tmp_path, "titled.csv", place_code=OLDHAM).height == 6


def test_unknown_rating_labels_are_listed_and_can_be_mapped(tmp_path):
    frame = text_frame(MARCH_2025).with_columns(
        pl.when(pl.col("Location ID") == "1-109570155")
        .then(pl.lit("Excellent"))
        .otherwise(pl.col("Location Latest Overall Rating"))
        .alias("Location Latest Overall Rating")
    )
    frame.write_csv(tmp_path / "data.csv")
    with pytest.raises(
        LoaderError, match=r"1 rating\(s\) with an unknown label: Overall 'Excellent'"
    ):
        load(tmp_path, "data.csv", table="cqc_ratings")
    mapped = load(
        tmp_path, "data.csv", table="cqc_ratings", rating_labels=["Excellent=Outstanding"]
    )
    assert mapped.filter(pl.col("location_id") == "1-109570155")["rating"].to_list() == [
        "Outstanding"
    ]


def test_an_unreadable_date_is_named_by_column_line_and_value(tmp_path):
    frame = text_frame(MARCH_2025).with_columns(
        pl.when(pl.col("Location ID") == "1-118563363")
        .then(pl.lit("31/02/2021"))
        .otherwise(pl.col("Publication Date"))
        .alias("Publication Date")
    )
    frame.write_csv(tmp_path / "data.csv")
    with pytest.raises(LoaderError) as info:
        load(tmp_path, "data.csv", place_code=OLDHAM)
    assert "column 'Publication Date': 1 value(s) are not a date: line 4: '31/02/2021'" in str(
        info.value
    )


def test_the_place_must_be_given(tmp_path):
    shutil.copy(MARCH_2025, tmp_path / "data.csv")
    with pytest.raises(LoaderError, match="place_code' or 'local_authorities"):
        load(tmp_path, "data.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02", date(2025, 1, 2)),
        ("2011-01-02 00:00:00", date(2011, 1, 2)),
        ("2011-01-02T00:00:00", date(2011, 1, 2)),
        ("1/2/2025 12:00:00 AM", date(2025, 1, 2)),  # CQC's export: month first with AM/PM
        ("6/26/2025 12:00:00 AM", date(2025, 6, 26)),
        ("02/01/2025", date(2025, 1, 2)),  # plain slashes: day first (UK)
        ("2 January 2025", date(2025, 1, 2)),
        ("02-Jan-2025", date(2025, 1, 2)),
        ("45659", date(2025, 1, 2)),  # an Excel day number
        ("", None),
        ("soon", None),
    ],
)
def test_parse_dates(text, expected):
    assert pl.select(parse_dates(pl.lit(text))).item() == expected


def test_loaded_ratings_feed_the_share_computation(tmp_path):
    """End to end: the loader's two tables are what metrics.care_quality expects."""
    from metrics.care_quality import rating_share

    for path in (APRIL_2019, MARCH_2025):
        shutil.copy(path, tmp_path / path.name)
    homes = load(tmp_path, ".", place_code=OLDHAM)
    ratings = load(tmp_path, ".", table="cqc_ratings")
    at_2019 = rating_share(homes, ratings, date(2019, 3, 31)).row(0, named=True)
    # registered on 31 Mar 2019: Neville (Good, blank beds then, 22 now), Park Hills (Good, 17),
    # Royley (RI, 41), Alexandra (Good, 35), Fern Bank (Good, 29)
    assert (at_2019["homes_rated"], at_2019["homes_good_or_better"]) == (5, 4)
    assert at_2019["share_beds"] == pytest.approx(
        (22 + 17 + 35 + 29) / (22 + 17 + 41 + 35 + 29) * 100
    )
