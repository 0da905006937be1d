"""Catalog transforms: a council's own finance files brought to the contracts by catalog alone.

The finance-export case is the sample spend for Wirral written the way a finance system exports
it (names not codes, "2015-16" years, "£1,234,567.89" amounts, no place column), in CSV and in
XLSX; it must load, by a catalog entry and a mapping file, to exactly the sample rows.
"""

from __future__ import annotations

import textwrap
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from loaders import load_catalog, load_dataset
from loaders.errors import CatalogError, ContractError
from loaders.funnel import load_dataset_with_report
from loaders.transforms import TransformError, read_amount
from tests.conftest import SAMPLE_CATALOG

WIRRAL = "E08000015"
ORG_NAMES = {
    "council_asc": "Wirral Council - Adult Social Care",
    "council_ph": "Wirral Council - Public Health",
    "nhs": "NHS Cheshire and Merseyside ICB (Wirral)",
    "other": "Other partners",
}
KEY = ["area_code", "year_start", "organisation", "setting", "pool", "measure"]


@pytest.fixture(scope="module")
def sample():
    catalog = load_catalog(SAMPLE_CATALOG)
    spend = load_dataset("spend", catalog, where={"place_code": WIRRAL})
    return spend, load_dataset("settings", catalog), load_dataset("areas", catalog)


def pounds(x: float) -> str:
    return f"-£{-x:,.2f}" if x < 0 else f"£{x:,.2f}"


def finance_export(spend, settings, areas) -> pl.DataFrame:
    """The sample's Wirral rows as a finance system writes them: names, "2015-16", £ text."""
    names = dict(settings.select("setting", "setting_name").iter_rows())
    clusters = dict(areas.select("area_code", "area_name").iter_rows())
    return spend.select(
        pl.col("financial_year").str.replace("/", "-").alias("Financial Year"),
        pl.col("organisation").replace_strict(ORG_NAMES).alias("Org"),
        pl.col("setting").replace_strict(names).alias("Service"),
        pl.col("area_code").replace_strict(clusters).alias("Neighbourhood"),
        pl.col("pool").str.to_uppercase().alias("Pool"),
        pl.col("measure").str.to_titlecase().alias("Measure"),
        pl.col("amount_gbp").map_elements(pounds, return_dtype=pl.String).alias("Amount (£)"),
    )


def finance_catalog(tmp_path, spend, settings, areas, *, loader="csv", path="export.csv") -> str:
    """A catalog entry and a mapping file: no code."""
    names = settings.select("setting_name", "setting")
    names.write_csv(tmp_path / "services.csv")
    clusters = areas.filter(pl.col("area_code").is_in(spend["area_code"].unique().to_list()))
    org = "\n".join(f'"{v}" = "{k}"' for k, v in ORG_NAMES.items())
    hoods = "\n".join(
        f'"{n}" = "{c}"' for c, n in clusters.select("area_code", "area_name").iter_rows()
    )
    pools = "\n".join(f'"{p.upper()}" = "{p}"' for p in ("bcf", "outside", "pooled"))
    text = textwrap.dedent(f"""\
        [datasets.wirral_spend]
        loader = "{loader}"
        contract = "spend"
        path = "{path}"

        [datasets.wirral_spend.rename]
        "Financial Year" = "financial_year"
        Org = "organisation"
        Service = "setting"
        Neighbourhood = "area_code"
        Pool = "pool"
        Measure = "measure"
        "Amount (£)" = "amount_gbp"

        [datasets.wirral_spend.transform]
        constants = {{ place_code = "{WIRRAL}" }}
        units = {{ amount_gbp = "pounds" }}

        [datasets.wirral_spend.transform.recode]
        setting = "services.csv"
        measure = {{ Budget = "budget", Outturn = "outturn" }}
        """)
    text += f"\n[datasets.wirral_spend.transform.recode.organisation]\n{org}\n"
    text += f"\n[datasets.wirral_spend.transform.recode.area_code]\n{hoods}\n"
    text += f"\n[datasets.wirral_spend.transform.recode.pool]\n{pools}\n"
    (tmp_path / "catalog.toml").write_text(text, encoding="utf-8")
    return str(tmp_path / "catalog.toml")


def same_rows(got: pl.DataFrame, want: pl.DataFrame) -> None:
    columns = ["place_code", *KEY, "financial_year", "amount_gbp"]
    assert_frame_equal(
        got.select(columns).sort(KEY), want.select(columns).sort(KEY), check_exact=False,
        abs_tol=0.005,
    )  # fmt: skip


def test_the_finance_export_loads_by_catalog_alone_to_the_sample_rows(tmp_path, sample):
    spend, settings, areas = sample
    finance_export(spend, settings, areas).write_csv(tmp_path / "export.csv")
    catalog = load_catalog(finance_catalog(tmp_path, spend, settings, areas))
    got, report = load_dataset_with_report("wirral_spend", catalog)
    assert got.height == spend.height == 5712
    same_rows(got, spend)
    assert got["year_start"].min() == date(2015, 4, 1)
    steps = "\n".join(report.steps)
    assert f"constants: 'place_code' = '{WIRRAL}' on every row" in steps
    assert "recode: 'setting' mapped (5,712 rows, " in steps and "from services.csv" in steps
    assert "financial years: 10 form(s) read ('2015-16' as '2015/16'" in steps
    assert "'year_start' (1 April) derived from 'financial_year'" in steps


def test_the_finance_export_as_a_workbook_loads_the_same(tmp_path, sample):
    spend, settings, areas = sample
    finance_export(spend, settings, areas).write_excel(tmp_path / "export.xlsx", worksheet="Ledger")
    catalog = load_catalog(
        finance_catalog(tmp_path, spend, settings, areas, loader="excel", path="export.xlsx")
    )
    same_rows(load_dataset("wirral_spend", catalog), spend)


def test_a_ledger_line_with_no_setting_is_named_with_its_row_count(tmp_path, sample):
    spend, settings, areas = sample
    export = finance_export(spend, settings, areas).with_columns(
        pl.when(pl.col("Service") == "Home care (care at home)")
        .then(pl.lit("Homecare - OP"))
        .otherwise(pl.col("Service"))
        .alias("Service")
    )
    export.write_csv(tmp_path / "export.csv")
    count = export.filter(pl.col("Service") == "Homecare - OP").height
    first = export.with_row_index().filter(pl.col("Service") == "Homecare - OP")["index"][0] + 1
    catalog = load_catalog(finance_catalog(tmp_path, spend, settings, areas))
    with pytest.raises(TransformError) as info:
        load_dataset("wirral_spend", catalog)
    message = str(info.value)
    assert f"{count:,} row(s) with 'Homecare - OP' (first: row {first})" in message
    assert "column 'setting'" in message and "services.csv" in message
    assert "no row is dropped" in message and "Dataset 'wirral_spend'" in message
    assert info.value.failures[0] == {
        "column": "setting", "row": first, "value": "Homecare - OP", "expected": "a mapped value"
    }  # fmt: skip


def write(tmp_path, name: str, text: str) -> None:
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")


DEFLATORS = """\
    [datasets.d]
    loader = "csv"
    contract = "deflators"
    path = "d.csv"
    """


def test_years_as_columns_are_unpivoted_and_amounts_in_thousands_scaled(tmp_path):
    write(tmp_path, "wide.csv", """\
        Council,Line,2019-20,2020-21
        Wirral,Home care,"1,200.5",(30)
        Wirral,Nursing,"£2,000",40-
        Bolton,Nursing,5,6
        """)  # fmt: skip
    write(tmp_path, "c.toml", """\
        [datasets.s]
        loader = "csv"
        contract = "spend"
        path = "wide.csv"
        [datasets.s.rename]
        Line = "setting"
        [datasets.s.transform]
        unpivot = { index = ["Council", "Line"], columns = '^\\d{4}-\\d{2}$', name = "financial_year", value = "amount_gbp" }
        keep = [{ column = "Council", values = ["Wirral"] }]
        constants = { place_code = "E08000015", area_code = "E08000015", organisation = "council_asc", pool = "outside", measure = "outturn" }
        units = { amount_gbp = "thousands" }
        recode = { setting = { "Home care" = "home_care", "Nursing" = "care_homes_nursing" } }
        """)  # fmt: skip
    got, report = load_dataset_with_report("s", load_catalog(tmp_path / "c.toml"))
    rows = {(r["setting"], r["financial_year"]): r["amount_gbp"] for r in got.iter_rows(named=True)}
    assert rows == {
        ("home_care", "2019/20"): 1_200_500.0,
        ("home_care", "2020/21"): -30_000.0,
        ("care_homes_nursing", "2019/20"): 2_000_000.0,
        ("care_homes_nursing", "2020/21"): -40_000.0,
    }
    assert (
        "unpivot: 2 column(s) into 'financial_year' and 'amount_gbp' (3 rows to 6)" in report.steps
    )
    assert "keep: 4 of 6 rows where 'Council' is 'Wirral'" in report.steps
    assert (
        "units: 'amount_gbp' read as amounts in thousands (times 1,000, to pounds)" in report.steps
    )


def test_a_constant_that_contradicts_its_column_names_the_row(tmp_path):
    write(tmp_path, "d.csv", """\
        financial_year,year_start,deflator,index_base,projected
        2019/20,2019-04-01,90.95,2022 = 100,false
        2020/21,2020-04-01,95.8,2021 = 100,false
        """)  # fmt: skip
    write(
        tmp_path,
        "c.toml",
        DEFLATORS + 'transform = { constants = { index_base = "2022 = 100" } }\n',
    )
    with pytest.raises(TransformError) as info:
        load_dataset("d", load_catalog(tmp_path / "c.toml"))
    assert "sets 'index_base' to '2022 = 100' for the whole file, but column 'index_base' holds " \
        "'2021 = 100' (row 2; 1 row(s) differ)" in str(info.value)  # fmt: skip


def test_year_start_gives_the_financial_year_and_skipped_rows_keep_their_file_row(tmp_path):
    write(tmp_path, "d.csv", """\
        year_start,deflator,index_base,projected
        2019-04-01,90.95,2022 = 100,false
        Total,186.8,,
        2020-04-01,-1,2022 = 100,false
        """)  # fmt: skip
    write(
        tmp_path,
        "c.toml",
        DEFLATORS + 'transform = { skip = [{ column = "year_start", pattern = "^Total" }] }\n',
    )
    with pytest.raises(ContractError) as info:
        load_dataset("d", load_catalog(tmp_path / "c.toml"))
    # the bad deflator is on the file's third data row (line 4), though the frame's second row
    assert "column 'deflator': expected greater than(0); 1 failing: row 3 (line 4): '-1.0'" in str(
        info.value
    )
    write(tmp_path, "d.csv", """\
        year_start,deflator,index_base,projected
        2019-04-01,90.95,2022 = 100,false
        Total,186.8,,
        01/04/2020,95.8,2022 = 100,false
        """)  # fmt: skip
    got, report = load_dataset_with_report("d", load_catalog(tmp_path / "c.toml"))
    assert got["financial_year"].to_list() == ["2019/20", "2020/21"]
    assert "skip: 1 row(s) where 'year_start' matches '^Total'" in report.steps
    assert "financial years: 'financial_year' derived from 'year_start'" in report.steps


def test_a_duplicate_key_made_by_unpivot_is_named(tmp_path):
    write(tmp_path, "wide.csv", """\
        Council,Line,2019-20
        Wirral,Home care,1
        Oldham,Home care,2
        """)  # fmt: skip
    write(tmp_path, "c.toml", """\
        [datasets.s]
        loader = "csv"
        contract = "spend"
        path = "wide.csv"
        [datasets.s.transform]
        unpivot = { index = ["Line"], columns = '^\\d{4}', name = "financial_year", value = "amount_gbp" }
        """)  # fmt: skip
    with pytest.raises(TransformError) as info:
        load_dataset("s", load_catalog(tmp_path / "c.toml"))
    message = str(info.value)
    assert "transform 'unpivot' makes 2 rows with the same key" in message
    assert "Line='Home care', financial_year='2019-20' (rows 1 and others)" in message
    assert "add the column that tells them apart to 'index'" in message


@pytest.mark.parametrize(
    ("text", "value"),
    [("£1,234.50", 1234.5), ("(1,234)", -1234.0), ("1,234-", -1234.0), ("-£12", -12.0),
     ("£-12", -12.0), (" 7 ", 7.0), (":", None), ("", None), ("0.5", 0.5)],
)  # fmt: skip
def test_amounts_are_read_as_finance_systems_write_them(text, value):
    assert read_amount(text) == value


@pytest.mark.parametrize("text", ["12,34", "1.2.3", "(12", "twelve", "£", "1e6"])
def test_text_that_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        read_amount(text)


def test_every_problem_in_a_transform_table_is_listed_at_once(tmp_path):
    write(tmp_path, "d.csv", "financial_year\n2019/20\n")
    write(tmp_path, "c.toml", DEFLATORS + textwrap.dedent("""\
        [datasets.d.transform]
        units = { deflator = "hundreds" }
        skip = [{ column = "x", pattern = "(" }]
        recode = { index_base = "missing.csv" }
        reshape = true
        """))  # fmt: skip
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "c.toml")
    problems = "\n".join(info.value.problems)
    assert "dataset 'd': key 'transform.units.deflator': unknown unit 'hundreds'" in problems
    assert "expected one of pounds, thousands, millions" in problems
    assert "key 'transform.skip' rule 1: 'pattern' '(' is not a regular expression" in problems
    assert "key 'transform.recode.index_base': mapping file not found" in problems
    assert "unknown key 'transform.reshape'" in problems
    assert len(info.value.problems) == 4


def test_several_sheets_of_one_workbook_are_one_dataset_with_the_sheet_as_the_year(tmp_path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "returns.xlsx"))
    for name, amounts in (("2019-20", (10, 20)), ("2020-21", (30, -4))):
        sheet = book.add_worksheet(name)
        for r, row in enumerate((("Line", "Amount £000"), ("Home care", amounts[0]),
                                 ("Nursing", amounts[1]), ("Total", sum(amounts)))):  # fmt: skip
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.close()
    write(tmp_path, "c.toml", """\
        [datasets.s]
        loader = "excel"
        contract = "spend"
        path = "returns.xlsx"
        options = { sheets = ["2019-20", "2020-21"] }
        rename = { Line = "setting", sheet = "financial_year", "Amount £000" = "amount_gbp" }
        [datasets.s.transform]
        skip = [{ column = "Line", pattern = "^Total$" }]
        constants = { place_code = "E08000015", area_code = "E08000015", organisation = "council_asc", pool = "outside", measure = "outturn" }
        units = { amount_gbp = "thousands" }
        recode = { setting = { "Home care" = "home_care", "Nursing" = "care_homes_nursing" } }
        """)  # fmt: skip
    got = load_dataset("s", load_catalog(tmp_path / "c.toml"))
    rows = {(r["setting"], r["financial_year"]): r["amount_gbp"] for r in got.iter_rows(named=True)}
    assert rows == {
        ("home_care", "2019/20"): 10_000.0, ("care_homes_nursing", "2019/20"): 20_000.0,
        ("home_care", "2020/21"): 30_000.0, ("care_homes_nursing", "2020/21"): -4_000.0,
    }  # fmt: skip
    assert set(got["year_start"].to_list()) == {date(2019, 4, 1), date(2020, 4, 1)}


def test_a_transform_on_boundaries_is_refused_with_the_catalog(tmp_path):
    write(tmp_path, "b.geojson", '{"type": "FeatureCollection", "features": []}')
    write(tmp_path, "c.toml", """\
        [datasets.b]
        loader = "geo"
        contract = "boundaries"
        path = "b.geojson"
        transform = { constants = { vintage = "LSOA 2021" } }
        """)  # fmt: skip
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "c.toml")
    assert "dataset 'b': key 'transform': boundaries are shapes, not rows" in str(info.value)
