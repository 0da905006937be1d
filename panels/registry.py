"""Registry of panels: built-ins and third-party plugins register the same way, as loaders do.

A plugin package declares an entry point in the `placewise.panels` group naming a Panel
subclass; it is registered under its `id` the first time the registry is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any, TypeVar

from loaders.registry import suggest
from panels.core import Panel

ENTRY_POINT_GROUP = "placewise.panels"
BUILTIN_MODULES: tuple[str, ...] = (
    "panels.spend",
    "panels.care_homes",
    "panels.neighbourhoods",
    "panels.outcomes",
    "panels.overview",
    "panels.asc",
    "panels.benchmarks",
    "panels.peers",
)

_registry: dict[str, Panel[Any]] = {}
_plugin_errors: dict[str, str] = {}
_discovered = False
C = TypeVar("C", bound="type[Panel[Any]]")


class DuplicatePanelError(ValueError):
    """Two panels claimed the same id."""


class UnknownPanelError(KeyError):
    """No panel has this id; the message names the closest ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def register_panel(cls: C) -> C:
    """Class decorator: register one instance of the Panel subclass `cls` under `cls.id`."""
    existing = _registry.get(cls.id)
    if existing is not None and type(existing) is not cls:
        raise DuplicatePanelError(
            f"Panel id '{cls.id}' is already registered by {type(existing).__module__}."
            f"{type(existing).__qualname__}; {cls.__module__}.{cls.__qualname__} cannot take it too."
        )
    _registry[cls.id] = cls()
    return cls


def unregister_panel(panel_id: str) -> None:
    """Remove a panel (used by tests)."""
    _registry.pop(panel_id, None)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for module in BUILTIN_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a missing built-in module is tolerated; a broken one is not
                raise
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not take down the built-ins
            _plugin_errors[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        is_panel = isinstance(loaded, type) and issubclass(loaded, Panel)
        if is_panel and getattr(loaded, "id", None) not in _registry:
            register_panel(loaded)


def rediscover() -> None:
    """Forget discovery so entry points are read again (used by tests)."""
    global _discovered
    _discovered = False
    _plugin_errors.clear()


def panels() -> Mapping[str, Panel[Any]]:
    """A read-only view of every registered panel, by id."""
    _discover()
    return MappingProxyType(_registry)


def plugin_errors() -> Mapping[str, str]:
    _discover()
    return MappingProxyType(_plugin_errors)


def get_panel(panel_id: str) -> Panel[Any]:
    """The panel `panel_id`; UnknownPanelError names the closest ids."""
    known = panels()
    if panel_id in known:
        return known[panel_id]
    raise UnknownPanelError(f"Unknown view '{panel_id}' ({suggest(panel_id, tuple(known))})")


def on_page(page: str) -> Callable[[], list[Panel[Any]]]:
    """The panels of one page, in registration order (for the deck's view list)."""
    return lambda: [p for p in panels().values() if p.page == page]
