"""Property: no combination of the published columns gives back a count of 1 to 7.

For generated tables of small-area counts, every table Placewise publishes below place level
(the Data page's whole-dataset CSV, the Neighbourhoods tables and CSVs, the Outcomes rows and
CSVs) is attacked the way a determined reader would: for each row, every pair of counts within
±2 of the rounded numerator and denominator is tried, and the pairs whose exact figures (value,
lower and upper limits) match the published ones are kept. The attack succeeds if that leaves
exactly the true pair and it is not simply the rounded one: then rounding protected nothing.
A count (or, for a proportion, the people not counted) of 1 to 7 must never be published.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import outcomes as om
from metrics import population as pop
from metrics.disclosure import protect_observations
from metrics.rates import byar_ci, wilson_ci
from metrics.suppression import BASE, HIGH, LOW

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MULTIPLIER = {"proportion": 100.0, "rate": 100_000.0, "count": 1.0}
CLUSTERS = ("C1", "C2", "C3")
LSOAS = {c: (f"{c}a", f"{c}b") for c in CLUSTERS}
AREAS = pl.DataFrame(
    {
        "area_code": ["P", *CLUSTERS, *(lsoa for pair in LSOAS.values() for lsoa in pair)],
        "area_name": ["Place", "One", "Two", "Three", "1a", "1b", "2a", "2b", "3a", "3b"],
        "area_type": ["place"] + ["cluster"] * 3 + ["lsoa"] * 6,
        "parent_code": [None, "P", "P", "P", "C1", "C1", "C2", "C2", "C3", "C3"],
        "vintage": ["test"] * 10,
    }
)

# a count small enough to matter, or a larger one; a proportion's complement likewise
small_or_not = st.one_of(st.integers(0, 9), st.integers(10, 400))


@st.composite
def counts(draw, value_type: str, sizes=small_or_not) -> tuple[float, float | None]:
    numerator = draw(sizes)
    if value_type == "proportion":
        return float(numerator), float(numerator + draw(sizes))
    if value_type == "rate":
        return float(numerator), float(draw(st.integers(1, 30_000)))
    return float(numerator), None


def exact(value_type: str, n: float, d: float | None, confidence: float = 0.95):
    """(value, lower, upper) as they would be worked out from the exact counts."""
    if value_type == "count":
        return n, None, None
    if not d:
        return None, None, None
    if value_type == "proportion":
        p, lo, hi = wilson_ci(n, d, confidence)
        return p * 100, lo * 100, hi * 100
    return byar_ci(n, d, confidence, multiplier=MULTIPLIER["rate"])


def _close(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def recovered(value_type: str, row: dict, truth: tuple[float, float | None]) -> str | None:
    """Why this published row gives the true counts back, or None."""
    n, d = truth
    small = LOW <= n <= HIGH or (value_type == "proportion" and LOW <= d - n <= HIGH)
    if row.get("numerator") is None:
        shown = [row.get(c) for c in ("value", "lower", "upper") if c in row]
        return (
            f"withheld count {truth} still has figures {shown}"
            if any(v is not None for v in shown)
            else None
        )
    if small:
        return f"counts {truth} are small but published as {row['numerator']}, {row.get('denominator')}"
    nr, dr = row["numerator"], row.get("denominator")
    published = (row.get("value"), row.get("lower"), row.get("upper"))
    matches = []
    for n2 in range(int(nr) - 2, int(nr) + 3):
        for d2 in [None] if dr is None else range(int(dr) - 2, int(dr) + 3):
            if n2 < 0 or (d2 is not None and d2 < n2 and value_type == "proportion"):
                continue
            figures = exact(value_type, n2, d2)
            if all(
                _close(p, f)
                for p, f, c in zip(published, figures, ("value", "lower", "upper"), strict=True)
                if c in row
            ):
                matches.append((n2, d2))
    if matches == [(int(n), None if d is None else int(d))] and (n, d) != (nr, dr):
        return f"the figures {published} single out the exact counts {truth}"
    return None


@st.composite
def lsoa_table(draw):
    value_type = draw(st.sampled_from(["proportion", "rate", "count"]))
    rows = {lsoa: draw(counts(value_type)) for pair in LSOAS.values() for lsoa in pair}
    return value_type, rows


def _indicators(value_type: str, frequency: str = "annual") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_id": ["x"],
            "name": ["Measure"],
            "unit": ["unit"],
            "polarity": ["higher_is_better"],
            "value_type": [value_type],
            "multiplier": [MULTIPLIER[value_type]],
            "source": ["generated"],
            "frequency": [frequency],
            "disclosure_control": [True],
        }
    )


def _observations(value_type: str, rows: dict, day: date = date(2024, 4, 1)) -> pl.DataFrame:
    mult = MULTIPLIER[value_type]
    return pl.DataFrame(
        {
            "indicator_id": "x",
            "area_code": list(rows),
            "period_start": day,
            "period_end": day,
            "numerator": [n for n, _ in rows.values()],
            "denominator": [d for _, d in rows.values()],
            "value": [n if d is None else (n / d * mult if d else None) for n, d in rows.values()],
        },
        schema_overrides={"denominator": pl.Float64},
    )


def _sum_to_clusters(rows: dict) -> dict:
    out = {}
    for cluster, pair in LSOAS.items():
        n = sum(rows[x][0] for x in pair)
        dens = [rows[x][1] for x in pair]
        out[cluster] = (n, None if dens[0] is None else sum(dens))
    return out


def _attack(value_type: str, published: pl.DataFrame, truth: dict) -> list[str]:
    found = []
    for row in published.iter_rows(named=True):
        if row["area_code"] in truth and (
            why := recovered(value_type, row, truth[row["area_code"]])
        ):
            found.append(f"{row['area_code']}: {why}")
    return found


@PROPERTY
@given(lsoa_table())
def test_the_data_page_download_gives_no_small_count_back(table):
    value_type, rows = table
    truth = rows | _sum_to_clusters(rows)
    frame = _observations(value_type, truth)
    published = protect_observations(frame, AREAS, _indicators(value_type))
    assert _attack(value_type, published, truth) == []


@PROPERTY
@given(lsoa_table(), st.sampled_from([0.95, 0.998]))
def test_the_neighbourhoods_tables_give_no_small_count_back(table, confidence):
    value_type, rows = table
    observations = _observations(value_type, rows)
    measure = pop.measures(_indicators(value_type), observations)[0]
    values = pop.measure_values(observations, AREAS, measure)
    truth = rows | _sum_to_clusters(rows)
    for level in ("lsoa", "cluster"):
        published = pop.compare_areas(
            values, AREAS, measure, level=level, place_code="P", confidence=confidence
        ).drop("place_value", "england_value")
        # the limits depend on the confidence level: attack with the level the page used
        found = [
            f"{row['area_code']}: {why}"
            for row in published.iter_rows(named=True)
            if (why := _recovered_at(value_type, row, truth[row["area_code"]], confidence))
        ]
        assert found == [], level


def _recovered_at(value_type, row, truth, confidence):
    if confidence == 0.95:
        return recovered(value_type, row, truth)
    return recovered(
        value_type, {k: v for k, v in row.items() if k not in ("lower", "upper")}, truth
    )


@st.composite
def monthly_series(draw):
    value_type = draw(st.sampled_from(["proportion", "rate", "count"]))
    months = [date(2023 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(14)]
    # a series with one small month is withheld whole, so each cluster's series varies around
    # a level drawn for it, small or not
    rows = {}
    for cluster in CLUSTERS:
        level = draw(st.one_of(st.integers(10, 400), st.integers(0, 9)))
        rest = draw(st.one_of(st.integers(10, 400), st.integers(0, 9)))
        size = draw(st.integers(200, 30_000))
        for month in months:
            n = max(0, level + draw(st.integers(-3, 3)))
            d = n + max(0, rest + draw(st.integers(-2, 2))) if value_type == "proportion" else size
            rows[(cluster, month)] = (float(n), None if value_type == "count" else float(d))
    return value_type, rows


@PROPERTY
@given(monthly_series())
def test_the_outcome_rows_give_no_small_count_back(series):
    value_type, rows = series
    frames = [
        _observations(value_type, {cluster: counts_}, day=month)
        for (cluster, month), counts_ in rows.items()
    ]
    observations = pl.concat(frames).with_columns(period_end=pl.col("period_start").dt.month_end())
    analysis = om.analyse_place(
        observations, _indicators(value_type, "monthly"), None, AREAS, place_code="P"
    )
    results = [r for a in analysis.areas if (r := analysis.result("x", a.code)) and r.ok]
    published = om.table_rows_many(results)
    names = dict(AREAS.select("area_name", "area_code").iter_rows())
    for row in published.iter_rows(named=True):
        code = names[row["area"]]
        if code == "P":
            continue  # the place's series is a published total
        truth = rows[(code, row["month"])]
        assert recovered(value_type, {"numerator": row["numerator"],
                                      "denominator": row["denominator"],
                                      "value": row["value"]}, truth) is None, (code, row)  # fmt: skip
        if row["numerator"] is not None:
            assert row["numerator"] % BASE == 0
