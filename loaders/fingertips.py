"""OHID Fingertips' standard CSV export as `observations` or `indicators`.

The file is the CSV that Fingertips' site ("Export data") and its API (`all_data/csv/...`)
produce: one row per indicator, area, sex, age, category and time period, with the columns
Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type, Sex,
Age, Category Type, Category, Time period, Value, Lower/Upper CI 95.0 limit, Lower/Upper CI 99.8
limit, Count, Denominator, Value note, Recent Trend, Compared to England value or percentiles,
..., Time period Sortable (headers matched in any case; extra columns are ignored). The loader
reads a file: the live API cannot be reached from where Placewise runs, so download the export
and name it in the catalog.

Options:
- `table`: "observations" (default) or "indicators";
- `indicator_ids`: the Fingertips indicator ids to keep (default: every indicator in the file);
- `area_types`: the file's Area Type values to keep (e.g. ["Counties & UAs (from Apr 2023)",
  "England"]; default: all);
- `sex`: a Sex value or a list of them (default: "Persons" where an indicator has it, else its
  only sex); `age`: an Age value or a list (default: an indicator's only age);
- `indicators` (for `table = "indicators"`): a table per indicator id with what the export does
  not say: `unit`, `polarity` and `value_type` (required), `multiplier` (required for rates;
  100 for proportions and 1 otherwise by default), and optionally `frequency` (default from the
  periods: quarterly, monthly or annual), `definition`, `numerator_definition`,
  `denominator_definition`, `source`, `name`, `disclosure_control` (default false: Fingertips
  figures are published).

Rows broken down by a category (a Category Type such as deprivation decile) are left out: a row
is the whole area's figure. Each kept row must be the only one for its indicator, area and
period; the export repeats some rows (England once per parent) and an identical repeat is kept
once, while rows that differ (two sexes, two ages) name their lines and the option to choose with.
Time periods are read as calendar years (2019), financial years (2019/20), ranges of either
(2017 - 19, 2016/17 - 18/19), quarters (2020/21 Q1 of a financial year, 2020 Q1 of a calendar
year) and months (April 2020). `Count` becomes the numerator and `Denominator` the denominator;
`Value` is Fingertips' own figure (which may be standardised) with its published limits kept in
lower_95, upper_95, lower_998 and upper_998.
"""

from __future__ import annotations

import calendar
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

import polars as pl

from loaders.base import FileLoader, OptionTypes
from loaders.contracts import FREQUENCIES, POLARITIES, VALUE_TYPES
from loaders.errors import LoaderError
from loaders.registry import register_loader

TABLES = ("observations", "indicators")
MAX_SHOWN = 5
MAX_SPAN = 10  # years in a range such as "2017 - 19"; "2019 - 18" is not read as 2019 to 2118

#: our name -> Fingertips' header
HEADERS = {
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator Name",
    "area_code": "Area Code",
    "area_name": "Area Name",
    "area_type": "Area Type",
    "sex": "Sex",
    "age": "Age",
    "category_type": "Category Type",
    "period": "Time period",
    "value": "Value",
    "lower_95": "Lower CI 95.0 limit",
    "upper_95": "Upper CI 95.0 limit",
    "lower_998": "Lower CI 99.8 limit",
    "upper_998": "Upper CI 99.8 limit",
    "count": "Count",
    "denominator": "Denominator",
    "value_note": "Value note",
}
REQUIRED = (
    "indicator_id",
    "indicator_name",
    "area_code",
    "area_type",
    "sex",
    "age",
    "period",
    "value",
)
NUMBERS = ("value", "lower_95", "upper_95", "lower_998", "upper_998", "count", "denominator")
PERIOD_FORMS = (
    "a year (2019), a financial year (2019/20), a range of them (2017 - 19, 2016/17 - 18/19), "
    "a quarter (2020/21 Q1, 2020 Q1) or a month (April 2020)"
)
META_KEYS = (
    "unit",
    "polarity",
    "value_type",
    "multiplier",
    "frequency",
    "definition",
    "numerator_definition",
    "denominator_definition",
    "source",
    "name",
    "disclosure_control",
)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}


def _key(header: str) -> str:
    return " ".join(header.split()).lower()


def _full_year(start: int, two_or_four: str) -> int:
    """The end year of a range written '2017 - 19' or '2017 - 2019'."""
    if len(two_or_four) == 4:
        return int(two_or_four)
    year = start - start % 100 + int(two_or_four)
    return year + 100 if year < start else year


def _fy_ok(start: int, short: str) -> bool:
    return int(short) == (start + 1) % 100


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(label: str) -> tuple[date, date, str] | None:
    """(first day, last day, frequency) of a Fingertips time period label, or None."""
    text = " ".join(label.split())
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31), "annual"
    if (m := re.fullmatch(r"(\d{4})/(\d{2})", text)) and _fy_ok(int(m[1]), m[2]):
        y = int(m[1])
        return date(y, 4, 1), date(y + 1, 3, 31), "annual"
    if m := re.fullmatch(r"(\d{4}) ?- ?(\d{2}|\d{4})", text):
        y, end = int(m[1]), _full_year(int(m[1]), m[2])
        return (date(y, 1, 1), date(end, 12, 31), "annual") if y < end <= y + MAX_SPAN else None
    if m := re.fullmatch(r"(\d{4})/(\d{2}) ?- ?(\d{2}|\d{4})/(\d{2})", text):
        y = int(m[1])
        last = _full_year(y, m[3][-2:] if len(m[3]) == 2 else m[3])
        if _fy_ok(y, m[2]) and _fy_ok(last, m[4]) and y < last <= y + MAX_SPAN:
            return date(y, 4, 1), date(last + 1, 3, 31), "annual"
        return None
    if (m := re.fullmatch(r"(\d{4})/(\d{2}) ?Q([1-4])", text)) and _fy_ok(int(m[1]), m[2]):
        y, q = int(m[1]), int(m[3])
        first_month = 4 + 3 * (q - 1)  # Q1 April-June ... Q4 January-March of the next year
        year = y if first_month <= 12 else y + 1
        first_month = (first_month - 1) % 12 + 1
        return date(year, first_month, 1), _month_end(year, first_month + 2), "quarterly"
    if m := re.fullmatch(r"(\d{4}) ?Q([1-4])", text):
        y, q = int(m[1]), int(m[2])
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarterly"
    if (m := re.fullmatch(r"([A-Za-z]+) (\d{4})", text)) and m[1].lower() in MONTHS:
        y, month = int(m[2]), MONTHS[m[1].lower()]
        return date(y, month, 1), _month_end(y, month), "monthly"
    return None


def _listed(values: Sequence[object]) -> str:
    return ", ".join(repr(v) for v in values)


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=2, cutoff=0.6)
    if close:
        return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    return ""


def _as_list(value: object) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in items]


@register_loader("fingertips")
class FingertipsLoader(FileLoader):
    """Fingertips' standard CSV export (site or API) as `observations` or `indicators`."""

    options: ClassVar[OptionTypes] = {
        "table": str,
        "indicator_ids": list,
        "area_types": list,
        "sex": (str, list),
        "age": (str, list),
        "indicators": dict,
        "encoding": str,
    }
    suffixes = (".csv",)
    header_lines: int = 1
    _lines: list[int] | None = None
    _found: dict[str, str] = {}  # noqa: RUF012 (set per instance by _read: our name -> header)

    def line_of(self, row: int) -> int | None:
        """The file line (1-based) of output row `row`: rows are selected, so they move."""
        lines = self._lines or []
        return lines[row] if 0 <= row < len(lines) else None

    # -- reading --------------------------------------------------------------------------------
    def _read(self) -> pl.DataFrame:
        """Every column as text under our names, with `_line` (the file line of each row)."""
        data = self.path.read_bytes()
        try:
            text = data.decode(self.opts.get("encoding", "utf-8-sig"))
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        if not text.strip():
            raise LoaderError(
                f"file {self.path.name} is empty: expected Fingertips' CSV export, whose first "
                f"line names the columns ({', '.join(HEADERS[c] for c in REQUIRED)}, ...)"
            )
        raw = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
        by_key = {_key(c): c for c in raw.columns}
        found = {ours: by_key[_key(h)] for ours, h in HEADERS.items() if _key(h) in by_key}
        missing = [c for c in REQUIRED if c not in found]
        if missing:
            hints = []
            for c in missing:
                close = difflib.get_close_matches(HEADERS[c], raw.columns, n=1, cutoff=0.6)
                hints.append(
                    f"'{HEADERS[c]}'" + (f" (closest in file: '{close[0]}')" if close else "")
                )
            raise LoaderError(
                f"file {self.path.name} is not a Fingertips export: missing required column(s) "
                + ", ".join(hints)
                + ". Columns in the file: "
                + ", ".join(f"'{c}'" for c in raw.columns[:30])
            )
        frame = raw.select(
            [pl.col(src).str.strip_chars().alias(ours) for ours, src in found.items()]
        ).with_columns(
            [pl.lit(None, pl.String).alias(c) for c in HEADERS if c not in found],
            _line=pl.int_range(pl.len(), dtype=pl.Int64) + 2,
        )
        self._found = found
        return frame.with_columns(
            [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in HEADERS]
        )

    def _bad_values(self, column: str, bad: pl.DataFrame, expected: str) -> str:
        shown = "; ".join(
            f"row {line - 1} (line {line}): {value!r}"
            for value, line in bad.head(MAX_SHOWN).select(column, "_line").iter_rows()
        )
        more = f" (and {bad.height - MAX_SHOWN} more)" if bad.height > MAX_SHOWN else ""
        return (
            f"file {self.path.name}: column '{self._found.get(column, HEADERS[column])}': "
            f"expected {expected}, {bad.height} value(s) could not be read: {shown}{more}"
        )

    # -- selection ------------------------------------------------------------------------------
    def _choose(
        self, frame: pl.DataFrame, column: str, wanted: list[str], option: str
    ) -> pl.DataFrame:
        """Rows whose `column` is one of `wanted` (any case); an unknown value is named."""
        present = sorted({v for v in frame[column].to_list() if v is not None})
        lower = {v.lower() for v in present}
        unknown = [w for w in wanted if w.lower() not in lower]
        if unknown:
            raise LoaderError(
                f"file {self.path.name}: option '{option}': "
                + "; ".join(
                    f"no row has {HEADERS[column]} {u!r}{_did_you_mean(u, present)}"
                    for u in unknown
                )
                + f". {HEADERS[column]} values in the file: {_listed(present[:30])}"
            )
        keep = [w.lower() for w in wanted]
        return frame.filter(pl.col(column).str.to_lowercase().is_in(keep))

    def _default_one(
        self, frame: pl.DataFrame, column: str, option: str, prefer: str | None
    ) -> pl.DataFrame:
        """Per indicator: its only value of `column`, or `prefer` when it has it; else an error."""
        choices = frame.group_by("indicator_id", maintain_order=True).agg(
            pl.col(column).drop_nulls().unique(maintain_order=True).alias("values")
        )
        keep: dict[str, str | None] = {}
        several = []
        for indicator, values in choices.iter_rows():
            if len(values) <= 1:
                keep[indicator] = values[0] if values else None
            elif prefer is not None and prefer in values:
                keep[indicator] = prefer
            else:
                several.append(f"indicator {indicator} has {_listed(values)}")
        if several:
            raise LoaderError(
                f"file {self.path.name}: column '{HEADERS[column]}': more than one value for an "
                f"indicator: {'; '.join(several)}. Choose with the option '{option}' "
                f'(e.g. {option} = "{choices["values"][0][0]}")'
            )
        return frame.filter(
            pl.col(column).eq_missing(
                pl.col("indicator_id").replace_strict(keep, default=None, return_dtype=pl.String)
            )
        )

    def _select(self, frame: pl.DataFrame) -> pl.DataFrame:
        ids = self.opts.get("indicator_ids")
        if ids is not None:
            frame = self._choose(frame, "indicator_id", _as_list(ids), "indicator_ids")
        if "area_types" in self.opts:
            frame = self._choose(
                frame, "area_type", _as_list(self.opts["area_types"]), "area_types"
            )
        frame = frame.filter(pl.col("category_type").is_null())
        for column in ("sex", "age"):
            if column in self.opts:
                frame = self._choose(frame, column, _as_list(self.opts[column]), column)
            else:
                frame = self._default_one(
                    frame, column, column, "Persons" if column == "sex" else None
                )
        return frame

    # -- typing ---------------------------------------------------------------------------------
    def _periods(self, frame: pl.DataFrame) -> pl.DataFrame:
        labels = {v: parse_period(v) for v in frame["period"].unique().drop_nulls().to_list()}
        bad = frame.filter(
            pl.col("period").is_null()
            | pl.col("period").replace_strict(
                {k: v is None for k, v in labels.items()}, default=True, return_dtype=pl.Boolean
            )
        )
        if bad.height:
            raise LoaderError(self._bad_values("period", bad, PERIOD_FORMS))
        starts = {k: v[0] for k, v in labels.items() if v}
        ends = {k: v[1] for k, v in labels.items() if v}
        kinds = {k: v[2] for k, v in labels.items() if v}
        return frame.with_columns(
            period_start=pl.col("period").replace_strict(starts, return_dtype=pl.Date),
            period_end=pl.col("period").replace_strict(ends, return_dtype=pl.Date),
            _frequency=pl.col("period").replace_strict(kinds, return_dtype=pl.String),
        )

    def _numbers(self, frame: pl.DataFrame) -> pl.DataFrame:
        problems = []
        for column in NUMBERS:
            as_number = pl.col(column).str.replace_all(",", "").cast(pl.Float64, strict=False)
            bad = frame.filter(
                pl.col(column).is_not_null() & ~as_number.is_finite().fill_null(False)
            )
            if bad.height:
                problems.append(self._bad_values(column, bad, "a number"))
            frame = frame.with_columns(as_number.alias(column))
        if problems:
            raise LoaderError("; ".join(problems))
        return frame

    def _one_per_key(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One row per indicator, area and period: identical repeats kept once, others named."""
        key = ["indicator_id", "area_code", "period_start"]
        same = [*key, "period_end", "value", "count", "denominator"]
        frame = frame.unique(same, keep="first", maintain_order=True)
        clashes = frame.filter(pl.len().over(key) > 1)
        if clashes.height:
            groups = clashes.group_by(key, maintain_order=True).agg(
                pl.col("_line", "sex", "age", "period", "value")
            )
            shown = []
            for ind, area, _, lines, sexes, ages, periods, values in groups.head(
                MAX_SHOWN
            ).iter_rows():
                rows = ", ".join(
                    f"line {ln} ({s}, {a}, {p!r}: {v})"
                    for ln, s, a, p, v in zip(lines, sexes, ages, periods, values, strict=True)
                )
                shown.append(f"indicator {ind}, area {area}: {rows}")
            more = f" (and {groups.height - MAX_SHOWN} more)" if groups.height > MAX_SHOWN else ""
            raise LoaderError(
                f"file {self.path.name}: {groups.height} indicator, area and period(s) have more "
                f"than one row with different figures: {'; '.join(shown)}{more}. Keep one with "
                "the options 'sex', 'age', 'area_types' or 'indicator_ids'"
            )
        return frame

    # -- output ---------------------------------------------------------------------------------
    def load(self) -> pl.DataFrame:
        table = self.opts.get("table", "observations")
        if table not in TABLES:
            raise LoaderError(f"option 'table' must be one of {', '.join(TABLES)}, got {table!r}")
        frame = self._select(self._read())
        frame = self._one_per_key(self._numbers(self._periods(frame)))
        if table == "indicators":
            return self._indicators(frame)
        frame = frame.sort("_line")
        self._lines = frame["_line"].to_list()
        return frame.select(
            "indicator_id",
            "area_code",
            "period_start",
            "period_end",
            numerator="count",
            denominator="denominator",
            value="value",
            synthetic=pl.lit(False),
            period="period",
            area_name="area_name",
            area_type="area_type",
            sex="sex",
            age="age",
            lower_95="lower_95",
            upper_95="upper_95",
            lower_998="lower_998",
            upper_998="upper_998",
            value_note="value_note",
        )

    def _indicators(self, frame: pl.DataFrame) -> pl.DataFrame:
        meta = self.opts.get("indicators") or {}
        if not isinstance(meta, Mapping):
            raise LoaderError("option 'indicators' must be a table of tables, one per indicator id")
        meta = {str(k).strip(): v for k, v in meta.items()}
        firsts = (
            frame.sort("_line")
            .group_by("indicator_id", maintain_order=True)
            .agg(
                pl.col("indicator_name").first(),
                pl.col("_line").first(),
                pl.col("_frequency").unique().alias("frequencies"),
            )
        )
        rows: list[dict[str, Any]] = []
        problems: list[str] = []
        for indicator, name, line, frequencies in firsts.iter_rows():
            entry = meta.get(indicator)
            where = f"option 'indicators.{indicator}'"
            if not isinstance(entry, Mapping):
                problems.append(
                    f"indicator {indicator} ({name!r}, first on line {line}) has no {where}: "
                    f"add [datasets.NAME.options.indicators.{indicator}] with unit, polarity "
                    f"({' / '.join(POLARITIES)}) and value_type ({' / '.join(VALUE_TYPES)})"
                )
                continue
            rows.append(self._indicator_row(indicator, name, entry, frequencies, where, problems))
        unused = sorted(set(meta) - set(firsts["indicator_id"].to_list()))
        if unused:
            problems.append(
                f"option 'indicators' describes indicator(s) {_listed(unused)} that no selected "
                f"row has (indicators in the selection: {_listed(firsts['indicator_id'].to_list())})"
            )
        if problems:
            raise LoaderError(f"file {self.path.name}: " + "; ".join(problems))
        self._lines = firsts["_line"].to_list()
        schema = {
            "indicator_id": pl.String,
            "name": pl.String,
            "unit": pl.String,
            "polarity": pl.String,
            "value_type": pl.String,
            "multiplier": pl.Float64,
            "source": pl.String,
            "definition": pl.String,
            "numerator_definition": pl.String,
            "denominator_definition": pl.String,
            "frequency": pl.String,
            "disclosure_control": pl.Boolean,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _indicator_row(
        self,
        indicator: str,
        name: str,
        entry: Mapping[str, Any],
        frequencies: list[str],
        where: str,
        problems: list[str],
    ) -> dict[str, Any]:
        for k in entry:
            if k not in META_KEYS:
                close = difflib.get_close_matches(str(k), META_KEYS, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(META_KEYS)}"
                problems.append(f"{where}: unknown key '{k}' ({hint})")
        for k in ("unit", "polarity", "value_type"):
            if not isinstance(entry.get(k), str) or not entry.get(k):
                problems.append(f"{where}: key '{k}' is missing (text)")
        for k, allowed in (("polarity", POLARITIES), ("value_type", VALUE_TYPES)):
            v = entry.get(k)
            if isinstance(v, str) and v and v not in allowed:
                problems.append(
                    f"{where}: key '{k}': expected one of {', '.join(allowed)}, got {v!r}"
                )
        value_type = entry.get("value_type")
        multiplier = entry.get("multiplier", 100 if value_type == "proportion" else None)
        if multiplier is None and value_type != "rate":
            multiplier = 1
        if (
            isinstance(multiplier, bool)
            or not isinstance(multiplier, int | float)
            or multiplier <= 0
        ):
            problems.append(
                f"{where}: key 'multiplier': expected a number above 0 (a rate's per: 100000 for "
                f"per 100,000), got {multiplier!r}"
            )
        guessed = (
            "quarterly" if frequencies == ["quarterly"] else
            "monthly" if frequencies == ["monthly"] else "annual"
        )  # fmt: skip
        frequency = entry.get("frequency", guessed)
        if frequency not in FREQUENCIES:
            problems.append(
                f"{where}: key 'frequency': expected one of {', '.join(FREQUENCIES)}, got {frequency!r}"
            )
        control = entry.get("disclosure_control", False)
        if not isinstance(control, bool):
            problems.append(
                f"{where}: key 'disclosure_control': expected true or false, got {control!r}"
            )
        return {
            "indicator_id": indicator,
            "name": str(entry.get("name", name)),
            "unit": entry.get("unit"),
            "polarity": entry.get("polarity"),
            "value_type": value_type,
            "multiplier": float(multiplier) if isinstance(multiplier, int | float) else None,
            "source": str(entry.get("source", f"OHID Fingertips, indicator {indicator}")),
            "definition": str(entry.get("definition", name)),
            "numerator_definition": entry.get("numerator_definition"),
            "denominator_definition": entry.get("denominator_definition"),
            "frequency": frequency,
            "disclosure_control": control,
        }
