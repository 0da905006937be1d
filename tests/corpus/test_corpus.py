"""The bad-input corpus: every file in files/ loads, or fails with a DataError naming the problem.

Cases are listed in cases.toml; the files are written by make_corpus.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
import textwrap
import tomllib
import warnings
from pathlib import Path

import pytest

from geo.boundaries import prepare_boundaries
from loaders import errors, load_catalog, load_dataset
from loaders.contracts import CONTRACTS
from loaders.csv_loader import CsvLoader

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
CASES = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))["case"]


def _id(case: dict) -> str:
    return case.get("dataset", Path(case["file"]).stem)


def _catalog(tmp_path: Path, case: dict):
    name = _id(case)
    text = (
        f"[datasets.{name}]\n"
        f"loader = {json.dumps(case['loader'])}\n"
        f"contract = {json.dumps(case['contract'])}\n"
        f"path = {json.dumps(case['file'])}\n"
    )
    if case.get("entry"):  # the dataset's rename and transform, as TOML
        text += case["entry"].strip() + "\n"
    if case.get("options"):
        text += f"[datasets.{name}.options]\n"
        text += "".join(f"{k} = {json.dumps(v)}\n" for k, v in case["options"].items())
    (tmp_path / "catalog.toml").write_text(text, encoding="utf-8")
    return load_catalog(tmp_path / "catalog.toml")


def test_every_corpus_file_has_a_case():
    listed = {case["file"] for case in CASES}
    on_disk = {p.name for p in FILES.iterdir()}
    assert listed == on_disk
    assert len({_id(case) for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_corpus_case(tmp_path, case):
    source = FILES / case["file"]
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    copy = tmp_path / case["file"]
    shutil.copyfile(source, copy)
    copied = copy.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. fastexcel's dtype guesses on an empty sheet
        if case["expect"] == "loads":
            out = load_dataset(_id(case), _catalog(tmp_path, case))
        else:
            assert case["expect"] == "error", case
            try:  # a transform table with a mistake is refused with the catalog
                load_dataset(_id(case), _catalog(tmp_path, case))
            except errors.DataError as exc:
                caught = exc
            else:
                pytest.fail(f"{case['file']} loaded, expected {case.get('error', 'a DataError')}")

    if case["expect"] == "loads":
        _check_loaded(case, out)
    else:
        if "error" in case:
            assert type(caught).__name__ == case["error"], caught
        message = str(caught)
        missing = [f for f in case["fragments"] if f not in message]
        assert not missing, f"message lacks {missing}:\n{message}"
        if isinstance(caught, errors.CatalogError):  # names the dataset and its catalog key
            assert f"dataset '{_id(case)}': key " in message
        else:
            assert f"Dataset '{_id(case)}'" in message and case["file"] in message
            assert caught.dataset == _id(case)

    assert copy.read_bytes() == copied, "the loader changed the file it read"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before


def _check_loaded(case: dict, out) -> None:
    contract = CONTRACTS[case["contract"]]
    if hasattr(out, "geometry"):  # boundaries: attributes validated by the funnel, CRS here
        assert out.crs is not None and out.crs.to_epsg() == 4326
        assert all(g.geom_type in ("Polygon", "MultiPolygon") for g in out.geometry)
        bounds = out.total_bounds
        assert -180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90
    else:
        contract.validate(out)
    if "rows" in case:
        assert len(out) == case["rows"]
    if "repair" in case:
        repaired, report = prepare_boundaries(out)
        assert bool(repaired.geometry.is_valid.all()) and len(repaired) == len(out)
        warning = " ".join(report.warnings())
        missing = [f for f in case["repair"] if f not in warning]
        assert not missing, f"repair warning lacks {missing}:\n{warning}"
    if "value" in case:
        check = case["value"]
        got = out[check["column"]][check["row"]]
        want = check["equals"]
        if isinstance(want, float):
            assert math.isclose(got, want), (got, want)
        else:
            assert got == want, (got, want)


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("settings_ok.csv", [2, 3, 4]),
        ("settings_quoted_newline_bad.csv", [2, 4, 5]),
        ("settings_quoted_newlines_many.csv", [2, 5, 7]),
    ],
)
def test_csv_rows_map_to_the_physical_line_they_start_on(name, lines):
    """After a quoted newline a record's number and its line in an editor differ."""
    loader = CsvLoader(path=FILES / name)
    assert loader.load().height == len(lines)
    assert [loader.line_of(r) for r in range(len(lines))] == lines
    assert loader.line_of(len(lines)) is None


def test_csv_physical_lines_with_title_rows_comments_and_blank_lines(tmp_path):
    path = tmp_path / "settings.csv"
    path.write_bytes(
        b"Settings export\r\n"  # line 1: title, skipped with skip_rows
        b"setting,setting_name,setting_group\r\n"  # line 2: header
        b"# reviewed 2024\r\n"  # line 3: comment
        b'a,"two\r\nlines",acute\r\n'  # lines 4-5
        b"\r\n"  # line 6: blank (polars reads an empty record)
        b"b,B,community\r\n"  # line 7
    )
    loader = CsvLoader(path=path, skip_rows=1, comment_prefix="#")
    frame = loader.load()
    assert frame["setting"].to_list() == ["a", None, "b"]
    assert [loader.line_of(r) for r in range(3)] == [4, 6, 7]


def test_message_names_the_physical_line_after_quoted_newlines(tmp_path):
    case = next(c for c in CASES if c["file"] == "settings_quoted_newlines_many.csv")
    shutil.copyfile(FILES / case["file"], tmp_path / case["file"])
    with pytest.raises(errors.ContractError, match=r"row 3 \(line 7\): 'hospital'"):
        load_dataset(_id(case), _catalog(tmp_path, case))


BIG_ROWS = 1_300_000  # about 100 MB of spend rows
MAX_SECONDS = 60.0  # shared two-core machine; measured about 2 s alone
MAX_RSS_MB = 2_000  # measured about 0.7 GB
_BIG_RUN = textwrap.dedent(
    """
    import json, resource, sys, time
    from loaders import errors, load_catalog, load_dataset
    started = time.perf_counter()
    try:
        out = {"rows": load_dataset("spend", load_catalog(sys.argv[1])).height}
    except errors.DataError as exc:
        out = {"error": type(exc).__name__, "message": str(exc)}
    out["seconds"] = time.perf_counter() - started
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
    """
)


def _big_spend(path: Path, rows: int) -> None:
    import polars as pl

    i = pl.int_range(0, rows, eager=True)
    pl.DataFrame(
        {
            "place_code": "E08000004",
            "area_code": "E0100" + (i % 90_000).cast(pl.String).str.zfill(4),
            "financial_year": "2023/24",
            "year_start": "2023-04-01",
            "organisation": "nhs",
            "setting": "setting_" + (i // 90_000).cast(pl.String),
            "pool": "pooled",
            "measure": "outturn",
            "amount_gbp": "1234.56",
        }
    ).write_csv(path)


def _run_big(catalog: Path) -> dict:
    """Load in a fresh interpreter, so its peak memory is this load's alone."""
    done = subprocess.run(
        [sys.executable, "-c", _BIG_RUN, str(catalog)],
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS * 2,
        cwd=HERE.parents[1],
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_100_mb_csv_loads_or_names_its_bad_row_in_bounded_time_and_memory(tmp_path):
    source = tmp_path / "spend.csv"
    _big_spend(source, BIG_ROWS)
    assert source.stat().st_size > 95e6
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        '[datasets.spend]\nloader = "csv"\ncontract = "spend"\npath = "spend.csv"\n',
        encoding="utf-8",
    )

    good = _run_big(catalog)
    assert good.get("rows") == BIG_ROWS, good
    assert good["seconds"] < MAX_SECONDS and good["rss_mb"] < MAX_RSS_MB, good

    with source.open("a", encoding="utf-8") as f:  # one bad amount in the very last row
        f.write("E08000004,E01009999,2023/24,2023-04-01,nhs,extra,pooled,outturn,twelve\n")
    bad = _run_big(catalog)
    assert bad.get("error") == "ContractError", bad
    assert f"row {BIG_ROWS + 1} (line {BIG_ROWS + 2}): 'twelve'" in bad["message"]
    assert "column 'amount_gbp'" in bad["message"] and "spend.csv" in bad["message"]
    assert bad["seconds"] < MAX_SECONDS and bad["rss_mb"] < MAX_RSS_MB, bad
    print(f"100 MB CSV: valid {good}, bad {dict(bad, message='...')}")
