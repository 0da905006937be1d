"""The panel registry: every built-in panel is registered once, has a contract suite, and is
reached through a read-only view; unknown ids and clashes are named errors."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.panels as panel_tests
from panels.core import Panel
from panels.registry import (
    BUILTIN_MODULES,
    DuplicatePanelError,
    UnknownPanelError,
    get_panel,
    panels,
    register_panel,
)
from tests.panels.suite import PanelContractSuite

PAGES = {"overview", "spend", "care-homes", "neighbourhoods", "outcomes", "benchmarks"}


def suites() -> dict[str, type]:
    """panel id -> the PanelContractSuite subclass testing it, from every tests/panels module."""
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(panel_tests.__path__):
        module = importlib.import_module(f"tests.panels.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, PanelContractSuite)
                and value is not PanelContractSuite
            ):
                found[value.panel_id] = value
    return found


def test_every_registered_panel_has_a_contract_suite():
    missing = sorted(set(panels()) - set(suites()))
    assert missing == [], f"panels without a PanelContractSuite subclass: {missing}"


def test_the_built_in_panels_are_the_views_decks_know():
    ids = set(panels())
    for view in ("spend_headline", "acute_share", "spend_by_group", "care_home_quality",
                 "cluster_map", "spc_grid", "outcome_spc"):  # fmt: skip
        assert view in ids, view
    assert {p.page for p in panels().values()} <= PAGES
    assert all(isinstance(p, Panel) for p in panels().values())
    assert all(p.__module__ in BUILTIN_MODULES for p in panels().values())


def test_the_registry_is_read_only():
    view = panels()
    with pytest.raises(TypeError):
        view["mine"] = next(iter(view.values()))  # type: ignore[index]
    assert "mine" not in panels()


def test_an_unknown_id_names_the_closest():
    with pytest.raises(UnknownPanelError) as caught:
        get_panel("acute_shar")
    assert str(caught.value) == "Unknown view 'acute_shar' (did you mean 'acute_share'?)"


def test_a_second_panel_cannot_take_an_id():
    class Clash(Panel):  # type: ignore[type-arg]
        id = "acute_share"
        title = "Another acute share"
        page = "spend"

    with pytest.raises(DuplicatePanelError, match="Panel id 'acute_share' is already registered"):
        register_panel(Clash)
    assert type(get_panel("acute_share")).__name__ == "AcuteShare"
