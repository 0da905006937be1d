"""Data: every dataset, whether it loaded, what it is, and the indicator definitions.

Admins (and open mode) also see the catalog's location, the full error messages, and the
Reload data button (process-wide, at most once every ui.reload.INTERVAL_SECONDS).
"""

from datetime import date

import streamlit as st

from exports.csv import download_name, to_csv_bytes
from loaders.coverage import period_covered
from metrics.care_quality_checks import describe_problems, rating_date_problems
from metrics.disclosure import NOTE as DISCLOSURE_NOTE
from metrics.disclosure import needs_protection, protect_observations
from ui import auth, data_tables, reload, state
from ui.layout import footer, page_header
from ui.messages import escape_md, sees_details, show_data_error, show_no_rows

#: the disclosure rule for downloads (to be replaced by the constant in metrics.disclosure)
DISCLOSURE_RULE = (
    "Disclosure control: counts of 1 to 7 people or events below place level are withheld, "
    "other counts below place level are rounded to the nearest 5, and every rate, proportion "
    "and confidence limit below place level is recomputed from the rounded counts (or withheld "
    "with them). For a proportion, the people not counted (denominator minus numerator) are "
    "checked too."
)

page_header(
    "Data",
    "Every dataset behind Placewise: whether it loaded, whether it is real or synthetic, "
    "how many rows it has and what period it covers.",
)

admin = sees_details()
catalog, catalog_error = state.get_catalog()
if admin and st.button(
    "Reload data",
    icon=":material/refresh:",
    help="Read every file and database again, for everyone using Placewise",
    key="reload_data",
):
    wait = reload.claim()
    if wait is None:
        state.reload_data()
        st.rerun()
    st.warning(reload.wait_message(wait), icon=":material/schedule:")

if catalog_error is not None:
    show_data_error(catalog_error)
    st.stop()

if admin:  # the server path is for the people who manage the data
    st.caption(escape_md(f"Catalog: {catalog.title or catalog.path.name} ({catalog.path})"))
elif catalog.title:
    st.caption(escape_md(f"Catalog: {catalog.title}"))
loaded = state.all_datasets()
table = data_tables.status_table(loaded)
failed = [item for item in loaded if not item.ok]
st.markdown(
    f"**{len(loaded) - len(failed)} of {len(loaded)} datasets loaded.**"
    + (f" {len(failed)} failed: see the messages below." if failed else "")
)
data_tables.show_table(
    table,
    key="data_status",
    height=36 * (table.height + 1) + 3,
    column_config={
        "load time (ms)": st.column_config.NumberColumn("Load time (ms)", format="%.1f")
    },
)
if steps := data_tables.transform_lines(loaded):
    with st.expander("What the catalog's transforms did", icon=":material/transform:"):
        st.markdown("\n".join(steps))
        st.caption(
            "The same report, for any catalog: `python -m loaders.check path/to/catalog.toml`."
        )
for item in failed:
    show_data_error(item.error)
show_no_rows([item.name for item in loaded if item.ok and item.rows == 0])

st.header("Download a dataset")
st.caption(escape_md(DISCLOSURE_RULE))
tables = [item for item in loaded if item.ok and item.spec.contract != "boundaries"]
if tables:
    choice = st.selectbox("Dataset", [item.name for item in tables], key="download_dataset")
    chosen = next(item for item in tables if item.name == choice)
    protect = needs_protection(chosen.spec.contract)
    areas_item, indicators_item = state.dataset("areas"), state.dataset("indicators")
    if protect and not (areas_item.ok and indicators_item.ok):
        # fail closed: without the area levels and indicator rules, small counts cannot be found
        st.warning(
            f"**{escape_md(choice)} cannot be downloaded here.** Its small-area counts need "
            "disclosure control, which needs the areas and indicators datasets; one of them did "
            "not load (see the messages above).",
            icon=":material/lock:",
        )
    else:

        def download_rows():
            if not protect:
                return chosen.frame
            return protect_observations(chosen.frame, areas_item.frame, indicators_item.frame)

        auth.download_button(  # row-level data: only for people whose access includes downloads
            f"Download {choice} as CSV",
            data=lambda: to_csv_bytes(
                download_rows(),
                source=chosen.spec.source or chosen.spec.title,
                synthetic=chosen.spec.synthetic,
                extra_notes=(DISCLOSURE_NOTE,) if protect else (),
            ),
            file_name=download_name(
                choice, None, period_covered(chosen.frame, chosen.spec.contract), "csv"
            ),  # fmt: skip
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
        )
        if protect:
            st.caption(escape_md(DISCLOSURE_NOTE) + ".")

st.header("Indicator definitions")
indicators = state.dataset("indicators")
if indicators.ok:
    data_tables.show_table(
        data_tables.indicator_table(indicators.frame),
        key="data_indicators",
    )
else:
    show_data_error(indicators.error, needed_for="The indicator definitions")

st.subheader("Care home ratings set aside")

homes_item, ratings_item = state.dataset("care_homes"), state.dataset("cqc_ratings")
if homes_item.ok and ratings_item.ok:
    flagged = state.derived(
        "cqc_rating_problems", rating_date_problems, homes_item, ratings_item, today=date.today()
    )
    if flagged.height:
        st.markdown(
            f"**{describe_problems(flagged)}.** A rating published before registration is usually "
            "one CQC carried over from the home's previous provider. The Care home quality page "
            "leaves these out unless its *Count ratings carried over* box is ticked; ratings "
            "dated after today are always left out."
        )
        data_tables.show_table(flagged, key="data_cqc_flags")
    else:
        st.caption("No CQC rating is dated before its home's registration or after today.")
else:
    st.caption("Care homes or CQC ratings did not load: see the messages above.")

footer(state.last_loaded(loaded))
