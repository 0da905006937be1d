"""Outcomes: one indicator as a Making Data Count XmR chart, then across the place's clusters."""

import streamlit as st

from metrics import outcomes as om
from ui import my_deck, state
from ui.charts import show_chart
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_data_error, show_empty, show_synthetic_notice
from ui.spc_grid import (
    outcome_views,
    place_analysis,
    place_outcomes,
    render_reading,
    show_problems,
)

f = current()
page_header(
    f"{f.area_name}: outcomes" if f.place_code else "Outcomes",
    "Is each outcome getting better, getting worse, or only varying as it always has? Monthly "
    "indicators read the NHS Making Data Count way: statistical process control (XmR) charts "
    "with the mean, process limits and the target.",
)

catalog, catalog_error = state.get_catalog()
if catalog_error is not None:
    show_data_error(catalog_error, needed_for="The outcome charts")
    st.stop()
if not f.place_code:
    show_empty("place chosen", "Choose a place on the left to see its outcomes.")
    st.stop()

analysis, used = place_analysis(f.place_code)
if analysis is None:
    for item in used:
        show_data_error(item.error, needed_for="The outcome charts")
    footer(state.last_loaded(used))
    st.stop()
outcomes, events, areas = (
    place_outcomes(f.place_code),
    state.dataset("events"),
    state.dataset("areas"),
)

choices = {i.name: i for i in analysis.indicators}
if not choices:
    show_empty("outcome indicators", f"No monthly indicators are recorded for {f.place_name}.")
    st.stop()
name = st.selectbox(
    "Indicator",
    list(choices),
    key="outcomes_indicator",
    bind="query-params",
    help="The monthly outcome to chart. Each cell of the Overview grid links here.",
)
indicator = choices[name]
place_events = (
    state.derived("outcomes_events", om.events_for, events, areas, place_code=f.place_code)
    if events.ok
    else om.events_for(None, areas.frame, f.place_code)
)
event_options = om.event_choices(place_events, after=analysis.first_period)
rebase = st.multiselect(
    "Recalculate the limits from",
    list(event_options),
    key="outcomes_rebase",
    bind="query-params",
    help="Making Data Count: recalculate the limits only after a known change that has "
    "clearly shifted the process. Each new period gets its own 12-month baseline.",
)
one, across = outcome_views(
    f.place_code,
    indicator.indicator_id,
    f.area_code,
    tuple(sorted(event_options[r] for r in rebase)),
)
source = outcomes.spec.source or outcomes.spec.title
synthetic = outcomes.spec.synthetic

st.header(escape_md(f"{indicator.name}: {f.area_name}"))
if one.result is None:
    show_empty("figures", f"{indicator.name} is not recorded for {f.area_name}.")
elif one.result.withheld:
    st.info(escape_md(one.result.withheld), icon=":material/visibility_off:")
elif not one.result.ok:
    st.warning(
        "**This series cannot be charted.**  \n"
        + "  \n".join(f"- {escape_md(p)}" for p in one.result.problems),
        icon=":material/warning:",
    )
else:
    render_reading(one.result)
    if hint := om.rebase_hint(one.result):
        st.info(escape_md(hint), icon=":material/lightbulb:")
    show_chart(
        one.chart,
        one.rows,
        key="outcomes_xmr",
        slide=my_deck.current_view("outcome_spc"),
        source=source,
        as_at=one.as_at,
        synthetic=synthetic,
    )
    if one.result.note:
        st.caption(escape_md(one.result.note))
    with st.expander("The data behind the chart"):
        st.dataframe(one.rows, hide_index=True)

withheld_place = across.analysis.place_withheld
st.header(
    escape_md(
        f"{indicator.name} across "
        + ("the clusters you may see" if withheld_place else f.place_name)
    )
)
if withheld_place:
    st.caption(escape_md(withheld_place) + ".")
show_chart(
    across.chart,
    across.rows,
    key="outcomes_clusters",
    source=source,
    as_at=across.as_at,
    synthetic=synthetic,
)
show_problems(across.analysis, indicator.indicator_id)
withheld = [a.name for a in across.analysis.areas
            if (r := across.analysis.result(indicator.indicator_id, a.code)) and r.withheld]  # fmt: skip
if withheld:
    st.caption(escape_md(f"Not shown under disclosure control (months of fewer than 8 people or "
                         f"events): {', '.join(withheld)}."
                         + ("" if withheld_place else f" The {f.place_name} series includes them.")))  # fmt: skip
st.caption(
    "The financial-year filter on the left applies to spend. SPC charts use every month "
    "available, so that the limits rest on the same baseline whatever years are chosen."
)
show_synthetic_notice([outcomes.spec.title or outcomes.name] if synthetic else [])
footer(state.last_loaded([outcomes, events, areas]))
