"""The access file: grants resolve to scopes, and every mistake names file, line and value."""

from __future__ import annotations

import textwrap

import pytest

from access import AccessConfigError, load_access, parse_access
from tests.access.conftest import BOLTON, MANCHESTER, OLDHAM, OLDHAM_EAST

GOOD = textwrap.dedent(
    f"""\
    [default]
    places = []

    [groups.oldham]
    places = ["{OLDHAM}"]
    downloads = true
    members = ["Bob@Oldham.gov.uk"]

    [groups.analysts]
    places = ["*"]

    [users."alice@oldham.gov.uk"]
    places = ["{OLDHAM}"]
    clusters = []
    downloads = true

    [users."carol@oldham.gov.uk"]
    clusters = ["{OLDHAM_EAST}"]

    [users."dan@gm.nhs.uk"]
    places = ["{BOLTON}"]
    groups = ["oldham"]

    [users."erin@gm.nhs.uk"]
    groups = ["analysts"]
    """
)


def config(text: str = GOOD):
    return parse_access(text, "access.toml")


def test_a_place_user_gets_that_place_and_downloads():
    scope = config().scope_for("alice@oldham.gov.uk")
    assert scope.places == {OLDHAM}
    assert scope.clusters == frozenset()
    assert scope.downloads is True
    assert scope.who == "alice@oldham.gov.uk"


def test_a_cluster_user_gets_only_the_cluster_and_no_downloads_by_default():
    scope = config().scope_for("carol@oldham.gov.uk")
    assert scope.places == frozenset()
    assert scope.clusters == {OLDHAM_EAST}
    assert scope.downloads is False


def test_grants_from_the_user_and_groups_add_up():
    scope = config().scope_for("dan@gm.nhs.uk")
    assert scope.places == {BOLTON, OLDHAM}
    assert scope.downloads is True  # from the oldham group


def test_group_members_match_case_insensitively():
    scope = config().scope_for("BOB@oldham.GOV.uk")
    assert scope.places == {OLDHAM}


def test_star_grants_every_place():
    scope = config().scope_for("erin@gm.nhs.uk")
    assert scope.unrestricted
    assert scope.downloads is False


def test_unknown_people_are_denied_with_a_reason():
    scope = config().scope_for("mallory@example.org")
    assert scope.is_empty
    assert scope.reason == "The access file does not list mallory@example.org."
    assert "access.toml" not in scope.reason  # shown on screen: no server path


def test_a_default_table_can_grant_unknown_people_a_place():
    scope = config(f'[default]\nplaces = ["{MANCHESTER}"]\n').scope_for("anyone@example.org")
    assert scope.places == {MANCHESTER}


def test_an_empty_file_denies_everyone():
    assert config("").scope_for("alice@oldham.gov.uk").is_empty


def test_the_file_is_read_from_disk(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_access(path).scope_for("alice@oldham.gov.uk").places == {OLDHAM}


def error_for(text: str) -> AccessConfigError:
    with pytest.raises(AccessConfigError) as info:
        config(textwrap.dedent(text))
    return info.value


def test_invalid_toml_names_the_line():
    err = error_for('[users."a@b"]\nplaces = ["E08000004"]\ndownloads = yes\n')
    assert err.file == "access.toml"
    assert err.line == 3
    assert "not valid TOML" in str(err)


def test_an_unknown_key_names_the_line_value_and_the_likely_key():
    err = error_for(
        """\
        [users."alice@oldham.gov.uk"]
        places = ["E08000004"]
        download = true
        """
    )
    assert err.line == 3
    assert err.value == "download"
    assert "did you mean 'downloads'?" in str(err)
    assert str(err).startswith("Access file access.toml, line 3:")


def test_an_unknown_section_is_refused():
    err = error_for('[user."alice@oldham.gov.uk"]\nplaces = []\n')
    assert "unknown section [user]" in str(err)
    assert err.line == 1


def test_places_must_be_a_list_of_codes():
    err = error_for('[users."a@b"]\n\nplaces = "E08000004"\n')
    assert "places must be a list of non-empty strings" in str(err)
    assert err.line == 3
    assert err.value == "E08000004"


def test_downloads_must_be_true_or_false():
    err = error_for('[groups.x]\ndownloads = "yes"\n')
    assert "downloads must be true or false" in str(err)
    assert (err.line, err.value) == (2, "yes")


def test_every_place_cannot_be_mixed_with_codes():
    err = error_for('[users."a@b"]\nplaces = ["*", "E08000004"]\n')
    assert "cannot be mixed" in str(err)
    assert err.line == 2


def test_a_user_naming_a_missing_group_is_refused():
    err = error_for('[users."a@b"]\ngroups = ["oldam"]\n')
    assert "groups names 'oldam', which is not a [groups] table" in str(err)
    assert (err.line, err.value) == (2, "oldam")


def test_the_same_person_twice_is_refused():
    err = error_for('[users."A@b"]\nplaces = []\n[users."a@b"]\nplaces = []\n')
    assert "repeats a user" in str(err)
    assert err.line == 3


def test_codes_missing_from_the_areas_are_refused_with_a_suggestion(tree):
    text = f'[users."a@b"]\nplaces = [\n  "{BOLTON}",\n  "E0800004",\n]\n'
    with pytest.raises(AccessConfigError) as info:
        config(text).check_codes(tree)
    err = info.value
    assert (err.line, err.value) == (4, "E0800004")
    assert "not a place in the areas dataset; did you mean 'E08000004'?" in str(err)


def test_a_place_code_given_as_a_cluster_is_refused(tree):
    with pytest.raises(AccessConfigError, match="names 'E08000004', which is not a cluster"):
        config(f'[groups.g]\nclusters = ["{OLDHAM}"]\n').check_codes(tree)


def test_the_sample_style_file_passes_the_code_check(tree):
    config().check_codes(tree)  # raises if any code were unknown


def test_an_unreadable_file_names_the_path(tmp_path):
    with pytest.raises(AccessConfigError, match=r"missing\.toml: cannot be read"):
        load_access(tmp_path / "missing.toml")


def test_the_documented_example_file_parses_and_names_real_areas(tree):
    from pathlib import Path

    import access

    example = load_access(Path(access.__file__).parent / "example.toml")
    example.check_codes(tree)
    assert example.scope_for("Commissioning.Lead@oldham.gov.uk").places == {OLDHAM}
    assert example.scope_for("east.neighbourhood@oldham.gov.uk").clusters == {OLDHAM_EAST}
    assert example.scope_for("analyst@gmintegratedcare.nhs.uk").unrestricted
    assert not example.scope_for("analyst@gmintegratedcare.nhs.uk").admin
    assert example.scope_for("placewise.admin@gmintegratedcare.nhs.uk").admin
    assert (example.sign_in.email_claim, example.sign_in.trust_unverified_email) == ("email", False)
    assert example.scope_for("someone.else@example.org").is_empty
