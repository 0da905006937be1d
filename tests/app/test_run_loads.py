"""Each run keeps its own loads (ui.state's per-run memo, issue 18): a dataset is looked up in
the caches once per run, never carried into the next run, and reload_data forgets it at once."""

from __future__ import annotations

from tests.app.conftest import open_app
from ui import state


def test_a_run_remembers_its_loads_and_the_next_run_starts_afresh():
    at = open_app()
    first = at.session_state[state._RUN_LOADS]
    assert any(key[0] == "areas" for key in first if isinstance(key, tuple))
    assert state._CATALOG in first
    at.run()
    second = at.session_state[state._RUN_LOADS]
    assert second is not first  # a new run never serves the last run's loads
    assert any(key[0] == "areas" for key in second if isinstance(key, tuple))


def test_outside_a_run_nothing_is_remembered():
    assert state._run_loads() is None
