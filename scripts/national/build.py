"""Write the national SYNTHETIC tables as CSV and Parquet (cached), and load them into PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from scripts.national import tables

VERSION = 1
SEED = 20_260_331
ROOT = Path(__file__).resolve().parents[2]
SETTINGS_CSV = ROOT / "sample_data" / "settings.csv"
CACHE_ENV = "PLACEWISE_NATIONAL_CACHE"
# dataset -> (contract, the column a page filters on: files are sorted by it, PostgreSQL indexes it)
DATASETS = {
    "areas": ("areas", "area_code"),
    "settings": ("settings", "setting"),
    "outcomes": ("observations", "area_code"),
    "care_homes": ("care_homes", "place_code"),
    "cqc_ratings": ("cqc_ratings", "location_id"),
    "spend": ("spend", "place_code"),
}
ROW_GROUP = 50_000


@dataclass(frozen=True)
class NationalData:
    folder: Path
    seconds: float  # time spent generating in this call (0 when served from the cache)
    rows: dict[str, int]

    def csv(self, name: str) -> Path:
        return self.folder / "csv" / f"{name}.csv"

    def parquet(self, name: str) -> Path:
        return self.folder / "parquet" / f"{name}.parquet"

    @property
    def parquet_catalog(self) -> Path:
        return self.folder / "parquet" / "catalog.toml"


def cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(tempfile.gettempdir()) / "placewise-national"


def ensure(root: Path | None = None) -> NationalData:
    """The generated files, built once per VERSION (a `done.json` marks a complete build)."""
    folder = (root or cache_root()) / f"v{VERSION}"
    done = folder / "done.json"
    if done.exists():
        return NationalData(folder, 0.0, json.loads(done.read_text())["rows"])
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    frames = generate()
    for sub in ("csv", "parquet"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_csv(folder / "csv" / f"{name}.csv")
        frame.write_parquet(folder / "parquet" / f"{name}.parquet", row_group_size=ROW_GROUP)
    write_catalog(
        folder / "parquet" / "catalog.toml", {n: ("parquet", f"{n}.parquet") for n in frames}
    )
    rows = {name: frame.height for name, frame in frames.items()}
    done.write_text(json.dumps({"version": VERSION, "rows": rows}))
    return NationalData(folder, time.perf_counter() - started, rows)


def generate() -> dict[str, pl.DataFrame]:
    """Every table, each sorted by the column its pages filter on."""
    rng = np.random.default_rng(SEED)
    areas, lookup = tables.geography(rng)
    settings = pl.read_csv(SETTINGS_CSV)
    homes, ratings = tables.care_homes(rng, lookup)
    frames = {
        "areas": areas,
        "settings": settings,
        "outcomes": tables.observations(rng, lookup),
        "care_homes": homes,
        "cqc_ratings": ratings,
        "spend": tables.spend(rng, areas, settings),
    }
    return {
        name: frame.sort(DATASETS[name][1], maintain_order=True) for name, frame in frames.items()
    }


def write_catalog(path: Path, entries: dict[str, tuple[str, str]], *, uri_env: str = "") -> Path:
    """A catalog over the national data: entries map dataset -> (loader, path or table)."""
    lines = ["[catalog]", 'title = "Placewise national SYNTHETIC benchmark data"']
    for name, (loader, where) in entries.items():
        lines += [
            "",
            f"[datasets.{name}]",
            f'loader = "{loader}"',
            f'contract = "{DATASETS[name][0]}"',
            "synthetic = true",
        ]
        if loader == "sql":
            lines += [
                f"[datasets.{name}.options]",
                f'uri = {{ env = "{uri_env}" }}',
                f'table = "{where}"',
            ]
            lines.append("row_limit = 10000000")
        else:
            lines.append(f'path = "{where}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_postgres(data: NationalData, uri: str, schema: str, catalog: Path, uri_env: str) -> float:
    """Copy every table into `schema` (ADBC bulk ingest: COPY under the hood), index the
    filter columns, ANALYZE; returns seconds taken. Writes a sql catalog at `catalog`."""
    import adbc_driver_postgresql.dbapi as pg

    started = time.perf_counter()
    with pg.connect(uri) as conn:
        with conn.cursor() as cursor:
            for name, (_, key) in DATASETS.items():
                table = pl.read_parquet(data.parquet(name)).to_arrow()
                cursor.adbc_ingest(name, table, mode="create", db_schema_name=schema)
                cursor.execute(f'CREATE INDEX ON "{schema}"."{name}" ("{key}")')
        conn.commit()
    with pg.connect(uri, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("ANALYZE")
    write_catalog(catalog, {n: ("sql", f"{schema}.{n}") for n in DATASETS}, uri_env=uri_env)
    return time.perf_counter() - started
