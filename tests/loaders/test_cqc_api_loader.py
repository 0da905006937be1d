"""The cqc_api loader on real CQC API location records (JSON lines, JSON lists, one file per home)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import LoaderError
from tests.conftest import FIXTURES
from tests.loaders.contract_suite import LoaderContractSuite

API = FIXTURES / "cqc" / "oldham_locations_api.jsonl"
LINES = [line for line in API.read_text(encoding="utf-8").splitlines() if line.strip()]
OLDHAM = "E08000004"
ROYLEY = "1-118563363"


def catalog(tmp_path: Path, path: str, table: str = "care_homes") -> Path:
    out = tmp_path / "catalog.toml"
    out.write_text(
        f'[datasets.thing]\nloader = "cqc_api"\ncontract = "{table}"\npath = "{path}"\n'
        f'[datasets.thing.options]\ntable = "{table}"\nlocal_authorities = ["Oldham={OLDHAM}"]\n'
    )
    return out


def load(tmp_path: Path, path: str, table: str = "care_homes") -> pl.DataFrame:
    return load_dataset("thing", load_catalog(catalog(tmp_path, path, table)))


# Hand-checked against the eight records: six are care homes (careHome "Y"); a domiciliary
# care agency and a dental practice are left out.
HOMES = [
    ("1-109570155", "Neville House Residential Home", 22, False, date(2010, 12, 7), None),
    ("1-113831768", "Park Hills Nursing Home", 17, True, date(2011, 2, 1), date(2024, 2, 1)),
    ("1-115962630", "Coppice Nursing Home", 44, True, date(2011, 1, 19), date(2014, 4, 14)),
    (ROYLEY, "Royley House Care Home", 41, False, date(2011, 1, 24), None),
    ("1-16483173019", "Fernbank", 29, False, date(2023, 7, 14), None),
    ("1-21881721930", "Royton House Care Home", 30, False, date(2025, 2, 25), None),
]
HOME_COLUMNS = [
    "location_id",
    "location_name",
    "beds",
    "nursing",
    "registered_from",
    "registered_to",
]


class TestCqcApiJsonLines(LoaderContractSuite):
    kind = "cqc_api"
    suffix = ".jsonl"
    contract = "care_homes"
    frame = pl.DataFrame({"record": LINES})
    options = {"local_authorities": [f"Oldham={OLDHAM}"]}

    def write(self, frame, path):
        path.write_text("\n".join(frame.get_column(frame.columns[0]).to_list()) + "\n")

    def expected(self):
        return pl.DataFrame(HOMES, schema=HOME_COLUMNS, orient="row").with_columns(
            place_code=pl.lit(OLDHAM)
        )

    def test_missing_contract_column_is_named(self, tmp_path):
        """Records without 'locationId' are not CQC location records: the loader says so."""
        renamed = [line.replace('"locationId"', '"id"') for line in LINES]
        self.write(pl.DataFrame({"record": renamed}), tmp_path / "data.jsonl")
        with pytest.raises(LoaderError, match="no CQC location records"):
            load_dataset("thing", load_catalog(self.catalog(tmp_path, "data.jsonl")))


def test_homes_keep_coordinates_postcode_and_provider(tmp_path):
    (tmp_path / "api.jsonl").write_text("\n".join(LINES))
    royley = load(tmp_path, "api.jsonl").filter(pl.col("location_id") == ROYLEY).row(0, named=True)
    assert (royley["postcode"], royley["provider_id"]) == ("OL2 5ED", "1-101641674")
    assert (royley["latitude"], royley["longitude"]) == (53.56233, -2.134841)
    assert royley["provider_name"] is None and royley["area_code"] is None  # not in the record


def test_rating_history_from_current_and_historic_ratings(tmp_path):
    (tmp_path / "api.jsonl").write_text("\n".join(LINES))
    ratings = load(tmp_path, "api.jsonl", "cqc_ratings").filter(pl.col("location_id") == ROYLEY)
    overall = ratings.filter(pl.col("key_question") == "Overall").select("published", "rating")
    assert overall.rows() == [
        (date(2017, 1, 17), "Requires improvement"),
        (date(2017, 9, 16), "Requires improvement"),
        (date(2018, 10, 6), "Requires improvement"),
        (date(2019, 11, 15), "Requires improvement"),
        (date(2021, 2, 20), "Requires improvement"),
        (date(2021, 8, 7), "Requires improvement"),
        (date(2021, 12, 17), "Good"),  # currentRatings
    ]
    safe = ratings.filter(pl.col("key_question") == "Safe")["rating"].to_list()
    assert safe == ["Requires improvement", "Good", *["Requires improvement"] * 4, "Good"]
    # a key question re-rated only at a focused inspection carries its own report date
    caring = ratings.filter(pl.col("key_question") == "Caring").select("published", "rating")
    assert caring.rows()[-1] == (date(2019, 11, 15), "Good")
    assert ratings.select("published", "key_question").is_unique().all()


def test_homes_without_ratings_and_non_ratings(tmp_path):
    (tmp_path / "api.jsonl").write_text("\n".join(LINES))
    ratings = load(tmp_path, "api.jsonl", "cqc_ratings")
    assert set(ratings["location_id"]) == {"1-109570155", "1-113831768", ROYLEY, "1-16483173019"}
    neville = ratings.filter(
        (pl.col("location_id") == "1-109570155") & (pl.col("key_question") == "Overall")
    )
    assert "Inspected but not rated" in neville["rating"].to_list()
    fernbank = ratings.filter(pl.col("location_id") == "1-16483173019")
    assert fernbank["published"].max() < date(2023, 7, 14)  # rated before this registration


@pytest.mark.parametrize("shape", ["list", "locations", "one_file_per_home"])
def test_other_json_shapes_give_the_same_tables(tmp_path, shape):
    records = [json.loads(line) for line in LINES]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "api.jsonl").write_text("\n".join(LINES))
    folder = tmp_path / "b"
    folder.mkdir()
    if shape == "list":
        (folder / "locations.json").write_text(json.dumps(records))
    elif shape == "locations":
        (folder / "locations.json").write_text(json.dumps({"total": 8, "locations": records}))
    else:
        for record in records:
            (folder / f"location_{record['locationId']}.json").write_text(json.dumps(record))
    for table in ("care_homes", "cqc_ratings"):
        assert load(tmp_path, "b", table).equals(load(tmp_path, "a/api.jsonl", table))


def test_a_bad_report_date_is_named(tmp_path):
    broken = [
        line.replace('"reportDate": "2021-12-17"', '"reportDate": "17th Dec"', 1) for line in LINES
    ]
    (tmp_path / "api.jsonl").write_text("\n".join(broken))
    with pytest.raises(
        LoaderError, match=r"column 'reportDate': 1 value\(s\) are not a date: .*'17th Dec'"
    ):
        load(tmp_path, "api.jsonl", "cqc_ratings")
