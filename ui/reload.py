"""The Data page's "Reload data": empties every person's caches, so admins only, rate-limited.

Reloading reads every file and database again for everyone using the app, so it is limited for
the whole process (not per person or session): at most once every INTERVAL_SECONDS.
"""

from __future__ import annotations

import math
import threading
import time

INTERVAL_SECONDS = 30.0

_lock = threading.Lock()
_clock = time.monotonic
_last: float | None = None  # _clock() of the last reload in this process


def claim(now: float | None = None) -> float | None:
    """Take the right to reload now: None when granted (and recorded), else the seconds to wait."""
    global _last
    now = _clock() if now is None else now
    with _lock:
        if _last is not None and now - _last < INTERVAL_SECONDS:
            return INTERVAL_SECONDS - (now - _last)
        _last = now
        return None


def wait_message(seconds: float) -> str:
    """What a second press within INTERVAL_SECONDS is told."""
    wait = max(1, math.ceil(seconds))
    at = time.strftime("%H:%M:%S", time.localtime(time.time() + wait))
    unit = "second" if wait == 1 else "seconds"
    return (
        f"The data was reloaded less than {INTERVAL_SECONDS:g} seconds ago, for everyone using "
        f"Placewise. **Reload data** can be pressed again in {wait} {unit} (at {at})."
    )


def reset() -> None:
    """Forget the last reload (for tests)."""
    global _last
    with _lock:
        _last = None
