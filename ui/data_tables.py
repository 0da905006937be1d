"""Tables the pages draw: the Data and About pages' tables about the datasets (status, rows,
period, source, licence), and the headings of the Neighbourhoods profile."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from ui.state import Loaded


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


def sources_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the About page: source, real or synthetic, period, licence."""
    return pl.DataFrame(
        [
            {
                "dataset": item.spec.title or item.name,
                "source": item.spec.source,
                "data": item.spec.data_status,
                "period": item.spec.period,
                "licence": item.spec.licence,
                "last loaded": item.loaded_at.strftime("%d %b %Y %H:%M") if item.ok else "failed",
            }
            for item in loaded
            if item.spec is not None
        ]
    )


def profile_columns(
    area_name: str, place_name: str, whole_place: bool, level: str
) -> dict[str, Any]:
    """The area profile's headings: the area's and place's names and the confidence level."""
    number = st.column_config.NumberColumn
    place = place_name if whole_place else f"{place_name} (not in your access)"
    return {
        "value": number(area_name, format="localized"),
        "lower": number(f"lower {level}", format="%.1f"),
        "upper": number(f"upper {level}", format="%.1f"),
        "place_value": number(place, format="localized"),
        "england_value": number("England", format="localized"),
        "vs_place": st.column_config.TextColumn(f"vs {place_name}"),
        "vs_england": st.column_config.TextColumn("vs England"),
        "period": st.column_config.DateColumn("period", format="D MMM YYYY"),
    }
