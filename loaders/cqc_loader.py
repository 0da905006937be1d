"""CQC's published files as `care_homes` or `cqc_ratings`: the monthly care directory and the API.

`cqc_directory`: the "care directory with filters" / HSCA active locations file and CQC locations
exports (CSV, XLSX, ODS; the header row is the one with a "Location ID" cell, headers matched in
any case). `cqc_api`: CQC API location records (JSON record, list, `{"locations": [...]}` or JSON
lines) with `currentRatings` and `historicRatings`. `path` is a file or a folder of monthly
snapshots (option `pattern`). Snapshots combine: a home keeps its latest details and earliest
start date; one missing from a later active-locations snapshot closed by that snapshot's date
(from the file name, e.g. 01_March_2025_HSCA_Active_Locations.ods); a rating is kept once.
Options: `table` ("care_homes" or "cqc_ratings"), `place_code` or `local_authorities`
(["Oldham=E08000004", ...]; other councils are left out), `rating_labels` (["Not Rated=No
published rating"]), `care_homes_only` (default true), `sheet`, `encoding`. A rating without a
publication date cannot be placed in time and is dropped.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import polars as pl

from loaders.base import FileLoader
from loaders.contracts import KEY_QUESTIONS, RATINGS
from loaders.errors import LoaderError
from loaders.registry import register_loader

TABLES = ("care_homes", "cqc_ratings")
LABELS = {r.lower(): r for r in RATINGS} | {"not rated": "No published rating"}
QUESTIONS = {q.lower().replace("-", " "): q for q in KEY_QUESTIONS}
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
SCHEMA = dict.fromkeys(TEXT, pl.String) | dict.fromkeys(DATES, pl.Date)
SCHEMA |= dict.fromkeys(NUMBERS, pl.Float64)
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


def _pairs(values: list, option: str) -> dict[str, str]:
    """{"oldham": "E08000004"} from ["Oldham=E08000004"] (or [["Oldham", "E08000004"]])."""
    out = {}
    for item in values:
        pair = item.split("=", 1) if isinstance(item, str) else item
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise LoaderError(f"option '{option}': expected \"name=value\" items, got {item!r}")
        out[_key(pair[0])] = str(pair[1]).strip()
    return out


def _typed(raw: pl.DataFrame, sources: dict, where: str, first_line: int) -> pl.DataFrame:
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


class _CqcLoader(FileLoader):
    options: ClassVar = {"table": str, "place_code": str, "local_authorities": list}
    options |= {"rating_labels": list, "care_homes_only": bool, "pattern": str}
    header_lines: ClassVar[int] = 0

    def files(self) -> list[Path]:
        if not self.path.is_dir():
            if not self.path.exists():
                raise FileNotFoundError(self.path)
            return [self.path]
        pattern = self.opts.get("pattern", "*")
        found = sorted(p for p in self.path.glob(pattern) if p.suffix.lower() in self.suffixes)
        if not found:
            raise LoaderError(f"folder {self.path} has no file matching '{pattern}'")
        return found

    def snapshots(self) -> list[Snapshot]:
        """Per file: locations (typed), ratings (text, `_priority`), snapshot date, is it an active-locations file."""
        raise NotImplementedError

    def load(self) -> pl.DataFrame:
        table = self.opts.get("table", "care_homes")
        if table not in TABLES:
            raise LoaderError(f"option 'table' must be one of {', '.join(TABLES)}, got {table!r}")
        councils = _pairs(self.opts.get("local_authorities", []), "local_authorities")
        if table == "care_homes" and not (councils or self.opts.get("place_code")):
            raise LoaderError("set option 'place_code' or 'local_authorities' (which place?)")
        parts = sorted(self.snapshots(), key=lambda part: part[2] or date.min)
        homes = pl.concat(
            [
                h.with_columns(_order=n, _snapshot=pl.lit(d, pl.Date), _active=a)
                for n, (h, _, d, a) in enumerate(parts)
            ],
            how="diagonal_relaxed",
        )
        if self.opts.get("care_homes_only", True):
            homes = homes.filter(pl.col("care_home"))
        code = pl.lit(self.opts.get("place_code"), pl.String)
        if councils:
            code = _key_expr(pl.col("local_authority")).replace_strict(councils, default=None)
        homes = homes.with_columns(place_code=code)
        if councils:
            homes = homes.filter(pl.col("place_code").is_not_null())
        if table == "care_homes":
            return _combine(homes)
        ratings = pl.concat(
            [r.with_columns(_order=n) for n, (_, r, _, _) in enumerate(parts)],
            how="diagonal_relaxed",
        )
        return self._ratings(ratings.join(homes.select("location_id").unique(), on="location_id"))

    def _ratings(self, ratings: pl.DataFrame) -> pl.DataFrame:
        labels = LABELS | _pairs(self.opts.get("rating_labels", []), "rating_labels")
        question = _key_expr(pl.col("key_question")).str.replace_all("-", " ")
        named = ratings.drop_nulls(["published", "rating"]).with_columns(
            _r=_key_expr(pl.col("rating")).replace_strict(labels, default=None),
            _q=question.replace_strict(QUESTIONS, default=None),
        )
        unknown = named.filter(pl.col("_r").is_null() | pl.col("_q").is_null())
        if unknown.height:
            counts = unknown.group_by("key_question", "rating").len().sort("len", descending=True)
            listed = "; ".join(f"{q} {r!r} ({n} row(s))" for q, r, n in counts.head(10).iter_rows())
            raise LoaderError(
                f"{unknown.height} rating(s) with an unknown label: {listed}. Known ratings: "
                f"{', '.join(RATINGS)}; key questions: {', '.join(KEY_QUESTIONS)}. Map other "
                'labels with the option rating_labels = ["label=Known rating"].'
            )
        return (
            named.sort("_order", "_priority")
            .unique(["location_id", "published", "_q"], keep="last")
            .select("location_id", "published", key_question="_q", rating="_r")
            .with_columns(synthetic=False)
            .sort("location_id", "published", "key_question")
        )


def _combine(homes: pl.DataFrame) -> pl.DataFrame:
    """One row per home across snapshots: latest details, earliest start, explicit or inferred end."""
    active = homes.filter("_active").group_by("_order").agg(_gone=pl.col("_snapshot").first())
    latest = (
        homes.sort("_order")
        .group_by("location_id")
        .agg(pl.all().exclude(DATES[:2]).last(), pl.col(DATES[0]).min(), pl.col(DATES[1]).max())
    )
    closed = latest.sort("_order").join_asof(
        active.sort("_order").rename({"_order": "_next"}),
        left_on="_order",
        right_on="_next",
        strategy="forward",
        allow_exact_matches=False,
    )
    return (
        closed.with_columns(
            area_code=pl.lit(None, pl.String),
            beds=pl.col("beds").round(0).cast(pl.Int64),
            registered_to=pl.coalesce("registered_to", "_gone"),
            synthetic=False,
        )
        .select(OUTPUT)
        .sort("location_id")
    )


@register_loader("cqc_directory")
class CqcDirectoryLoader(_CqcLoader):
    """CQC's care directory with filters / HSCA active locations and locations exports (CSV, XLSX, ODS)."""

    options: ClassVar = {**_CqcLoader.options, "sheet": (str, int), "encoding": str}
    suffixes = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")

    def _table(self, path: Path) -> tuple[pl.DataFrame, int]:
        """Every cell as text, from the row with a 'Location ID' cell down; and the first data row's line."""
        if path.suffix.lower() == ".csv":
            data = path.read_bytes()
            try:
                text = data.decode(self.opts.get("encoding", "utf-8-sig"))
            except UnicodeDecodeError:
                text = data.decode("cp1252")
            sheets = [(list(csv.reader(text.splitlines()[:30])), text)]
        else:
            import fastexcel

            book = fastexcel.read_excel(path)
            names = [self.opts["sheet"]] if "sheet" in self.opts else book.sheet_names
            loaded = [
                book.load_sheet(n, header_row=None, dtypes="string").to_polars() for n in names
            ]
            sheets = [(list(s.head(30).iter_rows()), s) for s in loaded]
        for head, sheet in sheets:
            for i, row in enumerate(head):
                if any(c is not None and _key(c) in HEADERS["location_id"] for c in row):
                    if isinstance(sheet, str):
                        body = io.BytesIO(sheet.encode())
                        return pl.read_csv(body, skip_rows=i, infer_schema=False), i + 2
                    names = [str(c).strip() if c is not None else "" for c in row]
                    names = [
                        n if n and n not in names[:j] else f"{n} ({j})" for j, n in enumerate(names)
                    ]
                    return sheet.slice(i + 1).rename(
                        dict(zip(sheet.columns, names, strict=True))
                    ), i + 2
        raise LoaderError(f"{path.name}: no 'Location ID' column header in the first 30 rows")

    def snapshots(self) -> list[Snapshot]:
        out = []
        for path in self.files():
            raw, first = self._table(path)
            sources: dict[str, str] = {}
            for name in raw.columns:
                field = next((f for f, names in HEADERS.items() if _key(name) in names), None)
                sources.setdefault(field, name) if field else None
            raw = raw.select([pl.col(s).cast(pl.String).alias(f) for f, s in sources.items()])
            try:
                home, nursing = _flags(raw)
            except LoaderError as exc:
                raise LoaderError(f"{path.name}: {exc}: cannot tell care homes apart") from None
            typed = _typed(raw, sources, f"file {path.name}", first)
            typed = typed.with_columns(
                *[_blank_null(pl.col(f)).alias(f) for f in TEXT if f in raw.columns],
                *[pl.lit(None, t).alias(f) for f, t in SCHEMA.items() if f not in raw.columns],
                care_home=home,
                nursing=nursing,
            ).drop_nulls("location_id")
            typed = typed.unique("location_id", keep="last", maintain_order=True)
            ratings = typed.unpivot(
                [q for q in KEY_QUESTIONS if q in raw.columns],
                index=["location_id", "published"],
                variable_name="key_question",
                value_name="rating",
            ).with_columns(_priority=0)
            dated = (
                _snapshot_date(path)
                or typed.select(pl.max_horizontal(pl.col(*DATES[::2]).max())).item()
            )
            active = typed["registered_to"].null_count() == typed.height
            out.append((typed, ratings, dated, active))
        return out
