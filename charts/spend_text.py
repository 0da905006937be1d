"""Words and numbers for the Spend shift page: labels, money formats and the sentences that state findings."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from formatting import format_pct
from formatting import gbp as gbp  # the money formats, kept importable from here
from formatting import ratio_text as ratio_text
from formatting import signed_gbp_m as signed_gbp_m

GROUP_LABELS = {
    "acute": "Acute (hospital)",
    "community": "Community",
    "primary_care": "Primary care",
    "mental_health": "Mental health and learning disability",
    "residential": "Residential and nursing care",
    "prevention": "Prevention",
    "other": "Other",
}
ORGANISATION_LABELS = {
    "council_asc": "Council adult social care",
    "council_ph": "Council public health",
    "nhs": "NHS (CCG or ICB)",
    "other": "Other partners",
}
POOL_LABELS = {
    "pooled": "Section 75 pooled fund",
    "aligned": "Aligned budgets",
    "bcf": "Better Care Fund",
    "ibcf": "Improved Better Care Fund",
    "outside": "Outside any pool",
}


@dataclass(frozen=True)
class Footer:
    """The prices a spend figure's money is in (and, for figures not drawn by a panel, the
    source, as-at date and status; a panel keeps its caption outside the figure)."""

    source: str = ""
    as_at: str | None = None
    synthetic: bool | str = False
    prices: str = "cash"  # or e.g. "2024/25 prices"


def _moved(before: str, after: str, first: str, last: str) -> str:
    if before == after:
        return f"was unchanged at {after} between {first} and {last}"
    if not all(re.fullmatch(r"-?[\d,]+(\.\d+)?%?", v) for v in (before, after)):
        return f"went from {before} in {first} to {after} in {last}"  # a ratio to no acute spend
    up = float(after.strip("%").replace(",", "")) > float(before.strip("%").replace(",", ""))
    return f"{'rose' if up else 'fell'} from {before} in {first} to {after} in {last}"


def headline(yearly: pl.DataFrame, area_name: str) -> str:
    """One sentence: how the acute share and the community-to-acute ratio moved, and what that means."""
    rows = yearly.drop_nulls("acute_share")
    if rows.is_empty():
        return f"No spend outturn is recorded for {area_name} in the years chosen."
    a, b = rows.row(0, named=True), rows.row(-1, named=True)
    share_a, share_b = format_pct(a["acute_share"]), format_pct(b["acute_share"])
    ratio_a, ratio_b = (ratio_text(r["community_to_acute_ratio"]) for r in (a, b))
    if a["financial_year"] == b["financial_year"]:
        return (
            f"In {area_name}, acute (hospital) care took {share_b} of spend in "
            f"{b['financial_year']}; the community-to-acute ratio was {ratio_b}."
        )
    years = a["financial_year"], b["financial_year"]
    share_moved, ratio_moved = _moved(share_a, share_b, *years), _moved(ratio_a, ratio_b, *years)
    short_ratio = ratio_moved.replace(f" in {years[0]}", "").replace(f" in {years[1]}", "")
    if share_moved.startswith("fell") and ratio_moved.startswith("rose"):
        verdict = "money is moving from hospital to community care"
    elif share_moved.startswith("rose") and ratio_moved.startswith("fell"):
        verdict = "money is moving towards hospital care"
    else:
        verdict = "no clear shift between hospital and community care"
    return (
        f"In {area_name}, the acute (hospital) share of spend {share_moved}, and the "
        f"community-to-acute ratio {short_ratio}: {verdict}."
    )


def target_text(
    summary: dict | None, indicator_id: str, base_year: str, place: str, *, short: bool = False
) -> str:
    """'Acute spend was 17.0% below 2015/16 in 2020/21 against a target of 20.0% below 2015/16: off track by 3.0 percentage points (...)'; ``short`` for a subtitle."""
    if summary is None:
        return f"No target or trajectory for acute spend is set for {place}."
    kind = "target" if summary["kind"] == "target" else "trajectory"
    if indicator_id == "acute_share":
        actual, target = format_pct(summary["actual"]), format_pct(summary["target"])
        what = "The acute share was" if not short else "Acute share"
    else:
        actual, target = (_vs_base(summary[k], base_year) for k in ("actual", "target"))
        what = "Acute spend was" if not short else "Acute spend"
    gap = abs(summary["gap"])
    how = "on track" if summary["status"] == "on track" else "off track"
    by = "" if gap < 0.05 else f" by {gap:.1f} {'points' if short else 'percentage points'}"
    if short:
        return f"{what} {actual} in {summary['financial_year']}; {kind} {target}: {how}{by}"
    return (
        f"{what} {actual} in {summary['financial_year']} against a {kind} of {target}: "
        f"{how}{by} ({place}'s {kind}; cash, all organisations)."
    )


def _vs_base(pct: float, base_year: str) -> str:
    if round(pct, 1) == 0:
        return f"the same as {base_year}"
    return f"{abs(pct):.1f}% {'below' if pct < 0 else 'above'} {base_year}"


def share_title(yearly: pl.DataFrame) -> str:
    """'Acute share of spend fell from 37.3% to 24.9%, 2015/16 to 2024/25'."""
    share = yearly.drop_nulls("acute_share")
    if share.is_empty():
        return "No acute share to show: no spend outturn in these years"
    a, b = (format_pct(v) for v in share["acute_share"][[0, -1]])
    first, last = share["financial_year"][0], share["financial_year"][-1]
    if share.height == 1:
        return f"Acute share of spend was {b} in {last}"
    if a == b:
        return f"Acute share of spend was unchanged at {b}, {first} to {last}"
    verb = "rose" if share["acute_share"][-1] > share["acute_share"][0] else "fell"
    return f"Acute share of spend {verb} from {a} to {b}, {first} to {last}"


def change_words(pct: float | None) -> str:
    if pct is None:
        return "cannot be compared"
    if round(pct) == 0:
        return "was about level"
    return f"{'rose' if pct > 0 else 'fell'} {abs(pct):.0f}%"


def shift_title(yearly: pl.DataFrame) -> str:
    """'Community spend rose 48% and acute spend rose 12%, 2015/16 to 2024/25': community
    against acute spend, the first year with outturn against the last (the acute share's title
    when the two cannot be compared)."""
    known = yearly.drop_nulls("acute_share").sort("year_start")
    if known.height < 2:
        return share_title(yearly)
    a, b = known.row(0, named=True), known.row(-1, named=True)
    if not a["community_gbp"] or not a["acute_gbp"]:
        return share_title(yearly)
    community = (b["community_gbp"] / a["community_gbp"] - 1) * 100
    acute = (b["acute_gbp"] / a["acute_gbp"] - 1) * 100
    return (
        f"Community spend {change_words(community)} and acute spend {change_words(acute)}, "
        f"{a['financial_year']} to {b['financial_year']}"
    )


def trend_title(yearly: pl.DataFrame, target: str = "") -> str:
    """'Acute share of spend fell in 8 of 9 years, to 32.7% in 2024/25; no acute spend target
    is set': the year-on-year direction of the acute share, then `target` (target_clause)."""
    share = yearly.drop_nulls("acute_share").sort("year_start")
    if share.height < 2 or share.height < yearly.height:  # a gap: first against last only
        title = share_title(yearly)
    else:
        values = [round(v, 1) for v in share["acute_share"]]
        steps = list(zip(values, values[1:], strict=False))
        falls, rises = sum(b < a for a, b in steps), sum(b > a for a, b in steps)
        last = f"{format_pct(share['acute_share'][-1])} in {share['financial_year'][-1]}"
        if falls == rises == 0:
            title = share_title(yearly)
        else:
            verb, count = ("fell", falls) if falls >= rises else ("rose", rises)
            years = f"in {count} of {len(steps)} years" if count < len(steps) else "every year"
            title = f"Acute share of spend {verb} {years}, to {last}"
    return f"{title}; {target}" if target else title


def target_clause(summary: dict | None) -> str:
    """'no acute spend target is set', or 'acute spend off track against its target in 2020/21'."""
    if summary is None:
        return "no acute spend target is set"
    kind = "target" if summary["kind"] == "target" else "trajectory"
    return f"acute spend {summary['status']} against its {kind} in {summary['financial_year']}"
