"""Registry of loader kinds: built-ins and third-party plugins register the same way."""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import TypeVar

from loaders.base import Loader
from loaders.errors import DataError, UnknownLoaderError

L = TypeVar("L", bound=Loader)

ENTRY_POINT_GROUP = "placewise.loaders"
BUILTIN_MODULES = (
    "loaders.parquet_loader",
    "loaders.csv_loader",
    "loaders.excel_loader",
    "loaders.geo_loader",
    "loaders.cqc_loader",
    "loaders.cqc_api_loader",
    "loaders.sql_loader",
    "loaders.fingertips",
)

_registry: dict[str, type[Loader]] = {}
_discovered = False


class DuplicateLoaderError(DataError):
    """Two loaders claimed the same kind."""


def register_loader(kind: str) -> Callable[[type[L]], type[L]]:
    """Class decorator that registers a loader class under `kind`."""

    def decorator(cls: type[L]) -> type[L]:
        existing = _registry.get(kind)
        if existing is not None and existing is not cls:
            raise DuplicateLoaderError(
                f"Loader kind '{kind}' is already registered by "
                f"{existing.__module__}.{existing.__qualname__}; "
                f"{cls.__module__}.{cls.__qualname__} cannot take it too."
            )
        cls.kind = kind
        _registry[kind] = cls
        return cls

    return decorator


def unregister_loader(kind: str) -> None:
    """Remove a kind (used by tests)."""
    _registry.pop(kind, None)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken plugin must not take down the built-ins
            _plugin_errors[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        if isinstance(loaded, type) and ep.name not in _registry:
            register_loader(ep.name)(loaded)


_plugin_errors: dict[str, str] = {}


def rediscover() -> None:
    """Forget discovery so entry points are read again (used by tests and reloads)."""
    global _discovered
    _discovered = False
    _plugin_errors.clear()


def loaders() -> Mapping[str, type[Loader]]:
    """A read-only view of every registered loader kind."""
    _discover()
    return MappingProxyType(_registry)


def plugin_errors() -> Mapping[str, str]:
    """Entry-point plugins that failed to import, by name, with the reason."""
    _discover()
    return MappingProxyType(_plugin_errors)


def suggest(name: str, known: list[str] | tuple[str, ...]) -> str:
    """'did you mean' text naming the closest known names, or listing all of them."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return "known: " + ", ".join(sorted(known))


def get_loader(kind: str, *, dataset: str | None = None) -> type[Loader]:
    """The loader class for `kind`; UnknownLoaderError names the closest known kinds."""
    known = loaders()
    if kind in known:
        return known[kind]
    hint = suggest(kind, tuple(known))
    broken = (
        f" (plugin '{kind}' failed to load: {_plugin_errors[kind]})"
        if kind in _plugin_errors
        else ""
    )
    raise UnknownLoaderError(f"Unknown loader kind '{kind}'{broken}; {hint}", dataset=dataset)
