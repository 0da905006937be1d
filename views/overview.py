"""Overview: the headline numbers for the chosen place or cluster."""

import streamlit as st

from metrics import headlines
from ui import state
from ui.filters import current
from ui.layout import footer, page_header, tile
from ui.messages import show_data_error, show_load_errors, show_synthetic_notice
from ui.spc_grid import board_section, place_outcomes

f = current()
page_header(
    f"{f.area_name}: overview" if f.place_code else "Overview",
    "Is spend moving from hospital to community care, is care home quality rising, and how are "
    "the neighbourhood clusters made up? The latest figures for the place and cluster chosen on the left.",
)

catalog, catalog_error = state.get_catalog()
if catalog_error is not None:
    show_data_error(catalog_error, needed_for="The headline figures")
    st.stop()

spend, settings = state.dataset("spend", where=f.where()), state.dataset("settings")
homes, ratings = state.dataset("care_homes"), state.dataset("cqc_ratings")
areas, population = state.dataset("areas"), state.dataset("population")


def source(item) -> str:
    return (item.spec.source or item.spec.title) if item.spec else item.name


top, bottom = st.columns(3), st.columns(3)
cols = [*top, *bottom[:2]]
if spend.ok and settings.ok:
    spend_total, acute = headlines.spend_tiles(
        spend.frame, settings.frame, f.place_code, f.cluster_code, f.year_to, f.area_name
    )
    with cols[0]:
        tile(spend_total, source(spend))
    with cols[1]:
        tile(acute, source(spend))
else:
    for col, label in zip(cols[:2], ("Total spend", "Acute share of spend"), strict=True):
        with col:
            tile(label, "", error=spend.error or settings.error)

care = None
if homes.ok and ratings.ok and areas.ok:
    care = headlines.care_home_tile(
        homes.frame,
        ratings.frame,
        areas.frame,
        f.place_code,
        f.cluster_code,
        f.area_name,
        year_to=f.year_to,
    )
with cols[2]:
    if care is not None:
        tile(care, source(ratings))
    else:
        tile(
            "Care home beds rated Good or better",
            "",
            error=homes.error or ratings.error or areas.error,
        )

with cols[3]:
    if population.ok and areas.ok:
        tile(
            headlines.population_tile(population.frame, areas.frame, f.area_code, f.area_name),
            source(population),
        )
    else:
        tile("Residents", "", error=population.error or areas.error)

with cols[4]:
    if areas.ok:
        tile(
            headlines.cluster_tile(
                areas.frame,
                population.frame if population.ok else None,
                f.place_code,
                f.place_name or "all places",
                whole_place=f.whole_place,
            ),
            source(areas),
        )
    else:
        tile("Neighbourhood clusters", "", error=areas.error)

board_section(f.place_code, f.place_name, f.cluster_code)

show_load_errors([spend, settings, homes, ratings, areas, population])
outcomes = place_outcomes(f.place_code)
show_synthetic_notice(
    [
        item.spec.title or item.name
        for item in (spend, outcomes)
        if item.spec and item.spec.synthetic
    ]
    + (["Care homes and CQC ratings in this area"] if care is not None and care.synthetic else [])
)
footer(state.last_loaded([spend, homes, ratings, areas, population]))
