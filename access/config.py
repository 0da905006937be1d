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
    admin = true                   # may see full error messages (users and groups only)
    [sign_in]                      # optional: which claim of the provider identifies people
    email_claim = "email"          # the default; e.g. "upn" for Entra ID

Addresses are compared after Unicode NFKC normalisation and case folding, on both sides; an
address that is not plain ASCII after that is refused (a look-alike letter such as the Cyrillic
'а' or the dotless 'ı' never matches, nor slips through to `[default]`).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from access.hierarchy import AreaTree
from access.scope import Scope

ALL_PLACES = "*"
EMAIL = "email"
_GRANT_KEYS = {"places", "clusters", "downloads"}
_TABLE_KEYS = {
    "users": _GRANT_KEYS | {"groups", "admin"},
    "groups": _GRANT_KEYS | {"members", "admin"},
}
_SIGN_IN_KEYS = {"email_claim", "trust_unverified_email"}
_TOP_KEYS = ("default", "groups", "users", "sign_in")
_PLAIN = re.compile(r"[!-~]+")  # printable ASCII, no spaces


def normalise_address(address: str) -> str:
    """An address as compared: NFKC, case folded (long s and Kelvin sign: s and k), trimmed."""
    folded = unicodedata.normalize("NFKC", address).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def is_plain(address: str) -> bool:
    """Is a normalised address plain printable ASCII (no look-alike letters, spaces or controls)?"""
    return bool(_PLAIN.fullmatch(address))


@dataclass(frozen=True)
class SignIn:
    """The `[sign_in]` table: which claim of the provider's ID token identifies a person.

    By default the `email` claim, trusted only when the provider's `email_verified` claim is
    exactly true. `email_claim` names another claim to trust as it is (e.g. Entra ID's `upn`,
    which only the tenant's administrators can change). `trust_unverified_email` trusts `email`
    from a provider that never sends `email_verified`: then anyone who can set their own e-mail
    at the provider can claim any address the file grants.
    """

    email_claim: str = EMAIL
    trust_unverified_email: bool = False


def identity_from_claims(claims: Mapping[str, Any], sign_in: SignIn) -> tuple[str | None, str]:
    """The normalised identity the provider's claims establish, or None and why not."""
    claim = sign_in.email_claim
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        if claim == EMAIL:
            return None, "The sign-in provider did not give an e-mail address for this account."
        return None, f"The sign-in provider did not send the '{claim}' claim for this account."
    if claim == EMAIL:
        verified = claims.get("email_verified")
        missing = verified is None
        if verified is not True and not (missing and sign_in.trust_unverified_email):
            said = "sent no email_verified claim" if missing else f"said {verified!r}"
            return None, (
                "The sign-in provider did not confirm an e-mail address for this account "
                f"(email_verified must be true; it {said})."
            )
    who = normalise_address(value)
    if not is_plain(who):
        return None, (
            f"The address the sign-in provider gave for this account ({value.strip()}) is not "
            "plain ASCII, so it is not matched against the access settings."
        )
    return who, ""


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
    admin: bool = False


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
    sign_in: SignIn = SignIn()

    def scope_for(self, identity: str) -> Scope:
        """The union of everything granted to `identity` (compared after normalise_address)."""
        who = normalise_address(identity)
        if not is_plain(who):
            return Scope.nothing(
                identity.strip(),
                f"{identity.strip()} is not a plain ASCII address, so it is not matched against "
                "the access file.",
            )
        grants = [self.users[who]] if who in self.users else []
        grants += [self.groups[g] for g in self.user_groups.get(who, ())]
        grants += [self.groups[g] for g, people in self.members.items() if who in people]
        if not grants:
            grants = [self.default]
        downloads = any(g.downloads for g in grants)
        admin = any(g.admin for g in grants)
        if any(g.places is None for g in grants):
            return Scope.everything(who, downloads, admin=admin)
        places = frozenset().union(*(g.places or frozenset() for g in grants))
        clusters = frozenset().union(*(g.clusters for g in grants))
        if not places and not clusters:
            listed = who in self.users or any(who in p for p in self.members.values())
            why = "gives no places or clusters to" if listed else "does not list"
            # shown on screen: no server path here (the file's path is in AccessConfigError)
            reason = f"The access file {why} {who}."
            return Scope(frozenset(), frozenset(), False, who, reason, admin=admin)
        return Scope(places, clusters, downloads, who, admin=admin)

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
            near = difflib.get_close_matches(key, _TOP_KEYS, n=1)
            hint = f"; did you mean [{near[0]}]?" if near else ""
            expected = ", ".join(_TOP_KEYS)
            _fail(f"unknown section [{key}]; expected {expected}{hint}", path, text, key)
    sign_in = _sign_in(data.get("sign_in", {}), path, text)
    default_table = data.get("default", {})
    if isinstance(default_table, dict) and "admin" in default_table:
        _fail(
            "[default] cannot grant admin: give it to named [users] or [groups]",
            path,
            text,
            "default",
            "admin",
            value=default_table["admin"],
        )
    default = _grant("default", default_table, path, text, _GRANT_KEYS)
    groups, members = {}, {}
    for name, table in _section(data, "groups", path, text).items():
        where = f'groups."{name}"'
        groups[name] = _grant(where, table, path, text, _TABLE_KEYS["groups"])
        people = _strings(table, "members", where, path, text)
        members[name] = frozenset(_address(e, path, text, where, "members") for e in people)
    users, user_groups = {}, {}
    for identity, table in _section(data, "users", path, text).items():
        where = f'users."{identity}"'
        who = _address(identity, path, text, where)
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
    return AccessConfig(path, default, users, groups, user_groups, members, text, sign_in)


def _address(raw: str, path: str, text: str, where: str, key: str | None = None) -> str:
    """A person's address from the file, normalised; a file error unless it is plain ASCII."""
    who = normalise_address(raw)
    if not is_plain(who):
        odd = sorted({f"U+{ord(c):04X}" for c in who if not ("!" <= c <= "~")})
        _fail(
            f"[{where}] the address '{raw}' is not plain ASCII after Unicode normalisation "
            f"({', '.join(odd)}): a look-alike letter would not match the real address",
            path,
            text,
            where,
            key,
            value=raw,
        )
    return who


def _sign_in(table: Any, path: str, text: str) -> SignIn:
    if not isinstance(table, dict):
        _fail("[sign_in] must be a table", path, text, "sign_in", value=table)
    for key in table:
        if key not in _SIGN_IN_KEYS:
            near = difflib.get_close_matches(key, sorted(_SIGN_IN_KEYS), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            _fail(f"[sign_in] has an unknown key '{key}'{hint}", path, text, "sign_in", key, key)
    claim = table.get("email_claim", EMAIL)
    if not isinstance(claim, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.:-]*", claim):
        _fail(
            '[sign_in] email_claim must be the name of an ID-token claim, e.g. "email" or "upn"',
            path,
            text,
            "sign_in",
            "email_claim",
            claim,
        )
    if claim == "email_verified":
        _fail(
            "[sign_in] email_claim cannot be email_verified (that claim is true or false, "
            "not an identity)",
            path,
            text,
            "sign_in",
            "email_claim",
            claim,
        )
    trust = table.get("trust_unverified_email", False)
    if not isinstance(trust, bool):
        _fail(
            "[sign_in] trust_unverified_email must be true or false",
            path,
            text,
            "sign_in",
            "trust_unverified_email",
            trust,
        )
    if trust and claim != EMAIL:
        _fail(
            f"[sign_in] trust_unverified_email applies only to the email claim, but email_claim "
            f"is '{claim}'; remove one of them",
            path,
            text,
            "sign_in",
            "trust_unverified_email",
            trust,
        )
    return SignIn(claim, trust)


def _section(data: dict[str, Any], key: str, path: str, text: str) -> dict[str, dict[str, Any]]:
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
    flags = {}
    for key in ("downloads", "admin"):
        flags[key] = table.get(key, False)
        if not isinstance(flags[key], bool):
            _fail(f"[{where}] {key} must be true or false", path, text, where, key, flags[key])
    return Grant(
        where,
        None if places == [ALL_PLACES] else frozenset(places),
        frozenset(_strings(table, "clusters", where, path, text)),
        flags["downloads"],
        _line_of(text, where),
        admin=flags["admin"],
    )


def _strings(table: dict[str, Any], key: str, where: str, path: str, text: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(f"[{where}] {key} must be a list of non-empty strings", path, text, where, key, value)
    return [v.strip() for v in value]


def _fail(
    message: str, path: str, text: str, where: str, key: str | None = None, value: Any = None
) -> NoReturn:
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
