"""The area hierarchy (LSOA -> ward -> cluster -> place -> England) as parent and child maps.

Scopes are granted on places and clusters; every other area (wards, LSOAs, PCNs, practices)
inherits its visibility from where it sits in this tree, so the tree is built once per version
of the areas dataset and reused for every person and table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class AreaTree:
    """Parent, children, type and name of every area code in the areas dataset."""

    parent: dict[str, str | None]
    kind: dict[str, str]
    name: dict[str, str]
    children: dict[str, tuple[str, ...]]

    @classmethod
    def from_frame(cls, areas: pl.DataFrame) -> AreaTree:
        """Build the tree from a frame meeting the `areas` contract."""
        rows = areas.select("area_code", "area_name", "area_type", "parent_code").iter_rows()
        parent: dict[str, str | None] = {}
        kind: dict[str, str] = {}
        name: dict[str, str] = {}
        children: dict[str, list[str]] = defaultdict(list)
        for code, area_name, area_type, parent_code in rows:
            parent[code] = parent_code
            kind[code] = area_type
            name[code] = area_name
            if parent_code is not None:
                children[parent_code].append(code)
        return cls(parent, kind, name, {k: tuple(v) for k, v in children.items()})

    def descendants(self, code: str) -> set[str]:
        """`code` and every area below it (a cycle in a bad file cannot loop forever)."""
        if code not in self.kind:
            return set()
        seen = {code}
        todo = [code]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    def ancestors(self, code: str) -> list[str]:
        """The areas above `code`, nearest first."""
        found: list[str] = []
        current = self.parent.get(code)
        while current is not None and current not in found and current != code:
            found.append(current)
            current = self.parent.get(current)
        return found

    def codes_of_type(self, area_type: str) -> set[str]:
        return {code for code, kind in self.kind.items() if kind == area_type}

    def place_of(self, code: str) -> str | None:
        """The place (local authority) an area belongs to, or None above place level."""
        if self.kind.get(code) == "place":
            return code
        return next((a for a in self.ancestors(code) if self.kind.get(a) == "place"), None)
