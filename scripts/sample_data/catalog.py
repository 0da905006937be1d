"""catalog.toml: every dataset with its loader, contract, short on-screen source and full provenance.

`source`, `title` and `period` are shown on every tile and chart caption, so they stay short; the long
provenance (repository@commit and path) goes in `description`.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from sample_data import asc_finance, councils
from sample_data.common import OGL

DEFAULT_PLACE = "E08000004"  # Oldham, the place with real CQC data, opens first
MAX_SOURCE = 90
MAX_TITLE = 60
MAX_PERIOD = 40
GEOGRAPHR = "humaniverse/geographr@c026be5cc76cb576358082b53f1f13d69ab577ae"
TRAFFORD_SPATIAL = "traffordDataLab/spatial_data@7fa4f03c29745aa4ca0f17f30e0dd1b31563202c"
DEMOGRAPHR = "humaniverse/demographr@d0417101e5cad5fe1eca059ac60859e9157a29d2"
IMD = "humaniverse/IMD@2f6c9050afee99a40041eb63b02b6b0c58850704"
CQC_OLDHAM = "oldham-cqc-etl-python@07e6c833f7e4cf64911e34a73b91b78b2fbdc142"
GM_HOMES = "traffordDataLab/open_data@b29d136d8d51c1dbc03317f00715a6d3aab5c070"
WP = ("nhsengland/AIF_Allocation_Tool@a988526ae0795129982fed23acb05b50a1b57c36 (2022/23); "
      "nhsengland/ICB_Allocation_Tool_update@b0f8c575d7287f3df00f303669be4426777f9f70 (2023/24, 2024/25) "
      "and @32182a7829f95043ce9c4d35664e03d8449d6794 (2025/26)")  # fmt: skip
PRACTICES = "southwest-analytics/practice_pcn_catchment@78e09fac0c8d481c1f6c72ed0b9c8324b8854e57"
DEFRA_UTILS = (
    "Defra-Data-Science-Centre-of-Excellence/DefraUtils@8a30bcaba1b40964a4225fc1cfb2746187728610"
)
MIT = "MIT (Placewise synthetic data)"


_DESCRIPTIONS = (
    '["Support type", "Age category", "Summary", "Delivery mechanism", "Accounting category"]'
)
_COUNCILS = ", ".join(f'"{k}" = "{v}"' for k, v in asc_finance.COUNCILS.items())
_SETTINGS = "\n".join(f'"{k}" = "{v}"' for k, v in asc_finance.SETTINGS.items())
# The PSS-EX1 file read as published, by catalog alone (see README: Bring your own data)
ASC_EXTRA = f"""\
encoding = "latin-1"
skip_rows = 1
[datasets.asc_expenditure.rename]
"Age category" = "age_group"
"Delivery mechanism" = "setting"
council = "place_code"
[datasets.asc_expenditure.transform]
skip = [{{ column = "Delivery mechanism", pattern = "^Total$" }}]
unpivot = {{ index = {_DESCRIPTIONS}, columns = '^\\d{{3}} - ', name = "council", value = "amount_gbp" }}
keep = [
  {{ column = "Support type", values = ["Long term"] }},
  {{ column = "Summary", values = ["Total"] }},
  {{ column = "Accounting category", values = ["Gross total expenditure"] }},
]
constants = {{ financial_year = "2014-15" }}
units = {{ amount_gbp = "thousands" }}
[datasets.asc_expenditure.transform.recode]
place_code = {{ {_COUNCILS} }}
age_group = {{ "Age 18 to 64" = "18-64", "Age 65 and over" = "65+" }}
[datasets.asc_expenditure.transform.recode.setting]
{_SETTINGS}
"""


class Dataset(NamedTuple):
    name: str
    loader: str
    contract: str
    path: str
    title: str
    source: str  # short, shown on screen
    description: str  # full provenance
    licence: str
    synthetic: bool | str
    period: str
    extra: str = ""  # TOML lines after the options header: options, then rename and transform


# fmt: off
DATASETS = [
    Dataset("areas", "parquet", "areas", "areas.parquet", "Areas and hierarchy",
            "ONS LSOA-ward lookup; NHS practice-PCN lookup Apr 2024; clusters illustrative",
            f"ONS LSOA 2021 to ward 2024 best-fit lookup ({GEOGRAPHR} data/lookup_lsoa21_ward24_ltla24.rda). "
            "Clusters are Placewise groups of wards, illustrative, not official boundaries. GP practices and "
            f"PCNs: NHS April 2024 practice to PCN lookup ({PRACTICES} output/lookup.csv), open practices whose "
            "LSOA 2021 is in the four places; names of people replaced by 'GP practice <code>'.",
            OGL, False, "LSOA 2021, ward/PCN 2024, clusters 2026"),
    Dataset("boundaries", "geo", "boundaries", "boundaries.geojson", "LSOA 2021 boundaries",
            "ONS LSOA 2021 boundaries (super-generalised)",
            f"ONS super-generalised LSOA 2021 boundaries ({TRAFFORD_SPATIAL} "
            f"lsoa/2021/gm_lsoa_super_generalised.geojson; {GEOGRAPHR} data/boundaries_lsoa21.rda for Wirral).",
            OGL, False, "2021"),
    Dataset("settings", "csv", "settings", "settings.csv", "Settings of care",
            "Placewise default settings of care",
            "Placewise default classification of settings of care (A&E, care homes, ...) into setting groups.",
            "MIT", False, "Current definitions"),
    Dataset("spend", "parquet", "spend", "spend.parquet", "Health and care spend by cluster (synthetic)",
            "Placewise synthetic spend, calibrated to partnership reports",
            "SYNTHETIC: calibrated to facts in the council and NHS partnership reports; each place's amounts "
            f"split between clusters by NHS England practice need-weighted populations 2024/25 ({WP}); practices "
            f"placed in clusters by {PRACTICES} output/lookup.csv.",
            MIT, True, "2015/16 to 2024/25"),
    Dataset("asc_expenditure", "csv", "asc_expenditure", asc_finance.FILE,
            "Adult social care gross expenditure 2014/15",
            "NHS Digital PSS-EX1 2014-15, council-level expenditure",
            "NHS Digital, Personal Social Services Expenditure and Unit Costs England 2014-15, council-level "
            "expenditure data (pss-exp-eng-14-15-fin-coun-lev-exp-data.csv, via BenGoodair/adults_social_care_data"
            "@2475d81f42d01e1f8ba0450964c7668bf80ac314 Raw_data/2015), the columns of Bolton, Manchester, Oldham "
            "and Wirral, read as published by the catalog's transforms: gross total expenditure on long-term "
            "support for all primary support reasons, by age group and setting.",
            OGL, False, "2014/15", ASC_EXTRA),
    Dataset("care_homes", "parquet", "care_homes", "care_homes.parquet", "Care homes",
            "CQC register (Oldham, real); synthetic homes elsewhere",
            f"Oldham: every care home in a CQC API extract ({CQC_OLDHAM} mock_api/dummy_data/location_details). "
            "Bolton, Manchester and Wirral: SYNTHETIC homes (names, providers, points, beds and dates all "
            "made up, no postcode). The number of Bolton and Manchester homes in each LSOA follows the real "
            f"CQC directory of August 2019 ({GM_HOMES} care_homes/gm_care_homes.csv); nothing else is taken "
            "from it. Wirral homes are placed in proportion to residents aged 65+.",
            f"{OGL} (real rows); {MIT}", "partly", "As at Mar 2025"),
    Dataset("cqc_ratings", "parquet", "cqc_ratings", "cqc_ratings.parquet", "CQC rating history",
            "CQC ratings (Oldham, real); synthetic elsewhere",
            f"Oldham: CQC API currentRatings and historicRatings ({CQC_OLDHAM}). Bolton, Manchester and "
            "Wirral: SYNTHETIC rating histories of synthetic homes.",
            f"{OGL} (real rows); {MIT}", "partly", "2014 to Mar 2025"),
    Dataset("indicators", "csv", "indicators", "indicators.csv", "Indicator definitions",
            "Placewise indicator definitions",
            "Placewise indicator definitions: name, unit, polarity, definition, source and frequency of each indicator.",
            "MIT", False, "Current definitions"),
    Dataset("population", "parquet", "observations", "population.parquet",
            "Population, deprivation and need",
            "ONS mid-year estimates 2017-2020; IMD 2025; Census 2021; NHS weighted populations",
            f"ONS mid-year estimates mid-2017, mid-2019, mid-2020 ({DEMOGRAPHR} "
            "data/population{17,19,20}_lsoa11.rda, population20_ltla21.rda); Census 2021 disability "
            f"({DEMOGRAPHR} data/disability21_lsoa21_ew.rda); IMD 2025 ({IMD} data/imd2025_england_lsoa21.rda); "
            f"NHS England practice weighted populations 2022/23 to 2025/26 ({WP}), per cluster and per GP practice.",
            OGL, False, "mid-2017 to mid-2020"),
    Dataset("outcomes", "parquet", "observations", "outcomes.parquet", "Outcome KPIs by cluster (synthetic)",
            "Placewise synthetic KPIs, shaped on a draft outcomes framework",
            "SYNTHETIC monthly KPIs per cluster, shaped on the Manchester One Team draft outcomes framework, "
            "with step changes at real partnership events.",
            MIT, True, "Apr 2017 to Mar 2026"),
    Dataset("events", "csv", "events", "events.csv", "Events",
            "Council and NHS partnership reports",
            "Dated events from the council and NHS partnership reports used as seeds, plus the first national "
            "COVID-19 lockdown.",
            OGL, False, "2015 to 2021"),
    Dataset("targets", "csv", "targets", "targets.csv", "Targets and trajectories",
            "Partnership reports; synthetic outcome targets",
            "Manchester acute spend trajectory and Oldham care homes target from the partnership reports; "
            "outcome targets set from synthetic 2017/18 baselines.",
            MIT, "partly", "2015/16 to 2020/21"),
    Dataset("deflators", "csv", "deflators", "deflators.csv", "GDP deflators by financial year",
            "ONS GDP deflator (YBGB), June 2025, financial-year means",
            "ONS series YBGB, GDP at market prices implied deflator, seasonally adjusted, 2022 = 100, "
            f"release 30 June 2025 ({DEFRA_UTILS} data-raw/gdp_deflators.csv). A financial year's deflator "
            "is the mean of its four quarters Q2 to Q1 (2019/20: 2019 Q2, Q3, Q4 and 2020 Q1); no year is projected.",
            OGL, False, "2010/11 to 2024/25"),
    Dataset("councils", "csv", "areas", councils.AREAS_FILE, "Single-tier councils of England",
            "ONS local authority districts 2021",
            "Every single-tier English council (unitary, metropolitan and London borough) on 2021 codes, "
            "the pool statistical neighbours are chosen from; City of London, Isles of Scilly, "
            "Buckinghamshire and North and West Northamptonshire left out (see metrics/peers.py).",
            OGL, False, "2021 boundaries"),
    Dataset("council_indicators", "csv", "indicators", councils.INDICATORS_FILE,
            "Council indicator definitions", "Placewise definitions of published council figures",
            "Name, unit, polarity and source of each council-level figure used for peers and benchmarks.",
            "MIT", False, "Current definitions"),
    Dataset("council_figures", "csv", "observations", councils.FIGURES_FILE,
            "Council figures: deprivation, age, health, QOF, BCF",
            "IMD 2019; ONS mid-2020, Health Index 2021; QOF 2019/20; BCF 2023-24; OHID",
            f"Real published figures per council: IMD 2019 average score ({IMD} data/imd2019_england_ltla19.rda); "
            f"residents 65+ mid-2020 ({DEMOGRAPHR} data/population20_ltla21.rda); ONS Health Index 2021 "
            "(humaniverse/healthyr@ed2003efc556306bc4421e2b99b17031db47d719 data/england_health_index.rda); "
            "QOF 2019/20 registers and lists by council (houseofcommonslibrary/local-health-data-from-QOF"
            "@496b8e7b19b8bb33d5a3337e79f5572dd475fd7d outputs, Open Parliament Licence); Better Care Fund "
            "planned intermediate care and reablement spend 2023-24 (Health Foundation); healthy and all life "
            "expectancy 2022-24 for Greater Manchester, Wirral and England (OHID Fingertips 90362, 90366 via "
            "traffordDataLab/trafford_themes@ae20a088ae35b93b57843c79ee56e0072915db9e).",
            f"{OGL}; QOF: Open Parliament Licence", False, "2019 to 2024"),
]
# fmt: on


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def catalog_text() -> str:
    """The catalog naming every dataset, in the shape the catalog parser accepts."""
    description = (
        "Real public data for Bolton, Manchester, Oldham and Wirral on LSOA 2021, with synthetic spend, "
        "outcomes and synthetic care homes outside Oldham. See README.md; regenerate with "
        "python scripts/build_sample_data.py."
    )
    lines = [
        "[catalog]",
        'title = "Placewise sample data"',
        f"description = {_toml(description)}",
        f"default_place = {_toml(DEFAULT_PLACE)}",
        'decks = "decks"',
    ]
    for d in DATASETS:
        assert len(d.source) <= MAX_SOURCE, f"{d.name}: source is {len(d.source)} characters"
        assert len(d.title) <= MAX_TITLE, f"{d.name}: title is {len(d.title)} characters"
        assert d.period and len(d.period) <= MAX_PERIOD, f"{d.name}: period {d.period!r}"
        lines += [
            "",
            f"[datasets.{d.name}]",
            f"loader = {_toml(d.loader)}",
            f"contract = {_toml(d.contract)}",
            f"path = {_toml(d.path)}",
            f"title = {_toml(d.title)}",
            f"source = {_toml(d.source)}",
            f"description = {_toml(d.description)}",
            f"licence = {_toml(d.licence)}",
            f"synthetic = {_toml(d.synthetic)}",
            f"period = {_toml(d.period)}",
            f"[datasets.{d.name}.options]",
        ]
        if d.extra:
            lines += d.extra.rstrip("\n").splitlines()
    return "\n".join(lines) + "\n"
