"""The bad-input corpus: every file in files/ loads, or fails with a DataError naming the problem.

Cases are listed in cases.toml; the files are written by make_corpus.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tomllib
import warnings
from pathlib import Path

import pytest

from loaders import errors, load_catalog, load_dataset
from loaders.contracts import CONTRACTS

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
    catalog = _catalog(tmp_path, case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. fastexcel's dtype guesses on an empty sheet
        if case["expect"] == "loads":
            out = load_dataset(_id(case), catalog)
        else:
            assert case["expect"] == "error", case
            try:
                load_dataset(_id(case), catalog)
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
    if "value" in case:
        check = case["value"]
        got = out[check["column"]][check["row"]]
        want = check["equals"]
        if isinstance(want, float):
            assert math.isclose(got, want), (got, want)
        else:
            assert got == want, (got, want)
