"""Slide titles are plain sentences: plotly's line breaks never reach PowerPoint or the PDF."""

from charts.text import finding_title


def test_a_line_break_in_the_figure_title_becomes_a_space():
    title = "A&E attendances: special cause concern since Feb<br>2018"
    assert finding_title("Oldham", title) == (
        "Oldham: A&E attendances: special cause concern since Feb 2018"
    )


def test_a_title_naming_the_area_is_kept_as_it_is():
    assert finding_title("Oldham", "Oldham North<br />rated Good") == "Oldham North rated Good"
