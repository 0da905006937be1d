"""Neighbourhoods: population need by cluster and small area, on maps and with honest comparisons."""

from dataclasses import replace

import streamlit as st

from access.scope import place_withheld
from geo.maps import clicked_code
from panels.core import PanelProblem
from panels.neighbourhoods import CONFIDENCE, DEFAULT_MEASURE, page_choices
from ui import panels, state
from ui.data_tables import profile_columns
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_empty, show_load_errors, show_synthetic_notice

P = "cluster_map"  # every neighbourhood panel takes the same parameters (HoodParams)
f = current()
page_header(
    f"{f.place_name}: neighbourhoods" if f.place_name else "Neighbourhoods",
    "Who lives in each neighbourhood cluster, and where need is greatest: population, age, "
    "deprivation and disability by cluster and small area, compared with the place and England.",
)
loaded = [state.dataset(name) for name in ("population", "areas", "indicators")]
if not all(item.ok for item in loaded):
    show_load_errors(loaded)
    st.stop()
if not f.place_code:
    show_empty("place chosen", "Choose a place in the sidebar to see its clusters.")
    st.stop()

# 1. The indicators the data offers, then the page's widgets
area = panels.params_for(P, place=f.place_code, cluster=f.cluster_code)
data = panels.data_for("cluster_table", area)  # the same loads as the panels, without the map's
measures = page_choices(data) if not isinstance(data, PanelProblem) else data
if isinstance(measures, PanelProblem):
    st.error(escape_md(str(measures)), icon=":material/error:")
    st.stop()
top = st.columns([3, 2, 2, 1])
chosen = {
    "indicator": panels.widget(P, "indicator", options=list(measures), labels=measures,
                               value=DEFAULT_MEASURE, kind="select", where=top[0]),
    "level": panels.widget(P, "level", where=top[1]),
    "scheme": panels.widget(P, "scheme", where=top[2]),
    "confidence": panels.widget(P, "confidence", where=top[3], horizontal=False),
}  # fmt: skip
params = replace(area, **chosen)


def choose_cluster() -> None:
    """A click on the map chooses that area's cluster in the global filter (and the URL)."""
    picked = clicked_code(st.session_state.get("hoods_map"))
    if picked:
        st.session_state["cluster"] = picked


# 2. The map (a click chooses a cluster); without boundaries the rest of the page still draws
if not f.whole_place:
    st.caption(
        escape_md(place_withheld(f.place_name))
        + ": figures are shown for your clusters and England."
    )
st.header("Map")
if failed := panels.failed_inputs(P, params):
    show_load_errors(failed)
    st.caption("The map needs the boundaries; the profile, chart and table below still work.")
else:
    panels.show(P, params, key="hoods_map", on_select=choose_cluster)

# 3. The chosen area's profile, the clusters compared, and the numbers behind the map
st.header(f"Profile: {escape_md(f.area_name)}")
left, right = st.columns([2, 3])
with left:
    panels.show("area_ages", params, key="hoods_ages")
with right:
    columns = profile_columns(
        f.area_name, f.place_name, f.whole_place, CONFIDENCE[chosen["confidence"]]
    )
    panels.table("area_profile", params, key="hoods_profile", column_config=columns)
st.header("Compare clusters")
panels.show("cluster_compare", params, key="hoods_compare")
st.header("The numbers behind the map")
panels.table("cluster_table", params, key="hoods_table")

# 4. Which figures are synthetic; when data was read
spec = loaded[0].spec
show_synthetic_notice([spec.title or "population"] if spec and spec.synthetic else [])
footer(state.last_loaded(loaded))
