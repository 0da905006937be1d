"""Values read from the URL: the one integer parser, and the one way to show what a link said.

Anyone can write a link, so a query value is untrusted text. `url_int` reads an integer from
it the same way everywhere: ASCII digits 0-9 only (no sign, no spaces, no other scripts' digits
such as '²' or '١٢', no '3.0'), clamped to the bounds, and it never raises. `url_text` shows a
value as typed inside a message: as a markdown code span, because escaping markdown is not
enough (Streamlit's markdown turns a bare 'https://...', 'www.' or e-mail address into a link
even when every punctuation character is escaped); nothing inside a code span is a link.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_DIGITS = re.compile(r"[0-9]+")
#: Longer numbers (after leading zeros) are taken as larger than any bound the app uses, so
#: they clamp to the maximum without int() ever seeing thousands of digits.
MAX_DIGITS = 18
#: How much of a URL value a message repeats.
TEXT_LIMIT = 40
# control, format (bidi overrides, zero-width), line/paragraph separators, surrogates, private
# use, unassigned: shown as U+FFFD so a value cannot break the message apart or disguise itself
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _number(value: object) -> int | None:
    """The integer a plain run of ASCII digits spells, or None for anything else."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > MAX_DIGITS:
        return 10**MAX_DIGITS
    return int(digits)


def url_int(value: object, *, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    """The integer in a URL value, clamped to [minimum, maximum]; `default` when there is none.

    Only ASCII digits count ('7', '007'); a sign, a space, a decimal point or a digit of another
    script gives `default`, as do None, lists and an empty value. A number outside the bounds
    is clamped to the nearer one. When `maximum` is below `minimum`, `default`. Never raises.
    """
    number = _number(value)
    if number is None or (maximum is not None and maximum < minimum):
        return default
    if maximum is not None and number > maximum:
        return maximum
    return max(number, minimum)


def exact_url_int(value: object, *, minimum: int = 1, maximum: int | None = None) -> int | None:
    """The integer in a URL value when it is plain ASCII digits within the bounds, else None."""
    number = _number(value)
    if number is None or number < minimum or (maximum is not None and number > maximum):
        return None
    return number


def url_text(value: object, *, limit: int = TEXT_LIMIT) -> str:
    """A URL value as markdown that shows it as typed and can never be a link or markup.

    A code span (fenced with more backticks than the value holds); hidden and control
    characters shown as U+FFFD; cut to `limit` characters with an ellipsis; '(blank)' when
    there is nothing to show.
    """
    text = value if isinstance(value, str) else "" if value is None else str(value)
    text = "".join("\ufffd" if unicodedata.category(c) in _HIDDEN else c for c in text)
    cut = len(text) > limit
    text = text[:limit]
    if not text.strip(" "):
        return "(blank)"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    # CommonMark strips one space each side when both ends are spaces: pad then, and when a
    # backtick at either end would join the fence, so the value is shown exactly as it is
    pad = " " if "`" in (text[0], text[-1]) or (text[0] == text[-1] == " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}" + ("…" if cut else "")
