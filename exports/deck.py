"""Board packs from the command line, for scheduled packs.

    python -m exports.deck DECK.toml --pptx OUT.pptx --pdf OUT.pdf [--catalog CATALOG.toml]
        [--allow-partial]

Exit code 0 when every slide was drawn and every file asked for was written; 1 with a one-line
message on stderr, and no traceback, when the deck or the catalog cannot be used, a pack cannot
be made, or a slide cannot be drawn (each such slide is named, and no pack is written: a
scheduled pack never goes out with holes unnoticed); 2 for a wrong command line.
`--allow-partial` writes the pack anyway (the slides that cannot be drawn say why in it) and
exits 0, still naming them on stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from exports.images import ImageExportError
from loaders.catalog import catalog_path, load_catalog
from loaders.errors import DataError


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exports.deck",
        description="Export a Placewise deck as a PowerPoint and/or PDF board pack.",
    )
    parser.add_argument("deck", type=Path, help="the deck file (TOML)")
    parser.add_argument("--pptx", type=Path, help="write the PowerPoint pack here")
    parser.add_argument("--pdf", type=Path, help="write the PDF pack here")
    parser.add_argument(
        "--catalog",
        type=Path,
        default=None,
        help="data catalog (default: $PLACEWISE_CATALOG, else the sample data)",
    )
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="write the pack even when some slides cannot be drawn (they say why in the pack)",
    )
    return parser


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DataError(f"Cannot write {path}: {exc.strerror}.") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.pptx and not args.pdf:
        print("error: nothing to do: give --pptx OUT.pptx and/or --pdf OUT.pdf", file=sys.stderr)
        return 2
    from exports.pdf import deck_to_pdf
    from exports.pptx import deck_to_pptx
    from present.data import CatalogData
    from present.decks import load_deck
    from present.render import image_session
    from present.slides import build_deck

    started = time.perf_counter()
    try:
        catalog = load_catalog(catalog_path(args.catalog))
        data = CatalogData(catalog)
        deck = load_deck(args.deck, data=data)
        slides = build_deck(deck, data)
        built = time.perf_counter()
        failed = [i for i, slide in enumerate(slides, 1) if slide.error]
        word = "warning" if args.allow_partial else "error"
        for i in failed:
            slide = slides[i - 1]
            print(f"{word}: slide {i} ({slide.spec.view or 'no view'}) cannot be drawn: "
                  f"{_one_line(slide.error or '')}", file=sys.stderr)  # fmt: skip
        if failed and not args.allow_partial:
            print(f"error: no pack written: {len(failed)} of {len(slides)} slide(s) cannot be "
                  f"drawn (slide {', '.join(map(str, failed))}); fix the deck, or give "
                  "--allow-partial to write the pack with those slides saying why",
                  file=sys.stderr)  # fmt: skip
            return 1
        timings = [f"slides built in {built - started:.1f} s"]
        with image_session():  # one browser for both packs (the first picture starts it)
            for flag, path, make in (
                ("pptx", args.pptx, deck_to_pptx),
                ("pdf", args.pdf, deck_to_pdf),
            ):
                if path:
                    began = time.perf_counter()
                    _write(path, make(deck, slides))
                    timings.append(f"{flag.upper()} {path} in {time.perf_counter() - began:.1f} s")
    except (DataError, ImageExportError) as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1
    drawn = sum(1 for s in slides if not s.error)
    print(f"{deck.title}: {len(slides)} slides ({drawn} drawn); " + "; ".join(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
