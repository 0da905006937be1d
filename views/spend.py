"""Spend shift: is money moving from hospital (acute) care to community care and prevention?"""

import streamlit as st

from charts import spend as series_charts
from charts import spend_breakdown as breakdown
from charts import spend_text as words
from charts.theme import format_gbp_m
from loaders.contracts import ORGANISATIONS, POOLS, SETTING_GROUPS
from metrics import money, spend
from metrics.periods import financial_years_between, missing_years, with_all_years
from metrics.spend_target import ACUTE_TARGET as TARGET
from metrics.spend_target import acute_target
from metrics.suppression import round_people
from ui import my_deck, state
from ui.charts import show_chart
from ui.filters import current
from ui.layout import footer, page_header
from ui.messages import escape_md, show_data_error, show_empty, show_synthetic_notice
from ui.navigation import spend_years

# the spend-by-setting-group chart: in total, or per head of one population
PER = {"Total": None, "Per resident": "resident", "Per need-weighted head": "need-weighted head"}

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
names = ("spend", "settings", "deflators", "population", "areas", "targets", "events")
# the place's spend only: filtered at the source (SQL WHERE, parquet scan), not after loading
data = {name: state.dataset(name, where=f.where() if name == "spend" else None) for name in names}
for name in ("spend", "settings"):
    if not data[name].ok:
        show_data_error(data[name].error, needed_for="The spend shift")
        st.stop()
spend_rows, settings, areas = data["spend"].frame, data["settings"].frame, data["areas"]
all_years = spend_years(spend_rows)
years = financial_years_between(f.year_from, f.year_to) if f.year_from else all_years
no_deflator = (
    money.missing_deflator_years(all_years, data["deflators"].frame)
    if data["deflators"].ok
    else all_years
)
deflated = [y for y in all_years if y not in no_deflator]

# Page choices, bound to the URL like the sidebar's
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    orgs = c1.multiselect("Organisations", ORGANISATIONS, format_func=words.ORGANISATION_LABELS.get,
                          key="spend_orgs", bind="query-params", placeholder="All organisations")  # fmt: skip
    pools = c2.multiselect("Pools", POOLS, format_func=words.POOL_LABELS.get, key="spend_pools",
                           bind="query-params", placeholder="All pools")  # fmt: skip
    groups = c3.multiselect("Setting groups", SETTING_GROUPS, format_func=words.GROUP_LABELS.get,
                            key="spend_groups", bind="query-params", placeholder="All settings")  # fmt: skip
    c1, c2, c3 = st.columns(3)
    prices = c1.radio("Prices", ["Cash", "Real terms"], key="spend_prices", horizontal=True, bind="query-params",
                      help="Real terms take out general inflation with the ONS GDP deflator (financial-year means).")  # fmt: skip
    base = c2.selectbox("Real terms at the prices of", deflated or ["none"], index=max(len(deflated) - 1, 0),
                        key="spend_base", bind="query-params", disabled=prices == "Cash")  # fmt: skip
    per_choice = c3.radio(
        "Spend by setting group", list(PER), key="spend_per", horizontal=True, bind="query-params"
    )
    per = PER[per_choice]

real = prices == "Real terms" and bool(deflated)
if prices == "Real terms" and not real:
    show_data_error(data["deflators"].error, needed_for="Real terms (figures are in cash instead)")
source = data["spend"].spec.source + ("; ONS GDP deflator" if real else "")
ft = words.Footer(source, f"{all_years[-1]} outturn", data["spend"].spec.synthetic,
                  f"{base} prices" if real else "cash")  # fmt: skip
furniture = {"source": ft.source, "as_at": ft.as_at, "synthetic": ft.synthetic}
choice = {
    "organisations": orgs,
    "pools": pools,
    "setting_groups": groups,
    "year_from": years[0],
    "year_to": years[-1],
}
place_rows = money.select_spend(spend_rows, settings, place_code=f.place_code, **choice)
rows = money.select_spend(
    spend_rows, settings, place_code=f.place_code, area_code=f.cluster_code, **choice
)
if real:
    place_rows, rows = (
        money.to_real_terms(r, data["deflators"].frame, base) for r in (place_rows, rows)
    )

# Bad input: unknown codes, missing years, negative amounts
for problem in state.derived(
    "spend_unknown_codes", money.unknown_codes, data["spend"], data["settings"]
):
    st.warning(escape_md(
        f"Spend has {problem.column} codes that are not defined: {', '.join(problem.unknown)} "
        f"({problem.rows:,} rows, {format_gbp_m(problem.amount_gbp)} in all). They are left out of every "
        f"figure on this page. Known {problem.column} codes: {', '.join(problem.known)}."
    ), icon=":material/warning:")  # fmt: skip
area_names = dict(areas.frame.select("area_code", "area_name").iter_rows()) if areas.ok else {}
gaps = missing_years(place_rows, years, by="area_code")
if gaps.height:
    listed = "; ".join(f"{area_names.get(a, a)} {y}" for a, y in gaps.iter_rows())
    st.info(
        escape_md(f"No spend recorded for {listed}: shown as gaps, never as zero."),
        icon=":material/info:",
    )
n_negative, negative = money.negative_amounts(rows)
if n_negative:
    st.info(escape_md(f"{n_negative:,} negative amounts (refunds or transfers) totalling "
                      f"{format_gbp_m(negative)} are kept in every total."), icon=":material/info:")  # fmt: skip

# 1. Headline: the acute share and ratio, first and last year, and the target
yearly = with_all_years(spend.acute_share(rows, settings), years)
st.header(escape_md(words.headline(yearly, f.area_name)))
target = acute_target(spend_rows, settings, data["targets"].frame if data["targets"].ok else None,
                      place_code=f.place_code, cluster_code=f.cluster_code)  # fmt: skip
target_series, progress, summary = target.series, target.progress, target.summary
base_year, target_place = target.base_year, area_names.get(target.area_code, f.area_name)
totals = spend.first_and_last(yearly, "total_gbp")
cols = st.columns(4)
for col, tile in zip(cols, words.headline_tiles(yearly, ft.prices), strict=False):
    col.metric(**tile)
target_note = words.target_text(summary, TARGET, base_year, target_place)
cols[3].metric(
    "Acute spend target",
    summary["status"].capitalize() if summary else "None set",
    help=escape_md(target_note),
)
st.caption(escape_md(target_note))

# 2. Spend by setting group per year, in total or per head
st.header("Spend by setting group")
by_group = spend.spend_by_setting_group(rows, settings)
if per and data["population"].ok and areas.ok:
    indicator = money.RESIDENTS if per == "resident" else money.WEIGHTED
    level = "cluster" if f.cluster_code else "place"
    population = state.derived(f"spend_population_{indicator}_{level}", money.area_population, data["population"],
                               areas, indicator_id=indicator, area_type=level)  # fmt: skip
    by_group = money.per_head(by_group, population, area_code=f.area_code)
elif per:
    show_data_error(
        data["population"].error or areas.error, needed_for="Spend per head (totals shown)"
    )
    per = None
fig, drawn = series_charts.setting_group_figure(by_group, years=years, footer=ft, area_name=f.area_name,
                                                value="per_head" if per else "amount_gbp", per=per)  # fmt: skip
show_chart(
    fig,
    round_people(drawn),
    key="spend_by_group",
    slide=my_deck.current_view("spend_by_group"),
    **furniture,
)

# 3. Acute share and ratio over time, against the target trajectory, with events
st.header("Acute share over time, against the target")
fig, drawn = series_charts.acute_share_figure(
    yearly, footer=ft, area_name=f.area_name, target_series=target_series, progress=progress,
    target_note=words.target_text(summary, TARGET, base_year, target_place, short=True) if summary else "",
    target_base=base_year, events=data["events"].frame if data["events"].ok else None,
    event_areas=(f.place_code, f.cluster_code),
)  # fmt: skip
show_chart(
    fig, drawn, key="spend_acute_share", slide=my_deck.current_view("acute_share"), **furniture
)

# 4. Waterfall of the change by setting between the first and last years with spend
st.header("What changed between the first and last year")
if totals and totals[0]["financial_year"] != totals[1]["financial_year"]:
    y0, y1 = totals[0]["financial_year"], totals[1]["financial_year"]
    fig, drawn = breakdown.waterfall_figure(money.change_between(rows, y0, y1), settings, year_from=y0,
                                            year_to=y1, footer=ft, area_name=f.area_name)  # fmt: skip
    show_chart(fig, drawn, key="spend_waterfall", **furniture)
else:
    show_empty("change to show", "Choose a range of at least two financial years with spend.")

# 5. Organisations and pools, and one pool's table by organisation and year
st.header("Organisations and pools")
pool_totals = money.totals_by(rows, ["organisation", "pool"])
last_year = totals[1]["financial_year"] if totals else years[-1]
fig, drawn = breakdown.pool_figure(pool_totals, year=last_year, footer=ft, area_name=f.area_name)
show_chart(fig, drawn, key="spend_pools_chart", **furniture)
table_pool = st.selectbox("Pool in the table", list(pools or POOLS), format_func=words.POOL_LABELS.get,
                          key="spend_table_pool", bind="query-params")  # fmt: skip
fig, drawn = breakdown.pooled_table_figure(
    pool_totals, pool=table_pool, years=years, footer=ft, area_name=f.area_name
)
show_chart(fig, drawn, key="spend_pool_table", **furniture)

# 6. Spend per head by cluster, within the place
st.header("Spend per head by cluster")
if data["population"].ok and areas.ok and f.place_code:
    residents, weighted = (
        state.derived(f"spend_population_{i}_cluster", money.area_population, data["population"], areas,
                      indicator_id=i, area_type="cluster")
        for i in (money.RESIDENTS, money.WEIGHTED)
    )  # fmt: skip
    clusters = money.cluster_comparison(place_rows, areas.frame, residents, weighted, last_year)
    fig, drawn = breakdown.cluster_figure(clusters, selected=f.cluster_code, year=last_year, footer=ft,
                                          place_name=f.place_name or "")  # fmt: skip
    show_chart(fig, round_people(drawn), key="spend_clusters", **furniture)
else:
    show_data_error(data["population"].error or areas.error, needed_for="Spend per head by cluster")

# 7. Budget against outturn
st.header("Budget against outturn")
fig, drawn = series_charts.variance_figure(
    money.budget_variance(rows), years=years, footer=ft, area_name=f.area_name
)
show_chart(fig, drawn, key="spend_variance", **furniture)

show_synthetic_notice([data["spend"].spec.title] if data["spend"].spec.synthetic else [])
footer(state.last_loaded(list(data.values())))
