"""Care home quality: CQC ratings over time, by place and cluster."""

from datetime import date

import streamlit as st

from charts import care_homes as charts
from exports.csv import to_csv_bytes
from geo.clusters import dissolve_areas
from metrics import care_quality_changes as moves
from metrics import care_quality_market as market
from metrics import care_quality_select as select
from metrics import care_quality_time as series
from metrics.care_quality import rating_share_series
from metrics.care_quality_checks import data_date, describe_problems
from ui import auth, my_deck, state
from ui.charts import show_chart
from ui.filters import current
from ui.layout import footer, page_header, tile
from ui.messages import escape_md, show_empty, show_load_errors, show_synthetic_notice

ALL_PROVIDERS = "All providers"
f = current()
page_header(
    f"{f.area_name}: care home quality" if f.place_code else "Care home quality",
    "Are more care homes rated Good or Outstanding by the Care Quality Commission (CQC)? Shares of "
    "homes and of beds, over time and by cluster; which homes moved, and which are due a visit.",
)

homes_in, ratings_in, areas_in = (state.dataset(n) for n in ("care_homes", "cqc_ratings", "areas"))
bounds_in, events_in, targets_in = (state.dataset(n) for n in ("boundaries", "events", "targets"))
if not (homes_in.ok and ratings_in.ok and areas_in.ok):
    show_load_errors([homes_in, ratings_in, areas_in])
    st.stop()
today = date.today()
located = [bounds_in] if bounds_in.ok else []
base = state.derived(
    "care_homes_base", select.market_base, homes_in, ratings_in, areas_in, *located, today=today
)
in_place = select.select_homes(base.homes, f.place_code)
window = select.period_window(
    f.year_from, f.year_to, data_date(in_place, select.for_homes(in_place, base.ratings), today)
)
if window is None:
    show_empty(
        "care homes to show",
        f"No care home or rating is recorded for {f.area_name} in {f.period_label}.",
    )
    st.stop()
start, as_of = window
quarters = series.period_ends(start, as_of)
labels = [charts.day(d) for d in quarters[:-1]] or [charts.day(start)]
choices = select.provider_choices(in_place, as_of)

left, middle, right = st.columns([2, 3, 3])
setting = left.radio(
    "Homes", list(select.SETTINGS), key="homes_setting", bind="query-params", horizontal=True
)
provider = middle.selectbox(
    "Provider", [ALL_PROVIDERS, *choices], key="homes_provider", bind="query-params"
)
since_label = right.select_slider(
    "Compare with",
    labels,
    value=next((label for label in labels if label.startswith("31 Mar")), labels[0]),
    key="homes_since",
    bind="query-params",
    help="The date the change, the movement between ratings and the openings and closures are measured from.",
)
since = quarters[labels.index(since_label)] if since_label in labels else start

flagged = select.for_homes(in_place, base.problems)
# the homes held are the place's only for a whole-place grant (access.Scope.covers_place)
held = f.place_name if f.whole_place else "The clusters in your access"
if flagged.height:
    st.warning(
        f"{escape_md(held)}: {escape_md(describe_problems(flagged))} (a rating published before registration is "
        "usually one CQC carried over from the home's previous provider). They are left out of the "
        "figures below unless you tick the box; the Data page lists them.",
        icon=":material/event_busy:",
    )
    if st.checkbox(
        "Count ratings carried over from a previous registration, as CQC's website does",
        key="homes_carried_over",
        bind="query-params",
    ):
        base = state.derived(
            "care_homes_base",
            select.market_base,
            homes_in,
            ratings_in,
            areas_in,
            *located,
            today=today,
            keep_carried_over=True,
        )

chosen = select.select_homes(
    base.homes, f.place_code, f.cluster_code, setting=setting, provider_id=choices.get(provider)
)
rates = select.for_homes(chosen, base.ratings)
status = select.synthetic_status(chosen)
source = ratings_in.spec.source if ratings_in.spec else "CQC ratings"
note = {"source": source, "as_at": charts.day(as_of), "synthetic": status}
unlocated = select.for_homes(chosen, base.unlocated)
if chosen.is_empty():
    show_empty("care homes", f"None in {f.area_name} match the choices above.")
    st.stop()
show_synthetic_notice([f"care homes and CQC ratings in {f.place_name}"] if status else [])

st.header("Now, and the change since " + charts.day(since))
change = market.share_change(chosen, rates, since, as_of).row(0, named=True)
fresh = market.freshness_summary(chosen, rates, as_of)
tiles = market.headline_tiles(change, fresh, since, as_of, bool(status))
for column, t in zip(st.columns(4), tiles, strict=True):
    with column:
        tile(t, "CQC ratings")
st.caption(
    market.opened_closed_text(
        series.opened_closed(chosen, [since, as_of]).row(0, named=True), since
    )
)
if not f.cluster_code:
    in_scope = select.select_homes(
        base.homes, f.place_code, setting=setting, provider_id=choices.get(provider)
    )
    by_cluster = market.share_change(
        in_scope, select.for_homes(in_scope, base.ratings), since, as_of, by="cluster_name"
    )
    show_chart(
        charts.cluster_figure(by_cluster, since, **note), by_cluster, key="homes_clusters", **note
    )

st.header("Trend")
shares = rating_share_series(chosen, rates, quarters)
target = (
    select.target_for(targets_in.frame, [c for c in (f.cluster_code, f.place_code) if c])
    if targets_in.ok
    else None
)
events = select.events_for(events_in.frame, f.place_code, start, as_of) if events_in.ok else None
trend = charts.trend_figure(
    shares, area_name=f.area_name, since=since, target=target, events=events, **note
)
show_chart(
    trend, shares, key="homes_trend", slide=my_deck.current_view("care_home_quality"), **note
)

st.header("Ratings over time")
mix = series.rating_mix_series(chosen, rates, quarters)
show_chart(charts.mix_figure(mix, **note), mix, key="homes_mix", **note)

st.header("Movement between ratings")
transitions = moves.rating_transitions(chosen, rates, since, as_of)
show_chart(
    charts.transition_figure(transitions, since, as_of, **note),
    transitions,
    key="homes_moves",
    **note,
)
rerated = moves.transition_summary(moves.consecutive_transitions(rates, since, as_of))
st.caption(
    f"Re-inspections from {charts.day(since)} to {charts.day(as_of)}: {rerated['improved']} ratings went up, "
    f"{rerated['same']} stayed the same and {rerated['worse']} went down (a home inspected twice counts twice)."
)

st.header("Map")
rating_choice = st.multiselect(
    "Show homes rated",
    list(market.RATING_GROUPS),
    key="homes_rating",
    bind="query-params",
    placeholder="All ratings",
    help="Narrows the map and the table below.",
)
search = st.text_input(
    "Search the homes (name, provider, postcode or cluster)",
    key="homes_search",
    bind="query-params",
)
table = market.home_table(chosen, rates, as_of, ratings=rating_choice, search=search)
if bounds_in.ok:
    outlines = state.derived(
        "cluster_outlines",
        dissolve_areas,
        bounds_in,
        areas_in,
        to_type="cluster",
        tolerance=0.0005,
        decimals=5,
    )
    places = state.derived(
        "place_outlines",
        dissolve_areas,
        bounds_in,
        areas_in,
        to_type="place",
        tolerance=0.0005,
        decimals=5,
    )
    fig = charts.care_home_map(
        table,
        outlines,
        places,
        place_code=f.place_code,
        cluster_code=f.cluster_code,
        area_name=f.area_name,
        **note,
    )
    show_chart(fig, table, key="homes_map", **note)
else:
    show_load_errors([bounds_in])
if unlocated.height:
    st.info(
        f"{unlocated.height} home(s) have no map position or small area: they count in the figures for "
        f"{escape_md(held if f.whole_place else 'your access')} but are not on the map and in no cluster.",
        icon=":material/location_off:",
    )
    st.dataframe(
        unlocated.select("location_id", "location_name", "postcode", "missing"), hide_index=True
    )

st.header("Key questions")
questions = market.key_question_mix(chosen, rates, as_of)
show_chart(charts.key_question_figure(questions, **note), questions, key="homes_questions", **note)

st.header("Care homes")
st.caption(
    escape_md(
        f"{table.height} homes shown, registered on {charts.day(as_of)}. Click a column to sort."
    )
)
st.dataframe(
    table.drop("latitude", "longitude"),
    hide_index=True,
    key="homes_table",
    column_config={
        "location_id": st.column_config.TextColumn("CQC location ID"),
        "provider_id": st.column_config.TextColumn("CQC provider ID"),
        "beds": st.column_config.NumberColumn("beds", format="localized"),
        "rating": st.column_config.TextColumn("overall rating"),
        "last_rated": st.column_config.DateColumn("last rated", format="D MMM YYYY"),
        "years_since_rating": st.column_config.NumberColumn("years since rated", format="%.1f"),
        "freshness": st.column_config.TextColumn("time since rated"),
    },
)
auth.download_button(
    "Download the homes (CSV)",
    data=lambda: to_csv_bytes(table, source=source, as_at=charts.day(as_of), synthetic=status),
    file_name="placewise_care_homes.csv",
    mime="text/csv",
    key="homes_table_csv",
    icon=":material/download:",
    on_click="ignore",
)
footer(state.last_loaded([homes_in, ratings_in, areas_in]))
