"""Placewise look: NHS palette, CQC rating colours, licence lines, plotly template (number formats live in formatting.py).

Contrast ratios below are WCAG 2.x ratios against white (#FFFFFF) unless stated. Colour is
never the only carrier of meaning: every rating colour goes with its text label.
"""

from __future__ import annotations

import plotly.graph_objects as go

from formatting import NOT_AVAILABLE, format_gbp_m, format_pct  # noqa: F401 - moved; re-exported for callers

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_TEXT = "#212B32"  # NHS.UK body text; 14.4:1
NHS_DARK_GREY = "#425563"  # 7.8:1, secondary text
NHS_MID_GREY = "#768692"  # 3.8:1, graphics only
NHS_PALE_GREY = "#E8EDEE"  # gridlines and backgrounds only
WHITE = "#FFFFFF"

# NHS identity chart order: blue, light blue, grey-blue, warm yellow, pink, aqua green,
# purple, orange. Use at most five series per chart (DOMAIN.md).
NHS_CHART_ORDER: tuple[str, ...] = (
    "#005EB8",
    "#41B6E6",
    "#4C6272",
    "#FFB81C",
    "#AE2573",
    "#00A499",
    "#330072",
    "#ED8B00",
)

# One meaning per colour (the semantic palette): a spend setting keeps its colour in every
# chart, and no setting shares a colour with a budget judgement or a CQC rating. Greys mean
# "not classified" wherever they appear (other spend, no rating). tests/charts/test_palette.py
SETTING_COLOURS: dict[str, str] = {
    "acute": "#005EB8",  # NHS blue
    "community": "#00A499",  # aqua green
    "primary_care": "#41B6E6",  # light blue
    "mental_health": "#330072",  # purple
    "residential": "#4C6272",  # grey-blue
    "prevention": "#AE2573",  # pink
    "other": NHS_MID_GREY,
}
FOLDED_COLOUR = NHS_MID_GREY  # the settings folded into one series ("... and other")
OVERSPEND = "#ED8B00"  # NHS orange: outturn above budget
UNDERSPEND = "#006747"  # NHS dark green: outturn within budget
NEUTRAL_GREYS = frozenset({NHS_MID_GREY, NHS_DARK_GREY, NHS_PALE_GREY})

# CQC legend: Outstanding dark green (with a star), Good green, Requires improvement amber,
# Inadequate red, non-ratings grey.
#   Outstanding #00401E 12.0:1, white text on it 12.0:1
#   Good #007F3B (NHS green) 5.1:1, white text 5.1:1; 2.3:1 against Outstanding
#   Requires improvement #FFB81C (NHS warm yellow) 1.7:1: below the 3:1 graphics minimum on
#     white, so draw it with RATING_OUTLINE and put NHS_TEXT on it (8.3:1)
#   Inadequate #D5281B (NHS red) 5.1:1, white text 5.1:1
#   non-ratings #768692 (NHS mid grey) 3.8:1; put labels beside, not on, grey marks
CQC_RATING_COLOURS: dict[str, str] = {
    "Outstanding": "#00401E",
    "Good": "#007F3B",
    "Requires improvement": "#FFB81C",
    "Inadequate": "#D5281B",
    "Inspected but not rated": NHS_MID_GREY,
    "Insufficient evidence to rate": NHS_MID_GREY,
    "Not yet rated": NHS_MID_GREY,
    "No published rating": NHS_MID_GREY,
}
# Text colour for a label drawn on a mark of the rating's colour (each at least 3.8:1).
CQC_RATING_TEXT_COLOURS: dict[str, str] = {
    rating: NHS_TEXT if colour in ("#FFB81C", NHS_MID_GREY) else WHITE
    for rating, colour in CQC_RATING_COLOURS.items()
}
RATING_OUTLINE = NHS_TEXT  # marker line for light fills (Requires improvement)

LICENCE_LINE = "Contains public sector information licensed under the Open Government Licence v3.0"
OS_LINE = "Contains OS data © Crown copyright and database right"

TITLE_SIZE = 20  # px, the finding
SUBTITLE_SIZE = 15  # px, what is drawn and how
FONT_FAMILY = "Frutiger, Arial, 'Helvetica Neue', Helvetica, sans-serif"


def placewise_template() -> go.layout.Template:
    """Return the Placewise plotly template: sans-serif font, NHS colourway, white background, light grid."""
    axis = {
        "gridcolor": NHS_PALE_GREY,
        "linecolor": NHS_MID_GREY,
        "zerolinecolor": NHS_MID_GREY,
        "ticks": "outside",
        "tickcolor": NHS_MID_GREY,
        "title": {"standoff": 8},
        "automargin": True,
    }
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT_FAMILY, "size": 16, "color": NHS_TEXT},
            title={
                "font": {"size": TITLE_SIZE, "color": NHS_TEXT},
                "subtitle": {"font": {"size": SUBTITLE_SIZE, "color": NHS_DARK_GREY}},
                "x": 0,
                "xanchor": "left",
            },
            colorway=list(NHS_CHART_ORDER),
            paper_bgcolor=WHITE,
            plot_bgcolor=WHITE,
            xaxis=axis,
            yaxis=axis,
            legend={"bgcolor": WHITE, "bordercolor": NHS_PALE_GREY, "borderwidth": 0},
            hoverlabel={"font": {"family": FONT_FAMILY, "size": 14}},
            separators=".,",
            margin={"l": 60, "r": 20, "t": 60, "b": 60},
        )
    )
