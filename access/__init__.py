"""Who may see what: scopes, the access file, and the row filters that enforce them.

Nothing here imports streamlit, so the rules are tested directly and the UI layer only has to
ask for the signed-in person's scope and hand every frame through `restrict`.
"""

from access.config import AccessConfig, AccessConfigError, load_access, parse_access
from access.hierarchy import AreaTree
from access.restrict import RULES, pushdown_where, restrict
from access.scope import Scope, Visibility, permitted, visibility

__all__ = [
    "RULES",
    "AccessConfig",
    "AccessConfigError",
    "AreaTree",
    "Scope",
    "Visibility",
    "load_access",
    "parse_access",
    "permitted",
    "pushdown_where",
    "restrict",
    "visibility",
]
