"""Neighbourhoods: population need by cluster and small area, on maps and with honest comparisons."""

import streamlit as st

from access.scope import place_withheld
from charts import neighbourhoods as charts
from exports.csv import to_csv_bytes
from geo.maps import clicked_code
from metrics import population as pop
from metrics.rates import LEVELS
from metrics.suppression import display_counts
from ui import auth, panels, state
from ui.charts import show_chart
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_empty, show_load_errors

LEVEL_CHOICES = {"Clusters": "cluster", "Small areas (LSOA)": "lsoa"}
SCHEME_CHOICES = {"Continuous": "continuous", "Quintiles": "quintiles", "Deciles": "deciles"}
DEFAULT_MEASURE = "Residents aged 65+ (share of residents)"

f = current()
page_header(
    f"{f.place_name}: neighbourhoods" if f.place_name else "Neighbourhoods",
    "Who lives in each neighbourhood cluster, and where need is greatest: population, age, "
    "deprivation and disability by cluster and small area, compared with the place and England.",
)
pop_in, areas_in, ind_in = (state.dataset(n) for n in ("population", "areas", "indicators"))
bounds_in = state.dataset("boundaries")
if not (pop_in.ok and areas_in.ok and ind_in.ok):
    show_load_errors([pop_in, areas_in, ind_in])
    st.stop()
if not f.place_code:
    show_empty("place chosen", "Choose a place in the sidebar to see its clusters.")
    st.stop()

measures = state.derived("hoods_measures", pop.measures, ind_in, pop_in)
values = state.derived("hoods_values", pop.all_values, pop_in, areas_in, ind_in)
by_name = {m.name: m for m in measures}
names = list(by_name)
top = st.columns([3, 2, 2, 1])
name = top[0].selectbox(
    "Indicator",
    names,
    index=names.index(DEFAULT_MEASURE) if DEFAULT_MEASURE in names else 0,
    key="hoods_indicator",
    bind="query-params",
)
level_label = top[1].radio(
    "Map by", list(LEVEL_CHOICES), key="hoods_level", bind="query-params", horizontal=True
)
scheme_label = top[2].radio(
    "Colours",
    list(SCHEME_CHOICES),
    key="hoods_scale",
    bind="query-params",
    horizontal=True,
    help="Continuous shading, or five or ten groups with equal numbers of areas.",
)
confidence_label = top[3].radio(
    "Confidence",
    list(LEVELS),
    key="hoods_confidence",
    bind="query-params",
    help="Level of the confidence intervals used to call a difference significant (Fingertips uses 95% and 99.8%).",
)
measure = by_name[name]
confidence = LEVELS[confidence_label]
level = LEVEL_CHOICES[level_label]
measure_values = values[measure.measure_id]
period = pop.period_label(pop.as_at(measure_values))
source = pop_in.spec.source if pop_in.spec else "Population data"
note = {"source": source, "as_at": period}
if level == "lsoa" and not pop.has_level(measure_values, "lsoa"):
    level = "cluster"  # the map panel says so above the map
clusters = pop.compare_areas(
    measure_values,
    areas_in.frame,
    measure,
    level="cluster",
    place_code=f.place_code,
    confidence=confidence,
    whole_place=f.whole_place,
)
rows = (
    clusters
    if level == "cluster"
    else pop.compare_areas(
        measure_values,
        areas_in.frame,
        measure,
        level="lsoa",
        place_code=f.place_code,
        confidence=confidence,
        whole_place=f.whole_place,
    )
)

if not pop.has_values(clusters):
    st.info(
        f"{escape_md(measure.name)} is a small-area measure that cannot be added up or averaged "
        "into clusters: "
        "choose Small areas (LSOA), or a measure such as the IMD score or the share of residents in "
        "England's most deprived 20% of areas.",
        icon=":material/info:",
    )


def choose_cluster() -> None:
    """A click on the map chooses that area's cluster in the global filter (and the URL)."""
    picked = clicked_code(st.session_state.get("hoods_map"))
    if picked:
        st.session_state["cluster"] = picked


if not f.whole_place:
    st.caption(
        escape_md(place_withheld(f.place_name))
        + ": figures are shown for your clusters and England."
    )
st.header("Map")
if bounds_in.ok:
    chosen = {"indicator": measure.measure_id, "level": LEVEL_CHOICES[level_label],
              "scheme": SCHEME_CHOICES[scheme_label], "confidence": confidence_label.rstrip("%")}  # fmt: skip
    map_params = panels.params_for("cluster_map", place=f.place_code, cluster=f.cluster_code,
                                   **chosen)  # fmt: skip
    panels.show("cluster_map", map_params, key="hoods_map", on_select=choose_cluster)
else:
    show_load_errors([bounds_in])
    st.caption("The map needs the boundaries; the profile, chart and table below still work.")

area_code = f.cluster_code or f.place_code
area_name = f.cluster_name or f.place_name
st.header(f"Profile: {escape_md(area_name)}")
left, right = st.columns([2, 3])
with left:
    ages = pop.age_shares(
        values, area_code=area_code, place_code=f.place_code, whole_place=f.whole_place
    )
    age_fig = charts.age_figure(
        ages, area_name=area_name, place_name=f.place_name, period=period, **note
    )
    show_chart(age_fig, ages, key="hoods_ages", **note)
with right:
    profile = pop.profile(
        values,
        measures,
        area_code=area_code,
        place_code=f.place_code,
        confidence=confidence,
        whole_place=f.whole_place,
    )
    st.dataframe(
        profile,
        hide_index=True,
        key="hoods_profile",
        column_config={
            "value": st.column_config.NumberColumn(area_name, format="localized"),
            "lower": st.column_config.NumberColumn(f"lower {confidence_label}", format="%.1f"),
            "upper": st.column_config.NumberColumn(f"upper {confidence_label}", format="%.1f"),
            "place_value": st.column_config.NumberColumn(
                f.place_name if f.whole_place else f"{f.place_name} (not in your access)",
                format="localized",
            ),
            "england_value": st.column_config.NumberColumn("England", format="localized"),
            "vs_place": st.column_config.TextColumn(f"vs {f.place_name}"),
            "vs_england": st.column_config.TextColumn("vs England"),
            "period": st.column_config.DateColumn("period", format="D MMM YYYY"),
        },
    )
    st.caption(
        "Significantly higher or lower when the comparator lies outside the interval "
        "(Wilson score for proportions). Blank: suppressed (1 to 7 people) or not comparable."
    )

st.header("Compare clusters")
compare = charts.compare_figure(
    clusters,
    measure,
    place_name=f.place_name,
    confidence_label=confidence_label,
    period=period,
    place_withheld="" if f.whole_place else place_withheld(f.place_name),
    **note,
)
show_chart(
    compare, display_counts(clusters, ["numerator", "denominator"]), key="hoods_compare", **note
)

st.header("The numbers behind the map")
table = display_counts(rows, ["numerator", "denominator"])
st.caption(
    escape_md(
        f"{rows.height} {level_label.lower()} in {f.place_name if f.whole_place else 'your access'}, "
        f"{measure.name}, {period}. "
        "Counts of people are rounded to the nearest 5; * means 1 to 7 people (or a second cell hidden "
        "so the first cannot be worked out from the total)."
    )
)
st.dataframe(table, hide_index=True, key="hoods_table")
auth.download_button(
    "Download the table (CSV)",
    data=lambda: to_csv_bytes(table, **note),
    file_name=f"placewise_neighbourhoods_{measure.measure_id}_{level}.csv",
    mime="text/csv",
    key="hoods_table_csv",
    icon=":material/download:",
    on_click="ignore",
)
footer(state.last_loaded([pop_in, areas_in, ind_in]))
