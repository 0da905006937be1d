"""CSV downloads that are safe to open in a spreadsheet and say where the numbers came from."""

from __future__ import annotations

import io
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


def rows_csv(rows: Rows, caption: Caption) -> bytes:
    """A panel's released rows as CSV, with its caption as the note lines (the only row export
    that panels use: it takes Rows, which only panels.core.release makes)."""
    from panels.caption import csv_notes

    return _with_notes(rows.frame, csv_notes(caption))
