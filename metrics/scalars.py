"""Typed reads of one polars value (``Series.max()``, ``.item()``, a row's cell).

Polars types such a value as any Python literal or None; these say which one the caller
expects, and raise ``TypeError`` (naming the value) when it is something else, which is what
the arithmetic or date formatting that follows would have raised anyway.
"""

from __future__ import annotations

from datetime import date


def as_date(value: object) -> date:
    """``value`` if it is a date (a datetime is a date), else TypeError."""
    if not isinstance(value, date):
        raise TypeError(f"expected a date, got {value!r}")
    return value


def as_optional_date(value: object) -> date | None:
    """``value`` if it is a date or None, else TypeError."""
    return None if value is None else as_date(value)


def as_number(value: object) -> float:
    """``value`` unchanged if it is an int or a float (not a bool), else TypeError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return value


def as_optional_number(value: object) -> float | None:
    """``value`` unchanged if it is an int, a float or None, else TypeError."""
    return None if value is None else as_number(value)
