"""A headline number as every consumer shows it: one `Tile` for metrics, panels and pages.

Plain data (strings already formatted by `formatting`), so metrics may make tiles without
importing anything that draws. `value` None means there is no figure: `empty_reason` says
why, and `failed` marks a tile whose data could not be loaded at all (the page names the
dataset once, below the tiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DeltaColor = Literal["normal", "inverse", "off"]


@dataclass(frozen=True)
class Tile:
    """Label, value as shown, the period it covers, the change and which way is better."""

    label: str
    value: str | None
    period: str = ""  # the date or years it covers ('as at 27 Feb 2025', '2024/25 outturn')
    detail: str = ""  # shown under the number ('31 of 40 rated homes')
    delta: str | None = None  # the change ('-2.5 points since 2015/16')
    delta_color: DeltaColor = "off"  # 'inverse': a fall is good; 'normal': a rise is good
    help: str = ""
    synthetic: bool = False
    source: str = ""  # where the number comes from, when the tiles around it differ
    empty_reason: str = ""
    failed: bool = False  # its data could not be loaded
