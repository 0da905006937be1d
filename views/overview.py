"""Overview: the headline numbers for the chosen place or cluster, and the outcomes grid."""

import streamlit as st

from panels.core import PanelProblem
from ui import panels, state
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import show_data_error, show_empty, show_load_errors, show_synthetic_notice
from ui.spc_grid import board_section

P = "overview_tiles"
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
if not f.place_code:
    show_empty("place chosen", "Choose a place on the left to see its headline figures.")
    st.stop()

# 1. The sidebar's place, cluster and years are all the Overview's choices
params = panels.params_for(P, place=f.place_code, cluster=f.cluster_code, year_from=f.year_from,
                           year_to=f.year_to)  # fmt: skip

# 2. The headline tiles (each with its change since the first year chosen), then the grid
headline = panels.show(P, params, per_row=4, tiles_only=True)
grid = panels.build("spc_grid", params)
failed = panels.failed_inputs("spc_grid", params) if isinstance(grid, PanelProblem) else []
board_section(grid, f.place_name, f.cluster_code, failed=failed)

# 3. Each dataset that failed, named once; which figures are synthetic; when data was read
data = panels.data_for(P, params)
inputs = list(data.inputs.values()) if not isinstance(data, PanelProblem) else []
show_load_errors(inputs)
synthetic = list(headline.extras.get("synthetic", [])) if headline is not None else []
if not isinstance(grid, PanelProblem) and grid.caption.synthetic and "outcomes" in catalog.datasets:
    synthetic.append(catalog.datasets["outcomes"].title or "Outcomes")
show_synthetic_notice(synthetic)
footer(state.last_loaded([state.dataset(i.name) for i in inputs
                              if i.name not in ("spend", "outcomes")]))  # fmt: skip  # pushed down
