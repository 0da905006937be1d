"""Spend shift: is money moving from hospital (acute) care to community care and prevention?"""

from dataclasses import replace

import streamlit as st

from panels.core import PanelProblem
from panels.spend import page_choices
from ui import panels, state
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_data_error, show_synthetic_notice

P = "spend_tiles"  # every spend panel takes the same parameters (panels.spend.SpendParams)
NAMES = ("spend", "settings", "deflators", "population", "areas", "targets", "events")
# (header, panel, chart key): above the table's pool choice, then below it
ABOVE = (("Spend by setting group", "spend_by_group", "spend_by_group"),
         ("Acute share over time, against the target", "acute_share", "spend_acute_share"),
         ("What changed between the first and last year", "spend_waterfall", "spend_waterfall"),
         ("Organisations and pools", "spend_pools", "spend_pools_chart"))  # fmt: skip
BELOW = ((None, "spend_pool_table", "spend_pool_table"),
         ("Spend per head by cluster", "spend_clusters", "spend_clusters"),
         ("Budget against outturn", "spend_variance", "spend_variance"))  # fmt: skip

f = current()
page_header(
    f"{f.area_name}: spend shift" if f.place_code else "Spend shift",
    "Is money moving away from hospital (acute) care towards community care and prevention, as the "
    "Section 75 agreements promised? Outturn for the place, cluster and years chosen on the left.",
)
catalog, catalog_error = state.get_catalog()
if catalog_error is not None:
    show_data_error(catalog_error, needed_for="The spend shift")
    st.stop()
# the place's spend only: filtered at the source (SQL WHERE, parquet scan), as the panels ask
data = {name: state.dataset(name, where=f.where() if name == "spend" else None) for name in NAMES}
for name in ("spend", "settings"):
    if not data[name].ok:
        show_data_error(data[name].error, needed_for="The spend shift")
        st.stop()
choices = page_choices(data["spend"].frame, data["deflators"].frame)

# 1. Page choices, bound to the URL like the sidebar's: widgets from the parameters' metadata
with st.container(border=True):
    top_row, row = st.columns(3), st.columns(3)
    boxes = zip(
        ("organisations", "pools", "setting_groups", "prices"), (*top_row, row[0]), strict=True
    )
    chosen = {name: panels.widget(P, name, where=box) for name, box in boxes}
    chosen["base"] = choices.base(panels.widget(P, "base", options=choices.base_options, where=row[1],
                                                kind="select", disabled=chosen["prices"] == "cash"))  # fmt: skip
    chosen["per"] = panels.widget(P, "per", where=row[2])
above, table_choice, below = st.container(), st.container(), st.container()
chosen["table_pool"] = panels.widget(P, "table_pool", options=chosen["pools"] or None,
                                     where=table_choice, kind="select")  # fmt: skip
params = panels.params_for(P, place=f.place_code, cluster=f.cluster_code, year_from=f.year_from,
                           year_to=f.year_to, **chosen)  # fmt: skip

# 2. The headline: bad input said once, the finding, the tiles and the target's note
with above:
    top = panels.build(P, params)
    if isinstance(top, PanelProblem):  # nothing on this page can be drawn: say why once
        panels.show(P, params, top)
        st.stop()
    panels.show(P, params, replace(top, tiles=[]), tiles_only=True)
    st.header(escape_md(top.title))
    panels.show(P, params, replace(top, notices=[]), tiles_only=True)
    st.caption(escape_md(" ".join(top.caption.notes)))

# 3. The charts, each with its caption, downloads and 'Add to deck'
for box, sections in ((above, ABOVE), (below, BELOW)):
    with box:
        for heading, panel_id, key in sections:
            if heading:
                st.header(heading)
            panels.show(panel_id, params, key=key)

# 4. Real spend beside the synthetic: the council's own return (NHS Digital PSS-EX1)
if "asc_expenditure" in catalog.datasets:
    st.header("Real adult social care spend: the council's return")
    panels.show("asc_by_setting", panels.params_for("asc_by_setting", place=f.place_code),
                key="spend_asc")  # fmt: skip
show_synthetic_notice([data["spend"].spec.title] if data["spend"].spec.synthetic else [])
footer(state.last_loaded(list(data.values())))
