"""Optional sign-in (st.login, OpenID Connect) and the scope of the person signed in.

Sign-in is on when Streamlit's secrets have an `[auth]` section. The access file named by
$PLACEWISE_ACCESS (see access/config.py) then maps each signed-in e-mail to the places and
clusters it may see; its optional `[sign_in]` table says which claim identifies people. An
e-mail is trusted only when the provider's `email_verified` claim is exactly true. The scope is
applied to every frame in ui/state.dataset, so a page can only draw or offer for download what
the person may see; this module only draws the sign-in page, the account box, the refusals, and
the banner of an open deployment.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from access import AccessConfig, AccessConfigError, Scope, load_access
from access.config import SignIn, identity_from_claims
from loaders.catalog import DEFAULT_CATALOG, catalog_path
from ui.messages import escape_md

ACCESS_ENV = "PLACEWISE_ACCESS"
log = logging.getLogger("placewise")

#: Shown instead of an access-file error, whose text names the server path and other people's
#: addresses; the full message goes to the log.
ACCESS_UNREADABLE = (
    "Placewise's access settings could not be read, so no data is shown. Tell the person who "
    "manages Placewise access."
)
AREAS_MISSING = (
    "Access rules need the areas dataset, which did not load, so no data is shown. Tell the "
    "person who manages Placewise access."
)
_FAULTS = (ACCESS_UNREADABLE, AREAS_MISSING)


def sign_in_configured() -> bool:
    """True when the secrets have an `[auth]` section, i.e. st.login has a provider.

    Streamlit reads a malformed secrets file as no secrets at all, which would open the app.
    That is why setting $PLACEWISE_ACCESS (to anything, even an empty string) makes sign-in
    mandatory: with it set and no working `[auth]`, `gate` refuses everyone instead of running
    open.
    """
    try:
        return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))
    except Exception:  # never open the app because the secrets could not be inspected
        log.warning("the secrets could not be read; treating sign-in as configured")
        return True


def _signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


def _access_required() -> bool:
    """Is $PLACEWISE_ACCESS set at all? Any value, even empty, means sign-in is required."""
    return os.environ.get(ACCESS_ENV) is not None


def _identity(sign_in: SignIn) -> tuple[str | None, str]:
    """The identity the provider asserted (normalised), or None and why it is not trusted."""
    return identity_from_claims(st.user, sign_in)


def _file_key(path: Path) -> tuple:
    try:
        stat = path.stat()
        return (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return (str(path), None, None)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_access(key: tuple) -> tuple[AccessConfig | None, str | None]:
    """The access file, or the full error (for the log only: it names paths and addresses)."""
    try:
        return load_access(key[0]), None
    except AccessConfigError as exc:
        return None, str(exc)


@st.cache_resource(show_spinner=False, max_entries=8)
def _codes_problem(config_key: tuple, tree_key: str, _config: AccessConfig, _tree) -> str | None:
    try:
        _config.check_codes(_tree)
    except AccessConfigError as exc:
        return str(exc)
    return None


def _logged_once(message: str) -> None:
    """Log an access-settings fault once per session (current_scope runs for every dataset)."""
    seen = st.session_state.setdefault("_placewise_access_faults", set())
    if message not in seen:
        seen.add(message)
        log.warning("%s", message)


def current_scope() -> Scope:
    """What the person in this session may see. Cheap enough to call for every dataset.

    Every reason here may be shown on screen, so none names a server path or another person:
    faults in the access settings are logged in full and shown as ACCESS_UNREADABLE.
    """
    if not sign_in_configured():
        if not _access_required():
            return Scope.everything(admin=True)  # open: a single operator's local run
        named = "names an access file" if os.environ[ACCESS_ENV].strip() else "is set (empty)"
        return Scope.nothing(
            reason=f"${ACCESS_ENV} {named}, but no sign-in is configured "
            "(an [auth] section in Streamlit's secrets), so no one can be identified."
        )
    if not _signed_in():
        return Scope.nothing(reason="Not signed in.")
    shown = _identity(SignIn())[0] or ""  # for the account box until the file's [sign_in] is read
    path = os.environ.get(ACCESS_ENV)
    if path is None:
        return Scope.nothing(shown, f"No access file is configured (${ACCESS_ENV} is not set).")
    if not path.strip():
        return Scope.nothing(
            shown, f"${ACCESS_ENV} is empty, so no access file is named and no one is given data."
        )
    key = _file_key(Path(path))
    config, error = _cached_access(key)
    if config is None:
        _logged_once(error or f"Access file {path}: could not be read")
        return Scope.nothing(shown, ACCESS_UNREADABLE)
    who, why = _identity(config.sign_in)
    if who is None:
        return Scope.nothing(reason=why)
    from ui import state  # state applies scopes, so it imports this module first

    tree, tree_key, tree_error = state.area_tree()
    if tree is None:
        _logged_once(f"access rules need the areas dataset, which did not load: {tree_error}")
        return Scope.nothing(who, AREAS_MISSING)
    problem = _codes_problem(key, tree_key, config, tree)
    if problem:
        _logged_once(problem)
        return Scope.nothing(who, ACCESS_UNREADABLE)
    return config.scope_for(who)


def is_admin() -> bool:
    """May the person in this session see full error messages and reload the data?

    True in open mode (no sign-in, no $PLACEWISE_ACCESS: a single operator's local run) and for
    people whose access-file grants say `admin = true`.
    """
    return current_scope().admin


def covers_place(place_code: str | None) -> bool:
    """Does the person's scope cover `place_code` as a whole (so a place total may be shown)?

    False for someone granted only some of the place's clusters: their frames hold only those
    clusters, so a sum over them is not the place's figure.
    """
    return current_scope().covers_place(place_code)


def may_download_rows() -> bool:
    """May the person in this session download row-level data (CSV)?"""
    return current_scope().downloads


def download_button(label: str, **kwargs: Any) -> None:
    """st.download_button for row-level data, or a note saying the person's access excludes it."""
    if may_download_rows():
        st.download_button(label, **kwargs)
    else:
        st.caption(f"{escape_md(label)}: not available, your access does not include downloads.")


def _provider() -> str | None:
    """The provider name for st.login: None for a flat [auth], else the only named provider."""
    section = st.secrets.get("auth") or {}
    if "client_id" in section:
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]
    return named[0] if len(named) == 1 else None


def _sign_in_page() -> None:
    st.title("Placewise")
    st.markdown(
        "Sign in to see the dashboard. Your organisation's access settings decide which places "
        "and clusters you can see, and whether you can download the figures."
    )
    st.button(
        "Sign in",
        type="primary",
        icon=":material/login:",
        on_click=st.login,
        args=(_provider(),),
        key="placewise_sign_in",
    )


def _account_box(scope: Scope) -> None:
    with st.sidebar:
        st.caption(f"Signed in as {escape_md(scope.who or 'an unnamed account')}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="placewise_out")


def open_access_text() -> str | None:
    """What open access means here, in full (markdown; the header's badge and the About page
    show it), or None when sign-in is configured."""
    if sign_in_configured():
        return None
    if catalog_path().resolve() == DEFAULT_CATALOG.resolve():
        lead = "**Open access on the sample data.** No sign-in is configured, so anyone who can "
        lead += "reach this app sees every place."
    else:
        lead = "**Open access.** No sign-in is configured, so anyone who can reach this app sees "
        lead += "every place in its data."
    return f"{lead} See *Sign-in and access* in the README before putting real data behind it."


def gate() -> Scope:
    """Draw the sign-in page or a refusal and stop when there is no access (open access is
    said by the header's badge, ui.layout.app_header).

    Call first in the entry script, before any data is read for display.
    """
    if not sign_in_configured():
        if _access_required():
            st.error(escape_md(current_scope().reason), icon=":material/lock:")
            st.stop()
        return Scope.everything(admin=True)
    if not _signed_in():
        _sign_in_page()
        st.stop()
    scope = current_scope()
    _account_box(scope)
    if scope.is_empty:
        log.info("access refused to %s: %s", scope.who or "unidentified account", scope.reason)
        ask = (
            ""
            if scope.reason in _FAULTS
            else " Ask the person who manages Placewise access to add you."
        )
        st.error(
            f"**No data is available to you.** {escape_md(scope.reason)}{ask}",
            icon=":material/lock:",
        )
        st.stop()
    return scope


def _forget_area() -> None:
    for key in ("place", "cluster"):
        if key in st.query_params:
            del st.query_params[key]


def refuse(what: str) -> None:
    """The 'not permitted' message for an area named in the URL, then stop the run.

    `what` is markdown in which the URL's value is already a code span (ui.urlparams.url_text):
    escaping alone leaves a bare address or e-mail as a live link.
    """
    st.error(
        f"**Not permitted.** {what} is outside the places and clusters you may see, "
        "so nothing about it is shown.",
        icon=":material/block:",
    )
    st.button("Show the places I may see", on_click=_forget_area, key="placewise_back")
    st.stop()
