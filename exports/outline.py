"""What both packs (PowerPoint and PDF) print around the slides: the cover, page numbers and the
appendix, so the two agree page for page.

Pages are numbered as printed: the cover is page 1, the deck's slide n is page n + 1 and the
appendix of definitions is the last page. The contents, the appendix and every page's footer
use these numbers, in the PPTX (where the page is the PowerPoint slide number) and the PDF alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from panels.core import PARTLY_WORDS, REAL_WORDS, SYNTHETIC_WORDS
from present.decks import Deck
from present.slides import Slide

APPENDIX_TITLE = "Appendix: metric definitions"


def page_of(index: int) -> int:
    """The printed page of the deck's slide at `index` (0-based): the cover is page 1."""
    return index + 2


def page_count(slides: list[Slide]) -> int:
    """Cover, a page per slide, the appendix."""
    return len(slides) + 2


def pages_words(pages: list[int]) -> str:
    """'Page 2' or 'Pages 2, 3'."""
    return f"Page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}"


def page_footer(page: int, slides: list[Slide]) -> str:
    """'Page 3 of 8', printed at the foot of every page of both packs."""
    return f"Page {page} of {page_count(slides)}"


@dataclass(frozen=True)
class Entry:
    """One line of the contents: the page, the slide's heading and its finding."""

    page: int
    heading: str
    finding: str

    @property
    def line(self) -> str:
        if self.heading and self.heading != self.finding:
            return f"{self.page}   {self.heading}: {self.finding}"
        return f"{self.page}   {self.finding}"


@dataclass(frozen=True)
class Cover:
    """The cover: title, place, the date the pack was made, data status and contents."""

    title: str
    place: str
    made: str
    status: tuple[str, ...]
    contents: tuple[Entry, ...]

    @property
    def lines(self) -> list[str]:
        """The cover's details as printed under the title (without the contents)."""
        return [f"{self.place} · Made {self.made} · Placewise board pack", *self.status]


def places(slides: list[Slide]) -> str:
    """The places the slides show, by name, in order ('Oldham'; 'Bolton and Wirral')."""
    seen: list[str] = []
    for s in slides:
        if s.spec.place:
            name = s.names.get(s.spec.place, s.spec.place)
            if name not in seen:
                seen.append(name)
    if not seen:
        return "No place"
    return seen[0] if len(seen) == 1 else ", ".join(seen[:-1]) + " and " + seen[-1]


def data_status(slides: list[Slide]) -> list[str]:
    """Which pages show synthetic data and which real, in the app's one wording
    (panels.core: 'Synthetic data (illustrative): …', 'Partly synthetic …', 'Real data.'),
    with the pages and their sources."""
    groups: dict[str, tuple[list[int], list[str]]] = {}
    for i, s in enumerate(slides):
        if s.error is not None or s.caption is None:
            continue
        pages, sources = groups.setdefault(s.caption.status, ([], []))
        pages.append(page_of(i))
        if s.caption.source not in sources:
            sources.append(s.caption.source)
    if not groups:
        return ["Data status: no slide could be drawn."]
    order = [SYNTHETIC_WORDS, PARTLY_WORDS, REAL_WORDS]
    return [
        f"{status} {pages_words(pages)}: {'; '.join(sources)}."
        for status, (pages, sources) in sorted(groups.items(), key=lambda g: order.index(g[0]))
    ]


def cover(deck: Deck, slides: list[Slide], *, today: date | None = None) -> Cover:
    """The cover of the pack of `slides`."""
    today = today or date.today()
    contents = [
        Entry(page_of(i), s.spec.heading or "", s.title) for i, s in enumerate(slides)
    ]  # fmt: skip
    contents.append(Entry(page_count(slides), "", APPENDIX_TITLE))
    return Cover(deck.title, places(slides), f"{today.day} {today:%B %Y}",
                 tuple(data_status(slides)), tuple(contents))  # fmt: skip


def definitions(slides: list[Slide]) -> list[str]:
    """Each distinct metric definition once, with the pages of the slides it applies to."""
    seen: dict[str, list[int]] = {}
    for i, s in enumerate(slides):
        if s.definition:
            seen.setdefault(s.definition, []).append(page_of(i))
    return [f"{pages_words(pages)}: {d}" for d, pages in seen.items()]
