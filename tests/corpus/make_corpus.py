"""Write the bad-input corpus into tests/corpus/files/ (deterministic: same bytes every run).

Run from the repository root: .venv/bin/python tests/corpus/make_corpus.py
Each file is described, with the message it must produce, in tests/corpus/cases.toml.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import polars as pl

# openpyxl writes slightly different XML with lxml installed (python-pptx brings it): use the
# standard library's writer always, so the workbooks' bytes do not depend on what is installed
os.environ["OPENPYXL_LXML"] = "False"

OUT = Path(__file__).resolve().parent / "files"
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def text(name: str, body: str, encoding: str = "utf-8", bom: bool = False) -> None:
    data = body.encode(encoding)
    (OUT / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def raw(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


def parquet(name: str, frame: pl.DataFrame) -> None:
    buf = io.BytesIO()
    frame.write_parquet(buf, statistics=False)
    raw(name, buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip (xlsx) with fixed entry times and order, so the bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", body
                )
            dst.writestr(entry, body)
    return out.getvalue()


def xlsx(name: str, rows: list[list], *, text_cells: bool = True) -> None:
    """One sheet of rows; every string is stored as text (never as a formula) when text_cells."""
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if text_cells and isinstance(value, str):
                cell.data_type = "s"  # '=HYPERLINK(...)' stays a string, not a formula
    wb.properties.created = datetime(2020, 1, 1)
    wb.properties.modified = datetime(2020, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    raw(name, _normalise_zip(buf.getvalue()))


def geojson(name: str, features: list[dict], crs: str | None = None) -> None:
    doc: dict = {"type": "FeatureCollection"}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    text(name, json.dumps(doc, indent=1) + "\n")


def square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: str | None, geometry: dict | None, vintage: str | None = "2021") -> dict:
    props = {"area_code": code}
    if vintage is not None:
        props["vintage"] = vintage
    return {"type": "Feature", "properties": props, "geometry": geometry}


SETTINGS = (
    "setting,setting_name,setting_group\n"
    "acute_ae,A&E attendances,acute\n"
    "community_dn,District nursing,community\n"
    "res_care,Residential care,residential\n"
)
SPEND_HEAD = (
    "place_code,area_code,financial_year,year_start,organisation,setting,pool,measure,amount_gbp\n"
)
SPEND_ROW = "E08000004,E08000004,{fy},{ys},nhs,acute_ae,pooled,{measure},{amount}\n"
HOMES_HEAD = (
    "location_id,location_name,provider_id,provider_name,place_code,area_code,postcode,"
    "latitude,longitude,beds,nursing,registered_from,registered_to\n"
)


def home(
    lid: str = "1-101",
    name: str = "Hill View",
    beds: str = "40",
    nursing: str = "Y",
    start: str = "2015-03-01",
    lat: str = "53.54",
) -> str:
    return (
        f"{lid},{name},1-9,Acme Care,E08000004,E01005000,OL1 1AA,{lat},-2.11,{beds},{nursing},"
        f"{start},\n"
    )


def spend(*rows: tuple[str, str, str, str]) -> str:
    return SPEND_HEAD + "".join(
        SPEND_ROW.format(fy=fy, ys=ys, measure=m, amount=a) for fy, ys, m, a in rows
    )


def ratings_frame(**over) -> pl.DataFrame:
    data = {
        "location_id": ["1-101", "1-101", "1-102"],
        "published": [date(2023, 5, 1), date(2023, 5, 1), date(2024, 1, 9)],
        "key_question": ["Overall", "Safe", "Overall"],
        "rating": ["Good", "Requires improvement", "Outstanding"],
    }
    data.update(over)
    return pl.DataFrame(data)


def observations_frame(**over) -> pl.DataFrame:
    data = {
        "indicator_id": ["falls", "falls", "falls"],
        "area_code": ["E08000004", "E08000001", "E08000003"],
        "period_start": [date(2024, 4, 1)] * 3,
        "period_end": [date(2025, 3, 31)] * 3,
        "numerator": [120.0, 95.0, 210.0],
        "denominator": [50000.0, 41000.0, 90000.0],
        "value": [240.0, 231.7, 233.3],
    }
    data.update(over)
    return pl.DataFrame(data)


def areas_frame(**over) -> pl.DataFrame:
    data = {
        "area_code": ["E08000004", "E02001234", "E01005000"],
        "area_name": ["Oldham", "Oldham 001", "Oldham 001A"],
        "area_type": ["place", "msoa", "lsoa"],
        "parent_code": [None, "E08000004", "E02001234"],
        "vintage": ["2021", "2021", "2021"],
    }
    data.update(over)
    return pl.DataFrame(data)


CQC_HEAD = (
    "Location ID,Location Name,Care home?,Location Local Authority,Care homes beds,"
    "Service type - Care home service with nursing,Location HSCA start date,"
    "Publication Date,Location Latest Overall Rating\n"
)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()

    # --- settings (csv) ---
    text("settings_ok.csv", SETTINGS)
    text("settings_bom.csv", SETTINGS, bom=True)
    text("settings_empty.csv", "")
    text("settings_header_only.csv", "setting,setting_name,setting_group\n")
    text("settings_missing_column.csv", "setting,setting_name\nacute_ae,A&E attendances\n")
    text(
        "settings_extra_column.csv",
        SETTINGS.replace("\n", ",x\n", 1)
        .replace("acute\n", "acute,1\n")
        .replace("community\n", "community,2\n")
        .replace("residential\n", "residential,3\n"),
    )
    text(
        "settings_unknown_group.csv",
        SETTINGS.replace(
            "community_dn,District nursing,community", "hosp_x,Hospital at home,hospital"
        ),
    )
    text("settings_duplicate_key.csv", SETTINGS + "acute_ae,A&E again,acute\n")
    text("settings_quoted_newline.csv", SETTINGS.replace("A&E attendances", '"A&E\nattendances"'))
    text(
        "settings_quoted_newline_bad.csv",
        SETTINGS.replace("A&E attendances", '"A&E\nattendances"').replace(
            ",community\n", ",communal\n"
        ),
    )
    text(
        "settings_quoted_newlines_many.csv",
        "setting,setting_name,setting_group\n"
        'acute_ae,"A&E\nattendances\n(type 1)",acute\n'
        'community_dn,"District\r\nnursing",community\n'
        "res_care,Residential care,hospital\n",
    )
    text(
        "settings_blank_group.csv",
        SETTINGS.replace("res_care,Residential care,residential", "res_care,Residential care,"),
    )
    text(
        "settings_formula.csv",
        SETTINGS.replace(
            "District nursing", '"=HYPERLINK(""http://example.org/dn"",""District nursing"")"'
        ),
    )
    xlsx(
        "settings_formula_sheet.xlsx",
        [
            ["setting", "setting_name", "setting_group"],
            ["acute_ae", "A&E attendances", "acute"],
            ["res_care", '=HYPERLINK("http://example.org/rc","Residential care")', "residential"],
        ],
    )
    xlsx(
        "settings_unknown_group_sheet.xlsx",
        [
            ["setting", "setting_name", "setting_group"],
            ["acute_ae", "A&E", "acute"],
            ["x", "Something", "social"],
        ],
    )
    raw("settings_not_a_workbook.xlsx", b"PK\x03\x04 this is not really a workbook\n")

    # --- spend (csv) ---
    ok = [
        ("2023/24", "2023-04-01", "budget", "1000.50"),
        ("2023/24", "2023-04-01", "outturn", "980"),
    ]
    text("spend_ok.csv", spend(*ok))
    text(
        "spend_cp1252.csv",
        spend(("2023/24", "2023-04-01", "budget", '"£1,234.50"')),
        encoding="cp1252",
    )
    text(
        "spend_cp1252_no_option.csv",
        spend(("2023/24", "2023-04-01", "budget", "£1234.50")),
        encoding="cp1252",
    )
    text("spend_semicolon.csv", spend(*ok).replace(",", ";"))
    text("spend_semicolon_no_option.csv", spend(*ok).replace(",", ";"))
    text("spend_nan_amount.csv", spend(ok[0], ("2023/24", "2023-04-01", "outturn", "NaN")))
    text("spend_infinity_amount.csv", spend(ok[0], ("2023/24", "2023-04-01", "outturn", "inf")))
    text("spend_text_amount.csv", spend(ok[0], ("2023/24", "2023-04-01", "outturn", "twelve")))
    text("spend_bad_year.csv", spend(ok[0], ("2023-25", "2023-04-01", "outturn", "5")))
    text("spend_duplicate_keys.csv", spend(ok[0], ok[1], ok[0]))
    text(
        "spend_mixed_dates.csv",
        spend(
            ok[0],
            ("2023/24", "01/04/2023", "outturn", "5"),
            ("2024/25", "April 1st 2024", "budget", "6"),
        ),
    )

    # --- transforms declared in the catalog (a finance system's export) ---
    ledger = "Year,Service,Amount\n"
    text(
        "ledger_unmapped_service.csv",
        ledger + "2015-16,Home care,100\n2015-16,Homecare - OP,5\n2016-17,Homecare - OP,6\n"
        "2016-17,Meals,7\n",
    )
    text("ledger_unknown_unit.csv", ledger + "2015-16,Home care,100\n")
    text("ledger_bad_amount.csv", ledger + '2015-16,Home care,"12,34"\n2016-17,Home care,(5)\n')
    text("ledger_constant_contradicts.csv", "Place," + ledger + "E08000015,2015-16,Home care,1\n"
         "E08000004,2016-17,Home care,2\n")  # fmt: skip
    text(
        "ledger_wide_duplicate.csv",
        "Council,Service,2015-16,2016-17\nWirral,Home care,1,2\nOldham,Home care,3,4\n",
    )
    text("ledger_wide_ok.csv", 'Service,2015-16,2016-17\nHome care,"1,000",(20)\nTotal,1000,-20\n')

    # --- care homes (csv) ---
    text(
        "care_homes_ok.csv",
        HOMES_HEAD + home() + home("1-102", "Moor House", "", "N", "1/2/2016 12:00:00 AM"),
    )
    text("care_homes_negative_beds.csv", HOMES_HEAD + home() + home("1-102", "Moor House", "-5"))
    text("care_homes_fractional_beds.csv", HOMES_HEAD + home(beds="12.5"))
    text("care_homes_bad_nursing.csv", HOMES_HEAD + home() + home("1-102", nursing="maybe"))
    text(
        "care_homes_mixed_dates.csv",
        HOMES_HEAD + home() + home("1-102", start="02/01/2016") + home("1-103", start="2017-13-45"),
    )
    text("care_homes_latitude.csv", HOMES_HEAD + home(lat="5354"))
    text("care_homes_duplicate_id.csv", HOMES_HEAD + home() + home(name="Hill View Annexe"))
    text(
        "care_homes_extra_and_missing.csv",
        (HOMES_HEAD + home())
        .replace("nursing,", "nursing_flag,")
        .replace("registered_to\n", "registered_to,notes\n")
        .replace(",\n", ",,note\n"),
    )

    # --- cqc ratings / observations / areas / events (parquet) ---
    parquet("cqc_ratings_ok.parquet", ratings_frame())
    parquet(
        "cqc_ratings_unknown_rating.parquet",
        ratings_frame(rating=["Good", "Very good", "Outstanding"]),
    )
    parquet(
        "cqc_ratings_unknown_question.parquet",
        ratings_frame(key_question=["Overall", "Kind", "Overall"]),
    )
    parquet(
        "cqc_ratings_duplicate.parquet",
        ratings_frame(
            location_id=["1-101", "1-101", "1-101"],
            published=[date(2023, 5, 1)] * 3,
            key_question=["Overall", "Safe", "Overall"],
        ),
    )
    good = io.BytesIO()
    ratings_frame().write_parquet(good, statistics=False)
    raw("cqc_ratings_truncated.parquet", good.getvalue()[: len(good.getvalue()) // 2])
    parquet("observations_ok.parquet", observations_frame())
    parquet(
        "observations_infinity.parquet", observations_frame(numerator=[120.0, float("inf"), 210.0])
    )
    parquet("observations_nan.parquet", observations_frame(value=[240.0, 231.7, float("nan")]))
    parquet(
        "observations_int_dates.parquet",
        observations_frame(period_start=[20240401, 20240401, 20240401]),
    )
    parquet(
        "observations_negative_denominator.parquet",
        observations_frame(denominator=[50000.0, -1.0, 90000.0]),
    )
    parquet("observations_missing_column.parquet", observations_frame().drop("period_end"))
    parquet("observations_header_only.parquet", observations_frame().clear())
    parquet("areas_ok.parquet", areas_frame())
    parquet("areas_blank_name.parquet", areas_frame(area_name=["Oldham", "  ", "Oldham 001A"]))
    parquet("areas_unknown_type.parquet", areas_frame(area_type=["place", "msoa", "neighbourhood"]))
    parquet(
        "areas_duplicate_code.parquet",
        areas_frame(area_code=["E08000004", "E02001234", "E02001234"]),
    )
    parquet(
        "areas_code_with_space.parquet",
        areas_frame(area_code=["E08000004", "E02 001234", "E01005000"]),
    )
    parquet(
        "events_ok.parquet",
        pl.DataFrame(
            {
                "date": [date(2024, 1, 1)],
                "area_code": [None],
                "label": ["New contract"],
                "detail": [None],
            },
            schema_overrides={"area_code": pl.String, "detail": pl.String},
        ),
    )
    parquet(
        "events_string_dates.parquet",
        pl.DataFrame(
            {
                "date": ["2024-01-01", "31/12/2024", "next Tuesday"],
                "area_code": ["E08000004"] * 3,
                "label": ["a", "b", "c"],
                "detail": [None, None, None],
            },
            schema_overrides={"detail": pl.String},
        ),
    )

    # --- events / targets (excel) ---
    xlsx(
        "events_sheet_ok.xlsx",
        [
            ["date", "area_code", "label", "detail"],
            [date(2024, 1, 1), None, "Launch", None],
            ["15/03/2024", "E08000004", "Review", "note"],
        ],
    )
    xlsx(
        "events_bad_date.xlsx",
        [
            ["date", "area_code", "label", "detail"],
            [date(2024, 1, 1), None, "Launch", None],
            ["sometime in May", "E08000004", "Review", None],
        ],
    )
    xlsx("events_header_only.xlsx", [["date", "area_code", "label", "detail"]])
    targets_rows = [
        ["indicator_id", "area_code", "period_start", "value", "kind"],
        ["falls", "E08000004", "2024-04-01", 230, "target"],
        ["falls", "E08000004", "2025-04-01", 220, "trajectory"],
    ]
    xlsx("targets_merged_header.xlsx", [["Falls targets 2024-26 (draft)"], *targets_rows])
    xlsx(
        "targets_unknown_kind.xlsx",
        [*targets_rows, ["falls", "E08000004", "2026-04-01", 210, "aspiration"]],
    )
    xlsx(
        "targets_text_value.xlsx",
        [*targets_rows, ["falls", "E08000004", "2026-04-01", "n/a yet", "target"]],
    )

    # --- boundaries (geo) ---
    geojson(
        "boundaries_ok.geojson",
        [feature("E08000004", square(-2.1, 53.5)), feature("E08000001", square(-2.4, 53.6))],
    )
    geojson(
        "boundaries_bng.geojson",
        [feature("E08000004", square(393000, 405000, 1000))],
        crs="urn:ogc:def:crs:EPSG::27700",
    )
    text(
        "boundaries_broken.geojson",
        json.dumps(
            {"type": "FeatureCollection", "features": [feature("E08000004", square(-2.1, 53.5))]}
        )[:90],
    )
    geojson(
        "boundaries_null_geometry.geojson",
        [feature("E08000004", square(-2.1, 53.5)), feature("E08000001", None)],
    )
    geojson(
        "boundaries_duplicate_code.geojson",
        [feature("E08000004", square(-2.1, 53.5)), feature("E08000004", square(-2.4, 53.6))],
    )
    geojson(
        "boundaries_missing_vintage.geojson",
        [feature("E08000004", square(-2.1, 53.5), vintage=None)],
    )
    _gpkg_without_crs("boundaries_no_crs.gpkg")
    bowtie = [[-2.1, 53.5], [-2.09, 53.51], [-2.09, 53.5], [-2.1, 53.51], [-2.1, 53.5]]
    geojson(
        "boundaries_self_intersecting.geojson",
        [
            feature("E01005000", {"type": "Polygon", "coordinates": [bowtie]}),
            feature("E01005001", square(-2.3, 53.5)),
        ],
    )

    # --- OHID Fingertips export (fingertips) ---
    fingertips()

    # --- CQC directory (cqc_directory) ---
    cqc = CQC_HEAD + (
        "1-101,Hill View,Y,Oldham,40,Y,01/03/2015,01/05/2023,Good\n"
        "1-102,Moor House,Y,Oldham,25,,01/02/2016,09/01/2024,Not Rated\n"
    )
    text("cqc_directory_ok.csv", "Care directory with filters\n\n" + cqc)
    text("cqc_directory_bad_beds.csv", cqc.replace(",25,", ",lots,"))
    text("cqc_directory_unknown_rating.csv", cqc.replace("Good\n", "Brilliant\n"))
    text("cqc_directory_no_header.csv", "Name,Beds\nHill View,40\n")
    text(
        "cqc_directory_unknown_rating_titled.csv",
        "Care directory with filters\n\n" + cqc.replace("Not Rated\n", "Awaiting\n"),
    )


FINGERTIPS_FIXTURE = (
    OUT.parent.parent
    / "fixtures"
    / "fingertips"
    / "fingertips_93553_imd2019_score_gp_practice_gm_wirral.csv"
)


def fingertips() -> None:
    """Real rows of a Fingertips export (the fixture's first lines), then each one thing wrong."""
    header, england, england_again, practice = FINGERTIPS_FIXTURE.read_text(
        encoding="utf-8"
    ).splitlines()[:4]

    def export(*rows: str, head: str = header) -> str:
        return "\n".join([head, *rows]) + "\n"

    text("fingertips_ok.csv", export(england, england_again, practice))
    text("fingertips_header_only.csv", export())
    text("fingertips_empty.csv", "")
    text(
        "fingertips_bad_value.csv",
        export(england, practice.replace(",13.168900397926,", ",13.1.6,")),
    )
    text("fingertips_bad_period.csv", export(england, practice.replace(",2019,", ",2019/21,")))
    text(
        "fingertips_missing_column.csv",
        export(england, head=header.replace("Area Code", "Area")),
    )
    text(
        "fingertips_two_sexes.csv",
        export(practice.replace(",Persons,", ",Male,"), practice.replace(",Persons,", ",Female,")),
    )
    text(
        "fingertips_different_figures.csv",
        export(england, practice, practice.replace(",13.168900397926,", ",14.2,")),
    )


def _gpkg_without_crs(name: str) -> None:
    import warnings

    import geopandas as gpd
    import shapely

    os.environ["OGR_CURRENT_DATE"] = "2020-01-01T00:00:00Z"  # GeoPackage timestamps
    gdf = gpd.GeoDataFrame(
        {"area_code": ["E08000004"], "vintage": ["2021"]},
        geometry=[shapely.box(393000, 405000, 394000, 406000)],
        crs=None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gdf.to_file(OUT / name, engine="pyogrio", layer="boundaries")


if __name__ == "__main__":
    main()
