"""Scopes resolve against the area hierarchy: a place reaches everything below it, a cluster
reaches its wards and LSOAs but not the place total, and unknown codes reach nothing."""

from __future__ import annotations

from access import Scope, permitted, visibility
from tests.access.conftest import BOLTON, OLDHAM, OLDHAM_EAST

ENGLAND = "E92000001"


def test_a_place_reaches_its_clusters_wards_lsoas_and_practices(tree):
    seen = visibility(Scope(frozenset({OLDHAM})), tree)
    kinds = {tree.kind[c] for c in seen.rows}
    assert kinds == {"place", "cluster", "ward", "lsoa", "pcn", "gp_practice", "england"}
    assert all(tree.place_of(c) in (OLDHAM, None) for c in seen.rows)
    assert BOLTON not in seen.rows and OLDHAM in seen.rows
    assert seen.whole_places == {OLDHAM} and seen.places == {OLDHAM}
    oldham_lsoas = [c for c, k in tree.kind.items() if k == "lsoa" and tree.place_of(c) == OLDHAM]
    assert len(oldham_lsoas) > 100 and set(oldham_lsoas) <= seen.rows


def test_a_cluster_reaches_its_lsoas_but_not_the_place_total(tree):
    seen = visibility(Scope(frozenset(), frozenset({OLDHAM_EAST})), tree)
    assert OLDHAM_EAST in seen.rows
    assert OLDHAM not in seen.rows  # the place figure includes other clusters
    assert OLDHAM in seen.names  # but its name may label the sidebar
    assert seen.places == {OLDHAM} and seen.whole_places == frozenset()
    wards = {c for c in seen.rows if tree.kind[c] == "ward"}
    assert wards and all(tree.parent[w] == OLDHAM_EAST for w in wards)
    assert not any(tree.kind[c] in ("pcn", "gp_practice") for c in seen.rows)
    other = "E08000004-central"
    assert other in tree.kind and other not in seen.names


def test_england_is_a_comparator_everyone_with_a_grant_sees(tree):
    assert ENGLAND in visibility(Scope(frozenset({BOLTON})), tree).rows
    assert ENGLAND not in visibility(Scope.nothing("x"), tree).rows


def test_codes_missing_from_the_hierarchy_grant_nothing(tree):
    seen = visibility(Scope(frozenset({"E0800004"}), frozenset({OLDHAM})), tree)
    assert seen.rows == frozenset()  # a place code listed as a cluster does not count either


def test_permitted_answers_per_area(tree):
    oldham = Scope(frozenset({OLDHAM}))
    assert permitted(oldham, tree, OLDHAM_EAST)
    assert not permitted(oldham, tree, BOLTON)
    assert not permitted(oldham, tree, None)
    assert permitted(Scope.everything(), tree, BOLTON)


def test_scope_keys_separate_caches_per_grant():
    a = Scope(frozenset({OLDHAM}), downloads=True, who="a")
    b = Scope(frozenset({OLDHAM}), downloads=False, who="b")
    assert a.key == b.key  # same rows, so the same cached frames
    assert a.key != Scope(frozenset({BOLTON})).key
    assert Scope.everything().key == "all"
