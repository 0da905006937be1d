"""CSV downloads that are safe to open in a spreadsheet and say where the numbers came from."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from charts.theme import LICENCE_LINE

if TYPE_CHECKING:
    from panels.core import Caption, Rows

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(col: str) -> pl.Expr:
    c = pl.col(col)
    starts = pl.any_horizontal([c.str.starts_with(p) for p in FORMULA_PREFIXES])
    # A leading apostrophe makes spreadsheets show the text instead of evaluating it.
    return pl.when(starts).then(pl.lit("'") + c).otherwise(c).alias(col)


def safe_name(name: str) -> str:
    """A column name as a header cell a spreadsheet will not run: apostrophe-prefixed like cells."""
    return "'" + name if name.startswith(FORMULA_PREFIXES) else name


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with text cells and column names that a spreadsheet would run as formulas
    prefixed by an apostrophe. Categorical and enum columns are text in the file, so count too."""
    text = (pl.String, pl.Categorical, pl.Enum)
    text_cols = [c for c, t in frame.schema.items() if isinstance(t, text) or t in text]
    if text_cols:
        frame = frame.with_columns(pl.col(text_cols).cast(pl.String)).with_columns(
            [_neutralise(c) for c in text_cols]
        )
    names = {c: safe_name(c) for c in frame.columns if safe_name(c) != c}
    return frame.rename(names) if names else frame


def to_csv_bytes(
    frame: pl.DataFrame,
    *,
    source: str,
    as_at: str | None = None,
    synthetic: bool | str = False,
    extra_notes: tuple[str, ...] = (),
) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads it as UTF-8) with `#` note lines above the header.

    The note lines name the source, the "as at" date, whether the data is synthetic and the
    licence; read the file back with `comment_prefix="#"` (polars) or `comment="#"` (pandas).
    """
    notes = [f"# Source: {source}"]
    if as_at:
        notes.append(f"# As at: {as_at}")
    if synthetic:
        kind = "partly synthetic" if synthetic == "partly" else "synthetic"
        notes.append(f"# Data status: {kind} (illustrative, not real figures)")
    notes.extend(f"# {n}" for n in extra_notes)
    notes.append(f"# {LICENCE_LINE}")
    return _with_notes(frame, [n[2:] for n in notes])


def note_line(note: str) -> str:
    """A '#' note line that a spreadsheet reads as one text cell: no line breaks, and no comma
    or quote that would start a second cell (which could hold a formula, e.g. from a catalog's
    source text)."""
    text = " ".join(note.split())
    return "# " + text.replace(",", ";").replace('"', "'")


def _with_notes(frame: pl.DataFrame, notes: list[str]) -> bytes:
    buf = io.StringIO()
    buf.write("\n".join(note_line(n) for n in notes) + "\n")
    buf.write(safe_frame(frame).write_csv())
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def rows_csv(
    rows: Rows,
    caption: Caption,
    *,
    area: tuple[str, str] | None = None,
    codes_of: Mapping[str, str] | None = None,
) -> bytes:
    """A panel's released rows as CSV, with its caption as the note lines (the only row export
    that panels use: it takes Rows, which only panels.core.release makes).

    The rows are written as the page shows them (`readable`: each code and name once, numbers
    to the places shown, missing values blank); with `area` (code, name) they start with the
    columns `area_code` and `area_name` (`with_area`). No column is added that the released
    rows do not already imply, so disclosure control holds.
    """
    from panels.caption import csv_notes

    frame = readable(rows.frame)
    if area is not None:
        frame = with_area(frame, area[0], area[1], codes_of)
    return _with_notes(frame, csv_notes(caption))


# --- Rows as people read them: the same columns, rounding and blanks on screen and in the CSV ---

#: Human headings of the columns panels' rows hold (the page's tables; the CSV keeps the
#: column names themselves, which are stable: area_code, area_name, then the panel's columns).
LABELS: dict[str, str] = {
    "area_code": "Area code",
    "area_name": "Area",
    "area": "Area",
    "cluster_code": "Cluster code",
    "cluster_name": "Cluster",
    "cluster": "Cluster",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "lower": "Lower limit",
    "upper": "Upper limit",
    "vs_place": "Compared with the place",
    "vs_england": "Compared with England",
    "suppressed": "Withheld (small numbers)",
    "place_value": "Place",
    "england_value": "England",
    "value_type": "Value type",
    "unit": "Unit",
    "measure": "Measure",
    "period": "Period",
    "home": "Care home",
    "rating": "Overall rating",
    "last_rated": "Last rated",
    "freshness": "Time since rated",
    "setting": "Setting",
    "beds": "Beds",
    "provider": "Provider",
    "provider_id": "CQC provider ID",
    "location_id": "CQC location ID",
    "location_name": "Care home",
    "postcode": "Postcode",
    "years_since_rating": "Years since rated",
    "financial_year": "Financial year",
    "year_start": "Year starts",
    "amount_gbp": "Amount (£)",
    "as_of": "As of",
    "month": "Month",
    "indicator": "Indicator",
    "lower_limit": "Lower process limit",
    "upper_limit": "Upper process limit",
    "mean": "Mean",
    "target": "Target",
    "name": "Name",
    "polarity": "Better when",
    "numerator_definition": "Numerator definition",
    "denominator_definition": "Denominator definition",
    "frequency": "Frequency",
    "source": "Source",
    "definition": "Definition",
}

#: Decimal places shown (and written) by column name; floats not named here get 2, and the
#: patterns below. Money is written to the whole pound, shares and rates to one decimal.
DECIMALS: tuple[tuple[str, int], ...] = (
    (r"(_gbp|population|_count|^homes.*|^beds.*)$", 0),
    (r"(ratio)$", 2),
    (r"(latitude|longitude)$", 5),
    (
        r"(share.*|_pct|_pp|^value|^lower|^upper|_value|^mean|_limit|^target|years_since_rating"
        r"|per_resident|per_weighted_head|^rate.*)$",
        1,
    ),
)

#: Identity columns: a second one holding the same values as the first is shown once.
_IDENTITY = re.compile(r"(^|_)(code|name)$|^(area|cluster)$")


def decimals_of(name: str, dtype: pl.DataType) -> int | None:
    """Decimal places a float column is shown with (None for columns that are not floats)."""
    if not dtype.is_float():
        return None
    for pattern, places in DECIMALS:
        if re.search(pattern, name):
            return places
    return 2


def humanise(name: str) -> str:
    """A column's heading: its label, or its name as words ('load_time' -> 'Load time')."""
    if name in LABELS:
        return LABELS[name]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def repeated_columns(frame: pl.DataFrame) -> list[str]:
    """Identity columns (codes, names) that repeat an earlier one's values, row for row."""
    seen: list[str] = []
    out: list[str] = []
    for col in frame.columns:
        if not _IDENTITY.search(col):
            continue
        series = frame[col]
        if any(
            frame[other].dtype == series.dtype and frame[other].equals(series) for other in seen
        ):
            out.append(col)
        else:
            seen.append(col)
    return out


def readable(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows as they are shown: each code and name once, floats rounded to the places shown
    (whole numbers written as whole numbers), midnight datetimes as dates, providers whose name
    the data lacks left blank (their CQC provider ID is beside them)."""
    from metrics.care_quality_market import NO_NAME

    frame = frame.drop(repeated_columns(frame))
    changes: list[pl.Expr] = []
    for col, dtype in frame.schema.items():
        places = decimals_of(col, dtype)
        if places == 0:
            changes.append(pl.col(col).round(0).cast(pl.Int64))
        elif places is not None:
            changes.append(pl.col(col).round(places))
        elif isinstance(dtype, pl.Datetime):
            times = frame[col].drop_nulls()
            if times.is_empty() or (times.dt.truncate("1d") == times).all():
                changes.append(pl.col(col).dt.date())
        elif dtype == pl.String:
            # an empty text and a provider whose name the data lacks are both missing
            empty = (pl.col(col) == "") | ((pl.col(col) == NO_NAME) & (col == "provider"))
            changes.append(pl.when(empty).then(None).otherwise(pl.col(col)).alias(col))
    return frame.with_columns(changes) if changes else frame


def with_area(
    frame: pl.DataFrame, code: str, name: str, codes_of: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """`frame` with the area it holds in its first columns, `area_code` and `area_name`.

    Rows that name their own area (an `area_code`, or an `area` of names that `codes_of` maps
    to codes) keep it, moved first; other rows all belong to the view's area (`code`, `name`).
    """
    if "area_code" in frame.columns:
        if "area_name" not in frame.columns:  # named from the codes known (blank if not)
            names = {c: n for n, c in (codes_of or {}).items()} | {code: name}
            frame = frame.with_columns(
                pl.col("area_code").replace_strict(names, default=None).alias("area_name")
            )
        return frame.select("area_code", "area_name", pl.exclude("area_code", "area_name"))
    if "area" in frame.columns and frame.schema["area"] == pl.String:
        lookup = dict(codes_of or {})
        frame = frame.rename({"area": "area_name"}).with_columns(
            pl.col("area_name").replace_strict(lookup, default=None).alias("area_code")
        )
        return frame.select("area_code", "area_name", pl.exclude("area_code", "area_name"))
    return frame.select(pl.lit(code).alias("area_code"), pl.lit(name).alias("area_name"), pl.all())


def file_slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (accents dropped, everything else removed)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def download_name(view: str, area: str | None, period: str | None, ext: str) -> str:
    """A download's file name from what it holds: area, view and period, e.g.
    'oldham-east_care-home-trend_2016-2025.csv' (safe characters only; parts that are empty
    after slugging are left out)."""
    parts = [file_slug(p) for p in (area or "", view, period or "")]
    stem = "_".join(p for p in parts if p) or "placewise"
    return f"{stem}.{file_slug(ext) or 'csv'}"


_TIME_COLUMNS = ("as_of", "month", "year_start", "period", "date", "latest_month")
_FY = re.compile(r"^(\d{4})/(\d{2})$")


def period_of(frame: pl.DataFrame, fallback: str = "") -> str:
    """The years the rows cover, '2016-2025' (one year alone as '2025'): from their dates, or
    their financial years ('2015/16' to '2024/25' is 2015-2025); `fallback` when they have
    neither (a caption's 'as at')."""
    years: list[int] = []
    for col in _TIME_COLUMNS:
        if col in frame.columns and frame.schema[col] in (pl.Date, pl.Datetime):
            dates = frame[col].drop_nulls()
            if not dates.is_empty():
                years = [int(dates.min().year), int(dates.max().year)]  # type: ignore[union-attr]
                break
    if not years and "financial_year" in frame.columns:
        found = [m for y in frame["financial_year"].drop_nulls() if (m := _FY.match(str(y)))]
        if found:
            first = min(int(m.group(1)) for m in found)
            last = max(int(m.group(1)) for m in found) + 1
            years = [first, last]
    if not years:
        return fallback
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
