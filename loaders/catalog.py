"""TOML catalog -> frozen specs. Every problem is collected, then raised once as a CatalogError."""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from loaders.contracts import CONTRACTS
from loaders.errors import CatalogError
from loaders.registry import loaders, suggest
from loaders.transforms import NO_TRANSFORM, Transform, parse_transform

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = ROOT / "sample_data" / "catalog.toml"
ENV_VAR = "PLACEWISE_CATALOG"

TOP_KEYS = ("catalog", "datasets")
CATALOG_KEYS = ("title", "description", "default_place", "decks")
DATASET_KEYS = (
    "loader",
    "contract",
    "path",
    "options",
    "rename",
    "title",
    "description",
    "source",
    "licence",
    "url",
    "synthetic",
    "period",
    "transform",
)
TEXT_KEYS = ("title", "description", "source", "licence", "url", "period")


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset as declared in the catalog (options may still hold `{env = ...}` secrets)."""

    name: str
    loader: str
    contract: str
    path: Path | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    rename: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    title: str = ""
    description: str = ""
    source: str = ""
    licence: str = ""
    url: str = ""
    synthetic: bool | str = False
    period: str = ""
    #: the steps that bring the file to its contract (loaders.transforms), in a fixed order
    transform: Transform = NO_TRANSFORM

    @property
    def data_status(self) -> str:
        """'Real', 'Synthetic' or 'Partly synthetic', for labels on screen."""
        if self.synthetic == "partly":
            return "Partly synthetic"
        return "Synthetic" if self.synthetic else "Real"

    def source_state(self) -> tuple[Any, ...]:
        """Size and modification time of the source file, for cache keys."""
        if self.path is None:
            return (self.name, None)
        try:
            st = self.path.stat()
        except OSError:
            return (self.name, str(self.path), None)
        return (self.name, str(self.path), st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class Catalog:
    """Every dataset the app can load, from one TOML file."""

    path: Path
    datasets: Mapping[str, DatasetSpec]
    title: str = ""
    description: str = ""
    text_hash: str = ""
    default_place: str = ""
    decks_dir: Path | None = None  # presenter decks: [catalog] decks, relative to the catalog

    def __contains__(self, name: object) -> bool:
        return name in self.datasets

    def names(self) -> list[str]:
        return list(self.datasets)

    def fingerprint(self) -> str:
        """Changes when the catalog text or any source file's size or mtime changes."""
        h = hashlib.sha256(self.text_hash.encode())
        for spec in self.datasets.values():
            h.update(repr(spec.source_state()).encode())
        return h.hexdigest()[:16]


def catalog_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The catalog to use: the argument, else $PLACEWISE_CATALOG, else the sample data."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_CATALOG


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Parse and check a catalog; raises one CatalogError listing every problem found."""
    path = catalog_path(path)
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError([f"catalog file not found: {path}"], path=str(path)) from None
    except OSError as exc:
        raise CatalogError([f"catalog file cannot be read: {exc}"], path=str(path)) from exc
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogError([f"not UTF-8 text: {exc}"], path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([f"not valid TOML: {exc}"], path=str(path)) from exc

    problems: list[str] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(f"top level: unknown key '{key}' ({suggest(key, TOP_KEYS)})")
    meta = data.get("catalog", {})
    if not isinstance(meta, dict):
        problems.append("[catalog] must be a table")
        meta = {}
    for key, value in meta.items():
        if key not in CATALOG_KEYS:
            problems.append(f"[catalog]: unknown key '{key}' ({suggest(key, CATALOG_KEYS)})")
        elif not isinstance(value, str):
            problems.append(f"[catalog]: key '{key}' must be a string, got {value!r}")

    raw_datasets = data.get("datasets")
    if not isinstance(raw_datasets, dict) or not raw_datasets:
        problems.append("no [datasets.NAME] tables: the catalog defines no dataset")
        raw_datasets = {}

    specs: dict[str, DatasetSpec] = {}
    for name, raw in raw_datasets.items():
        spec = _parse_dataset(name, raw, path.parent, problems)
        if spec is not None:
            specs[name] = spec

    if problems:
        raise CatalogError(problems, path=str(path))
    return Catalog(
        path=path,
        datasets=MappingProxyType(specs),
        title=str(meta.get("title", "")),
        description=str(meta.get("description", "")),
        text_hash=hashlib.sha256(raw_bytes).hexdigest(),
        default_place=str(meta.get("default_place", "")),
        decks_dir=(path.parent / meta["decks"]).resolve() if meta.get("decks") else None,
    )


def _parse_dataset(name: str, raw: Any, base: Path, problems: list[str]) -> DatasetSpec | None:
    where = f"dataset '{name}'"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a table, got {type(raw).__name__}")
        return None
    before = len(problems)
    for key in raw:
        if key not in DATASET_KEYS:
            problems.append(f"{where}: unknown key '{key}' ({suggest(key, DATASET_KEYS)})")

    loader_kind = raw.get("loader")
    loader_cls = None
    kind = ""  # the loader kind, once it is known to be one
    known_loaders = loaders()
    if not isinstance(loader_kind, str) or not loader_kind:
        problems.append(
            f"{where}: key 'loader' is missing (known: {', '.join(sorted(known_loaders))})"
        )
    elif loader_kind not in known_loaders:
        problems.append(
            f"{where}: key 'loader': unknown loader '{loader_kind}' "
            f"({suggest(loader_kind, tuple(known_loaders))})"
        )
    else:
        loader_cls = known_loaders[loader_kind]
        kind = loader_kind

    contract = raw.get("contract")
    if not isinstance(contract, str) or not contract:
        problems.append(f"{where}: key 'contract' is missing (known: {', '.join(CONTRACTS)})")
    elif contract not in CONTRACTS:
        problems.append(
            f"{where}: key 'contract': unknown contract '{contract}' "
            f"({suggest(contract, tuple(CONTRACTS))})"
        )

    file_path: Path | None = None
    raw_path = raw.get("path")
    if raw_path is None:
        if loader_cls is not None and getattr(loader_cls, "needs_path", False):
            problems.append(f"{where}: key 'path' is missing (loader '{loader_kind}' reads a file)")
    elif not isinstance(raw_path, str) or not raw_path:
        problems.append(f"{where}: key 'path' must be a non-empty string, got {raw_path!r}")
    else:
        file_path = (base / raw_path).resolve()
        if not file_path.exists():
            problems.append(f"{where}: key 'path': file not found: {file_path}")

    options = raw.get("options", {})
    if not isinstance(options, dict):
        problems.append(f"{where}: key 'options' must be a table")
        options = {}
    elif loader_cls is not None:
        _check_options(where, kind, loader_cls, options, problems)

    rename = raw.get("rename", {})
    if not isinstance(rename, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in rename.items()
    ):
        problems.append(f"{where}: key 'rename' must map source column names to column names")
        rename = {}
    else:
        targets = list(rename.values())
        for dup in sorted({t for t in targets if targets.count(t) > 1}):
            problems.append(f"{where}: key 'rename': several columns renamed to '{dup}'")

    transform = parse_transform(where, raw.get("transform"), base, problems)
    if not transform.empty and contract == "boundaries":
        problems.append(
            f"{where}: key 'transform': boundaries are shapes, not rows; transforms apply to "
            "tables only (rename the shape file's columns with 'rename')"
        )

    synthetic = raw.get("synthetic", False)
    if synthetic not in (True, False, "partly"):
        problems.append(
            f"{where}: key 'synthetic' must be true, false or \"partly\", got {synthetic!r}"
        )
    for key in TEXT_KEYS:
        if key in raw and not isinstance(raw[key], str):
            problems.append(f"{where}: key '{key}' must be a string, got {raw[key]!r}")

    if len(problems) > before or not isinstance(contract, str):
        return None
    return DatasetSpec(
        name=name,
        loader=kind,
        contract=contract,
        path=file_path,
        options=MappingProxyType(dict(options)),
        rename=MappingProxyType(dict(rename)),
        synthetic=synthetic,
        transform=transform,
        **{k: raw.get(k, "") for k in TEXT_KEYS},
    )


def _check_options(
    where: str, kind: str, loader_cls: type, options: dict[str, Any], problems: list[str]
) -> None:
    allowed: Mapping[str, Any] = getattr(loader_cls, "options", {})
    for key, value in options.items():
        if key not in allowed:
            known = tuple(allowed) or ("(this loader takes no options)",)
            problems.append(
                f"{where}: key 'options.{key}': loader '{kind}' has no option '{key}' "
                f"({suggest(key, known)})"
            )
            continue
        expected = allowed[key]
        types = expected if isinstance(expected, tuple) else (expected,)
        if isinstance(value, dict) and dict in types and set(value) != {"env"}:
            continue  # a table-valued option, e.g. the sql loader's `where`
        if isinstance(value, dict):
            if set(value) != {"env"} or not isinstance(value["env"], str):
                problems.append(
                    f"{where}: key 'options.{key}': a table value must be {{ env = \"NAME\" }} "
                    "(secrets come from environment variables only)"
                )
            continue
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            names = " or ".join(t.__name__ for t in types)
            problems.append(
                f"{where}: key 'options.{key}': expected {names}, got {type(value).__name__} {value!r}"
            )


def resolve_options(spec: DatasetSpec) -> dict[str, Any]:
    """Options with `{ env = "NAME" }` replaced by the environment variable's value."""
    from loaders.errors import LoaderError

    out: dict[str, Any] = {}
    for key, value in spec.options.items():
        if isinstance(value, Mapping) and "env" in value:
            env_name = value["env"]
            if env_name not in os.environ:
                raise LoaderError(
                    f"Dataset '{spec.name}': option '{key}' comes from the environment variable "
                    f"{env_name}, which is not set.",
                    dataset=spec.name,
                )
            out[key] = os.environ[env_name]
        else:
            out[key] = value
    return out
