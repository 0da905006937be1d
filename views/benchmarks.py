"""Benchmarks: the place's clusters against the place on an outcome indicator, with intervals."""

from dataclasses import replace

import streamlit as st

from panels.benchmarks import page_choices
from panels.core import SYNTHETIC_LABEL, PanelProblem
from panels.peers import figures_offered
from ui import panels, state
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_data_error, show_empty, show_synthetic_notice

P = "cluster_benchmark"
PEERS = "peer_benchmark"
f = current()
page_header(
    f"{f.place_name}: benchmarks" if f.place_code else "Benchmarks",
    "Which cluster has the highest figure, and is it significantly different from the place? "
    "Each cluster's value over a year, with its confidence interval, against the place's value "
    "(Fingertips' method). A difference is significant when the place's value lies outside "
    "the cluster's interval; this is not the Outcomes page's question of change over time.",
)
catalog, catalog_error = state.get_catalog()
if catalog_error is not None:
    show_data_error(catalog_error, needed_for="The benchmark chart")
    st.stop()
if not f.place_code:
    show_empty("place chosen", "Choose a place on the left to compare its clusters.")
    st.stop()

# 1. The choices the data offers: the place's rates and percentages, and their periods
area = panels.params_for(P, place=f.place_code, cluster=f.cluster_code)
top = st.columns([3, 2, 1])
data = panels.data_for(P, area)
first = page_choices(area, data) if not isinstance(data, PanelProblem) else data
if isinstance(first, PanelProblem):
    st.error(escape_md(str(first)), icon=":material/error:")
    st.stop()
indicators, _ = first
if not indicators:
    show_empty("outcome rates", f"No outcome rates or percentages are recorded for {f.place_name}.")
    st.stop()
indicator = panels.widget(P, "indicator", options=list(indicators), labels=indicators,
                          value=next(iter(indicators)), kind="select", where=top[0])  # fmt: skip
again = page_choices(replace(area, indicator=indicator), data)
periods = again[1] if not isinstance(again, PanelProblem) else {}
chosen = {
    "indicator": indicator,
    "period": panels.widget(P, "period", options=list(periods), labels=periods,
                            value=next(iter(periods), None), kind="select", where=top[1]),
    "confidence": panels.widget(P, "confidence", where=top[2], horizontal=False),
}  # fmt: skip
params = replace(area, **chosen)

# 2. The clusters against the place: the finding, the chart, what kind of figure it is
built = panels.build(P, params)
if not isinstance(built, PanelProblem):
    st.header(escape_md(built.title))
    real = "Real data." if not built.caption.synthetic else f"{SYNTHETIC_LABEL}."
    st.caption(escape_md(f"{built.extras['kind']} {real}"))
shown = panels.show(P, params, built, key="bench_chart")
if shown is not None:
    with st.expander("The numbers behind the chart"):
        st.dataframe(shown.rows.frame, hide_index=True)

# 3. The place against places like it: published council figures (real data)
st.subheader(escape_md(f"{f.place_name} against places like it"))
peer_area = panels.params_for(PEERS, place=f.place_code, cluster=f.cluster_code)
peer_data = panels.data_for(PEERS, peer_area)
offered = {}
if not isinstance(peer_data, PanelProblem):
    try:
        offered = {
            d.indicator_id: d.name for d in figures_offered(peer_data.frame("council_indicators"))
        }
    except PanelProblem as problem:
        st.error(escape_md(str(problem)), icon=":material/error:")
if offered:
    figure = panels.widget(PEERS, "figure", options=list(offered), labels=offered,
                           value=next(iter(offered)), kind="select")  # fmt: skip
    peer_params = replace(peer_area, figure=figure)
    peer_built = panels.build(PEERS, peer_params)
    if not isinstance(peer_built, PanelProblem):
        st.caption("Real data: published council figures.")
    peer_shown = panels.show(PEERS, peer_params, peer_built, key="peer_chart")
    if peer_shown is not None:
        with st.expander("The peers and the numbers behind the chart"):
            st.dataframe(peer_shown.rows.frame, hide_index=True)

# 4. Which figures are synthetic; when data was read
spec = data.spec("outcomes")
show_synthetic_notice([spec.title or "outcomes"] if spec and spec.synthetic else [])
footer(state.last_loaded([state.dataset(n) for n in ("indicators", "areas", "council_figures")]))
