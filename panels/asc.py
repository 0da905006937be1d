"""Real adult social care spend: a council's return (NHS Digital PSS-EX1 2014-15), by setting of
long-term support and age group, beside the synthetic spend on the Spend page.

The return is the whole council's (a place): a person whose access covers only some of its
clusters sees none of it (access.restrict), and is told so. No counts of people (NO_PEOPLE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from charts.asc import setting_figure
from formatting import format_gbp_m
from panels.core import (
    NO_PEOPLE,
    PLACE,
    Built,
    Caption,
    Data,
    Disclosure,
    Need,
    Panel,
    PanelProblem,
)
from panels.params import AreaParams
from panels.registry import register_panel

DATASET = "asc_expenditure"
SETTING_NAMES = {  # the return's own words, as a board member reads them
    "care_homes_nursing": "Nursing care homes",
    "care_homes_residential": "Residential care homes",
    "supported_accommodation": "Supported accommodation",
    "direct_payments": "Direct payments",
    "home_care": "Home care",
    "supported_living": "Supported living",
    "other_long_term": "Other long-term community care",
}
CARE_HOMES = ("care_homes_nursing", "care_homes_residential")
NOTE = (
    "Real figures from the council's return: gross expenditure on long-term support (all primary "
    "support reasons), cash, before income from clients and the NHS. Not comparable line by line "
    "with the synthetic spend above, which covers every partner's budget."
)


@dataclass(frozen=True)
class AscParams(AreaParams):
    """The place (its return is the whole council's); the cluster and years are not used."""


@register_panel
class AscBySetting(Panel[AscParams]):
    id = "asc_by_setting"
    title = "Adult social care gross spend by setting and age group (the council's return)"
    page: ClassVar[str] = "spend"
    Params = AscParams
    disclosure: ClassVar[Disclosure] = NO_PEOPLE

    def needs(self, params: AscParams) -> tuple[Need, ...]:
        return (Need(DATASET, where={"place_code": PLACE}), Need("areas"))

    def build(self, params: AscParams, data: Data) -> Built:
        area = data.area
        if not area.whole_place:
            raise PanelProblem(
                f"The council's return covers {area.place_name} as a whole, which is not in your "
                "access."
            )
        frame = data.frame(DATASET)
        rows = frame.filter(pl.col("place_code") == area.place_code)
        if rows.is_empty():
            raise PanelProblem(
                f"The adult social care return holds no figures for {area.place_name}."
            )
        year = str(rows["financial_year"].max())
        rows = rows.filter(pl.col("financial_year") == year).with_columns(
            setting_name=pl.col("setting").replace_strict(SETTING_NAMES, default=pl.col("setting"))
        )
        total = float(rows["amount_gbp"].sum())
        homes = float(rows.filter(pl.col("setting").is_in(CARE_HOMES))["amount_gbp"].sum())
        share = f", {100 * homes / total:.0f}% of it in care homes" if total > 0 else ""
        title = (f"{area.place_name}: {format_gbp_m(total)} gross spend on long-term adult social "
                 f"care in {year}{share}")  # fmt: skip
        subtitle = (f"The whole council's return, {year} (real data): gross expenditure by setting "
                    "and age group, all primary support reasons, cash")  # fmt: skip
        fig = setting_figure(rows, title=title, subtitle=subtitle)
        released = rows.select("place_code", "financial_year", "age_group", "setting",
                               "setting_name", "amount_gbp").sort("setting", "age_group")  # fmt: skip
        caption = Caption.of(data.spec(DATASET), fallback="Adult social care return", as_at=str(year),
                             notes=(NOTE,))  # fmt: skip
        return Built(title, fig, self.release(released), caption)
