"""One shared suite every loader's tests subclass: real files in the loader's real format."""

from __future__ import annotations

import textwrap
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import CatalogError, DataError, LoaderError

SETTINGS = pl.DataFrame(
    {
        "setting": ["non_elective", "home_care", "general_practice"],
        "setting_name": ["Non-elective admissions", "Home care", "General practice"],
        "setting_group": ["acute", "community", "primary_care"],
    }
)


class LoaderContractSuite:
    """Subclass and set `kind`, `suffix`, and implement `write(frame, path)`."""

    kind: str = ""
    suffix: str = ""
    contract: str = "settings"
    frame: pl.DataFrame = SETTINGS
    options: dict = {}

    def write(self, frame: pl.DataFrame, path: Path) -> None:
        raise NotImplementedError

    def write_corrupt(self, path: Path) -> None:
        path.write_bytes(b"\x00\x01 this is not a valid file \xff\xfe" * 4)

    # -- helpers -------------------------------------------------------------------------------
    def catalog(self, tmp_path: Path, file_name: str, extra: str = "") -> Path:
        opts = "".join(f"{k} = {v!r}\n" for k, v in self.options.items())
        text = textwrap.dedent(
            f"""
            [datasets.thing]
            loader = "{self.kind}"
            contract = "{self.contract}"
            path = "{file_name}"
            """
        )
        if opts:
            text += "[datasets.thing.options]\n" + opts.replace("'", '"')
        text += textwrap.dedent(extra)
        path = tmp_path / "catalog.toml"
        path.write_text(text)
        return path

    def expected(self) -> pl.DataFrame:
        return self.frame

    # -- the suite -----------------------------------------------------------------------------
    def test_round_trip_matches_contract(self, tmp_path):
        self.write(self.frame, tmp_path / f"data{self.suffix}")
        out = load_dataset("thing", load_catalog(self.catalog(tmp_path, f"data{self.suffix}")))
        got = pl.DataFrame(out.drop(columns="geometry")) if hasattr(out, "geometry") else out
        want = self.expected()
        assert (
            got.select(want.columns).sort(want.columns[0]).to_dicts()
            == want.sort(want.columns[0]).to_dicts()
        )

    def test_missing_file_after_catalog_check_names_dataset_and_file(self, tmp_path):
        self.write(self.frame, tmp_path / f"data{self.suffix}")
        c = load_catalog(self.catalog(tmp_path, f"data{self.suffix}"))
        (tmp_path / f"data{self.suffix}").unlink()
        with pytest.raises(LoaderError) as info:
            load_dataset("thing", c)
        msg = str(info.value)
        assert "Dataset 'thing'" in msg and f"data{self.suffix}" in msg
        assert info.value.dataset == "thing"

    def test_corrupt_file_raises_loader_error_naming_dataset_and_file(self, tmp_path):
        self.write_corrupt(tmp_path / f"bad{self.suffix}")
        with pytest.raises(DataError) as info:
            load_dataset("thing", load_catalog(self.catalog(tmp_path, f"bad{self.suffix}")))
        msg = str(info.value)
        assert "Dataset 'thing'" in msg and f"bad{self.suffix}" in msg
        assert "Traceback" not in msg

    def test_unknown_option_is_caught_by_the_catalog(self, tmp_path):
        self.write(self.frame, tmp_path / f"data{self.suffix}")
        path = self.catalog(tmp_path, f"data{self.suffix}")
        text = path.read_text()
        if "[datasets.thing.options]" not in text:
            text += "[datasets.thing.options]\n"
        path.write_text(text + "no_such_option = 1\n")
        with pytest.raises(
            CatalogError, match=f"loader '{self.kind}' has no option 'no_such_option'"
        ):
            load_catalog(path)

    def test_missing_contract_column_is_named(self, tmp_path):
        first = self.frame.columns[0]
        self.write(self.frame.rename({first: "something_else"}), tmp_path / f"data{self.suffix}")
        from loaders.errors import ContractError

        with pytest.raises(ContractError, match=f"missing required column\\(s\\).*'{first}'"):
            load_dataset("thing", load_catalog(self.catalog(tmp_path, f"data{self.suffix}")))

    def test_loader_is_registered_under_its_kind(self):
        from loaders.registry import loaders

        cls = loaders()[self.kind]
        assert cls.kind == self.kind
        assert self.suffix in cls.suffixes
