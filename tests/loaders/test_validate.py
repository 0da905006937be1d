"""loaders.validate: the contract error's message and report rows."""

from __future__ import annotations

import polars as pl

from loaders.catalog import DatasetSpec
from loaders.validate import MAX_CHECKS_SHOWN, _contract_error


def test_more_failures_counts_the_failure_cases_not_shown():
    # 10 checks fail, twice each: 20 failure cases. The message shows the first 8 checks, with
    # both of their cases (16), then says how many cases are left: 20 - 16 = 4.
    checks = [f"check_{i}" for i in range(10)]
    cases = pl.DataFrame(
        {
            "column": [f"col_{i}" for i in range(10) for _ in range(2)],
            "check": [c for c in checks for _ in range(2)],
            "failure_case": [f"bad {i}.{j}" for i in range(10) for j in range(2)],
            "index": list(range(20)),
        }
    )
    spec = DatasetSpec(name="s", loader="csv", contract="settings")
    error = _contract_error(spec, None, cases)
    assert MAX_CHECKS_SHOWN == 8
    assert len(error.failures) == 16
    assert str(error).endswith("... and 4 more failures")
    assert error.failures[0] == {
        "column": "col_0",
        "row": 1,
        "value": "bad 0.0",
        "expected": "check 0",
    }
