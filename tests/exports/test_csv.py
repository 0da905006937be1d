import csv
import io

import pandas as pd
import polars as pl

from exports.csv import safe_frame, to_csv_bytes


def test_formula_cells_are_neutralised_and_numbers_untouched():
    frame = pl.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1", "-cmd", "@SUM(A1)", "Good", "a=b"],
            "n": [-1.5, 2, 3, 4, 5, 6],
        }
    )
    out = safe_frame(frame)
    assert out["name"].to_list() == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "Good",
        "a=b",
    ]
    assert out["n"].to_list() == [-1.5, 2, 3, 4, 5, 6]


def test_csv_carries_source_date_status_and_licence_and_reads_back():
    frame = pl.DataFrame({"place": ["Oldham"], "amount_gbp": [1234.5]})
    data = to_csv_bytes(frame, source="Placewise sample data", as_at="2025-03-31", synthetic=True)
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "# Source: Placewise sample data"
    assert lines[1] == "# As at: 2025-03-31"
    assert lines[2].startswith("# Data status: synthetic")
    assert (
        lines[3]
        == "# Contains public sector information licensed under the Open Government Licence v3.0"
    )
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert back.to_dict("records") == [{"place": "Oldham", "amount_gbp": 1234.5}]


def test_formula_header_names_are_neutralised_like_cells():
    frame = pl.DataFrame(
        {
            '=HYPERLINK("http://x","y")': ["a"],
            "+1": ["b"],
            "-cmd": ["c"],
            "@SUM(A1)": ["d"],
            "\tTAB": ["e"],
            "\rCR": ["f"],
            "a=b": ["g"],
            "place": ["Oldham"],
        }
    )
    assert safe_frame(frame).columns == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
        "a=b",
        "place",
    ]
    text = to_csv_bytes(frame, source="test").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text.split("\n", 2)[2])))
    assert header[0] == '\'=HYPERLINK("http://x","y")'
    assert not [h for h in header if h.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_categorical_and_enum_cells_are_neutralised_too():
    frame = pl.DataFrame(
        {
            "c": pl.Series(["=1+1", "Good"], dtype=pl.Categorical),
            "e": pl.Series(["@x", "ok"], dtype=pl.Enum(["@x", "ok"])),
        }
    )
    out = safe_frame(frame)
    assert out["c"].to_list() == ["'=1+1", "Good"]
    assert out["e"].to_list() == ["'@x", "ok"]


def test_a_note_from_catalog_text_stays_one_cell():
    """A source naming '=HYPERLINK(...)' after a comma must not become a formula cell."""
    data = to_csv_bytes(
        pl.DataFrame({"a": [1]}), source='NHS,=HYPERLINK("http://x")\r\n=1+1', as_at="2024"
    )
    text = data.decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text)))
    assert first == ["# Source: NHS;=HYPERLINK('http://x') =1+1"]
    assert pl.read_csv(io.BytesIO(data), comment_prefix="#")["a"].to_list() == [1]
