"""CQC API location records (JSON or JSON lines) with currentRatings and historicRatings.

Produces `care_homes` or `cqc_ratings` (option `table`), sharing the directory loader's
options, field mapping and checks (see loaders/cqc_loader.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import polars as pl

from loaders.cqc_fields import Snapshot, _flags, _snapshot_date, _typed
from loaders.cqc_loader import API_FIELDS, _CqcLoader
from loaders.errors import LoaderError
from loaders.registry import register_loader


def _api_ratings(rec: Mapping[str, Any]) -> list[tuple[str, object, object, object, int]]:
    """(location, report date, key question, rating, priority) from current (1) and historic (0) ratings."""
    out: list[tuple[str, object, object, object, int]] = []
    now = (rec.get("currentRatings") or {}).get("overall") or {}
    reports = [(now.get("reportDate"), now, 1)]
    reports += [
        (p.get("reportDate"), p.get("overall") or {}, 0) for p in rec.get("historicRatings") or []
    ]
    for day, overall, priority in reports:
        for kq in [{"name": "Overall", **overall}, *(overall.get("keyQuestionRatings") or [])]:
            when = kq.get("reportDate") or day
            out.append((str(rec["locationId"]), when, kq.get("name"), kq.get("rating"), priority))
    return out


@register_loader("cqc_api")
class CqcApiLoader(_CqcLoader):
    """CQC API location records (JSON or JSON lines) with currentRatings and historicRatings."""

    suffixes = (".json", ".jsonl", ".ndjson")

    def snapshots(self) -> list[Snapshot]:
        out = []
        for path in self.files():
            text = path.read_text(encoding="utf-8-sig")
            lines = path.suffix.lower() in (".jsonl", ".ndjson")
            items = (
                [json.loads(x) for x in text.splitlines() if x.strip()]
                if lines
                else [json.loads(text)]
            )
            records = []
            for item in items:
                item = item["locations"] if isinstance(item, dict) and "locations" in item else item
                records += [
                    r for r in (item if isinstance(item, list) else [item]) if r.get("locationId")
                ]
            if not records:
                raise LoaderError(
                    f"{path.name}: no CQC location records (objects with 'locationId')"
                )
            homes = [
                {f: None if r.get(k) is None else str(r[k]) for f, k in API_FIELDS.items()}
                | {
                    "services": " ".join(
                        str(s.get("description")) for s in r.get("gacServiceTypes") or []
                    )
                }
                for r in records
            ]
            raw = pl.DataFrame(homes, schema=dict.fromkeys([*API_FIELDS, "services"], pl.String))
            home, nursing = _flags(raw)
            typed = _typed(raw, API_FIELDS, f"{path.name} (record)", 1)
            names = ["location_id", "published", "key_question", "rating", "_priority"]
            rows = [row for r in records for row in _api_ratings(r)]
            ratings = pl.DataFrame(
                rows,
                schema=dict(zip(names, [pl.String] * 4 + [pl.Int8], strict=True)),
                orient="row",
            )
            ratings = _typed(ratings, {"published": "reportDate"}, f"{path.name} (rating)", 1)
            out.append(
                (
                    typed.with_columns(care_home=home, nursing=nursing),
                    ratings,
                    _snapshot_date(path),
                    False,
                )
            )
        return out
