"""What a panel is and what it gives back: needs, data, the built view, its caption and rows.

A panel is one chart, map, table or row of tiles, defined once and used by every consumer
(the page, the Present page, PPTX and PDF packs, pictures, CSV downloads and the board grid):

- `Params`: a frozen dataclass of its parameters (panels.params; the area and years first);
- `needs(params)`: the datasets it reads, each with the filter pushed down to the source;
- `build(params, data)`: a pure function of the parameters and those datasets, returning a
  `Built` (finding, figure, the rows a person may download, caption, notices and tiles).

Nothing here imports streamlit: the app and the command line supply the data (panels.source).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

import polars as pl

from metrics.suppression import RULE, display_counts, round_people
from metrics.tiles import Tile
from panels.params import AreaParams

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from geopandas import GeoDataFrame

    from loaders.catalog import DatasetSpec
    from loaders.errors import DataError

__all__ = ["Tile"]  # the one headline tile (metrics.tiles), re-exported for panels

P = TypeVar("P", bound=AreaParams)
R = TypeVar("R")
SHARED_ENTRIES = 16  # steps shared by the panels of a page (each holds its inputs alive)
_shared: OrderedDict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = OrderedDict()
_shared_lock = threading.Lock()


class PanelProblem(Exception):
    """The panel cannot be drawn for these parameters and data; the message says why, in words.

    `level` 'warning' marks bad data (a series that cannot be charted); 'info' an empty choice.
    """

    def __init__(self, message: str = "", level: Literal["info", "warning"] = "info"):
        super().__init__(message)
        self.level = level


# Need.where values bound to the panel's area once it is resolved (a name in a deck becomes codes)
PLACE = "(the place's code)"
PLACE_AREAS = "(the codes of the place and its clusters)"


@dataclass(frozen=True)
class Need:
    """One dataset a panel reads, with the rows it needs pushed down to the source.

    A `where` value may be PLACE or PLACE_AREAS: `bound(area)` puts in the resolved codes, so
    a panel asks for its place's rows only, however its place was named.
    """

    dataset: str
    where: Mapping[str, Any] | None = None  # canonical column -> value or values
    optional: bool = False  # the panel draws without it (a note says what is missing)

    def bound(self, area: Area) -> Need:
        if not self.where:
            return self
        where: dict[str, Any] = {}
        for column, value in self.where.items():
            if value == PLACE:
                where[column] = area.place_code
            elif value == PLACE_AREAS:
                if not area.codes:  # the area's codes are not known: fetch whole, never none
                    continue
                where[column] = tuple(area.codes)
            else:
                where[column] = value
        return Need(self.dataset, where or None, self.optional)


@dataclass(frozen=True)
class Input:
    """One dataset as the data source gave it: the frame, its catalog entry, or why it failed."""

    name: str
    frame: pl.DataFrame | GeoDataFrame | None  # boundaries are a GeoDataFrame
    spec: DatasetSpec | None = None
    error: DataError | None = None
    version: str = ""  # changes whenever the rows may have changed (load time, scope, filter)

    @property
    def ok(self) -> bool:
        return self.frame is not None and self.error is None


@dataclass(frozen=True)
class Area:
    """The place and cluster a panel shows, resolved to codes and names."""

    place_code: str
    place_name: str
    cluster_code: str | None = None
    cluster_name: str | None = None
    #: may place totals and place comparators be shown (access.Scope.covers_place)?
    whole_place: bool = True
    codes: tuple[str, ...] = ()  # the place's code and its clusters' codes (PLACE_AREAS)

    @property
    def area_code(self) -> str:
        return self.cluster_code or self.place_code

    @property
    def area_name(self) -> str:
        return self.cluster_name or self.place_name

    def names(self) -> dict[str, str]:
        """Code -> name, for URLs (the sidebar's place and cluster keys take names)."""
        out = {self.place_code: self.place_name}
        if self.cluster_code and self.cluster_name:
            out[self.cluster_code] = self.cluster_name
        return out


@dataclass(frozen=True)
class Data:
    """What `build` reads: the area and each needed dataset by name."""

    area: Area
    inputs: Mapping[str, Input]

    def _loaded(self, name: str) -> pl.DataFrame | GeoDataFrame:
        item = self.inputs.get(name)
        if item is None or item.frame is None:
            why = item.error if item is not None else "the panel did not ask for it"
            raise PanelProblem(f"This view needs the {name} data, which cannot be loaded: {why}")
        return item.frame

    def frame(self, name: str) -> pl.DataFrame:
        """The dataset's rows; PanelProblem (saying why) when it did not load."""
        frame = self._loaded(name)
        if not isinstance(frame, pl.DataFrame):
            raise PanelProblem(f"The {name} data is not a table of rows (shapes: use Data.geo).")
        return frame

    def geo(self, name: str) -> GeoDataFrame:
        """A dataset of shapes (boundaries); PanelProblem when it did not load."""
        frame = self._loaded(name)
        if isinstance(frame, pl.DataFrame):
            raise PanelProblem(f"The {name} data holds no shapes.")
        return frame

    def optional(self, name: str) -> pl.DataFrame | None:
        """The dataset's rows, or None when it did not load (an optional need)."""
        item = self.inputs.get(name)
        if item is None or not item.ok or not isinstance(item.frame, pl.DataFrame):
            return None
        return item.frame

    def optional_geo(self, name: str) -> GeoDataFrame | None:
        """A dataset of shapes, or None when it did not load."""
        item = self.inputs.get(name)
        if item is None or not item.ok or isinstance(item.frame, pl.DataFrame):
            return None
        return item.frame

    def spec(self, name: str) -> DatasetSpec | None:
        item = self.inputs.get(name)
        return item.spec if item is not None else None

    def error(self, name: str) -> DataError | None:
        item = self.inputs.get(name)
        return item.error if item is not None else None

    def shared(
        self,
        fn: Callable[..., R],
        names: Sequence[str],
        *,
        optional: Sequence[str] = (),
        **options: Any,
    ) -> R:
        """`fn(*frames of names, *frames of optional, **options)`, computed once for every
        panel that asks with the same frames and options (the panels of a page share an
        expensive step this way); an optional dataset that did not load is passed as None.

        Keyed by the frames' identity (each source hands out the same frame until its rows
        change) and kept in a small LRU that holds the frames, so an identity is never reused.
        """
        frames: tuple[object, ...] = tuple(self._loaded(name) for name in names)
        frames += tuple(self.inputs[n].frame if n in self.inputs and self.inputs[n].ok else None
                        for n in optional)  # fmt: skip
        key = (
            fn.__module__,
            fn.__qualname__,
            tuple(map(id, frames)),
            tuple(sorted(options.items())),
        )
        with _shared_lock:
            hit = _shared.get(key)
            if hit is not None and all(a is b for a, b in zip(hit[0], frames, strict=True)):
                _shared.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        value = fn(*frames, **options)
        with _shared_lock:
            _shared[key] = (frames, value)
            while len(_shared) > SHARED_ENTRIES:
                _shared.popitem(last=False)
        return value


SYNTHETIC_LABEL = "Synthetic data (illustrative)"  # the one wording: pages, slides, packs
SYNTHETIC_WORDS = f"{SYNTHETIC_LABEL}: these figures are not real."
PARTLY_WORDS = "Partly synthetic data: some figures are illustrative, not real."
REAL_WORDS = "Real data."


@dataclass(frozen=True)
class Caption:
    """What every view says beside itself: source, as-at date, real or synthetic, licence, notes.

    Kept outside the figure; each medium adds it with panels.caption.
    """

    source: str
    as_at: str = ""
    synthetic: bool | str = False  # True, False or "partly"
    licence: str = ""
    notes: tuple[str, ...] = ()
    boundaries: bool = False  # drawn on Ordnance Survey boundaries (the OS licence line)

    @property
    def status(self) -> str:
        """Real or synthetic, in the one wording used everywhere."""
        if self.synthetic == "partly":
            return PARTLY_WORDS
        return SYNTHETIC_WORDS if self.synthetic else REAL_WORDS

    @classmethod
    def of(cls, spec: DatasetSpec | None, *, fallback: str, **more: Any) -> Caption:
        """The caption of a view drawn from one dataset (its catalog source, licence, status)."""
        if spec is None:
            return cls(source=fallback, **more)
        more.setdefault("synthetic", spec.synthetic)
        more.setdefault("licence", spec.licence)
        return cls(source=spec.source or spec.title or fallback, **more)


Level = Literal["info", "warning"]


@dataclass(frozen=True)
class Notice:
    """A sentence shown above a view: a data problem, a gap, a choice that was changed."""

    text: str
    level: Level = "info"


@dataclass(frozen=True)
class Disclosure:
    """A panel's disclosure rule: how its rows are made safe to show and to download.

    `people` columns hold counts of people or events (rounded to 5, 1 to 7 withheld);
    `populations` is a pattern of population columns (denominators behind a per-head figure,
    rounded to 5). A panel with neither holds no counts of people (money, homes, SPC readings).
    """

    people: tuple[str, ...] = ()
    populations: str | None = None
    note: str = ""

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        out = frame
        if self.people:
            present = [c for c in self.people if c in out.columns]
            out = display_counts(out, present) if present else out
        if self.populations:
            out = round_people(out, self.populations)
        return out


NO_PEOPLE = Disclosure()
PEOPLE_COUNTS = Disclosure(people=("numerator", "denominator"), note=RULE)
POPULATIONS = Disclosure(
    populations=r"population$", note="Population counts are rounded to the nearest 5."
)


@dataclass(frozen=True)
class Rows:
    """Rows a person may see and download: made only by `release`, with the rule applied once."""

    frame: pl.DataFrame
    rule: Disclosure

    @property
    def height(self) -> int:
        return self.frame.height


def release(frame: pl.DataFrame, rule: Disclosure) -> Rows:
    """`frame` made safe by `rule`: the only way to make the Rows that downloads accept."""
    return Rows(rule.apply(frame), rule)


@dataclass(frozen=True)
class NativeSeries:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class NativeChart:
    """A chart PowerPoint can draw itself (editable, values from the rows)."""

    kind: Literal["line", "column", "bar", "stacked_column"]
    categories: tuple[str, ...]
    series: tuple[NativeSeries, ...]
    number_format: str = "0.0"
    axis_title: str = ""


@dataclass
class Built:
    """A panel drawn: the finding (plain words), figure, rows, caption, notices and tiles."""

    title: str
    figure: go.Figure | None
    rows: Rows
    caption: Caption
    notices: list[Notice] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    definition: str = ""  # what the measure means, for a pack's appendix
    native: NativeChart | None = None
    names: dict[str, str] = field(default_factory=dict)  # codes resolved -> names (for links)
    #: what one consumer draws its own way (the SPC reading as icons on the Outcomes page)
    extras: dict[str, Any] = field(default_factory=dict)


class Panel(Generic[P]):
    """One view, defined once. Subclasses set the class attributes and write needs and build."""

    id: ClassVar[str]
    title: ClassVar[str]  # what it shows, for the deck's view list
    page: ClassVar[str]  # URL path of the page it appears on
    Params: type[P]
    disclosure: ClassVar[Disclosure] = NO_PEOPLE
    required: ClassVar[Sequence[str]] = ()  # parameters a deck must give

    def needs(self, params: P) -> tuple[Need, ...]:
        raise NotImplementedError

    def build(self, params: P, data: Data) -> Built:
        raise NotImplementedError

    def check(self, params: P, data: Data) -> str | None:
        """What the data lacks for these parameters (an unknown indicator name), or None.

        Cheap checks only (no figure): a deck runs them when it is opened, so its author is told
        at once, with the slide's line. The default checks nothing.
        """
        return None

    def release(self, frame: pl.DataFrame) -> Rows:
        """The panel's rows made safe by its declared rule (the only rows it may return)."""
        return release(frame, self.disclosure)

    def __repr__(self) -> str:
        return f"<panel {self.id}>"
