"""The contract every panel keeps, as every loader keeps tests/loaders' suite.

Subclass `PanelContractSuite` once per registered panel (tests/panels/test_registry.py fails
for a panel without one), set `panel_id`, and give `examples`: deck-form parameters (codes,
as a deck file holds them) that the sample data can draw. The suite then checks, for every
sample place and for parameters drawn by hypothesis from each field's choices:

- the panel builds, or says in a sentence why it cannot (never an unexpected failure);
- URL -> parameters -> URL and deck -> parameters -> deck lose nothing;
- the rows are released by the panel's declared disclosure rule, and no count of people
  from 1 to 7 is left in a count column;
- the caption names the source and whether the data is real or synthetic;
- the slide drawn from the same parameters shows the same finding and rows;
- every need of a dataset filtered by place is pushed down to the source.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from panels.core import SYNTHETIC_WORDS, Built, Panel, PanelProblem
from panels.params import AreaParams, fields_of, from_url, parse, to_deck, to_url
from panels.registry import get_panel
from panels.source import CatalogSource, run

PLACES = ("E08000004", "E08000001", "E08000003", "E08000015")  # Oldham, Bolton, Manchester, Wirral
# datasets whose rows belong to one place: a panel reading them must push the place down
PLACE_FILTERED: dict[str, str] = {"spend": "place_code", "outcomes": "area_code"}


def params_strategy(cls: type[AreaParams]) -> st.SearchStrategy[AreaParams]:
    """Parameters drawn from each choice field's values (free-text fields keep their default)."""
    draws: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in fields_of(cls).items():
        if spec.choices is None:
            continue
        codes = sorted(spec.choices)
        draws[name] = (
            st.lists(st.sampled_from(codes), unique=True, max_size=len(codes)).map(tuple)
            if spec.many
            else st.sampled_from(codes)
        )
    return st.fixed_dictionaries(draws).map(lambda values: cls(**values))


class PanelContractSuite:
    panel_id: ClassVar[str]
    examples: ClassVar[tuple[dict[str, Any], ...]] = ({},)
    places: ClassVar[tuple[str, ...]] = PLACES
    #: a panel that may rightly be unable to draw for some sample place says so here (place code)
    may_refuse: ClassVar[frozenset[str]] = frozenset()

    @property
    def panel(self) -> Panel[Any]:
        return get_panel(self.panel_id)

    def params(self, raw: dict[str, Any], place: str, cluster: str | None = None) -> AreaParams:
        params, problems = parse(self.panel.Params, raw)
        assert problems == [], problems
        return dataclasses.replace(params, place=place, cluster=cluster)

    def drawn(self, data: Any) -> AreaParams:
        """Parameters drawn by hypothesis, with the panel's required ones from examples[0]."""
        params = data.draw(params_strategy(self.panel.Params))
        base, _ = parse(self.panel.Params, self.examples[0])
        return dataclasses.replace(params, **{k: getattr(base, k) for k in self.panel.required})

    def built(self, source: CatalogSource, params: AreaParams) -> Built:
        result = run(self.panel, params, source)
        assert not isinstance(result, PanelProblem), f"{self.panel_id} {params}: {result}"
        return result

    # --- the contract ---------------------------------------------------------------------

    def test_declares_itself(self) -> None:
        panel = self.panel
        assert panel.id == self.panel_id
        assert panel.title and panel.page
        assert issubclass(panel.Params, AreaParams)
        assert dataclasses.is_dataclass(panel.Params)
        assert panel.Params.__dataclass_params__.frozen  # type: ignore[attr-defined]

    def test_builds_for_every_sample_place(self, sample_source: CatalogSource) -> None:
        for place in self.places:
            for raw in self.examples:
                result = run(self.panel, self.params(raw, place), sample_source)
                if isinstance(result, PanelProblem):
                    assert place in self.may_refuse, f"{place} {raw}: {result}"
                    assert "unexpected" not in str(result), str(result)
                    continue
                self.check_built(result)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_builds_for_drawn_parameters(self, sample_source: CatalogSource, data: Any) -> None:
        params = self.drawn(data)
        place = data.draw(st.sampled_from(self.places))
        result = run(self.panel, dataclasses.replace(params, place=place), sample_source)
        if isinstance(result, PanelProblem):  # allowed, but as a sentence, never a crash
            assert "unexpected" not in str(result), str(result)
            assert str(result).endswith((".", ")")), str(result)
        else:
            self.check_built(result)

    def check_built(self, built: Built) -> None:
        assert built.title, "a panel states its finding"
        assert built.rows.rule == self.panel.disclosure, "rows released by the declared rule"
        assert built.caption.source.strip(), "the caption names the source"
        assert built.caption.status, "the caption says real or synthetic"
        frame = built.rows.frame
        for column in self.panel.disclosure.people:
            if column in frame.columns and frame.schema[column].is_numeric():
                small = frame.filter(pl.col(column).is_between(1, 7))
                assert small.is_empty(), f"{column} holds counts of 1 to 7 people"

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_url_round_trip(self, data: Any) -> None:
        params = self.drawn(data)
        params = dataclasses.replace(
            params, place="E08000004", year_from="2016/17", year_to="2020/21"
        )
        back, problems = from_url(self.panel.Params, to_url(params))
        assert problems == []
        assert back == params

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def test_deck_round_trip(self, data: Any) -> None:
        from present.decks import Deck, SlideSpec, deck_to_toml, parse_deck

        params = self.drawn(data)
        params = dataclasses.replace(params, place="E08000004")
        deck_form = to_deck(params)
        back, problems = parse(self.panel.Params, deck_form)
        assert problems == [] and dataclasses.replace(back, place="E08000004") == params
        spec = SlideSpec.of_panel(self.panel_id, params)
        text = deck_to_toml(Deck("t", "T", None, (spec,)))
        read = parse_deck(text, name="t")
        assert read.problems == {}, read.problems
        assert read.slides[0].panel_params() == params

    def test_slide_shows_the_panel(self, sample_source: CatalogSource) -> None:
        from present.decks import SlideSpec
        from present.slides import build_slide

        params = self.params(self.examples[0], self.places[0])
        built = self.built(sample_source, params)
        slide = build_slide(SlideSpec.of_panel(self.panel_id, params), sample_source)
        assert slide.error is None, slide.error
        assert slide.title.endswith(built.title) or built.title in slide.title
        # the same rows (sums of money may differ in the last bits: polars adds in parallel, and
        # a difference of two sums keeps that error), to a thousandth of a unit
        assert_frame_equal(slide.rows, built.rows.frame, check_exact=False, abs_tol=1e-3)

    def test_needs_are_pushed_down(self) -> None:
        params = self.params(self.examples[0], self.places[0])
        for need in self.panel.needs(params):
            column = PLACE_FILTERED.get(need.dataset)
            if column is not None:
                assert need.where and column in need.where, f"{need.dataset} fetched whole"

    def test_synthetic_words_are_the_one_wording(self, sample_source: CatalogSource) -> None:
        built = self.built(sample_source, self.params(self.examples[0], self.places[0]))
        if built.caption.synthetic is True:
            assert built.caption.status == SYNTHETIC_WORDS
