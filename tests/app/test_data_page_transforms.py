"""The Data page shows what the catalog's transforms did, as `python -m loaders.check` prints it."""

from __future__ import annotations

from tests.app.conftest import open_app


def test_the_data_page_reports_each_transform_of_the_council_return():
    at = open_app("data")
    assert not at.exception
    assert [e.label for e in at.expander if "transforms" in e.label] == [
        "What the catalog's transforms did"
    ]
    report = " ".join(m.value for m in at.markdown if "asc\\_expenditure" in m.value)
    assert "unpivot: 4 column(s) into 'council' and 'amount\\_gbp' (2,020 rows to 8,080)" in report
    assert "units: 'amount\\_gbp' read as amounts in thousands" in report
    table = at.dataframe[0].value
    row = table[table["dataset"] == "asc_expenditure"].iloc[0]
    assert row["rows"] == 56 and row["transforms"] == 13 and row["period covered"] == "2014/15"
    assert row["data"] == "Real"
