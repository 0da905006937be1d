"""Panel parameters: one frozen dataclass per panel, its fields described by `param` metadata.

The metadata of each field (URL key, label, allowed values with their labels, default, help)
is the one place the page's widgets, the page URL, deck TOML and validation are made from:

    @dataclass(frozen=True)
    class SpendParams(AreaParams):
        prices: str = param("spend_prices", "Prices", "cash", choices=PRICES)

Values are kept as codes ('real', 'nursing'); a URL holds what the page's widget shows (the
label, 'Real terms', unless the field says `url_codes=True`), a deck holds the codes. Parsing
never stops at the first mistake: every problem comes back, each with a "did you mean".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from loaders.registry import suggest

YEAR = re.compile(r"^\d{4}/\d{2}$")
_META = "placewise"
# The sidebar's URL keys (ui/filters): place and cluster take names, period repeats two years.
PLACE_KEY, CLUSTER_KEY, PERIOD_KEY = "place", "cluster", "period"
ALL_CLUSTERS = "All clusters"  # the sidebar's 'no cluster' choice


@dataclass(frozen=True)
class Param:
    """What one parameter field means outside Python: its URL key, label, values and help."""

    url: str
    label: str
    choices: Mapping[str, str] | None = (
        None  # code -> label; None: free text (checked by `pattern`)
    )
    pattern: re.Pattern[str] | None = None
    pattern_words: str = ""  # what `pattern` expects, in words ("a financial year like '2019/20'")
    help: str = ""
    many: bool = False  # a tuple of codes (a multiselect); empty means all
    url_codes: bool = False  # the page's widget writes codes (not labels) into the URL
    deck: bool = True  # False: not a deck parameter (the slide's own place and cluster)

    def label_of(self, code: str) -> str:
        return (self.choices or {}).get(code, code)

    def code_of(self, text: str) -> str:
        """A code from a code or its label (URLs hold labels; decks hold codes)."""
        if self.choices is None or text in self.choices:
            return text
        back = {label: code for code, label in self.choices.items()}
        return back.get(text, text)


def param(
    url: str,
    label: str,
    default: Any,
    *,
    choices: Mapping[str, str] | None = None,
    pattern: re.Pattern[str] | None = None,
    pattern_words: str = "",
    help: str = "",
    many: bool = False,
    url_codes: bool = False,
    deck: bool = True,
) -> Any:
    """A dataclass field whose metadata describes the parameter (see the module docstring)."""
    meta = Param(url, label, choices, pattern, pattern_words, help, many, url_codes, deck)
    return field(default=default, metadata={_META: meta})


def year_param(url: str, label: str) -> Any:
    """A financial-year field ('2019/20'); None means the first or last year with data."""
    return param(url, label, None, pattern=YEAR, pattern_words="a financial year like '2019/20'")


@dataclass(frozen=True)
class AreaParams:
    """Every panel's first parameters: the place and cluster it shows (codes), and the years."""

    place: str | None = param(PLACE_KEY, "Place", None, deck=False)
    cluster: str | None = param(CLUSTER_KEY, "Cluster", None, deck=False)
    year_from: str | None = year_param(PERIOD_KEY, "From")
    year_to: str | None = year_param(PERIOD_KEY, "To")


P = TypeVar("P", bound=AreaParams)


def fields_of(cls: type[AreaParams]) -> dict[str, Param]:
    """Field name -> its Param, in declaration order."""
    return {f.name: f.metadata[_META] for f in dataclasses.fields(cls) if _META in f.metadata}


def defaults_of(cls: type[AreaParams]) -> dict[str, Any]:
    return {f.name: f.default for f in dataclasses.fields(cls)}


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def parse(cls: type[P], raw: Mapping[str, Any]) -> tuple[P, list[str]]:
    """`cls` from deck or form values (codes or labels), and every problem found, in words.

    Unknown keys, values outside the choices and malformed years are problems (each with a
    "did you mean"); the parameters come back with the default in place of each bad value.
    """
    meta = fields_of(cls)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in raw.items():
        if key not in meta:
            known = tuple(k for k, m in meta.items() if m.deck) or ("(no parameters)",)
            problems.append(f"there is no parameter '{key}' ({suggest(key, known)})")
            continue
        spec = meta[key]
        if value is None:
            continue
        items = list(value) if isinstance(value, list | tuple) else [value]
        if not spec.many and len(items) != 1:
            problems.append(f"parameter '{key}' takes one value, got {value!r}")
            continue
        codes: list[str] = []
        for item in items:
            text = _as_text(item)
            if text is None:
                problems.append(f"parameter '{key}' must be text, got {item!r}")
                continue
            code = spec.code_of(text)
            if spec.choices is not None and code not in spec.choices:
                problems.append(
                    f"parameter '{key}' = {text!r} is not allowed ({suggest(text, tuple(spec.choices))})"
                )
            elif spec.pattern is not None and not spec.pattern.match(code):
                problems.append(f"parameter '{key}' = {text!r} is not {spec.pattern_words}")
            else:
                codes.append(code)
        if len(codes) == len(items):
            values[key] = tuple(dict.fromkeys(codes)) if spec.many else codes[0]
    first, last = values.get("year_from"), values.get("year_to")
    if first and last and first > last:
        problems.append(f"year_from {first} is after year_to {last}")
        values.pop("year_from"), values.pop("year_to")
    return cls(**values), problems


def to_deck(params: AreaParams) -> dict[str, str | list[str]]:
    """The deck (TOML) form: every parameter that differs from its default, as codes."""
    out: dict[str, str | list[str]] = {}
    defaults = defaults_of(type(params))
    for name, spec in fields_of(type(params)).items():
        value = getattr(params, name)
        if not spec.deck or value == defaults[name] or value is None:
            continue
        out[name] = list(value) if spec.many else str(value)
    return out


def to_url(
    params: AreaParams, names: Mapping[str, str] | None = None
) -> dict[str, str | list[str]]:
    """The page's URL query for `params`: the pages' own keys and values (labels, names).

    `names` maps codes (place, cluster, an indicator id) to the names the pages' URL keys take.
    """
    names = names or {}
    query: dict[str, str | list[str]] = {}
    meta = fields_of(type(params))
    defaults = defaults_of(type(params))
    for name, spec in meta.items():
        value = getattr(params, name)
        if value is None or name in ("year_from", "year_to"):
            continue
        if name in ("place", "cluster") or (spec.choices is None and not spec.many):
            query[spec.url] = names.get(value, value)  # names the page's URL uses for codes
        elif value != defaults[name]:
            shown = (
                [v if spec.url_codes else spec.label_of(v) for v in value]
                if spec.many
                else (value if spec.url_codes else spec.label_of(value))
            )
            query[spec.url] = shown
    if params.year_from or params.year_to:
        first = params.year_from or params.year_to
        query[PERIOD_KEY] = [str(first), str(params.year_to or first)]
    return query


def _first(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return str(value[0]) if value else None
    return None if value in (None, "") else str(value)


def from_url(cls: type[P], query: Mapping[str, Any]) -> tuple[P, list[str]]:
    """`cls` from a page's URL query (to_url inverted); keys the panel does not take are ignored.

    The place and cluster stay as the URL has them (names or codes): resolving them needs the
    areas, which the consumer has (present.data.resolve_area).
    """
    raw: dict[str, Any] = {}
    for name, spec in fields_of(cls).items():
        if name in ("year_from", "year_to"):
            continue
        value = query.get(spec.url)
        if value in (None, "", []):
            continue
        if name == "cluster" and value == ALL_CLUSTERS:
            continue
        if spec.many:
            raw[name] = [value] if isinstance(value, str) else list(value)
        else:
            raw[name] = _first(value)
    period = query.get(PERIOD_KEY)
    if period:
        years = [period] if isinstance(period, str) else list(period)
        raw["year_from"], raw["year_to"] = years[0], years[-1]
    place, cluster = raw.pop("place", None), raw.pop("cluster", None)
    params, problems = parse(cls, raw)
    return dataclasses.replace(params, place=place, cluster=cluster), problems


def with_area(params: P, place: str | None, cluster: str | None) -> P:
    return dataclasses.replace(params, place=place, cluster=cluster)


def choices_text(values: Iterable[str], spec: Param) -> Sequence[str]:
    return [spec.label_of(v) for v in values]
