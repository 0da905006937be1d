"""`python -m loaders.check`: every dataset loaded and validated, a report, and an exit status a
council's pipeline can act on (0 all loaded, 1 a dataset failed, 2 the catalog is unreadable)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT, SAMPLE_CATALOG


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loaders.check", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_the_sample_catalog_checks_clean():
    done = check(str(SAMPLE_CATALOG))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK     spend (spend, parquet, spend.parquet): 26,048 rows; 2015/16 to 2024/25; " \
        "4 places, 30 areas" in done.stdout  # fmt: skip
    assert done.stdout.rstrip().endswith("16 loaded, 0 failed.")


def test_a_failing_dataset_is_reported_with_its_rows_and_transforms_and_exits_1(tmp_path):
    (tmp_path / "ledger.csv").write_text(
        "Year,Service,Amount\n2015-16,Home care,\"£1,000\"\n2015-16,Homecare - OP,5\n"
        "2016-17,Home care,(20)\n", encoding="utf-8",
    )  # fmt: skip
    entry = textwrap.dedent("""\
        [datasets.{name}]
        loader = "csv"
        contract = "spend"
        path = "ledger.csv"
        rename = {{ Year = "financial_year", Service = "setting", Amount = "amount_gbp" }}
        [datasets.{name}.transform]
        constants = {{ place_code = "E08000015", area_code = "E08000015", organisation = "council_asc", pool = "outside", measure = "outturn" }}
        units = {{ amount_gbp = "pounds" }}
        recode = {{ setting = {{ "Home care" = "home_care"{more} }} }}
        """)  # fmt: skip
    (tmp_path / "c.toml").write_text(
        entry.format(name="good", more=', "Homecare - OP" = "home_care_op"')
        + entry.format(name="bad", more=""), encoding="utf-8",
    )  # fmt: skip
    done = check(str(tmp_path / "c.toml"))
    assert done.returncode == 1
    out = done.stdout
    assert (
        "OK     good (spend, csv, ledger.csv): 3 rows; 2015/16 to 2016/17; 1 place, 1 area" in out
    )
    assert "transform  units: 'amount_gbp' read as amounts in pounds" in out
    assert "transform  financial years: 2 form(s) read ('2015-16' as '2015/16'" in out
    assert "FAILED bad (spend, csv, ledger.csv)" in out
    assert "1 row(s) with 'Homecare - OP' (first: row 2)" in out
    assert out.rstrip().endswith("1 loaded, 1 failed: bad")
    only = check(str(tmp_path / "c.toml"), "--dataset", "good")
    assert only.returncode == 0 and "bad" not in only.stdout


def test_an_unreadable_catalog_exits_2_with_every_problem(tmp_path):
    (tmp_path / "c.toml").write_text(
        '[datasets.x]\nloader = "csv"\ncontract = "spend"\npath = "nowhere.csv"\n'
        'transform = { units = { amount_gbp = "hundreds" } }\n', encoding="utf-8",
    )  # fmt: skip
    done = check(str(tmp_path / "c.toml"))
    assert done.returncode == 2
    assert "file not found" in done.stderr and "unknown unit 'hundreds'" in done.stderr
    assert check(str(SAMPLE_CATALOG), "--dataset", "spnd").returncode == 2
