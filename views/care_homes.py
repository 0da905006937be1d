"""Care home quality: CQC ratings over time, by place and cluster."""

from dataclasses import replace

import streamlit as st

from panels.care_homes import ALL_PROVIDERS, page_choices
from panels.core import PanelProblem
from ui import panels, state
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_empty, show_load_errors, show_synthetic_notice

P = "care_home_tiles"  # every care home panel takes the same parameters (CareHomeParams)
SECTIONS = (("Trend", "care_home_quality", "homes_trend"),
            ("Ratings over time", "care_home_mix", "homes_mix"),
            ("Movement between ratings", "care_home_moves", "homes_moves"))  # fmt: skip
TABLE = {  # headings and formats come from ui.data_tables.column_configs; widths fit the page
    "home": st.column_config.TextColumn("Care home", width="medium", pinned=True),
    "beds": st.column_config.NumberColumn("Beds", format="%,d", width="small"),
    "provider": st.column_config.TextColumn("Provider", width="medium"),
    "years_since_rating": st.column_config.NumberColumn("Years since rated", format="%.1f",
                                                        width="small"),
}  # fmt: skip

f = current()
page_header(
    f"{f.area_name}: care home quality" if f.place_code else "Care home quality",
    "Are more care homes rated Good or Outstanding by the Care Quality Commission (CQC)? Shares of "
    "homes and of beds, over time and by cluster; which homes moved, and which are due a visit.",
)
# 1. The choices the data offers (dates to compare with, providers), then the page's widgets
loaded = [state.dataset(name) for name in ("care_homes", "cqc_ratings", "areas")]
if not all(item.ok for item in loaded):
    show_load_errors(loaded)
    st.stop()
area = panels.params_for(P, place=f.place_code, cluster=f.cluster_code, year_from=f.year_from,
                         year_to=f.year_to)  # fmt: skip
data = panels.data_for(P, area)
choices = page_choices(area, data) if not isinstance(data, PanelProblem) else data
if isinstance(choices, PanelProblem):
    show_empty("care homes to show", str(choices))
    st.stop()
left, middle, right = st.columns([2, 3, 3])
chosen = {
    "setting": panels.widget(P, "setting", where=left),
    "provider": panels.widget(P, "provider", options=["", *choices.providers], kind="select",
                              labels={"": ALL_PROVIDERS, **choices.providers}, value="",
                              where=middle) or None,
    "since": panels.widget(P, "since", options=choices.labels, value=choices.default_since,
                           kind="slider", where=right),
}  # fmt: skip
if choices.flagged:
    chosen["carried_over"] = panels.widget(P, "carried_over", kind="checkbox")
params = replace(area, **chosen)

# 2. The headline and the clusters
st.header("Now, and the change since " + (chosen["since"] or choices.default_since))
top = panels.show(P, params, tiles_only=True)
if top is None:
    st.stop()
st.caption(escape_md(" ".join(top.caption.notes)))
show_synthetic_notice(
    [f"care homes and CQC ratings in {f.place_name}"] if top.caption.synthetic else []
)
if not f.cluster_code:
    panels.show("care_home_clusters", params, key="homes_clusters")

# 3. The charts, the map with its filters, the key questions and the list of homes
for heading, panel_id, key in SECTIONS:
    st.header(heading)
    panels.show(panel_id, params, key=key)
st.header("Map")
narrow = {"ratings": panels.widget(P, "ratings"), "search": panels.widget(P, "search", kind="text")}
params = replace(params, **narrow)
panels.show("care_home_map", params, key="homes_map")
panels.table("care_home_unlocated", params, key="homes_unlocated", hide_empty=True)
st.header("Key questions")
panels.show("care_home_questions", params, key="homes_questions")
st.header("Care homes")
panels.table("care_home_table", params, key="homes_table", column_config=TABLE)

# 4. Where the figures come from
footer(state.last_loaded(loaded))
