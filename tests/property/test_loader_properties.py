"""Property: for any generated table, a loader returns a frame meeting its contract or a DataError.

Nothing else may escape (no polars, pandera, openpyxl or fastexcel exception, no ValueError),
an error names the dataset and the file, and the source file is never changed.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import errors, load_catalog, load_dataset
from loaders.contracts import CONTRACTS, columns
from tests.property.strategies import tables
from tests.property.writers import SUFFIX, write

CONTRACTS_UNDER_TEST = ("spend", "care_homes", "observations", "areas")
FORMATS = ("csv", "parquet", "excel")
EXAMPLES = {"csv": 50, "parquet": 50, "excel": 25}  # xlsx writing is slower
PROPERTY = settings(
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(contract: str, fmt: str, header: list[str], rows: list[list]) -> str:
    """'loaded' or 'refused'; fails the test on any other outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write(fmt, folder, contract, header, rows)
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        (folder / "catalog.toml").write_text(
            f"[datasets.{contract}]\nloader = {json.dumps(fmt)}\n"
            f"contract = {json.dumps(contract)}\npath = {json.dumps(path.name)}\n",
            encoding="utf-8",
        )
        catalog = load_catalog(folder / "catalog.toml")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. fastexcel guessing the dtype of an empty sheet
            try:
                out = load_dataset(contract, catalog)
            except errors.DataError as exc:
                message = str(exc)
                assert f"Dataset '{contract}'" in message, message
                assert path.name in message, message
                assert exc.dataset == contract
                outcome = "refused"
            else:
                CONTRACTS[contract].validate(out)
                required = [c for c, (_, _, req) in columns(contract).items() if req]
                assert set(required) <= set(out.columns)
                assert out.height == len(rows)
                _assert_clean(out, contract)
                outcome = "loaded"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return outcome


def _assert_clean(out, contract: str) -> None:
    """What the funnel promises beyond pandera's types: no NaN or infinity in a number column
    (not amounts; NaN becomes missing), no blank text (a blank cell is missing, not "")."""
    import polars as pl

    for name, (dtype, _, _) in columns(contract).items():
        if name not in out.columns:
            continue
        if dtype == "Float64":
            assert out[name].is_finite().fill_null(True).all(), (name, out[name].to_list())
        if dtype == "String":
            blank = out[name].str.strip_chars() == ""
            assert not blank.fill_null(False).any(), (name, out[name].to_list())
    assert all(out.schema[c] != pl.Null for c in out.columns if c in columns(contract))


def _property(contract: str, fmt: str):
    @settings(PROPERTY, max_examples=EXAMPLES[fmt])
    @given(table=tables(contract))
    def run(table):
        header, rows = table
        _check(contract, fmt, header, rows)

    return run


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("contract", CONTRACTS_UNDER_TEST)
def test_loader_returns_a_valid_frame_or_a_data_error(contract, fmt):
    _property(contract, fmt)()


@settings(PROPERTY, max_examples=30)
@given(data=st.data())
def test_clean_tables_always_load(data):
    """The other half: a table with no spoiled cell loads in every format, it is not refused."""
    contract = data.draw(st.sampled_from(CONTRACTS_UNDER_TEST))
    header, rows = data.draw(tables(contract, spoils=("none",)))
    fmt = data.draw(st.sampled_from(FORMATS))
    assert _check(contract, fmt, header, rows) == "loaded"


def _load_bytes(fmt: str, contract: str, data: bytes) -> None:
    """Any bytes at all in a file: a frame meeting the contract or a DataError naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"{contract}{SUFFIX[fmt]}"
        path.write_bytes(data)
        (folder / "catalog.toml").write_text(
            f"[datasets.{contract}]\nloader = {json.dumps(fmt)}\n"
            f"contract = {json.dumps(contract)}\npath = {json.dumps(path.name)}\n",
            encoding="utf-8",
        )
        try:
            out = load_dataset(contract, load_catalog(folder / "catalog.toml"))
        except errors.DataError as exc:
            assert f"Dataset '{contract}'" in str(exc) and path.name in str(exc)
        else:
            CONTRACTS[contract].validate(out)
        assert path.read_bytes() == data


@settings(PROPERTY, max_examples=40)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: ("setting,setting_name,setting_group\n" + t).encode()),
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_arbitrary_bytes_never_escape_as_another_exception(data, fmt):
    _load_bytes(fmt, "settings", data)


@settings(PROPERTY, max_examples=25)
@given(
    table=tables("spend", spoils=("none",)), cut=st.floats(0, 0.999), fmt=st.sampled_from(FORMATS)
)
def test_a_truncated_file_is_refused_or_loads_what_is_there(table, cut, fmt):
    """A copy interrupted part-way (network share, full disk) is refused by name, never a crash."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write(fmt, Path(tmp), "spend", *table)
        whole = path.read_bytes()
    _load_bytes(fmt, "spend", whole[: int(len(whole) * cut)])
