"""The Data and About pages' tables about the datasets: status, rows, period, source, licence."""

from __future__ import annotations

import polars as pl

from ui.state import Loaded


def status_table(loaded: list[Loaded]) -> pl.DataFrame:
    """One row per dataset for the Data page: status, real or synthetic, rows, period, timings."""
    from metrics.coverage import period_covered

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
                "loader": spec.loader if spec else "",
                "file": spec.path.name if spec and spec.path else "",
                "load time (ms)": round(item.seconds * 1000, 1),
                "last loaded": item.loaded_at.strftime("%d %b %Y %H:%M:%S"),
            }
        )
    return pl.DataFrame(rows, schema_overrides={"rows": pl.Int64})


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
