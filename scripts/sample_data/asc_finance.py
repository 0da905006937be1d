"""NHS Digital PSS-EX1 2014-15 council-level expenditure, kept in its published format.

The app reads this file through catalog transforms alone (the README's "Bring your own data"),
so it is copied as published: latin-1, a row of region codes above the header, amounts in
£000s, one column per council, note rows at the end. Only the columns of the four sample
councils are kept (the five description columns and Bolton, Manchester, Oldham, Wirral); every
row is kept, byte for byte in each kept cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

SOURCE = Path("spend/asc_finance_goodair/pss-exp-eng-14-15-fin-coun-lev-exp-data_national.csv")
FILE = "pss_ex1_2014_15_councils.csv"
ENCODING = "latin-1"
DESCRIPTION_COLUMNS = 5
COUNCILS = {  # CASSR column heading -> ONS code of the place
    "304 - Bolton": "E08000001",
    "306 - Manchester": "E08000003",
    "307 - Oldham": "E08000004",
    "319 - Wirral": "E08000015",
}
# PSS-EX1 'Delivery mechanism' of long-term support -> Placewise setting code (the three that
# are settings of the spend data keep their codes)
SETTINGS = {
    "Nursing": "care_homes_nursing",
    "Residential": "care_homes_residential",
    "Supported accommodation": "supported_accommodation",
    "Community: Direct Payments": "direct_payments",
    "Community: home care": "home_care",
    "Community: supported living": "supported_living",
    "Community: other long term care": "other_long_term",
}


def subset(raw: bytes) -> bytes:
    """The published file with only the description columns and the four councils' columns."""
    rows = list(csv.reader(io.StringIO(raw.decode(ENCODING), newline="")))
    header = rows[1]
    keep = list(range(DESCRIPTION_COLUMNS)) + [header.index(name) for name in COUNCILS]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")  # as published
    for row in rows:
        writer.writerow([row[i] if i < len(row) else "" for i in keep])
    return out.getvalue().encode(ENCODING)


def write(source: Path, out: Path, fixtures: Path | None = None) -> int:
    """Write the subset into `out` (and `fixtures`, for the tests); returns the number of data
    rows."""
    data = subset((source / SOURCE).read_bytes())
    for folder in (out, fixtures):
        if folder is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FILE).write_bytes(data)
    return data.count(b"\n") - 2
