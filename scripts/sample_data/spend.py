"""Settings of care and SYNTHETIC spend calibrated to the seed facts (inputs in spend_inputs.py)."""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data.common import FIRST_FY, LAST_FY, fy_label, fy_start, rng, split_pence
from sample_data.spend_inputs import (
    BASE,
    BCF,
    EXACT_POOLED,
    GP_SERVICES,
    GROUP,
    IBCF,
    MANCHESTER_ACUTE,
    ONE_TEAM,
    PRIMARY,
    SETTINGS,
    SHARES,
    WEIGHT_KIND,
    WIRRAL_ASC_POOLED,
)


def settings_table() -> pl.DataFrame:
    """The settings lookup (setting, setting_name, setting_group), sorted by setting."""
    return pl.DataFrame(
        SETTINGS, schema=["setting", "setting_name", "setting_group"], orient="row"
    ).sort("setting")


def pool_fractions(place: str, year: int, org: str, setting: str) -> dict[str, float]:
    """How one organisation's spend on one setting divides between pools in one place and year."""
    key = (org, setting)
    bcf, ibcf = BCF.get(key, 0.0), (IBCF.get(key, 0.0) if year >= 2017 else 0.0)
    if (
        place == "E08000004"
    ):  # Oldham: BCF, iBCF; S75 aligned budget from co-location; pooled from April 2021
        in_scope = org == "council_asc" or (org == "nhs" and setting not in PRIMARY)
        if year >= 2021:
            return {"pooled": 1.0} if in_scope or bcf else {"outside": 1.0}
        aligned = (1 - bcf - ibcf) if (year >= 2018 and in_scope) else 0.0
        return {"bcf": bcf, "ibcf": ibcf, "aligned": aligned, "outside": 1 - bcf - ibcf - aligned}
    if (
        place == "E08000001"
    ):  # Bolton: the Section 75 pool holds BCF, iBCF and integrated disability services
        ld = {("nhs", "learning_disability"): 0.3, ("council_asc", "learning_disability"): 0.1}.get(
            key, 0.0
        )
        pooled = bcf + ibcf + ld
        return {"pooled": pooled, "outside": 1 - pooled}
    if (
        place == "E08000003"
    ):  # Manchester: BCF; One Team pool from 2016/17; wider pooled budget from 2017/18
        if year == 2015:
            return {"bcf": bcf, "outside": 1 - bcf}
        if year == 2016:
            pooled = ONE_TEAM.get(key, 0.0)
            return {"pooled": pooled, "outside": 1 - pooled}
        wide = (
            org == "council_asc"
            or (org == "nhs" and setting not in PRIMARY)
            or key == ("other", "equipment_adaptations")
        )
        return {
            "ibcf": ibcf,
            "pooled": (1 - ibcf) if wide else 0.0,
            "outside": 0.0 if wide else 1 - ibcf,
        }
    # Wirral: BCF until the pooled fund of 2017/18 (council, CCG except primary care, public health)
    if year < 2017 or org == "other":
        return {"bcf": bcf, "outside": 1 - bcf}
    pooled = {"nhs": 0.0 if setting in GP_SERVICES else 1.0, "council_ph": 1.0}.get(
        org, WIRRAL_ASC_POOLED.get(setting, 0.0)
    )
    return {"pooled": pooled, "outside": 1 - pooled}


def _setting_weights(org: str, year: int) -> dict[str, float]:
    t = year - FIRST_FY
    out = {}
    for setting, share in SHARES[org].items():
        group = GROUP[setting]
        if setting == "pcn_services":
            share = 0.0 if year < 2019 else 0.008 + 0.004 * min(t - 4, 5)
        elif group == "acute":
            share *= 1 - 0.010 * t
        elif group == "community":
            share *= 1 + 0.040 * t
        elif group == "residential":
            share *= 1 - 0.015 * t
        out[setting] = share
    return out


def place_amounts(place: str, gen: np.random.Generator) -> list[tuple[int, str, str, str, float]]:
    """(year, organisation, setting, pool, pounds) outturn at place level, before exact rounding."""
    rows = []
    for year in range(FIRST_FY, LAST_FY + 1):
        t = year - FIRST_FY
        for org, (base, growth) in BASE[place].items():
            total = base * (1 + growth) ** t * gen.normal(1.0, 0.005)
            w = _setting_weights(org, year)
            w = {s: v * gen.lognormal(0.0, 0.03) for s, v in w.items()}
            amounts = {s: total * v / sum(w.values()) for s, v in w.items()}
            if place == "E08000003" and org == "nhs":
                amounts = _manchester_acute(amounts, year)
            for setting, amount in amounts.items():
                for pool, frac in pool_fractions(place, year, org, setting).items():
                    if frac > 1e-9 and amount > 0:
                        rows.append((year, org, setting, pool, amount * frac))
    return rows


def _manchester_acute(amounts: dict[str, float], year: int) -> dict[str, float]:
    """Rescale Manchester's NHS acute settings to the acute index; the rest grows 5% a year instead."""
    base_acute = BASE["E08000003"]["nhs"][0] * sum(
        v for s, v in SHARES["nhs"].items() if GROUP[s] == "acute"
    )
    base_acute /= sum(SHARES["nhs"].values())
    acute = {s: v for s, v in amounts.items() if GROUP[s] == "acute"}
    rest = {s: v for s, v in amounts.items() if GROUP[s] != "acute"}
    target_acute = base_acute * MANCHESTER_ACUTE[year]
    target_rest = (BASE["E08000003"]["nhs"][0] - base_acute) * 1.05 ** (year - FIRST_FY)
    scale_a, scale_r = target_acute / sum(acute.values()), target_rest / sum(rest.values())
    return {
        **{s: v * scale_a for s, v in acute.items()},
        **{s: v * scale_r for s, v in rest.items()},
    }


def _to_pence(place: str, rows: list[tuple[int, str, str, str, float]]) -> pl.DataFrame:
    """Round to pence; groups with an exact pooled total are allocated so they sum to it to the penny."""
    df = pl.DataFrame(
        rows, schema=["year", "organisation", "setting", "pool", "pounds"], orient="row"
    )
    df = df.sort("year", "organisation", "setting", "pool").with_columns(
        pence=(pl.col("pounds") * 100).round().cast(pl.Int64)
    )
    pence = df["pence"].to_numpy().copy()
    for (p, year, org), target in EXACT_POOLED.items():
        if p != place:
            continue
        mask = ((df["year"] == year) & (df["pool"] == "pooled")).to_numpy()
        if org is not None:
            mask &= (df["organisation"] == org).to_numpy()
        idx = np.flatnonzero(mask)
        assert len(idx), f"no pooled rows for {place} {year} {org}"
        pence[idx] = split_pence(round(target * 100), df["pounds"].to_numpy()[idx])
    return df.with_columns(pence=pl.Series(pence))


def build_spend(cluster_weights: pl.DataFrame) -> pl.DataFrame:
    """SYNTHETIC spend by cluster: outturn split by need-weighted population, budget within a few percent."""
    out = []
    for stream, place in enumerate(sorted(BASE)):
        gen = rng(100 + stream)
        df = _to_pence(place, place_amounts(place, gen))
        cw = cluster_weights.filter(pl.col("cluster_code").str.starts_with(place)).sort(
            "cluster_code"
        )
        codes = cw["cluster_code"].to_list()
        for year, org, setting, pool, _, pence in df.iter_rows():
            group = GROUP[setting]
            kind = "prescr_wp" if setting == "prescribing" else WEIGHT_KIND.get(group, "final_wp")
            weights = cw[kind].to_numpy()
            bias = {"acute": -0.02, "residential": -0.01, "community": 0.015}.get(group, 0.0)
            budget = round(pence * (1 + float(np.clip(gen.normal(bias, 0.02), -0.06, 0.06))))
            for measure, total in (("outturn", pence), ("budget", budget)):
                for code, amount in zip(codes, split_pence(total, weights), strict=True):
                    out.append((place, code, year, org, setting, pool, measure, int(amount)))
    df = pl.DataFrame(
        out,
        schema=[
            "place_code",
            "area_code",
            "year",
            "organisation",
            "setting",
            "pool",
            "measure",
            "pence",
        ],
        orient="row",
    )
    df = df.select(
        "place_code",
        "area_code",
        financial_year=pl.col("year").map_elements(fy_label, return_dtype=pl.String),
        year_start=pl.col("year").map_elements(fy_start, return_dtype=pl.Date),
        organisation="organisation",
        setting="setting",
        pool="pool",
        measure="measure",
        amount_gbp=pl.col("pence").cast(pl.Float64) / 100,
        synthetic=pl.lit(True),
    )
    key = ["place_code", "area_code", "year_start", "organisation", "setting", "pool", "measure"]
    assert not df.select(key).is_duplicated().any(), "duplicate spend keys"
    return df.sort(key)
