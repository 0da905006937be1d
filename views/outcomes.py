"""Outcomes: one indicator as a Making Data Count XmR chart, then across the place's clusters."""

from dataclasses import replace

import streamlit as st

from panels.core import PanelProblem
from panels.outcomes import page_choices
from ui import panels, state
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_data_error, show_empty, show_synthetic_notice
from ui.spc_grid import place_outcomes, render_reading

P = "outcome_spc"  # both outcome panels take the same parameters (panels.outcomes.OutcomeParams)
f = current()
page_header(
    f"{f.area_name}: outcomes" if f.place_code else "Outcomes",
    "Is each outcome getting better, getting worse, or only varying as it always has? Monthly "
    "indicators read the NHS Making Data Count way: statistical process control charts (XmR: "
    "each month's value, its mean, and process limits set from how much it moves month to "
    "month) with the target. A point outside the limits, or an unusual run, is special cause "
    "variation: a real change, not noise.",
)
catalog, catalog_error = state.get_catalog()
if catalog_error is not None:
    show_data_error(catalog_error, needed_for="The outcome charts")
    st.stop()
if not f.place_code:
    show_empty("place chosen", "Choose a place on the left to see its outcomes.")
    st.stop()

# 1. The choices the data offers: the place's indicators and its events to recalculate from
for item in (place_outcomes(f.place_code), state.dataset("indicators"), state.dataset("areas")):
    if not item.ok:
        show_data_error(item.error, needed_for="The outcome charts")
        st.stop()
area = panels.params_for(P, place=f.place_code, cluster=f.cluster_code)
data = panels.data_for(P, area)
choices = page_choices(area, data) if not isinstance(data, PanelProblem) else data
if isinstance(choices, PanelProblem):
    st.error(escape_md(str(choices)), icon=":material/error:")
    st.stop()
indicators, events = choices
if not indicators:
    show_empty("outcome indicators", f"No monthly indicators are recorded for {f.place_name}.")
    st.stop()
chosen = {
    "indicator": panels.widget(P, "indicator", options=list(indicators), labels=indicators,
                               value=next(iter(indicators)), kind="select"),
    "rebase": panels.widget(P, "rebase", options=events),
}  # fmt: skip
params = replace(area, **chosen)

# 2. The chosen area's chart with its reading
name = indicators[chosen["indicator"]]
st.header(escape_md(f"{name}: {f.area_name}"))
one = panels.build(P, params)
if not isinstance(one, PanelProblem):
    render_reading(one.extras["reading"])
shown = panels.show(P, params, one, key="outcomes_xmr")
if shown is not None:
    with st.expander("The data behind the chart"):
        st.dataframe(shown.rows.frame, hide_index=True)

# 3. The indicator across the place's clusters
across = panels.build("outcome_clusters", params)
if not isinstance(across, PanelProblem):
    st.header(escape_md(across.title))
panels.show("outcome_clusters", params, across, key="outcomes_clusters")
st.caption(
    "The financial-year filter on the left applies to spend. SPC charts use every month "
    "available, so that the limits rest on the same baseline whatever years are chosen."
)
spec = data.spec("outcomes") if not isinstance(data, PanelProblem) else None
show_synthetic_notice([spec.title or "outcomes"] if spec and spec.synthetic else [])
footer(state.last_loaded([state.dataset(n) for n in ("indicators", "areas")]))
