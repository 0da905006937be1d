import pytest

from loaders import catalog as cat
from loaders.errors import CatalogError, LoaderError
from tests.conftest import FIXTURES

CATALOGS = FIXTURES / "catalogs"


def problems_of(name: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        cat.load_catalog(CATALOGS / name)
    return info.value.problems


def test_good_catalog_parses_to_frozen_specs():
    c = cat.load_catalog(CATALOGS / "ok.toml")
    spec = c.datasets["settings"]
    assert c.title == "A good catalog"
    assert spec.loader == "csv" and spec.contract == "settings"
    assert spec.path == (CATALOGS / "settings.csv").resolve()
    assert spec.options["separator"] == ","
    assert spec.data_status == "Real"
    with pytest.raises(AttributeError):
        spec.loader = "parquet"  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.datasets["x"] = spec  # type: ignore[index]


def test_unknown_dataset_key_names_dataset_key_and_suggestion():
    assert problems_of("unknown_key.toml") == [
        "dataset 'settings': unknown key 'titel' (did you mean 'title'?)"
    ]


def test_unknown_loader_names_closest_kind():
    assert problems_of("unknown_loader.toml") == [
        "dataset 'settings': key 'loader': unknown loader 'cvs' (did you mean 'csv'?)"
    ]


def test_unknown_contract_names_closest_contract():
    assert problems_of("unknown_contract.toml") == [
        "dataset 'settings': key 'contract': unknown contract 'setting' (did you mean 'settings'?)"
    ]


def test_missing_file_names_dataset_and_resolved_path():
    (problem,) = problems_of("missing_path.toml")
    assert problem.startswith("dataset 'settings': key 'path': file not found: ")
    assert problem.endswith("no_such_file.csv")


def test_unknown_option_names_loader_and_suggestion():
    assert problems_of("bad_option.toml") == [
        "dataset 'settings': key 'options.seperator': loader 'csv' has no option 'seperator' "
        "(did you mean 'separator'?)"
    ]


def test_option_of_wrong_type():
    assert problems_of("bad_option_type.toml") == [
        "dataset 'settings': key 'options.skip_rows': expected int, got str 'two'"
    ]


def test_secret_tables_must_be_env_references():
    (problem,) = problems_of("secret_inline.toml")
    assert "options.encoding" in problem and '{ env = "NAME" }' in problem


def test_env_secret_is_resolved_at_load_time_only(monkeypatch):
    monkeypatch.delenv("PLACEWISE_TEST_ENCODING", raising=False)
    c = cat.load_catalog(CATALOGS / "secret_env.toml")
    assert dict(c.datasets["settings"].options) == {"encoding": {"env": "PLACEWISE_TEST_ENCODING"}}
    with pytest.raises(LoaderError, match="PLACEWISE_TEST_ENCODING, which is not set"):
        cat.resolve_options(c.datasets["settings"])
    monkeypatch.setenv("PLACEWISE_TEST_ENCODING", "utf8")
    assert cat.resolve_options(c.datasets["settings"]) == {"encoding": "utf8"}


def test_missing_loader_key():
    (problem,) = problems_of("no_loader.toml")
    assert problem.startswith("dataset 'settings': key 'loader' is missing (known: ")
    assert "csv, excel, fingertips, geo, parquet" in problem


def test_invalid_toml_reports_line():
    (problem,) = problems_of("not_toml.toml")
    assert problem.startswith("not valid TOML:") and "line 1" in problem


def test_missing_catalog_file(tmp_path):
    with pytest.raises(CatalogError, match="catalog file not found"):
        cat.load_catalog(tmp_path / "nope.toml")


def test_five_mistakes_reported_together():
    problems = problems_of("five_mistakes.toml")
    assert len(problems) == 5, problems
    joined = "\n".join(problems)
    assert "top level: unknown key 'catalogue' (did you mean 'catalog'?)" in joined
    assert (
        "dataset 'settings': key 'loader': unknown loader 'exel' (did you mean 'excel'?)" in joined
    )
    assert (
        "dataset 'spend': key 'contract': unknown contract 'spending' (did you mean 'spend'"
        in joined
    )
    assert "dataset 'spend': key 'path': file not found" in joined
    assert (
        "dataset 'events': key 'synthetic' must be true, false or \"partly\", got 'maybe'" in joined
    )
    with pytest.raises(CatalogError) as info:
        cat.load_catalog(CATALOGS / "five_mistakes.toml")
    assert str(info.value).startswith("5 problems in the catalog")


def test_environment_variable_picks_catalog(monkeypatch):
    monkeypatch.setenv("PLACEWISE_CATALOG", str(CATALOGS / "ok.toml"))
    assert cat.catalog_path() == CATALOGS / "ok.toml"
    monkeypatch.delenv("PLACEWISE_CATALOG")
    assert cat.catalog_path() == cat.DEFAULT_CATALOG


def test_fingerprint_changes_when_a_source_file_changes(tmp_path):
    (tmp_path / "settings.csv").write_text((CATALOGS / "settings.csv").read_text())
    (tmp_path / "c.toml").write_text((CATALOGS / "ok.toml").read_text())
    before = cat.load_catalog(tmp_path / "c.toml").fingerprint()
    assert cat.load_catalog(tmp_path / "c.toml").fingerprint() == before
    (tmp_path / "settings.csv").write_text("setting,setting_name,setting_group\nx,X,other\n")
    assert cat.load_catalog(tmp_path / "c.toml").fingerprint() != before
