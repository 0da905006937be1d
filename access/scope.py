"""A person's scope (places, clusters, downloads) and the area codes it lets them see.

A place grant covers the place and everything below it (clusters, wards, LSOAs, PCNs, GP
practices). A cluster grant covers the cluster and its wards and LSOAs, but not the place as a
whole: a place total would include clusters the person may not see. England-level rows are
national comparators, public by nature, and are visible to everyone with any grant.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.hierarchy import AreaTree

# Area types above place level whose figures are public comparators.
COMPARATOR_TYPES = ("england",)


@dataclass(frozen=True)
class Scope:
    """What one person may see. `places=None` means every place (open mode or a `*` grant)."""

    places: frozenset[str] | None = None
    clusters: frozenset[str] = frozenset()
    downloads: bool = True
    who: str = ""
    reason: str = ""  # why the scope is empty, for the message the person sees
    #: may see full error messages (server paths, connection targets) and reload the data
    admin: bool = False

    @classmethod
    def everything(cls, who: str = "", downloads: bool = True, admin: bool = False) -> Scope:
        return cls(None, frozenset(), downloads, who, admin=admin)

    @classmethod
    def nothing(cls, who: str = "", reason: str = "") -> Scope:
        return cls(frozenset(), frozenset(), False, who, reason)

    @property
    def unrestricted(self) -> bool:
        return self.places is None

    @property
    def is_empty(self) -> bool:
        return self.places is not None and not self.places and not self.clusters

    def covers_place(self, place_code: str | None) -> bool:
        """May a figure labelled as the place `place_code` as a whole be shown?

        The one rule for place totals and place comparators: only a grant of the whole place
        (or of every place) covers it. A person granted some of its clusters holds only those
        clusters' rows, so any sum over them is not the place's figure and is not shown as one.
        """
        if self.places is None:
            return True
        return place_code is not None and place_code in self.places

    @property
    def key(self) -> str:
        """A stable text key for caches: two people with the same grants share cached frames."""
        if self.places is None:
            return "all"
        return (
            "places="
            + ",".join(sorted(self.places))
            + ";clusters="
            + ",".join(sorted(self.clusters))
        )


@dataclass(frozen=True)
class Visibility:
    """The area codes a scope reaches, resolved against one version of the area hierarchy."""

    rows: frozenset[str]  # areas whose figures may be shown
    names: frozenset[str]  # areas whose names may be shown (rows plus their ancestors)
    whole_places: frozenset[str]  # places granted as a whole
    places: frozenset[str]  # places reached at all (whole, or through a cluster)


def visibility(scope: Scope, tree: AreaTree) -> Visibility:
    """Resolve `scope` into area codes. Codes missing from the tree grant nothing (fail closed)."""
    if scope.places is None:
        every = frozenset(tree.kind)
        places = frozenset(tree.codes_of_type("place"))
        return Visibility(every, every, places, places)
    whole = frozenset(p for p in scope.places if tree.kind.get(p) == "place")
    clusters = [c for c in scope.clusters if tree.kind.get(c) == "cluster"]
    rows: set[str] = set()
    for code in (*whole, *clusters):
        rows |= tree.descendants(code)
    if not rows:
        return Visibility(frozenset(), frozenset(), frozenset(), frozenset())
    above: set[str] = set()
    for code in (*whole, *clusters):
        above.update(tree.ancestors(code))
    rows |= {a for a in above if tree.kind.get(a) in COMPARATOR_TYPES}
    reached = set(whole) | {p for c in clusters if (p := tree.place_of(c)) is not None}
    return Visibility(frozenset(rows), frozenset(rows | above), whole, frozenset(reached))


def place_withheld(place_name: str) -> str:
    """What is shown instead of a place total or comparator the person's access does not cover."""
    return f"{place_name} as a whole: not in your access"


def permitted(scope: Scope, tree: AreaTree, area_code: str | None) -> bool:
    """May a person with `scope` see figures for `area_code`?"""
    if scope.unrestricted:
        return True
    return area_code is not None and area_code in visibility(scope, tree).rows
