"""ui.urlparams: the one URL integer parser (ASCII digits only, bounded, never raises) and the
one way to repeat a URL value in a message (a code span: never a link, never markup)."""

from __future__ import annotations

import re

import pytest

from ui.urlparams import MAX_DIGITS, exact_url_int, url_int, url_text

# value -> what url_int(value, default=1, maximum=6) gives: only plain ASCII digits count
CASES = {
    "3": 3,
    "003": 3,
    "6": 6,
    "²": 1,  # superscript two: str.isdigit() is True, int() raises
    "١٢": 1,  # Arabic-Indic twelve: int() reads 12
    "٣": 1,  # Arabic-Indic three: int() reads 3
    "３": 1,  # full-width three
    "-1": 1,
    "0": 1,  # below the minimum: clamped
    "7": 6,  # above the maximum: clamped
    "99999999999999999999": 6,
    "9" * 5000: 6,  # int() of this many digits raises; never tried
    " 3": 1,
    "3 ": 1,
    "+3": 1,
    "3.0": 1,
    "3_0": 1,  # int() reads 30
    "0x3": 1,
    "3\n": 1,  # `$` in a regex would let this through
    "": 1,
    "three": 1,
}


@pytest.mark.parametrize(("value", "expected"), CASES.items(), ids=[repr(v)[:20] for v in CASES])
def test_url_int_reads_ascii_digits_only_within_bounds(value, expected):
    assert url_int(value, default=1, maximum=6) == expected


@pytest.mark.parametrize("value", [None, ["3"], 3, 3.0, b"3", object()])
def test_url_int_gives_the_default_for_what_is_not_text(value):
    assert url_int(value, default=2, maximum=6) == 2


def test_url_int_bounds():
    assert url_int("5", default=1) == 5  # no maximum
    assert url_int("0", default=1, minimum=0) == 0
    assert url_int("1" + "0" * 40, default=1) == 10**MAX_DIGITS  # capped, not a 41-digit int
    assert url_int("3", default=9, minimum=5, maximum=2) == 9  # empty range: the default


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3), ("06", 6), ("0", None), ("7", None), ("²", None), (" 3", None), ("", None)],
)
def test_exact_url_int_is_the_value_only_when_it_is_in_range(value, expected):
    assert exact_url_int(value, maximum=6) == expected


LINKY = [
    "[click](http://evil.example)",
    "https://x.example",
    "www.evil.example",
    "someone@evil.example",
    "<http://evil.example>",
    "![x](http://evil.example/i.png)",
    ":red[alarm]",
    "`code` and ``more``",
    "a\n\n# heading\n[x](http://evil.example)",
    "\u202eelpmaxe.live//:sptth",  # right-to-left override
]


def code_span(markdown: str) -> str:
    """The text of `markdown` when it is exactly one CommonMark code span (else fail)."""
    match = re.fullmatch(r"(`+)(.*?)\1(…?)", markdown, flags=re.S)
    assert match, f"not one code span: {markdown!r}"
    fence, body = match.group(1), match.group(2)
    assert "\n" not in body and not re.search(rf"(?<!`){fence}(?!`)", body)
    if body.startswith(" ") and body.endswith(" ") and body.strip(" "):
        body = body[1:-1]  # CommonMark strips one space each side
    return body


@pytest.mark.parametrize("value", LINKY, ids=range(len(LINKY)))
def test_url_text_is_one_code_span_showing_the_value_as_typed(value):
    shown = url_text(value, limit=200)
    body = code_span(shown)
    assert body == "".join("\ufffd" if c in "\n\u202e" else c for c in value)


def test_url_text_cuts_long_values_and_names_blank_ones():
    shown = url_text("x" * 500)
    assert shown.endswith("…") and code_span(shown) == "x" * 40
    assert url_text("") == url_text("   ") == url_text(None) == "(blank)"
    assert code_span(url_text(" 3")) == " 3" and code_span(url_text("3 ")) == "3 "
