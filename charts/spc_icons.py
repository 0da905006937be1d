"""Making Data Count icons drawn as SVG (no external files), each with its text alternative."""

from __future__ import annotations

from html import escape

from charts.spc import ICON_COLOURS
from metrics.spc_icons import ASSURANCE_LABELS, VARIATION_LABELS


def icon_svg(kind: str | None, *, assurance: bool = False, size: int = 32) -> str:
    """One Making Data Count style icon as inline SVG with its text alternative.

    Variation: a ring with H or L and an arrow (improvement, concern, neutral), or a flat
    line of dots (common cause). Assurance: a ring with P (passes), F (fails) or ? (hit and
    miss). `kind` None draws nothing.
    """
    if kind is None:
        return ""
    label = (ASSURANCE_LABELS if assurance else VARIATION_LABELS)[kind]
    if assurance:
        colour = ICON_COLOURS[{"pass": "pass", "fail": "fail"}.get(kind, "hit")]
        inner = _letter({"pass": "P", "fail": "F"}.get(kind, "?"), colour, 0)
    elif kind == "common_cause":
        colour = ICON_COLOURS["common"]
        inner = "".join(f'<circle cx="{x}" cy="0" r="2.6" fill="{colour}"/>' for x in (-8, 0, 8))
    else:
        family, side = kind.split("_")
        colour = ICON_COLOURS[family]
        # an arrow at the left: shaft and head, pointing up for "high" and down for "low"
        flip = "" if side == "high" else ' transform="scale(1,-1)"'
        arrow = (
            f'<g{flip}><path d="M-8 -11.5 L-12.8 -4.5 L-3.2 -4.5 Z" fill="{colour}"/>'
            f'<rect x="-9.3" y="-5" width="2.6" height="10" fill="{colour}"/></g>'
        )
        inner = arrow + _letter("H" if side == "high" else "L", colour, 5)
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="{size}" height="{size}" '
        f'viewBox="-18 -18 36 36" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="0" cy="0" r="15.5" fill="#FFFFFF" stroke="{colour}" stroke-width="3"/>'
        f"{inner}</svg>"
    )


def _letter(text: str, colour: str, dx: int) -> str:
    return (
        f'<text x="{dx}" y="6" text-anchor="middle" font-size="17" font-weight="700" '
        f'font-family="Arial, sans-serif" fill="{colour}">{escape(text)}</text>'
    )
