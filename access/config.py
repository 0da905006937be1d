"""The access file: who may see which places and clusters, and who may download rows.

A small TOML file kept next to the deployment (path in $PLACEWISE_ACCESS), because information
governance leads change it more often than the code. Identities are the e-mail addresses the
OpenID Connect provider asserts. Unknown people get `[default]`, which grants nothing unless the
file says otherwise. Every mistake is reported with the file, line and value, and the whole file
is refused: half-applied access rules are worse than none.

    [default]                      # optional: people not listed below
    places = []
    [groups.oldham]
    places = ["E08000004"]         # a place and everything in it; ["*"] is every place
    downloads = true               # may download row-level data (CSV)
    members = ["bob@oldham.gov.uk"]
    [users."alice@oldham.gov.uk"]
    clusters = ["E08000004-east"]  # one cluster, not the place as a whole
    groups = ["oldham"]
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from access.hierarchy import AreaTree
from access.scope import Scope

ALL_PLACES = "*"
_GRANT_KEYS = {"places", "clusters", "downloads"}
_TABLE_KEYS = {"users": _GRANT_KEYS | {"groups"}, "groups": _GRANT_KEYS | {"members"}}
_TOP_KEYS = ("default", "groups", "users")


class AccessConfigError(ValueError):
    """A mistake in the access file, naming the file, the line (when found) and the value."""

    def __init__(self, message: str, *, file: str, line: int | None = None, value: Any = None):
        self.file, self.line, self.value = file, line, value
        where = f"{file}, line {line}" if line else file
        tail = f" (value: {value!r})" if value is not None else ""
        super().__init__(f"Access file {where}: {message}{tail}")


@dataclass(frozen=True)
class Grant:
    """One table of the file: a user, a group, or the default."""

    where: str  # e.g. users."alice@oldham.gov.uk", for messages
    places: frozenset[str] | None  # None: every place
    clusters: frozenset[str]
    downloads: bool
    line: int | None = None


@dataclass(frozen=True)
class AccessConfig:
    """The parsed access file."""

    path: str
    default: Grant
    users: dict[str, Grant] = field(default_factory=dict)
    groups: dict[str, Grant] = field(default_factory=dict)
    user_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    members: dict[str, frozenset[str]] = field(default_factory=dict)
    text: str = ""

    def scope_for(self, identity: str) -> Scope:
        """The union of everything granted to `identity` (case-insensitive e-mail)."""
        who = identity.strip().lower()
        grants = [self.users[who]] if who in self.users else []
        grants += [self.groups[g] for g in self.user_groups.get(who, ())]
        grants += [self.groups[g] for g, people in self.members.items() if who in people]
        if not grants:
            grants = [self.default]
        downloads = any(g.downloads for g in grants)
        if any(g.places is None for g in grants):
            return Scope.everything(identity, downloads)
        places = frozenset().union(*(g.places or frozenset() for g in grants))
        clusters = frozenset().union(*(g.clusters for g in grants))
        if not places and not clusters:
            listed = who in self.users or any(who in p for p in self.members.values())
            why = "gives no places or clusters to" if listed else "does not list"
            return Scope.nothing(identity, f"The access file {self.path} {why} {identity}.")
        return Scope(places, clusters, downloads, identity)

    def check_codes(self, tree: AreaTree) -> None:
        """Raise if a grant names a place or cluster the areas dataset does not have."""
        for grant in (self.default, *self.groups.values(), *self.users.values()):
            for key, kind, codes in (
                ("places", "place", grant.places or ()),
                ("clusters", "cluster", grant.clusters),
            ):
                known = sorted(tree.codes_of_type(kind))
                for code in sorted(codes):
                    if tree.kind.get(code) != kind:
                        near = difflib.get_close_matches(code, known, n=1)
                        hint = f"; did you mean '{near[0]}'?" if near else ""
                        raise AccessConfigError(
                            f"[{grant.where}] {key} names '{code}', which is not a {kind} in the "
                            f"areas dataset{hint}",
                            file=self.path,
                            line=_line_of(self.text, grant.where, key, code),
                            value=code,
                        )


def load_access(path: str | Path) -> AccessConfig:
    """Read and check the access file at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AccessConfigError(f"cannot be read ({exc.strerror})", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise AccessConfigError("is not UTF-8 text", file=str(path)) from exc
    return parse_access(text, str(path))


def parse_access(text: str, path: str) -> AccessConfig:
    """Parse the text of an access file; `path` is only used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise AccessConfigError(
            f"is not valid TOML: {exc}", file=path, line=int(found.group(1)) if found else None
        ) from exc
    for key in data:
        if key not in _TOP_KEYS:
            _fail(f"unknown section [{key}]; expected {', '.join(_TOP_KEYS)}", path, text, key)
    default_table = data.get("default", {})
    default = _grant("default", default_table, path, text, _GRANT_KEYS)
    groups, members = {}, {}
    for name, table in _section(data, "groups", path, text).items():
        where = f'groups."{name}"'
        groups[name] = _grant(where, table, path, text, _TABLE_KEYS["groups"])
        members[name] = frozenset(e.lower() for e in _strings(table, "members", where, path, text))
    users, user_groups = {}, {}
    for identity, table in _section(data, "users", path, text).items():
        where = f'users."{identity}"'
        who = identity.strip().lower()
        if who in users:
            _fail(f"[{where}] repeats a user already listed", path, text, where, value=identity)
        users[who] = _grant(where, table, path, text, _TABLE_KEYS["users"])
        names = _strings(table, "groups", where, path, text)
        for name in names:
            if name not in groups:
                _fail(
                    f"[{where}] groups names '{name}', which is not a [groups] table",
                    path,
                    text,
                    where,
                    "groups",
                    value=name,
                )
        user_groups[who] = tuple(names)
    return AccessConfig(path, default, users, groups, user_groups, members, text)


def _section(data: dict, key: str, path: str, text: str) -> dict[str, dict]:
    section = data.get(key, {})
    if not isinstance(section, dict):
        _fail(f"[{key}] must be a table of tables", path, text, key, value=section)
    for name, table in section.items():
        if not isinstance(table, dict):
            _fail(f'{key}."{name}" must be a table', path, text, key, value=table)
    return section


def _grant(where: str, table: Any, path: str, text: str, allowed: set[str]) -> Grant:
    if not isinstance(table, dict):
        _fail(f"[{where}] must be a table", path, text, where, value=table)
    for key in table:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            _fail(f"[{where}] has an unknown key '{key}'{hint}", path, text, where, key, value=key)
    places = _strings(table, "places", where, path, text)
    if ALL_PLACES in places and places != [ALL_PLACES]:
        _fail(
            f'[{where}] places: "*" (every place) cannot be mixed with place codes',
            path,
            text,
            where,
            "places",
            value=places,
        )
    downloads = table.get("downloads", False)
    if not isinstance(downloads, bool):
        _fail(
            f"[{where}] downloads must be true or false", path, text, where, "downloads", downloads
        )
    return Grant(
        where,
        None if places == [ALL_PLACES] else frozenset(places),
        frozenset(_strings(table, "clusters", where, path, text)),
        downloads,
        _line_of(text, where),
    )


def _strings(table: dict, key: str, where: str, path: str, text: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(f"[{where}] {key} must be a list of non-empty strings", path, text, where, key, value)
    return [v.strip() for v in value]


def _fail(
    message: str, path: str, text: str, where: str, key: str | None = None, value: Any = None
):
    raise AccessConfigError(message, file=path, line=_line_of(text, where, key, value), value=value)


def _norm(header: str) -> str:
    return re.sub(r"[\s\"']", "", header)


def _line_of(text: str, where: str, key: str | None = None, value: Any = None) -> int | None:
    """The line of `[where]`, of `key` inside it, or of the quoted `value` after that key."""
    lines = text.splitlines()
    headers = [
        (i, _norm(m.group(1)))
        for i, line in enumerate(lines)
        if (m := re.match(r"\s*\[+([^\[\]]+)\]", line))
    ]
    target = _norm(where)
    start = next((i for i, h in headers if h == target), None)
    if start is None:  # a section known only by its sub-tables, e.g. [user."x"] for [user]
        start = next((i for i, h in headers if h.startswith(target + ".")), None)
    if start is None:
        return None
    found = start
    for i in range(start + 1, len(lines)):
        if re.match(r"\s*\[", lines[i]):
            break
        if key and found == start and re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            found = i
        if found != start and isinstance(value, str) and f'"{value}"' in lines[i]:
            return i + 1
    return found + 1
