"""Tables the pages draw: the Data and About pages' tables about the datasets (status, rows,
period, source, licence), and the headings of the Neighbourhoods profile."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from exports.csv import decimals_of, humanise, readable
from ui.state import Loaded

#: Roughly how wide the page's main column is at 1440 pixels with the sidebar open, and how
#: wide one character of a table cell is: past this, a table says it scrolls sideways.
PAGE_PIXELS = 980
CHAR_PIXELS = 6.5
_CELL_PADDING = 20
_SIZED_ROWS = 10
_WIDTHS = {"small": 75, "medium": 200, "large": 400}  # st.column_config's named widths
#: Integer columns that are not counts (no thousands separator).
_PLAIN_INTS = ("year", "period", "transforms")
_COUNTS_AS_TEXT = ("numerator", "denominator")


def status_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the Data page: status, real or synthetic, rows, period, timings."""
    from loaders.coverage import areas_covered, period_covered

    rows = []
    for item in loaded:
        spec = item.spec
        rows.append(
            {
                "dataset": item.name,
                "title": spec.title if spec else "",
                "status": ("Stale: last good copy" if item.stale else "Loaded")
                if item.ok
                else "Failed",
                "data": spec.data_status if spec else "",
                "rows": item.rows if item.ok else None,
                "period covered": period_covered(item.frame, spec.contract)
                if item.ok and spec
                else "",
                "areas": areas_covered(item.frame) if item.ok else "",
                "transforms": len(item.steps),
                "loader": spec.loader if spec else "",
                "file": spec.path.name if spec and spec.path else "",
                "load time (ms)": round(item.seconds * 1000, 1),
                "last loaded": item.loaded_at.strftime("%d %b %Y %H:%M:%S"),
            }
        )
    return pl.DataFrame(rows, schema_overrides={"rows": pl.Int64})


def transform_lines(loaded: list[Loaded]) -> list[str]:
    """What each dataset's catalog transforms did, as the check command prints it (markdown
    list lines; text from the catalog is escaped)."""
    from ui.messages import escape_md

    return [
        f"- **{escape_md(item.name)}**: " + "; ".join(escape_md(step) for step in item.steps)
        for item in loaded
        if item.steps
    ]


INDICATOR_COLUMNS = ("name", "unit", "polarity", "value_type", "numerator_definition",
                     "denominator_definition", "frequency", "source", "definition")  # fmt: skip


def indicator_table(indicators: pl.DataFrame) -> pl.DataFrame:
    """The Data page's indicator definitions: which way is better in words ('lower is better')."""
    shown = indicators.select([c for c in INDICATOR_COLUMNS if c in indicators.columns])
    if "polarity" in shown.columns:
        shown = shown.with_columns(pl.col("polarity").cast(pl.String).str.replace_all("_", " "))
    return shown


def sources_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the About page: source, real or synthetic, period, licence."""
    return pl.DataFrame(
        [
            {  # headed in words: the About page draws this frame as it is
                "Dataset": item.spec.title or item.name,
                "Source": item.spec.source,
                "Data": item.spec.data_status,
                "Period": item.spec.period,
                "Licence": item.spec.licence,
                "Last loaded": item.loaded_at.strftime("%d %b %Y %H:%M") if item.ok else "failed",
            }
            for item in loaded
            if item.spec is not None
        ]
    )


def profile_columns(
    area_name: str, place_name: str, whole_place: bool, level: str
) -> dict[str, Any]:
    """The area profile's headings: the area's and place's names and the confidence level.

    Its rows mix units (people, per cent), so values are shown as rounded (one decimal place,
    exports.csv.readable) without trailing zeros: 26,090 people, 21.5%."""
    number = st.column_config.NumberColumn
    place = place_name if whole_place else f"{place_name} (not in your access)"
    return {
        "value": number(area_name, format="localized"),
        "lower": number(f"Lower {level}", format="%,.1f"),
        "upper": number(f"Upper {level}", format="%,.1f"),
        "place_value": number(place, format="localized"),
        "england_value": number("England", format="localized"),
        "vs_place": st.column_config.TextColumn(f"Compared with {place_name}"),
        "vs_england": st.column_config.TextColumn("Compared with England"),
        "period": st.column_config.DateColumn("Period", format="D MMM YYYY"),
    }


def on_screen(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows as a page's table shows them (exports.csv.readable), and a provider whose name the
    data lacks named by its CQC provider ID."""
    frame = readable(frame)
    if {"provider", "provider_id"} <= set(frame.columns):
        named = pl.col("provider").cast(pl.String)
        frame = frame.with_columns(
            pl.when(named.is_null() | (named == ""))
            .then(pl.lit("CQC provider id ") + pl.col("provider_id").cast(pl.String))
            .otherwise(named)
            .alias("provider")
        )
    return frame


def column_configs(frame: pl.DataFrame, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """A column config for every column: a human heading, numbers to the places they are
    rounded to (thousands separated), dates without a time; `given` configs win."""
    col = st.column_config
    out: dict[str, Any] = {}
    for name, dtype in frame.schema.items():
        label = humanise(name)
        places = decimals_of(name, dtype)
        if places is not None:
            out[name] = col.NumberColumn(label, format=f"%,.{places}f" if places else "%,d")
        elif dtype.is_integer():
            plain = any(word in name for word in _PLAIN_INTS)
            out[name] = col.NumberColumn(label, format="%d" if plain else "%,d")
        elif dtype == pl.Date:
            out[name] = col.DateColumn(label, format="D MMM YYYY")
        elif isinstance(dtype, pl.Datetime):
            out[name] = col.DatetimeColumn(label, format="D MMM YYYY, HH:mm")
        elif dtype == pl.Boolean:
            out[name] = col.CheckboxColumn(label)
        elif name in _COUNTS_AS_TEXT:  # counts held as text (a withheld one is '*')
            out[name] = col.TextColumn(label, alignment="right")
        else:
            out[name] = col.TextColumn(label)
    return out | (given or {})


def table_pixels(frame: pl.DataFrame, configs: dict[str, Any]) -> int:
    """About how wide the table is drawn: each column as wide as its heading or longest cell."""
    total = 0.0
    for name in frame.columns:
        config = configs.get(name) or {}
        width = config.get("width")
        if isinstance(width, int) or width in _WIDTHS:
            total += width if isinstance(width, int) else _WIDTHS[width]
            continue
        label = str(config.get("label") or name)
        # the grid sizes a column to its heading and first rows, as far as 40 characters
        head = frame[name].head(_SIZED_ROWS).cast(pl.String)
        longest = head.str.len_chars().max() if frame.height else 0
        chars = max(len(label), int(longest or 0))  # type: ignore[arg-type]
        total += min(chars, 40) * CHAR_PIXELS + _CELL_PADDING
    return int(total)


def show_table(
    frame: pl.DataFrame,
    *,
    key: str | None = None,
    column_config: dict[str, Any] | None = None,
    height: int | None = None,
) -> None:
    """A table as people read it (on_screen, column_configs): missing values blank and, when it
    is wider than the page, a line above it saying so and how to scroll."""
    frame = on_screen(frame)
    configs = column_configs(frame, column_config)
    if table_pixels(frame, configs) > PAGE_PIXELS:
        st.caption(
            f"This table has {frame.width} columns: where some are hidden at the right, scroll "
            "it sideways to see them all (shift and the mouse wheel, or the scroll bar at its "
            "foot).",
        )
    extra: dict[str, Any] = {"height": height} if height else {}
    st.dataframe(frame, hide_index=True, key=key, column_config=configs, placeholder="",
                 **extra)  # fmt: skip
