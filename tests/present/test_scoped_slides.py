"""Slides for a person granted part of a place carry no figure labelled as the place.

The Present page's data source answers `covers_place` for the person signed in; a source that
says no must get slides whose grid has no place column, whose map rows hold no place value,
and whose titles say the place as a whole is not in the person's access.
"""

from __future__ import annotations

from charts.text import figure_words
from panels.core import Need
from present.data import CatalogData
from present.decks import SlideSpec
from present.slides import build_slide

WITHHELD = "Oldham as a whole: not in your access"


class PartOfAPlace:
    """The sample data cut to Oldham East, as the app's scoped frames would be."""

    def __init__(self, data: CatalogData):
        self.data = data

    def get(self, need):
        return self.data.get(need)

    def covers_place(self, place_code: str) -> bool:
        return False


def test_the_grid_slide_has_no_place_column(sample_data):
    whole = build_slide(SlideSpec("spc_grid", "Oldham", "Oldham East"), sample_data)
    assert whole.rows["whole_place"].any()  # the control: a whole-place source has the column
    part = build_slide(SlideSpec("spc_grid", "Oldham", "Oldham East"), PartOfAPlace(sample_data))
    assert not part.rows["whole_place"].any()
    assert "Oldham" not in part.rows["area"].to_list()
    assert WITHHELD in figure_words(part.figure.layout.title.text)


def test_the_map_slide_rows_hold_no_place_value(sample_data):
    spec = SlideSpec("cluster_map", "Oldham", "Oldham East")
    whole = build_slide(spec, sample_data)
    assert whole.rows["place_value"].drop_nulls().len() == whole.rows.height
    part = build_slide(spec, PartOfAPlace(sample_data))
    assert part.rows["place_value"].null_count() == part.rows.height
    assert set(part.rows["vs_place"].to_list()) <= {"not compared", None}


def test_a_cluster_s_outcome_slide_rows_are_its_own_and_rounded(sample_data):
    spec = SlideSpec("outcome_spc", "Oldham", "Oldham East", {"indicator": "A&E attendances"})
    part = build_slide(spec, PartOfAPlace(sample_data))
    assert set(part.rows["area"].to_list()) == {"Oldham East"}
    counts = [n for n in part.rows["numerator"].drop_nulls().to_list() if n != "*"]
    assert counts and all(int(n) % 5 == 0 for n in counts)  # released as text, '*' withheld


def test_the_app_s_captured_data_source_answers_for_the_requester(sample_data):
    """ui.present.LoadedData (what the Present page and its packs build slides from) carries
    the places granted whole: a cluster-only person's grid slide has no place column."""
    from ui.present import LoadedData

    names = ("outcomes", "indicators", "areas", "targets")
    items = {n: sample_data.get(Need(n)) for n in names}
    spec = SlideSpec("spc_grid", "Oldham", "Oldham East")
    part = build_slide(spec, LoadedData(items, frozenset()))
    assert not part.rows["whole_place"].any()
    whole = build_slide(spec, LoadedData(items, frozenset({"E08000004"})))
    assert whole.rows["whole_place"].any()
    assert build_slide(spec, LoadedData(items)).rows["whole_place"].any()  # unrestricted
