"""Who a sign-in establishes: verified e-mail only, look-alike addresses, admins, [sign_in].

Each test reproduces one way to be given someone else's access (or more than one's own) that
an earlier Placewise allowed.
"""

from __future__ import annotations

import textwrap

import pytest

from access import AccessConfigError, parse_access
from access.config import SignIn, identity_from_claims, normalise_address
from tests.access.conftest import BOLTON, MANCHESTER, OLDHAM

GRANTS = textwrap.dedent(
    f"""\
    [default]
    places = ["{MANCHESTER}"]

    [groups.managers]
    places = ["{BOLTON}"]
    admin = true
    members = ["Ops@gm.nhs.uk"]

    [users."alice@oldham.gov.uk"]
    places = ["{OLDHAM}"]

    [users."sam@oldham.gov.uk"]
    places = ["{OLDHAM}"]
    admin = false

    [users."kate@oldham.gov.uk"]
    places = ["*"]
    admin = true

    [users."ops@gm.nhs.uk"]
    groups = []
    """
)


def config(text: str = GRANTS):
    return parse_access(textwrap.dedent(text), "/srv/placewise/access.toml")


def error_for(text: str) -> AccessConfigError:
    with pytest.raises(AccessConfigError) as info:
        config(text)
    return info.value


# A. Only a verified e-mail is trusted ------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "alice@oldham.gov.uk"},  # no email_verified claim at all
        {"email": "alice@oldham.gov.uk", "email_verified": None},
        {"email": "alice@oldham.gov.uk", "email_verified": False},
        {"email": "alice@oldham.gov.uk", "email_verified": "false"},
        {"email": "alice@oldham.gov.uk", "email_verified": "true"},  # a string, not true
        {"email": "alice@oldham.gov.uk", "email_verified": 0},
        {"email": "alice@oldham.gov.uk", "email_verified": 1},
        {"email": "alice@oldham.gov.uk", "email_verified": "yes"},
    ],
    ids=["missing", "null", "False", "'false'", "'true'", "0", "1", "'yes'"],
)
def test_an_email_not_verified_as_exactly_true_is_not_trusted(claims):
    who, why = identity_from_claims(claims, SignIn())
    assert who is None
    assert "did not confirm an e-mail address" in why
    assert "email_verified must be true" in why


def test_a_verified_email_is_trusted_and_normalised():
    claims = {"email": " Alice@Oldham.GOV.uk ", "email_verified": True}
    assert identity_from_claims(claims, SignIn()) == ("alice@oldham.gov.uk", "")


@pytest.mark.parametrize("email", [None, "", "   ", 42])
def test_no_email_is_no_identity(email):
    who, why = identity_from_claims({"email": email, "email_verified": True}, SignIn())
    assert who is None
    assert "did not give an e-mail address" in why


def test_trust_unverified_email_accepts_only_a_missing_claim():
    trusting = SignIn(trust_unverified_email=True)
    assert identity_from_claims({"email": "alice@oldham.gov.uk"}, trusting)[0] == (
        "alice@oldham.gov.uk"
    )
    for said in (False, "false", 0):  # the provider says unverified: still refused
        claims = {"email": "alice@oldham.gov.uk", "email_verified": said}
        assert identity_from_claims(claims, trusting)[0] is None, said


def test_another_claim_can_be_named_and_the_email_is_then_ignored():
    upn = SignIn(email_claim="upn")
    claims = {"upn": "Alice@Oldham.gov.uk", "email": "kate@oldham.gov.uk", "email_verified": True}
    assert identity_from_claims(claims, upn) == ("alice@oldham.gov.uk", "")
    who, why = identity_from_claims({"email": "alice@oldham.gov.uk", "email_verified": True}, upn)
    assert who is None
    assert "did not send the 'upn' claim" in why


# A. Look-alike addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claimed", "normalised"),
    [
        ("ALICE@OLDHAM.GOV.UK", "alice@oldham.gov.uk"),
        ("ａｌｉｃｅ@ｏｌｄｈａｍ.ｇｏｖ.ｕｋ", "alice@oldham.gov.uk"),  # fullwidth
        ("\u212aate@oldham.gov.uk", "kate@oldham.gov.uk"),  # Kelvin sign
        ("\u017fam@oldham.gov.uk", "sam@oldham.gov.uk"),  # long s: casefold, not lower()
    ],
)
def test_addresses_are_compared_after_nfkc_and_case_folding(claimed, normalised):
    assert normalise_address(claimed) == normalised
    assert identity_from_claims({"email": claimed, "email_verified": True}, SignIn()) == (
        normalised,
        "",
    )
    assert config().scope_for(claimed).who == normalised


def test_long_s_matches_the_same_grant_as_s():
    # str.lower() leaves 'ſ' alone, so this once fell through to [default] (Manchester)
    assert config().scope_for("\u017fam@oldham.gov.uk").places == {OLDHAM}


@pytest.mark.parametrize(
    "claimed",
    [
        "al\u0131ce@oldham.gov.uk",  # dotless i
        "\u0430lice@oldham.gov.uk",  # Cyrillic a
        "AL\u0130CE@OLDHAM.GOV.UK",  # dotted capital I: casefolds to i + combining dot
        "alice@oldham.gov.uk\u200b",  # zero-width space
        "alice @oldham.gov.uk",
    ],
    ids=["dotless-i", "cyrillic-a", "dotted-I", "zero-width", "space"],
)
def test_a_look_alike_identity_is_refused_not_given_the_default(claimed):
    who, why = identity_from_claims({"email": claimed, "email_verified": True}, SignIn())
    assert who is None
    assert "not plain ASCII" in why
    scope = config().scope_for(claimed)  # [default] grants Manchester to unknown people
    assert scope.is_empty
    assert "not a plain ASCII address" in scope.reason
    assert not scope.admin


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[users."\u0430lice@oldham.gov.uk"]\nplaces = []\n', 1),
        ('[users."al\u0131ce@oldham.gov.uk"]\nplaces = []\n', 1),
        ('[groups.g]\nplaces = []\nmembers = [\n  "a@b",\n  "b\u0430b@oldham.gov.uk",\n]\n', 5),
    ],
    ids=["user-cyrillic-a", "user-dotless-i", "member-cyrillic-a"],
)
def test_a_look_alike_address_in_the_file_is_a_file_error_naming_the_line(text, line):
    err = error_for(text)
    assert err.line == line
    assert "is not plain ASCII after Unicode normalisation" in str(err)
    assert "U+0430" in str(err) or "U+0131" in str(err)


def test_file_addresses_are_normalised_too():
    text = f'[users."\u212aate@oldham.gov.uk"]\nplaces = ["{OLDHAM}"]\n'
    assert config(text).scope_for("kate@oldham.gov.uk").places == {OLDHAM}
    text = f'[groups.g]\nplaces = ["{OLDHAM}"]\nmembers = ["\u017fam@oldham.gov.uk"]\n'
    assert config(text).scope_for("SAM@oldham.gov.uk").places == {OLDHAM}


def test_two_spellings_of_one_address_are_one_person_listed_twice():
    err = error_for('[users."kate@b"]\nplaces = []\n[users."\u212aATE@b"]\nplaces = []\n')
    assert "repeats a user" in str(err)
    assert err.line == 3


# B. Admins ---------------------------------------------------------------------------------


def test_admin_comes_from_any_grant_of_the_person():
    c = config()
    assert c.scope_for("kate@oldham.gov.uk").admin is True  # with every place
    assert c.scope_for("ops@gm.nhs.uk").admin is True  # through the managers group
    assert c.scope_for("ops@gm.nhs.uk").places == {BOLTON}
    assert c.scope_for("alice@oldham.gov.uk").admin is False  # not by default
    assert c.scope_for("sam@oldham.gov.uk").admin is False
    assert c.scope_for("someone@example.org").admin is False  # [default]


def test_admin_must_be_true_or_false():
    err = error_for('[users."a@b"]\nadmin = "yes"\n')
    assert "admin must be true or false" in str(err)
    assert (err.line, err.value) == (2, "yes")


def test_the_default_cannot_make_everyone_an_admin():
    err = error_for("[default]\nplaces = []\nadmin = true\n")
    assert "[default] cannot grant admin" in str(err)
    assert err.line == 3


# A. The [sign_in] table --------------------------------------------------------------------


def test_sign_in_defaults_to_the_verified_email():
    assert config().sign_in == SignIn("email", False)


def test_sign_in_reads_the_claim_and_the_trust_setting():
    assert config('[sign_in]\nemail_claim = "upn"\n').sign_in == SignIn("upn", False)
    trusting = config("[sign_in]\ntrust_unverified_email = true\n").sign_in
    assert trusting == SignIn("email", True)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            '[sign_in]\nemail_clam = "upn"\n',
            "unknown key 'email_clam'; did you mean 'email_claim'?",
            2,
        ),
        ("[sign_in]\n\nemail_claim = 3\n", "email_claim must be the name of an ID-token claim", 3),
        ('[sign_in]\nemail_claim = ""\n', "email_claim must be the name of an ID-token claim", 2),
        ('[sign_in]\nemail_claim = "email_verified"\n', "cannot be email_verified", 2),
        ('[sign_in]\ntrust_unverified_email = "yes"\n', "must be true or false", 2),
        (
            '[sign_in]\nemail_claim = "upn"\ntrust_unverified_email = true\n',
            "applies only to the email claim",
            3,
        ),
        ('sign_in = "upn"\n', "[sign_in] must be a table", None),
        ("[signin]\n", "unknown section [signin]", 1),
    ],
)
def test_sign_in_mistakes_name_the_line(text, message, line):
    err = error_for(text)
    assert message in str(err)
    assert err.line == line


def test_an_unknown_section_suggests_sign_in():
    assert "did you mean [sign_in]?" in str(error_for('[signin]\nemail_claim = "upn"\n'))


# C. Reasons shown on screen name no server path --------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["mallory@example.org", "al\u0131ce@oldham.gov.uk"],
)
def test_reasons_from_the_file_name_no_server_path(who):
    reason = config('[users."x@y"]\nplaces = []\n').scope_for(who).reason
    assert reason
    assert "/srv" not in reason and "access.toml" not in reason
