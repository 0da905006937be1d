"""PNG and SVG pictures of a chart, drawn by plotly's kaleido in the server's own Chromium.

Board papers and slide decks need pictures; a meeting room laptop may have no way to make
them. Kaleido drives a headless Chromium: Debian's package at /usr/bin/chromium unless
BROWSER_PATH names another. Every failure becomes an ImageExportError whose message says why,
so the page can say so and still offer the CSV of the same rows.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

log = logging.getLogger("placewise")

DEBIAN_CHROMIUM = "/usr/bin/chromium"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIME = {"png": "image/png", "svg": "image/svg+xml"}  # the per-chart picture downloads
FORMATS = {**MIME, "pdf": "application/pdf"}  # PDF: a page of a board pack
# Kaleido's shared browser (kaleido.start_sync_server, used for board packs) answers calls
# through one queue without telling callers apart: concurrent calls could swap pictures. Every
# call goes through this lock.
KALEIDO_LOCK = threading.RLock()
_FALLBACK_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ImageExportError(RuntimeError):
    """A chart picture could not be made; the message says why in plain words."""


def browser_path() -> str | None:
    """The Chromium kaleido will use, setting BROWSER_PATH to Debian's when it is unset.

    Kaleido (through choreographer) reads BROWSER_PATH first; setting it here stops it from
    looking for, or trying to download, a browser of its own.
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured
    if Path(DEBIAN_CHROMIUM).exists():
        os.environ["BROWSER_PATH"] = DEBIAN_CHROMIUM
        return DEBIAN_CHROMIUM
    for name in _FALLBACK_NAMES:
        if found := shutil.which(name):
            return found
    return None


def export_problem() -> str | None:
    """Why pictures cannot be made on this server, or None when they can (a cheap check)."""
    try:
        import kaleido  # noqa: F401 - only its presence is checked here
    except ImportError:
        return "the kaleido package is not installed"
    path = browser_path()
    if path is None:
        return f"no Chromium at {DEBIAN_CHROMIUM} (nor on PATH)"
    if not os.access(path, os.X_OK):
        where = " (BROWSER_PATH)" if os.environ.get("BROWSER_PATH") == path else ""
        return f"no Chromium at {path}{where}"
    return None


def figure_image(
    fig: go.Figure, fmt: str = "png", *, width: int = 1600, height: int = 900, scale: float = 2
) -> bytes:
    """The figure as PNG, SVG (or PDF) bytes, `width` x `height` layout pixels times `scale`.

    Raises ImageExportError (never anything else) naming the reason, e.g. no browser.
    """
    if fmt not in FORMATS:
        raise ImageExportError(f"unknown picture format '{fmt}' (use one of: {', '.join(FORMATS)})")
    if problem := export_problem():
        raise ImageExportError(f"{problem}; the CSV is still available")
    import plotly.io as pio

    try:
        with KALEIDO_LOCK:
            data = pio.to_image(fig, format=fmt, width=width, height=height, scale=scale)
    except Exception as exc:  # kaleido and Chromium fail in many ways; say which one
        log.warning("chart picture (%s) failed: %s", fmt, exc)
        raise ImageExportError(
            f"Chromium could not draw the chart as {fmt.upper()} ({_reason(exc)}); "
            "the CSV is still available"
        ) from exc
    if not _looks_like(fmt, data):
        raise ImageExportError(
            f"Chromium returned no {fmt.upper()} picture ({len(data or b'')} bytes); "
            "the CSV is still available"
        )
    return data


def _reason(exc: Exception) -> str:
    """The first line of the first message of `exc` (choreographer raises tuples of lines)."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    lines = [line for line in first.strip().splitlines() if line.strip()]
    return lines[0][:200].rstrip(".") if lines else type(exc).__name__


def _looks_like(fmt: str, data: bytes | None) -> bool:
    if not data:
        return False
    if fmt == "png":
        return data.startswith(PNG_SIGNATURE)
    if fmt == "pdf":
        return data.startswith(b"%PDF")
    return b"<svg" in data[:2000]
