"""About: what Placewise is for, where its data comes from, and the licences."""

import streamlit as st

from ui import auth, data_tables, state
from ui.layout import footer, page_header

page_header(
    "About Placewise",
    "Placewise shows a health and care partnership's board whether its three promises are "
    "being kept: spend moving from hospital care to community care and prevention, care home "
    "quality rising, and care organised around neighbourhood clusters of 30,000 to 80,000 people.",
)

st.markdown(
    """
It joins NHS and council spend, CQC care home ratings, and small-area population data by
neighbourhood cluster, for four places: **Oldham, Bolton, Manchester and Wirral**.

**Who it is for.** Board members reading charts before and during meetings; commissioners
filtering by place and cluster and downloading the rows behind a chart; presenters showing
views at partnership meetings.

**Real and synthetic data.** Boundaries, areas, population, deprivation, disability and
Oldham's care homes with their full CQC rating history are real published data. Spend,
outcome indicators, and care homes and ratings outside Oldham are **synthetic**: generated to
match facts published by the four partnerships, and marked as synthetic wherever they appear.
Cluster definitions are illustrative groupings of wards unless a partnership has published its own.
"""
)

st.header("Sign-in and access")
if (open_access := auth.open_access_text()) is not None:
    st.info(open_access, icon=":material/lock_open:")
else:
    st.markdown(
        "Sign-in is configured: each person sees only the places and clusters their access "
        "grants, and downloads only if it includes them."
    )

st.header("Data sources")
catalog, catalog_error = state.get_catalog()
if catalog is None:
    st.warning("The data catalog could not be read; see the Data page for the problems.")
else:
    loaded = state.all_datasets()
    sources = data_tables.sources_table(loaded)
    data_tables.show_table(sources, height=36 * (sources.height + 1) + 3)

st.header("Licences")
st.markdown(
    """
- Contains public sector information licensed under the Open Government Licence v3.0.
- Contains OS data © Crown copyright and database right.
- CQC ratings: Care Quality Commission, Open Government Licence v3.0. Location ratings are not provider ratings.
- Placewise's code is open source under the MIT licence.
"""
)
footer(state.last_loaded(loaded) if catalog else None)
