"""Every canonical table, cut to a scope: no row of another place survives, and the rows of the
permitted place all do."""

from __future__ import annotations

import polars as pl
import pytest

from access import RULES, Scope, restrict, visibility
from loaders.contracts import CONTRACTS
from tests.access.conftest import BOLTON, OLDHAM, OLDHAM_EAST


@pytest.fixture(scope="module")
def oldham(tree):
    return visibility(Scope(frozenset({OLDHAM})), tree)


@pytest.fixture(scope="module")
def east(tree):
    return visibility(Scope(frozenset(), frozenset({OLDHAM_EAST})), tree)


def places_of(frame, tree, column="area_code"):
    codes = frame[column].to_list() if isinstance(frame, pl.DataFrame) else list(frame[column])
    return {tree.place_of(c) for c in codes if c is not None}


def test_every_contract_has_a_rule():
    assert set(RULES) == set(CONTRACTS)


def test_an_unknown_contract_shows_no_rows(sample, oldham):
    frame = sample["spend"][1]
    assert restrict(frame, "new_table", oldham).height == 0


@pytest.mark.parametrize("name", ["spend", "outcomes", "population", "targets", "areas"])
def test_an_oldham_scope_keeps_only_oldham_and_england(sample, tree, oldham, name):
    contract, frame = sample[name]
    out = restrict(frame, contract, oldham)
    assert places_of(out, tree) <= {OLDHAM, None}  # None: England, above place level
    full_oldham = sum(tree.place_of(c) == OLDHAM for c in frame["area_code"])
    assert out.height >= full_oldham > 0
    assert out.height < frame.height


def test_spend_for_oldham_has_no_bolton_rows_and_keeps_every_oldham_pound(sample, oldham):
    _, frame = sample["spend"]
    out = restrict(frame, "spend", oldham)
    assert out.filter(pl.col("place_code") == BOLTON).height == 0
    want = frame.filter(pl.col("place_code") == OLDHAM)["amount_gbp"].sum()
    assert out["amount_gbp"].sum() == pytest.approx(want)


def test_a_cluster_scope_keeps_only_that_clusters_rows(sample, east):
    for name in ("spend", "outcomes", "targets"):
        contract, frame = sample[name]
        out = restrict(frame, contract, east)
        assert out.height > 0, name
        assert set(out["area_code"]) == {OLDHAM_EAST}, name


def test_population_for_a_cluster_has_its_lsoas_and_england_only(sample, tree, east):
    _, frame = sample["population"]
    out = restrict(frame, "observations", east)
    kinds = {tree.kind[c] for c in out["area_code"].unique()}
    assert kinds == {"cluster", "lsoa", "england"}
    lsoas = [c for c in out["area_code"].unique() if tree.kind[c] == "lsoa"]
    assert all(OLDHAM_EAST in tree.ancestors(c) for c in lsoas)


def test_care_homes_and_their_ratings_follow_the_scope(sample, tree, oldham, east):
    _, homes = sample["care_homes"]
    _, ratings = sample["cqc_ratings"]
    mine = restrict(homes, "care_homes", oldham)
    assert set(mine["place_code"]) == {OLDHAM}
    assert mine.height == homes.filter(pl.col("place_code") == OLDHAM).height
    in_east = restrict(homes, "care_homes", east)
    assert 0 < in_east.height < mine.height
    assert all(OLDHAM_EAST in tree.ancestors(c) for c in in_east["area_code"])
    locations = frozenset(mine["location_id"])
    rated = restrict(ratings, "cqc_ratings", oldham, locations=locations)
    assert rated.height > 0 and set(rated["location_id"]) <= locations
    bolton_ids = set(homes.filter(pl.col("place_code") == BOLTON)["location_id"])
    assert not bolton_ids & set(rated["location_id"])
    assert restrict(ratings, "cqc_ratings", oldham).height == 0  # no homes given: no ratings


def test_a_home_without_an_lsoa_needs_a_whole_place_grant(sample, oldham, east):
    _, homes = sample["care_homes"]
    row = homes.filter(pl.col("place_code") == OLDHAM).head(1)
    unplaced = row.with_columns(pl.lit(None, dtype=pl.String).alias("area_code"))
    assert restrict(unplaced, "care_homes", oldham).height == 1
    assert restrict(unplaced, "care_homes", east).height == 0


def test_events_for_everywhere_stay_and_other_places_go(sample, oldham):
    _, events = sample["events"]
    out = restrict(events, "events", oldham)
    assert set(out["area_code"].drop_nulls()) == {OLDHAM}
    assert out["area_code"].null_count() == events["area_code"].null_count() == 1


def test_boundaries_keep_their_geodataframe_type(sample, tree, oldham):
    _, bounds = sample["boundaries"]
    out = restrict(bounds, "boundaries", oldham)
    assert type(out) is type(bounds) and out.crs == bounds.crs
    assert places_of(out, tree) == {OLDHAM}
    assert 100 < len(out) < len(bounds)


@pytest.mark.parametrize("name", ["settings", "indicators", "deflators"])
def test_reference_tables_have_no_place_and_pass_through(sample, oldham, name):
    contract, frame = sample[name]
    assert restrict(frame, contract, oldham).equals(frame)


def test_no_scope_means_no_filtering(sample):
    contract, frame = sample["spend"]
    assert restrict(frame, contract, None) is frame


def test_an_unknown_contract_shows_no_rows_of_a_lazy_frame_either(sample, oldham):
    """A LazyFrame is restricted like a DataFrame (it used to fail here on `.iloc`)."""
    frame = sample["spend"][1]
    out = restrict(frame.lazy(), "new_table", oldham)
    assert isinstance(out, pl.LazyFrame) and out.collect().height == 0
    assert out.collect_schema() == frame.schema
