"""Global filters (place, cluster, period), bound to the URL so a copied link reproduces the view.

The areas frame passed in is already limited to the signed-in person's scope (ui/state), so the
lists only offer permitted places and clusters. A link naming any other area is refused here
(`Filters.refused`) rather than silently swapped for a permitted one, so the person knows why.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from ui import auth
from ui.urlparams import url_text

ALL_CLUSTERS = "All clusters"
_STATE_KEY = "_placewise_filters"


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar; codes are None when nothing is chosen."""

    place_code: str | None = None
    place_name: str | None = None
    cluster_code: str | None = None
    cluster_name: str | None = None
    year_from: str | None = None
    year_to: str | None = None
    #: the area named in the URL that the person may not see, as markdown (the URL's value in a
    #: code span, ui.urlparams.url_text, so it can never be a link)
    refused: str | None = None
    #: the person's access covers the chosen place as a whole (access.Scope.covers_place), so
    #: place totals and place comparators may be shown; False for a cluster-only grant
    whole_place: bool = True

    def where(self, column: str = "place_code") -> dict[str, str] | None:
        """The chosen place as a filter pushed down to the data source (None: every place)."""
        return {column: self.place_code} if self.place_code else None

    @property
    def area_code(self) -> str | None:
        """The cluster if one is chosen, else the place."""
        return self.cluster_code or self.place_code

    @property
    def area_name(self) -> str:
        return self.cluster_name or self.place_name or "all places"

    @property
    def period_label(self) -> str:
        if self.year_from and self.year_to and self.year_from != self.year_to:
            return f"{self.year_from} to {self.year_to}"
        return self.year_to or self.year_from or "all years"


def render_filters(
    areas: pl.DataFrame | None, years: list[str], default_place: str = ""
) -> Filters:
    """Draw the sidebar filters and return the current choice (also kept for the pages).

    `default_place` (a place code, from the catalog) is selected when the URL names none.
    """
    scope = auth.current_scope()
    if areas is not None and not areas.is_empty():
        places = (
            areas.filter(pl.col("area_type") == "place")
            .select("area_code", "area_name")
            .sort("area_name")
        )
        names = places["area_name"].to_list()
        codes = places["area_code"].to_list()
        refused = None if scope.unrestricted else _outside(areas, names, codes)
        if refused:
            st.session_state[_STATE_KEY] = Filters(refused=refused)
            return st.session_state[_STATE_KEY]
    with st.sidebar:
        st.markdown("### Filters")
        if areas is None or areas.is_empty():
            st.caption("Place and cluster filters need the areas dataset, which is not loaded.")
            filters = Filters()
        else:
            place_name = st.selectbox(
                "Place",
                names,
                index=codes.index(default_place) if default_place in codes else 0,
                key="place",
                bind="query-params",
                help="The borough (local authority area) whose partnership you are looking at.",
            )
            place_code = places.filter(pl.col("area_name") == place_name)["area_code"].item()
            clusters = (
                areas.filter(
                    (pl.col("area_type") == "cluster") & (pl.col("parent_code") == place_code)
                )
                .select("area_code", "area_name")
                .sort("area_name")
            )
            whole = scope.covers_place(place_code)
            cluster_name = st.selectbox(
                "Cluster",
                # a cluster-only grant does not cover the place total
                ([ALL_CLUSTERS] if whole else []) + clusters["area_name"].to_list(),
                index=0,
                key="cluster",
                bind="query-params",
                help="A neighbourhood cluster of 30,000 to 80,000 people within the place.",
            )
            cluster_code = None
            if cluster_name != ALL_CLUSTERS:
                cluster_code = clusters.filter(pl.col("area_name") == cluster_name)[
                    "area_code"
                ].item()
            filters = Filters(
                place_code,
                place_name,
                cluster_code,
                None if cluster_code is None else cluster_name,
                whole_place=whole,
            )
        if years:
            if len(years) > 1:
                year_from, year_to = st.select_slider(
                    "Financial years",
                    options=years,
                    value=(years[0], years[-1]),
                    key="period",
                    bind="query-params",
                    help="Financial years run from 1 April to 31 March.",
                )
            else:
                year_from = year_to = years[0]
            filters = Filters(**{**filters.__dict__, "year_from": year_from, "year_to": year_to})
    st.session_state[_STATE_KEY] = filters
    return filters


def _outside(areas: pl.DataFrame, names: list[str], codes: list[str]) -> str | None:
    """The place or cluster named in the URL if it is not among the permitted ones."""
    place = st.query_params.get("place")
    if place and place not in names and place not in codes:
        return f"The place {url_text(place)}"
    cluster = st.query_params.get("cluster")
    visible = areas.filter(pl.col("area_type") == "cluster")
    if (
        cluster
        and cluster != ALL_CLUSTERS
        and cluster not in visible["area_name"].to_list()
        and cluster not in visible["area_code"].to_list()
    ):
        return f"The cluster {url_text(cluster)}"
    return None


def current() -> Filters:
    """The filters chosen in this run (empty if the sidebar has not been drawn)."""
    return st.session_state.get(_STATE_KEY, Filters())
