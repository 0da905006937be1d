from datetime import date

import polars as pl
import pytest

from loaders import load_catalog, load_dataset, load_dataset_with_report
from loaders.errors import ContractError, DatasetNotFoundError

HOMES_CSV = (
    "Location ID,Location Name,Provider ID,Provider Name,Place,LSOA,Postcode,Lat,Lon,Care homes beds,"
    "Nursing?,Location HSCA start date,End\n"
    "1-101,Hill View,1-9,Acme Care,E08000004,E01005000,OL1 1AA,53.54,-2.11,40,Y,2015-03-01,\n"
    "1-102,Moor House,1-9,Acme Care,E08000004,,OL2 2BB,53.56,-2.10,,N,1/2/2016 12:00:00 AM,31/03/2020\n"
)
RENAME = """
[datasets.homes.rename]
"Location ID" = "location_id"
"Location Name" = "location_name"
"Provider ID" = "provider_id"
"Provider Name" = "provider_name"
"Place" = "place_code"
"LSOA" = "area_code"
"Postcode" = "postcode"
"Lat" = "latitude"
"Lon" = "longitude"
"Care homes beds" = "beds"
"Nursing?" = "nursing"
"Location HSCA start date" = "registered_from"
"End" = "registered_to"
"""


def homes_catalog(tmp_path, csv_text=HOMES_CSV, rename=RENAME):
    (tmp_path / "homes.csv").write_text(csv_text)
    (tmp_path / "c.toml").write_text(
        '[datasets.homes]\nloader = "csv"\ncontract = "care_homes"\npath = "homes.csv"\n' + rename
    )
    return load_catalog(tmp_path / "c.toml")


def test_rename_and_coercion_produce_canonical_types(tmp_path):
    out, report = load_dataset_with_report("homes", homes_catalog(tmp_path))
    assert out.columns[:13] == [
        "location_id",
        "location_name",
        "provider_id",
        "provider_name",
        "place_code",
        "area_code",
        "postcode",
        "latitude",
        "longitude",
        "beds",
        "nursing",
        "registered_from",
        "registered_to",
    ]
    assert out.schema["beds"] == pl.Int64 and out.schema["nursing"] == pl.Boolean
    assert out["beds"].to_list() == [40, None]
    assert out["nursing"].to_list() == [True, False]
    # ISO, and CQC's US-style timestamp with AM/PM: 1 February 2016
    assert out["registered_from"].to_list() == [date(2015, 3, 1), date(2016, 1, 2)]
    assert out["registered_to"].to_list() == [None, date(2020, 3, 31)]
    assert out["area_code"].to_list() == ["E01005000", None]
    assert report.rows == 2 and report.seconds >= 0


def test_rename_of_a_column_the_file_lacks_is_named(tmp_path):
    cat = homes_catalog(tmp_path, rename=RENAME + '"Beds total" = "beds_total"\n')
    with pytest.raises(
        ContractError, match="renames column\\(s\\) 'Beds total' but the file has no such column"
    ):
        load_dataset("homes", cat)


def test_missing_column_suggests_closest_source_column(tmp_path):
    cat = homes_catalog(tmp_path, rename=RENAME.replace('"Care homes beds" = "beds"\n', ""))
    with pytest.raises(ContractError) as info:
        load_dataset("homes", cat)
    assert "missing required column(s) for the 'care_homes' contract: 'beds'" in str(info.value)
    assert "[datasets.homes.rename]" in str(info.value)


def test_contract_failure_names_file_column_rows_values_and_expectation(tmp_path):
    bad = HOMES_CSV.replace(",40,Y,", ",4000,Y,").replace("1-102,", "1-101,")
    with pytest.raises(ContractError) as info:
        load_dataset("homes", homes_catalog(tmp_path, bad))
    msg = str(info.value)
    assert (
        msg.startswith("Dataset 'homes' (file ")
        and "homes.csv) does not match the 'care_homes' contract" in msg
    )
    assert (
        "column 'beds': expected less than or equal to(1000); 1 failing: row 1 (line 2): '4000'"
        in msg
    )
    assert "column 'location_id': expected unique key (duplicate found)" in msg
    assert {
        "column": "beds",
        "row": 1,
        "value": "4000",
        "expected": "less than or equal to(1000)",
    } in info.value.failures


def test_disallowed_value_lists_allowed_values(tmp_path):
    (tmp_path / "s.csv").write_text("setting,setting_name,setting_group\nae,A&E,hospital\n")
    (tmp_path / "c.toml").write_text(
        '[datasets.s]\nloader = "csv"\ncontract = "settings"\npath = "s.csv"\n'
    )
    with pytest.raises(ContractError) as info:
        load_dataset("s", load_catalog(tmp_path / "c.toml"))
    assert "column 'setting_group': expected one of ('acute', 'community'" in str(info.value)
    assert "row 1 (line 2): 'hospital'" in str(info.value)


def test_report_is_bounded(tmp_path):
    rows = "".join(f"s{i},Setting {i},nowhere\n" for i in range(500))
    (tmp_path / "s.csv").write_text("setting,setting_name,setting_group\n" + rows)
    (tmp_path / "c.toml").write_text(
        '[datasets.s]\nloader = "csv"\ncontract = "settings"\npath = "s.csv"\n'
    )
    with pytest.raises(ContractError) as info:
        load_dataset("s", load_catalog(tmp_path / "c.toml"))
    msg = str(info.value)
    assert "500 failing" in msg and "(and 495 more)" in msg
    assert len(msg) < 1500


def test_unknown_dataset_suggests_closest(tmp_path):
    cat = homes_catalog(tmp_path)
    with pytest.raises(
        DatasetNotFoundError, match="has no dataset 'home' \\(did you mean 'homes'\\?\\)"
    ):
        load_dataset("home", cat)


def test_source_file_is_never_modified(tmp_path):
    cat = homes_catalog(tmp_path)
    before = (tmp_path / "homes.csv").read_bytes()
    load_dataset("homes", cat)
    assert (tmp_path / "homes.csv").read_bytes() == before


def test_nan_is_missing_in_a_nullable_number_but_an_error_in_a_required_one(tmp_path):
    import math

    obs = pl.DataFrame(
        {
            "indicator_id": ["x", "x"],
            "area_code": ["A", "A"],
            "period_start": [date(2020, 1, 1), date(2020, 2, 1)],
            "period_end": [date(2020, 1, 31), date(2020, 2, 29)],
            "numerator": [1.0, None],
            "denominator": [10.0, None],
            "value": [10.0, math.nan],
        }
    )
    obs.write_parquet(tmp_path / "o.parquet")
    obs.with_columns(value=pl.Series([10.0, math.inf])).write_parquet(tmp_path / "inf.parquet")
    (tmp_path / "c.toml").write_text(
        '[datasets.o]\nloader = "parquet"\ncontract = "observations"\npath = "o.parquet"\n'
        '[datasets.i]\nloader = "parquet"\ncontract = "observations"\npath = "inf.parquet"\n'
    )
    cat = load_catalog(tmp_path / "c.toml")
    assert load_dataset("o", cat)["value"].to_list() == [10.0, None]
    with pytest.raises(ContractError, match=r"column 'value': expected a number.*row 2: 'inf'"):
        load_dataset("i", cat)
