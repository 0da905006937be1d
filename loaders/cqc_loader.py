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
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.contracts import KEY_QUESTIONS, RATINGS
from loaders.cqc_fields import API_FIELDS as API_FIELDS  # re-exported for cqc_api_loader
from loaders.cqc_fields import (
    DATES,
    HEADERS,
    OUTPUT,
    SCHEMA,
    TEXT,
    Snapshot,
    _blank_null,
    _flags,
    _key,
    _key_expr,
    _pairs,
    _snapshot_date,
    _typed,
)
from loaders.cqc_fields import parse_dates as parse_dates  # re-exported for the tests
from loaders.errors import LoaderError
from loaders.registry import register_loader

TABLES = ("care_homes", "cqc_ratings")
LABELS = {r.lower(): r for r in RATINGS} | {"not rated": "No published rating"}
QUESTIONS = {q.lower().replace("-", " "): q for q in KEY_QUESTIONS}


class _CqcLoader(FileLoader):
    options: ClassVar[OptionTypes] = {
        "table": str,
        "place_code": str,
        "local_authorities": list,
        "rating_labels": list,
        "care_homes_only": bool,
        "pattern": str,
    }
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
            for where, dtype in (("_file", pl.String), ("_line", pl.Int64), ("_column", pl.String)):
                if where not in unknown.columns:  # API records have no file line or column
                    unknown = unknown.with_columns(pl.lit(None, dtype).alias(where))
            counts = (
                unknown.group_by("key_question", "rating", maintain_order=True)
                .agg(pl.len(), pl.col("_file", "_line", "_column").first())
                .sort("len", descending=True, maintain_order=True)
            )
            listed = "; ".join(
                f"{q} {r!r} ({n} row(s)"
                + (f"; first in {f} line {line}, column {c!r}" if f and line and c else "")
                + ")"
                for q, r, n, f, line, c in counts.head(10).iter_rows()
            )
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

    options: ClassVar[OptionTypes] = {**_CqcLoader.options, "sheet": (str, int), "encoding": str}
    suffixes = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")

    def _table(self, path: Path) -> tuple[pl.DataFrame, int]:
        """Every cell as text, from the row with a 'Location ID' cell down; and the first data row's line."""
        if path.suffix.lower() == ".csv":
            data = path.read_bytes()
            try:
                text = data.decode(self.opts.get("encoding", "utf-8-sig"))
            except UnicodeDecodeError:
                text = data.decode("cp1252")
            sheets: list[tuple[list[Sequence[str | None]], str | pl.DataFrame]]
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
                _file=pl.lit(path.name),
                _line=pl.int_range(pl.len()) + first,
            ).drop_nulls("location_id")
            typed = typed.unique("location_id", keep="last", maintain_order=True)
            ratings = typed.unpivot(
                [q for q in KEY_QUESTIONS if q in raw.columns],
                index=["location_id", "published", "_file", "_line"],
                variable_name="key_question",
                value_name="rating",
            ).with_columns(
                _priority=0,
                _column=pl.col("key_question").replace_strict(sources, default=None),
            )
            dated = (
                _snapshot_date(path)
                or typed.select(pl.max_horizontal(pl.col(*DATES[::2]).max())).item()
            )
            active = typed["registered_to"].null_count() == typed.height
            out.append((typed, ratings, dated, active))
        return out
