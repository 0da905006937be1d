"""`python -m loaders.check [catalog.toml]`: load and validate every dataset of a catalog without
starting the app, and print what a council's analyst needs to fix their files.

For each dataset: its rows, the period and areas it covers, what each catalog transform did
(loaders.transforms), and every problem with its file, line, column and value (unmapped codes
among them). Exit status: 0 when every dataset loads, 1 when any does not, 2 when the catalog
itself cannot be read. `make check CATALOG=path/to/catalog.toml` runs it; the Data page shows
the same report.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loaders.catalog import Catalog, catalog_path, load_catalog
from loaders.coverage import areas_covered, period_covered
from loaders.errors import CatalogError, DataError
from loaders.funnel import load_dataset_with_report

OK, FAILED, BAD_CATALOG = 0, 1, 2


@dataclass(frozen=True)
class DatasetCheck:
    """One dataset checked: what loaded and what the transforms did, or the problem."""

    name: str
    contract: str
    loader: str
    file: str
    rows: int = 0
    period: str = ""
    areas: str = ""
    seconds: float = 0.0
    steps: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class CheckReport:
    catalog: Catalog
    datasets: tuple[DatasetCheck, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> list[DatasetCheck]:
        return [d for d in self.datasets if not d.ok]


def check_dataset(catalog: Catalog, name: str) -> DatasetCheck:
    spec = catalog.datasets[name]
    base = DatasetCheck(name, spec.contract, spec.loader, str(spec.path or ""))
    started = time.perf_counter()
    try:
        frame, report = load_dataset_with_report(name, catalog)
    except DataError as exc:
        return DatasetCheck(**{**base.__dict__, "problem": str(exc),
                               "seconds": time.perf_counter() - started})  # fmt: skip
    return DatasetCheck(
        name, spec.contract, spec.loader, base.file, rows=report.rows,
        period=period_covered(frame, spec.contract), areas=areas_covered(frame),
        seconds=report.seconds, steps=report.steps,
    )  # fmt: skip


def check_catalog(catalog: Catalog, names: Sequence[str] | None = None) -> CheckReport:
    """Every dataset (or those named) loaded and validated, in catalog order."""
    chosen = list(names) if names else list(catalog.datasets)
    return CheckReport(catalog, tuple(check_dataset(catalog, n) for n in chosen))


def report_lines(report: CheckReport) -> list[str]:
    lines = [f"Catalog {report.catalog.path}: {len(report.datasets)} dataset(s)", ""]
    for d in report.datasets:
        where = f"{d.contract}, {d.loader}" + (f", {Path(d.file).name}" if d.file else "")
        if d.ok:
            covered = "; ".join(p for p in (d.period, d.areas) if p)
            lines.append(
                f"OK     {d.name} ({where}): {d.rows:,} rows" + (f"; {covered}" if covered else "")
            )
        else:
            lines.append(f"FAILED {d.name} ({where})")
        lines.extend(f"         transform  {step}" for step in d.steps)
        if d.problem:
            lines.extend(f"         {line}" for line in d.problem.splitlines())
    failed = report.failed
    lines += ["", f"{len(report.datasets) - len(failed)} loaded, {len(failed)} failed"
              + (": " + ", ".join(d.name for d in failed) if failed else ".")]  # fmt: skip
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loaders.check",
        description="Load and validate every dataset of a Placewise catalog and report problems.",
    )
    parser.add_argument("catalog", nargs="?", help="the catalog TOML (default: $PLACEWISE_CATALOG "
                        "or the sample data)")  # fmt: skip
    parser.add_argument("--dataset", action="append", help="check only this dataset (repeatable)")
    args = parser.parse_args(argv)
    path = catalog_path(args.catalog)
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_CATALOG
    unknown = [n for n in args.dataset or () if n not in catalog.datasets]
    if unknown:
        print(f"The catalog {path} has no dataset {', '.join(map(repr, unknown))} "
              f"(known: {', '.join(catalog.datasets)})", file=sys.stderr)  # fmt: skip
        return BAD_CATALOG
    report = check_catalog(catalog, args.dataset)
    print("\n".join(report_lines(report)))
    return FAILED if report.failed else OK


if __name__ == "__main__":
    raise SystemExit(main())
