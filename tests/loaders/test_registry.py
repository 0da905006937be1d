import sys
import textwrap

import pytest

from loaders import registry
from loaders.errors import UnknownLoaderError


def test_builtin_kinds_are_registered():
    assert {"parquet", "csv", "excel", "geo"} <= set(registry.loaders())


def test_registry_view_is_read_only():
    with pytest.raises(TypeError):
        registry.loaders()["x"] = object  # type: ignore[index]


def test_unknown_kind_names_closest_known_kind():
    with pytest.raises(
        UnknownLoaderError, match=r"Unknown loader kind 'parquett'.*did you mean 'parquet'"
    ):
        registry.get_loader("parquett")


def test_unknown_kind_without_close_match_lists_known_kinds():
    with pytest.raises(
        UnknownLoaderError, match=r"known: (\w+, )*csv, excel, fingertips, geo, parquet"
    ):
        registry.get_loader("zzzzzz")


def test_duplicate_kind_is_refused():
    with pytest.raises(
        registry.DuplicateLoaderError,
        match="'csv' is already registered by loaders.csv_loader.CsvLoader",
    ):

        @registry.register_loader("csv")
        class Other:
            pass

    assert registry.loaders()["csv"].__module__ == "loaders.csv_loader"


def test_entry_point_plugin_is_discovered(tmp_path, monkeypatch):
    """A distribution on sys.path declaring a `placewise.loaders` entry point becomes a kind."""
    (tmp_path / "pw_fixed_width.py").write_text(
        textwrap.dedent(
            """
            import polars as pl

            class FixedWidthLoader:
                options = {"widths": list}
                needs_path = True

                def __init__(self, *, path, widths=(3,)):
                    self.path = path

                def load(self):
                    return pl.DataFrame({"setting": ["x"], "setting_name": ["X"], "setting_group": ["other"]})

                def describe(self):
                    return {"kind": "fixed_width"}
            """
        )
    )
    dist = tmp_path / "pw_fixed_width-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pw-fixed-width\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[placewise.loaders]\nfixed_width = pw_fixed_width:FixedWidthLoader\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.rediscover()
    try:
        cls = registry.get_loader("fixed_width")
        assert cls.__name__ == "FixedWidthLoader"
        assert cls.kind == "fixed_width"
        assert "fixed_width" in registry.loaders()
    finally:
        registry.unregister_loader("fixed_width")
        sys.modules.pop("pw_fixed_width", None)
        monkeypatch.undo()
        registry.rediscover()
    assert "fixed_width" not in registry.loaders()


def test_broken_plugin_is_reported_not_fatal(tmp_path, monkeypatch):
    dist = tmp_path / "pw_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pw-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[placewise.loaders]\nbroken = no_such_module_xyz:Loader\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.rediscover()
    try:
        assert "csv" in registry.loaders()
        assert "ModuleNotFoundError" in registry.plugin_errors()["broken"]
        with pytest.raises(UnknownLoaderError, match="plugin 'broken' failed to load"):
            registry.get_loader("broken")
    finally:
        monkeypatch.undo()
        registry.rediscover()


def test_every_registered_loader_has_a_test_and_a_docstring():
    from pathlib import Path

    tests_dir = Path(__file__).parent
    for kind, cls in registry.loaders().items():
        assert cls.__doc__, f"loader '{kind}' has no docstring"
        assert (tests_dir / f"test_{kind}_loader.py").exists(), (
            f"loader '{kind}' has no test module"
        )
