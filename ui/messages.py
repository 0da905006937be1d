"""Turn data-layer errors into clear on-page messages (never a traceback).

A data-layer error's full text names server paths, connection targets (masked) and values from
any row of the file, whoever those rows belong to. Only people marked admin (and the open,
single-operator mode) see it; everyone else sees which dataset failed and whom to tell
(DataError.summary). The log always has the full text.
"""

from __future__ import annotations

import re

import streamlit as st

from loaders.errors import TELL, DataError
from loaders.secrets import mask_connection
from panels.core import SYNTHETIC_LABEL

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~])")


# Streamlit's markdown turns bare addresses (http://, www., e-mail) into links and :name:
# shortcodes into icons after parsing, where backslashes cannot reach: an invisible word joiner
# (U+2060) at those places breaks each pattern and changes nothing a reader sees.
_JOIN = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=:)(?=[\w/+-]+:)|(?<=\w)(?=@\w)|(?<=www)(?=\.)", re.I)


def escape_md(text: str) -> str:
    """Text with markdown control characters escaped, so file paths and values show as typed:
    no markup, no link (bare addresses included) and no icon shortcode survives."""
    return _AUTOLINK.sub(_JOIN, _MD_SPECIAL.sub(r"\\\1", text))


def sees_details() -> bool:
    """May the person in this session see full data errors (paths, connections, row values)?

    People marked admin in the access file, and open mode. Fails closed: False if the scope
    cannot be worked out.
    """
    from ui import auth  # ui.auth imports this module

    try:
        return bool(auth.current_scope().admin)
    except Exception:
        return False


def error_text(error: DataError | BaseException | str) -> str:
    """The text of a data error that this session's person may be shown: the full message for
    an admin, otherwise which dataset failed and whom to tell."""
    if sees_details():
        return mask_connection(str(error))
    if isinstance(error, DataError):
        return error.summary
    return f"The data did not load. {TELL}"


def show_data_error(error: DataError | None, *, needed_for: str | None = None) -> None:
    """An error box naming what could not be loaded, why, and what the page cannot show.

    The why (file, row values, connection) is for admins only: others are told whom to tell.
    """
    if error is None:
        return
    lead = error.title
    if needed_for:
        lead += f": {needed_for} cannot be shown"
    admin = sees_details()
    body = escape_md(error_text(error)).replace("\n", "  \n")
    st.error(f"**{escape_md(lead)}.**  \n{body}", icon=":material/error:")
    if admin:
        st.caption(
            "Fix the file or the catalog entry named above, then use **Reload data** on the "
            "Data page."
        )


def show_empty(what: str, why: str) -> None:
    """A neutral message for an empty selection (not an error)."""
    st.info(f"**No {escape_md(what)}.** {escape_md(why)}", icon=":material/info:")


def show_synthetic_notice(datasets: list[str]) -> None:
    """Say plainly which of the figures on this page are synthetic."""
    if datasets:
        names = ", ".join(datasets)
        st.warning(
            f"{SYNTHETIC_LABEL}: {escape_md(names)}. These figures are generated to match "
            "published facts; they are not real accounts or activity.",
            icon=":material/science:",
        )


def show_load_errors(items) -> None:
    """One message per dataset that failed among `items` (ui.state.Loaded), each shown once."""
    seen: set[str] = set()
    for item in items:
        if item.error is not None and str(item.error) not in seen:
            seen.add(str(item.error))
            show_data_error(item.error)


def show_no_rows(names: list[str]) -> None:
    """Name datasets that loaded with no rows (a header-only file), so an empty page is explained."""
    if names:
        listed = ", ".join(f"'{n}'" for n in names)
        then = (
            "check the export, then use **Reload data**."
            if sees_details()
            else "tell the person who manages Placewise's data."
        )
        st.info(
            f"**No rows in {escape_md(listed)}.** The file has column names but no data, so it "
            "loaded as an empty table: pages that use it show no figures from it. If rows were "
            f"expected, {then}",
            icon=":material/info:",
        )
