"""One pandera (polars) model per canonical table: the data contracts every loader's output meets."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

AREA_TYPES = ("lsoa", "msoa", "ward", "cluster", "place", "icb", "england", "pcn", "gp_practice")
SETTING_GROUPS = (
    "acute",
    "community",
    "primary_care",
    "mental_health",
    "residential",
    "prevention",
    "other",
)
ORGANISATIONS = ("council_asc", "council_ph", "nhs", "other")
POOLS = ("pooled", "aligned", "bcf", "ibcf", "outside")
MEASURES = ("budget", "outturn")
KEY_QUESTIONS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
RATINGS = (
    "Outstanding",
    "Good",
    "Requires improvement",
    "Inadequate",
    "Inspected but not rated",
    "Insufficient evidence to rate",
    "Not yet rated",
    "No published rating",
)
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
VALUE_TYPES = ("count", "proportion", "rate", "mean")
TARGET_KINDS = ("target", "trajectory")
FREQUENCIES = ("annual", "quarterly", "monthly", "snapshot")
AGE_GROUPS = ("18-64", "65+")

_FY = r"^\d{4}/\d{2}$"
_GSS_OR_LOCAL = r"^\S+$"


class _Contract(pa.DataFrameModel):
    class Config:
        strict = False  # extra columns (e.g. `synthetic`) pass through
        coerce = False  # the funnel coerces first, with row-level messages


class Areas(_Contract):
    """Areas and their hierarchy (LSOA -> ward -> cluster -> place -> England)."""

    area_code: str = pa.Field(str_matches=_GSS_OR_LOCAL, unique=True)
    area_name: str
    area_type: str = pa.Field(isin=AREA_TYPES)
    parent_code: str = pa.Field(nullable=True)
    vintage: str


class Boundaries(_Contract):
    """Boundary attributes (geometry is checked separately: valid, EPSG:4326)."""

    area_code: str = pa.Field(unique=True)
    vintage: str


class Settings(_Contract):
    """Settings of care and the group (acute, community, ...) each belongs to."""

    setting: str = pa.Field(unique=True)
    setting_name: str
    setting_group: str = pa.Field(isin=SETTING_GROUPS)


class Spend(_Contract):
    """Spend by place, cluster, financial year, organisation, setting, pool and measure, in pounds."""

    place_code: str
    area_code: str
    financial_year: str = pa.Field(str_matches=_FY)
    year_start: dt.date
    organisation: str = pa.Field(isin=ORGANISATIONS)
    setting: str
    pool: str = pa.Field(isin=POOLS)
    measure: str = pa.Field(isin=MEASURES)
    amount_gbp: float
    synthetic: bool | None

    class Config:
        unique = [
            "place_code",
            "area_code",
            "year_start",
            "organisation",
            "setting",
            "pool",
            "measure",
        ]


class CareHomes(_Contract):
    """Care home locations registered with CQC."""

    location_id: str = pa.Field(unique=True)
    location_name: str
    provider_id: str = pa.Field(nullable=True)
    provider_name: str = pa.Field(nullable=True)
    place_code: str
    area_code: str = pa.Field(nullable=True)
    postcode: str = pa.Field(nullable=True)
    latitude: float = pa.Field(nullable=True, ge=49.0, le=61.0)
    longitude: float = pa.Field(nullable=True, ge=-8.5, le=2.0)
    beds: int = pa.Field(nullable=True, ge=0, le=1000)
    nursing: bool
    registered_from: dt.date = pa.Field(nullable=True)
    registered_to: dt.date = pa.Field(nullable=True)
    synthetic: bool | None


class CqcRatings(_Contract):
    """Every published CQC rating of a location, by key question."""

    location_id: str
    published: dt.date
    key_question: str = pa.Field(isin=KEY_QUESTIONS)
    rating: str = pa.Field(isin=RATINGS)
    synthetic: bool | None

    class Config:
        unique = ["location_id", "published", "key_question"]


class Indicators(_Contract):
    """Indicator definitions: unit, polarity, value type, source and definitions."""

    indicator_id: str = pa.Field(unique=True)
    name: str
    unit: str
    polarity: str = pa.Field(isin=POLARITIES)
    value_type: str = pa.Field(isin=VALUE_TYPES)
    multiplier: float = pa.Field(gt=0)
    source: str
    definition: str
    numerator_definition: str = pa.Field(nullable=True)
    denominator_definition: str = pa.Field(nullable=True)
    frequency: str = pa.Field(isin=FREQUENCIES)
    disclosure_control: bool


class Observations(_Contract):
    """Indicator values by area and period, with numerator and denominator where they exist."""

    indicator_id: str
    area_code: str
    period_start: dt.date
    period_end: dt.date
    numerator: float = pa.Field(nullable=True)
    denominator: float = pa.Field(nullable=True, ge=0)
    value: float = pa.Field(nullable=True)
    synthetic: bool | None

    class Config:
        unique = ["indicator_id", "area_code", "period_start"]


class Events(_Contract):
    """Dated events drawn on time axes (null area: all areas)."""

    date: dt.date
    area_code: str = pa.Field(nullable=True)
    label: str
    detail: str = pa.Field(nullable=True)


class Targets(_Contract):
    """Targets and trajectories for indicators or spend measures."""

    indicator_id: str
    area_code: str
    period_start: dt.date
    value: float
    kind: str = pa.Field(isin=TARGET_KINDS)

    class Config:
        unique = ["indicator_id", "area_code", "period_start", "kind"]


class Deflators(_Contract):
    """Price index by financial year (e.g. the ONS GDP deflator), for turning cash into real terms."""

    financial_year: str = pa.Field(str_matches=_FY, unique=True)
    year_start: dt.date = pa.Field(unique=True)
    deflator: float = pa.Field(gt=0)
    index_base: str  # what 100 means, e.g. "calendar year 2022 = 100"
    projected: bool  # true for a forecast rather than a published figure


class AscExpenditure(_Contract):
    """Adult social care gross expenditure of a council (a place) by financial year, age group
    and setting of long-term support, in pounds: a council's return (NHS Digital PSS-EX1, later
    ASC-FR). Not `spend`: the return says nothing of pooled or aligned budgets (`pool`), nor of
    clusters (`area_code`), and splits by age group; each row is the whole place's."""

    place_code: str
    financial_year: str = pa.Field(str_matches=_FY)
    year_start: dt.date
    age_group: str = pa.Field(isin=AGE_GROUPS)
    setting: str
    amount_gbp: float

    class Config:
        unique = ["place_code", "year_start", "age_group", "setting"]


CONTRACTS: dict[str, type[_Contract]] = {
    "areas": Areas,
    "boundaries": Boundaries,
    "settings": Settings,
    "spend": Spend,
    "care_homes": CareHomes,
    "cqc_ratings": CqcRatings,
    "indicators": Indicators,
    "observations": Observations,
    "events": Events,
    "targets": Targets,
    "deflators": Deflators,
    "asc_expenditure": AscExpenditure,
}


def columns(contract: str) -> dict[str, tuple[str, bool, bool]]:
    """Column name -> (polars dtype name, nullable, required) for a contract."""
    schema = CONTRACTS[contract].to_schema()
    return {
        name: (str(col.dtype), bool(col.nullable), bool(col.required))
        for name, col in schema.columns.items()
    }
