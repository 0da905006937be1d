"""CQC file fields: header spellings, API keys, date and number parsing, care home flags.

Shared by the care directory loader (loaders/cqc_loader.py) and the API loader
(loaders/cqc_api_loader.py); split out so each stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from loaders.contracts import KEY_QUESTIONS
from loaders.errors import LoaderError

HEADERS = {  # field -> header spellings, in lower case with single spaces
    "location_id": ("location id", "cqc location id (for office use only)"),
    "location_name": ("location name", "name"),
    "provider_id": ("provider id", "cqc provider id (for office use only)"),
    "provider_name": ("provider name",),
    "local_authority": ("location local authority", "local authority"),
    "postcode": ("location postal code", "location post code", "postcode"),
    "latitude": ("location latitude",),
    "longitude": ("location longitude",),
    "beds": ("care homes beds", "care home beds"),
    "care_home": ("care home?",),
    "nursing": ("service type - care home service with nursing",),
    "without_nursing": ("service type - care home service without nursing",),
    "services": ("service types", "specialisms/services"),
    "category": ("location primary inspection category", "primary inspection category"),
    "registered_from": ("location hsca start date",),
    "registered_to": ("location hsca end date",),
    "published": ("publication date", "report publication date"),
    "Overall": ("location latest overall rating",),
    **{q: (f"location {q.lower()} rating",) for q in KEY_QUESTIONS[1:]},
}
API_FIELDS = dict(  # field -> API key
    re.findall(
        r"(\w+)=(\w+)",
        "location_id=locationId location_name=name provider_id=providerId "
        "provider_name=providerName local_authority=localAuthority postcode=postalCode "
        "latitude=onspdLatitude longitude=onspdLongitude beds=numberOfBeds care_home=careHome "
        "registered_from=registrationDate registered_to=deregistrationDate",
    )
)
TEXT = tuple(API_FIELDS)[:6]
DATES, NUMBERS = (
    ("registered_from", "registered_to", "published"),
    ("beds", "latitude", "longitude"),
)
SCHEMA: dict[str, type[pl.DataType]] = dict.fromkeys(TEXT, pl.String)
SCHEMA |= dict.fromkeys(DATES, pl.Date) | dict.fromkeys(NUMBERS, pl.Float64)
OUTPUT = (*TEXT[:4], "place_code", "area_code", "postcode", "latitude", "longitude", "beds")
OUTPUT += ("nursing", "registered_from", "registered_to", "synthetic")
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
Snapshot = tuple[pl.DataFrame, pl.DataFrame, date | None, bool]


def _key(text: Any) -> str:
    return " ".join(str(text).split()).lower()


def _key_expr(col: pl.Expr) -> pl.Expr:
    return col.cast(pl.String).str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()


def _blank_null(col: pl.Expr) -> pl.Expr:
    text = col.str.strip_chars()
    return pl.when(text != "").then(text)


def parse_dates(text: pl.Expr) -> pl.Expr:
    """Dates as CQC writes them: 2025-01-02, 1/2/2025 12:00:00 AM (US order, with AM/PM), 02/01/2025 (UK), 2 January 2025, Excel day numbers."""
    text = text.cast(pl.String).str.strip_chars()
    us = r"^(\d{1,2}/\d{1,2}/\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp][Mm]$"
    uk = r"^(\d{1,2}/\d{1,2}/\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    return pl.coalesce(
        text.str.extract(r"^(\d{4}-\d{2}-\d{2})", 1).str.to_date("%Y-%m-%d", strict=False),
        text.str.extract(us, 1).str.to_date("%m/%d/%Y", strict=False),
        text.str.extract(uk, 1).str.to_date("%d/%m/%Y", strict=False),
        text.str.to_date("%d %B %Y", strict=False),
        text.str.to_date("%d-%b-%Y", strict=False),
        pl.lit(date(1899, 12, 30)) + pl.duration(days=serial),
    )


def _pairs(values: Sequence[object], option: str) -> dict[str, str]:
    """{"oldham": "E08000004"} from ["Oldham=E08000004"] (or [["Oldham", "E08000004"]])."""
    out: dict[str, str] = {}
    for item in values:
        pair = item.split("=", 1) if isinstance(item, str) else item
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise LoaderError(f"option '{option}': expected \"name=value\" items, got {item!r}")
        out[_key(pair[0])] = str(pair[1]).strip()
    return out


def _typed(
    raw: pl.DataFrame, sources: Mapping[str, str], where: str, first_line: int
) -> pl.DataFrame:
    """`raw` (text) with its dates and numbers typed; a LoaderError lists values that are neither blank nor readable."""
    exprs = {f: parse_dates(pl.col(f)) for f in DATES if f in raw.columns}
    exprs |= {
        f: pl.col(f).str.strip_chars().cast(pl.Float64, strict=False) for f in NUMBERS if f in raw
    }
    out = raw.with_columns(**exprs)
    problems = []
    for field in [f for f in (*DATES, *NUMBERS) if f in raw.columns]:
        had = raw[field].str.strip_chars().fill_null("") != ""
        bad = raw.select(field).with_row_index().filter(had & out[field].is_null())
        if bad.height:
            shown = "; ".join(f"line {first_line + r}: {v!r}" for r, v in bad.head(5).iter_rows())
            kind = "a date" if field in DATES else "a number"
            name = sources.get(field, field)
            problems.append(f"column '{name}': {bad.height} value(s) are not {kind}: {shown}")
    if problems:
        raise LoaderError(f"{where}: " + "; ".join(problems))
    return out


def _snapshot_date(path: Path) -> date | None:
    """The date in a file name such as 01_March_2025_HSCA_Active_Locations.ods or locations_2025-03-01.csv."""
    name = path.stem.lower()
    if m := re.search(r"(\d{4})[-_](\d{2})[-_](\d{2})", name):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(rf"(?:(\d{{1,2}})[ _-]*)?({MONTHS})[a-z]*[ _-]*(\d{{4}})", name):
        return date(int(m[3]), MONTHS.split("|").index(m[2]) + 1, int(m[1] or 1))
    if m := re.search(r"(\d{4})[-_](\d{2})", name):
        return date(int(m[1]), int(m[2]), 1)
    return None


def _flags(raw: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """(care home?, nursing?) from the Y/N columns, else the service types, else the inspection category."""
    cols = set(raw.columns)

    def has(field: str, text: str) -> pl.Expr:
        return _key_expr(pl.col(field)).str.contains(text) if field in cols else pl.lit(False)

    def yes(field: str) -> pl.Expr:
        return (
            _key_expr(pl.col(field)).is_in(["y", "yes", "true", "1"])
            if field in cols
            else pl.lit(False)
        )

    if not cols & {"care_home", "nursing", "without_nursing", "services", "category"}:
        raise LoaderError("no 'Care home?', 'Service types' or inspection category column")
    if "care_home" in cols or cols & {"nursing", "without_nursing"}:
        home = yes("care_home") | yes("nursing") | yes("without_nursing")
    else:
        home = has("services", "care home service") | has("category", "residential social care")
    nursing = yes("nursing") if "nursing" in cols else has("services", "with nursing")
    return home.fill_null(False), nursing.fill_null(False)
