"""Inputs of the SYNTHETIC spend model: settings, shares, 2015/16 bases, seed facts to hold and pool scopes."""

from __future__ import annotations

# fmt: off
SETTINGS = [
    ("elective", "Elective inpatient and day case care", "acute"),
    ("non_elective", "Non-elective (emergency) admissions", "acute"),
    ("ae", "A&E attendances", "acute"),
    ("outpatients", "Outpatients", "acute"),
    ("critical_care", "Critical care", "acute"),
    ("community_health", "Community health services", "community"),
    ("intermediate_care_reablement", "Intermediate care and reablement", "community"),
    ("home_care", "Home care (care at home)", "community"),
    ("extra_care_housing", "Extra care housing", "community"),
    ("equipment_adaptations", "Equipment and adaptations", "community"),
    ("carers", "Carers support", "community"),
    ("voluntary_sector", "Voluntary and community sector", "community"),
    ("general_practice", "General practice", "primary_care"),
    ("prescribing", "Prescribing", "primary_care"),
    ("pcn_services", "Primary care network services", "primary_care"),
    ("secondary_mental_health", "Secondary mental health services", "mental_health"),
    ("iapt", "IAPT (NHS Talking Therapies)", "mental_health"),
    ("learning_disability", "Learning disability services", "mental_health"),
    ("care_homes_residential", "Residential care homes", "residential"),
    ("care_homes_nursing", "Nursing care homes", "residential"),
    ("continuing_health_care", "Continuing health care placements", "residential"),
    ("healthy_child", "Healthy child programme (0-19)", "prevention"),
    ("sexual_health", "Sexual health services", "prevention"),
    ("substance_misuse", "Substance misuse services", "prevention"),
    ("health_checks", "NHS Health Checks", "prevention"),
    ("stop_smoking", "Stop smoking services", "prevention"),
    ("early_help", "Early help", "prevention"),
    ("other", "Other and corporate costs", "other"),
]
GROUP = {s: g for s, _, g in SETTINGS}

# Base (2015/16) shares of each organisation's spend by setting.
SHARES = {
    "nhs": {"elective": .14, "non_elective": .20, "ae": .04, "outpatients": .08, "critical_care": .02,
            "community_health": .085, "intermediate_care_reablement": .015, "equipment_adaptations": .005,
            "carers": .002, "voluntary_sector": .006, "general_practice": .07, "prescribing": .12,
            "pcn_services": 0.0, "secondary_mental_health": .09, "iapt": .008, "learning_disability": .015,
            "care_homes_nursing": .008, "continuing_health_care": .05, "other": .04},
    "council_asc": {"home_care": .21, "extra_care_housing": .03, "intermediate_care_reablement": .05,
                    "equipment_adaptations": .02, "carers": .015, "voluntary_sector": .02,
                    "learning_disability": .22, "secondary_mental_health": .05,
                    "care_homes_residential": .22, "care_homes_nursing": .08, "other": .085},
    "council_ph": {"healthy_child": .33, "sexual_health": .20, "substance_misuse": .25, "health_checks": .04,
                   "stop_smoking": .05, "other": .13},
    "other": {"early_help": .75, "equipment_adaptations": .25},
}
# 2015/16 organisation totals (pounds) and yearly nominal growth. Oldham: about £430m in 2019/20 with
# adult social care about £89m gross; Wirral's NHS base makes its 2017/18 pooled share land near £493.4m.
BASE = {
    "E08000004": {"nhs": (280.0e6, .035), "council_asc": (79.1e6, .03), "council_ph": (17.0e6, -.02), "other": (4.5e6, .02)},
    "E08000001": {"nhs": (360.0e6, .035), "council_asc": (92.0e6, .03), "council_ph": (19.5e6, -.02), "other": (5.0e6, .02)},
    "E08000003": {"nhs": (870.0e6, .035), "council_asc": (195.0e6, .03), "council_ph": (50.0e6, -.02), "other": (12.0e6, .02)},
    "E08000015": {"nhs": (497.0e6, .035), "council_asc": (98.0e6, .03), "council_ph": (27.0e6, -.025), "other": (5.0e6, .02)},
}
# Manchester: acute spend (cash) relative to 2015/16, towards the One Team "20% less on acute by 2020" aim.
MANCHESTER_ACUTE = dict(zip(range(2015, 2025), (1.0, .97, .935, .90, .865, .83, .815, .80, .80, .795), strict=True))
M = 1_000_000
# Exact pooled outturn (pounds) by (place, year, organisation or None for all organisations).
# Seed facts: Bolton 2015/16 and 2017/18; Wirral 2017/18 to 2020/21. Other years are our extrapolation.
EXACT_POOLED = {
    **{("E08000001", y, None): v * M for y, v in zip(range(2015, 2025), (31.0, 36.0, 42.0, 44.6, 46.9, 49.3, 51.5, 53.8, 56.0, 58.1), strict=True)},
    **{("E08000015", y, "council_asc"): v * M for y, v in zip(range(2017, 2025), (73.9, 80.8, 85.2, 83.4, 86.6, 90.5, 94.6, 98.4), strict=True)},
    **{("E08000015", y, "council_ph"): v * M for y, v in zip(range(2017, 2025), (25.6, 24.5, 24.0, 24.0, 24.3, 24.9, 25.6, 26.4), strict=True)},
    ("E08000015", 2017, "nhs"): 493.4 * M,
}
# Share of (organisation, setting) in the Better Care Fund, the improved BCF and Manchester's One Team pool.
BCF = {("nhs", "community_health"): .35, ("nhs", "intermediate_care_reablement"): .9,
       ("nhs", "equipment_adaptations"): .8, ("nhs", "carers"): 1.0, ("nhs", "voluntary_sector"): .3,
       ("council_asc", "intermediate_care_reablement"): .5, ("council_asc", "equipment_adaptations"): .5,
       ("council_asc", "home_care"): .1, ("council_asc", "carers"): .4, ("other", "equipment_adaptations"): 1.0}
IBCF = {("council_asc", "home_care"): .12, ("council_asc", "care_homes_residential"): .08,
        ("council_asc", "care_homes_nursing"): .08, ("council_asc", "intermediate_care_reablement"): .2}
ONE_TEAM = {("nhs", "community_health"): 1.0, ("nhs", "intermediate_care_reablement"): 1.0,
            ("nhs", "equipment_adaptations"): 1.0, ("nhs", "carers"): 1.0, ("nhs", "voluntary_sector"): .5,
            ("council_asc", "home_care"): .5, ("council_asc", "intermediate_care_reablement"): 1.0,
            ("council_asc", "equipment_adaptations"): 1.0, ("council_asc", "carers"): 1.0,
            ("other", "equipment_adaptations"): 1.0}
PRIMARY = ("general_practice", "prescribing", "pcn_services")
GP_SERVICES = ("general_practice", "pcn_services")  # commissioned by NHS England: outside Wirral's pool
WIRRAL_ASC_POOLED = {"home_care": 1, "intermediate_care_reablement": 1, "equipment_adaptations": 1, "carers": 1,
                     "voluntary_sector": 1, "care_homes_residential": 1, "care_homes_nursing": 1,
                     "learning_disability": .5, "secondary_mental_health": .5}
# Which NHS need-weighted population splits each setting group between clusters (default: Final WP).
WEIGHT_KIND = {"acute": "ga_wp", "community": "cs_wp", "mental_health": "mh_wp"}
# fmt: on
