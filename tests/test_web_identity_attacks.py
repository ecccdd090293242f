"""Attacker-shaped web identity tokens: each gets the AWS error of STS_REFERENCE §7.2, none
gets credentials, none makes the mock fail (InternalFailure) or change its state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from helpers import aws_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_identity_helpers import (
    BAD_AUDIENCE,
    BAD_SIGNATURE,
    DENIED,
    GITHUB,
    GITHUB_SUB,
    NO_KEY,
    NOT_A_JWT,
    OwnIssuer,
    assume,
    assume_call,
    b64url,
    compact,
    ec_key,
    github_trust,
    no_provider,
    not_integer,
    parts,
    rsa_key,
    unsupported_algorithm,
    web_trust,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider, Role


@pytest.fixture
def github(sts_mock: MockSTS) -> OIDCProvider:
    return sts_mock.oidc_provider(GITHUB)


@pytest.fixture
def gha_role(sts_mock: MockSTS, github: OIDCProvider) -> Role:
    return sts_mock.create_role("gha-deploy", github_trust(github.arn))


@pytest.fixture
def own(sts_mock: MockSTS) -> OwnIssuer:
    return OwnIssuer(sts_mock)


@pytest.fixture
def own_role(sts_mock: MockSTS, own: OwnIssuer) -> Role:
    return sts_mock.create_role("own", web_trust(own.arn))


def resign(token: str, header: dict[str, Any], payload: dict[str, Any]) -> str:
    """``token``'s signature under another header and payload: a tampered token."""
    signature = token.rsplit(".", 1)[1]
    return f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}.{signature}"


# ---------------------------------------------------------------------------------------
# Tampering and forged signatures


def test_tampered_payload(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub="repo:evil/app:ref:refs/heads/main")
    header, payload, _ = parts(token)

    forged = resign(token, header, {**payload, "sub": GITHUB_SUB})
    assert aws_error(assume_call(gha_role.arn, forged)) == BAD_SIGNATURE


def test_tampered_header(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB)
    header, payload, _ = parts(token)

    forged = resign(token, {**header, "typ": "at+jwt"}, payload)
    assert aws_error(assume_call(gha_role.arn, forged)) == BAD_SIGNATURE


def test_signature_stripped(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB)

    assert aws_error(assume_call(gha_role.arn, token.rsplit(".", 1)[0] + ".")) == BAD_SIGNATURE


def test_alg_none(github: OIDCProvider, gha_role: Role) -> None:
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))

    unsigned = compact({"alg": "none", "typ": "JWT"}, payload, b"")
    assert aws_error(assume_call(gha_role.arn, unsigned)) == unsupported_algorithm("none")


@pytest.mark.parametrize("alg", ["None", "NONE", "", None, ["RS256"], "PS256", "EdDSA"])
def test_other_algorithms(github: OIDCProvider, gha_role: Role, alg: Any) -> None:
    header, payload, _ = parts(github.token(sub=GITHUB_SUB))

    token = compact({**header, "alg": alg}, payload)
    assert aws_error(assume_call(gha_role.arn, token)) == unsupported_algorithm(alg)


def test_missing_alg(github: OIDCProvider, gha_role: Role) -> None:
    header, payload, _ = parts(github.token(sub=GITHUB_SUB))
    del header["alg"]

    assert aws_error(assume_call(gha_role.arn, compact(header, payload))) == (
        unsupported_algorithm(None)
    )


def test_hs256_signed_with_the_public_key(github: OIDCProvider, gha_role: Role) -> None:
    # The classic key confusion: the verifier's public key used as an HMAC secret.
    public = jwt.PyJWK(github.jwks["keys"][0]).key
    secret = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))
    header = {"alg": "HS256", "typ": "JWT", "kid": github.jwks["keys"][0]["kid"]}
    signing_input = f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()

    token = f"{signing_input}.{b64url(mac)}"
    assert aws_error(assume_call(gha_role.arn, token)) == unsupported_algorithm("HS256")


def test_unknown_kid(github: OIDCProvider, gha_role: Role, own: OwnIssuer) -> None:
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    token = own.sign(claims, headers={"kid": "rogue"})
    assert aws_error(assume_call(gha_role.arn, token)) == NO_KEY


def test_a_strangers_key_with_a_trusted_issuer_and_kid(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    token = own.sign(claims, headers={"kid": github.jwks["keys"][0]["kid"]})
    assert aws_error(assume_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_a_strangers_key_without_kid(github: OIDCProvider, gha_role: Role) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))

    token = jwt.PyJWS().encode(json.dumps(payload).encode(), stranger, "RS256")
    assert aws_error(assume_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_another_fake_issuers_key(sts_mock: MockSTS, github: OIDCProvider, gha_role: Role) -> None:
    # Two issuers of one mock never share a key: one cannot sign for the other.
    gitlab = sts_mock.oidc_provider("https://gitlab.example.com")

    token = gitlab.token(sub=GITHUB_SUB, iss=GITHUB)
    assert aws_error(assume_call(gha_role.arn, token)) == NO_KEY


def test_embedded_jwk_header_is_ignored(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key().public_key(), as_dict=True)
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    headers = {"kid": github.jwks["keys"][0]["kid"], "jwk": public, "jku": "https://evil/jwks"}
    token = own.sign(claims, headers=headers)
    assert aws_error(assume_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_algorithm_of_another_key_type(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    # ES256 under the kid of the RSA key: the key cannot verify that algorithm.
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    headers = {"kid": github.jwks["keys"][0]["kid"]}
    token = own.sign(claims, key=ec_key(), algorithm="ES256", headers=headers)
    assert aws_error(assume_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_algorithm_other_than_the_keys_alg(own: OwnIssuer, own_role: Role) -> None:
    # RS512 with a key published for RS256 only.
    token = own.sign(own.claims(), algorithm="RS512")

    assert aws_error(assume_call(own_role.arn, token)) == BAD_SIGNATURE


def test_ec_key_of_another_curve(sts_mock: MockSTS) -> None:
    p384 = sts_mock.oidc_provider("https://p384.example.com", algorithm="ES384")
    role = sts_mock.create_role("p384", web_trust(p384.arn))
    _, payload, _ = parts(p384.token(sub="u-1"))

    token = jwt.PyJWS().encode(
        json.dumps(payload).encode(),
        ec_key(),  # P-256
        "ES256",
        {"kid": p384.jwks["keys"][0]["kid"]},
    )
    assert aws_error(assume_call(role.arn, token)) == BAD_SIGNATURE


def test_own_ec_key_verifies(own: OwnIssuer, own_role: Role) -> None:
    token = own.sign(own.claims(), key=ec_key(), algorithm="ES256", headers={"kid": own.ec_kid})

    assert assume(own_role.arn, token)["Provider"] == own.arn


# ---------------------------------------------------------------------------------------
# Issuer, audience and dates


def test_wrong_issuer(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, iss="https://token.actions.githubusercontent.com.evil")

    assert aws_error(assume_call(gha_role.arn, token)) == no_provider(
        "https://token.actions.githubusercontent.com.evil"
    )


def test_wrong_audience(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, aud="sts.amazonaws.com.evil")

    assert aws_error(assume_call(gha_role.arn, token)) == BAD_AUDIENCE


def test_checks_run_before_the_signature(own: OwnIssuer, own_role: Role) -> None:
    # A forged token with a wrong audience fails on the audience, as AWS's order has it.
    header, payload, _ = parts(own.token(aud="other"))

    assert aws_error(assume_call(own_role.arn, resign(own.token(), header, payload))) == (
        BAD_AUDIENCE
    )


def test_expired_forgery_fails_on_the_signature(own: OwnIssuer, own_role: Role) -> None:
    # The signature is checked before expiry: a forged token learns nothing about dates.
    header, payload, _ = parts(own.token(exp=1))

    assert aws_error(assume_call(own_role.arn, resign(own.token(), header, payload))) == (
        BAD_SIGNATURE
    )


def test_expired(own: OwnIssuer, own_role: Role) -> None:
    code, message, status = aws_error(assume_call(own_role.arn, own.token(exp=1_600_000_000)))

    assert (code, status) == ("ExpiredTokenException", 400)
    assert message.startswith("Token expired: current date/time ")
    assert message.endswith(" must be before the expiration date/time 1600000000")


def test_far_future_not_before(own: OwnIssuer, own_role: Role) -> None:
    code, _, status = aws_error(assume_call(own_role.arn, own.token(nbf=4_102_444_800)))

    assert (code, status) == ("InvalidIdentityToken", 400)


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("exp", 4102444800.0),
        ("exp", "4102444800"),
        ("exp", {"$date": 1}),
        ("iat", 1.5),
        ("iat", False),
        ("nbf", "now"),
        ("nbf", None),
    ],
)
def test_non_integer_dates(own: OwnIssuer, own_role: Role, claim: str, value: Any) -> None:
    assert aws_error(assume_call(own_role.arn, own.token(**{claim: value}))) == not_integer(claim)


def test_huge_dates_are_refused_cleanly(own: OwnIssuer, own_role: Role) -> None:
    code, message, _ = aws_error(assume_call(own_role.arn, own.token(nbf=10**300)))
    assert code == "InvalidIdentityToken"
    assert message.endswith(f"must be after the not-before date/time {10**300}")
    code, message, _ = aws_error(assume_call(own_role.arn, own.token(exp=-(10**300))))
    assert code == "ExpiredTokenException"
    assert message.endswith(f"must be before the expiration date/time {-(10**300)}")


def test_subject_of_another_type(own: OwnIssuer, own_role: Role) -> None:
    assert aws_error(assume_call(own_role.arn, own.token(sub={"user": "admin"}))) == (
        "InvalidIdentityToken",
        "The ID Token must have a sub claim of 1 to 255 characters.",
        400,
    )


def test_issuer_of_another_type(own: OwnIssuer, own_role: Role) -> None:
    token = own.token(iss=["https://own.example.com"])

    assert aws_error(assume_call(own_role.arn, token)) == (
        "InvalidIdentityToken",
        "The ID Token has no iss claim.",
        400,
    )


def test_a_valid_token_for_another_role_is_refused(sts_mock: MockSTS, github: OIDCProvider) -> None:
    # A token is no key to every role of the account: the trust decides.
    prod = sts_mock.create_role("prod", github_trust(github.arn, "repo:octo/app:environment:prod"))

    assert aws_error(assume_call(prod.arn, github.token(sub=GITHUB_SUB))) == DENIED


# ---------------------------------------------------------------------------------------
# Malformed and oversized tokens


def _segment(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


GOOD_HEADER = _segment(b'{"alg":"RS256","kid":"x"}')
GOOD_PAYLOAD = _segment(b'{"iss":"https://own.example.com","sub":"u"}')
DEEP_ARRAY = _segment(b"[" * 5000 + b"]" * 5000)
DEEP_HEADER = _segment(b"{" + b'"a":{' * 2000 + b"}" * 2001)
LONG_NUMBER = _segment(b'{"exp": 1' + b"0" * 5000 + b"}")
KID_NUMBER = _segment(b'{"alg":"RS256","kid":42}')
CRIT = _segment(b'{"alg":"RS256","crit":["exp"]}')
UNENCODED = _segment(b'{"alg":"RS256","b64":false,"crit":["b64"]}')
UNENCODED_NOT_CRITICAL = _segment(b'{"alg":"RS256","b64":false}')

MALFORMED = [
    "abcd",
    "ab.c",
    "a.b.c",
    "....",
    "a.b.c.d.e",  # a JWE's five segments
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}",
    f"{GOOD_HEADER}..sig",
    f".{GOOD_PAYLOAD}.sig",
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.!!!!",
    f"{GOOD_HEADER}.{GOOD_PAYLOAD}.sig.",
    f"{_segment(b'not json')}.{GOOD_PAYLOAD}.sig",
    f"{_segment(b'[1, 2]')}.{GOOD_PAYLOAD}.sig",
    f"{_segment(b'null')}.{GOOD_PAYLOAD}.sig",
    f"{GOOD_HEADER}.{_segment(b'not json')}.sig",
    f"{GOOD_HEADER}.{_segment(b'[1, 2]')}.sig",
    f"{GOOD_HEADER}.{_segment(b'42')}.sig",
    f"{GOOD_HEADER}.{_segment(bytes([0xFF, 0xFE, 0x00]))}.sig",
    f"{GOOD_HEADER}.{DEEP_ARRAY}.sig",
    f"{DEEP_HEADER}.{GOOD_PAYLOAD}.sig",
    f"{GOOD_HEADER}.{LONG_NUMBER}.sig",
    f"{KID_NUMBER}.{GOOD_PAYLOAD}.sig",
    f"{CRIT}.{GOOD_PAYLOAD}.sig",
    f"{UNENCODED}.{GOOD_PAYLOAD}.sig",
    f"{UNENCODED_NOT_CRITICAL}.{GOOD_PAYLOAD}.sig",
    "eyJ" + "A" * 100,
    "\u00e9\u00e8.\u00e0.\u00fc",
    " " + GOOD_HEADER + "." + GOOD_PAYLOAD + ".sig",
]


@pytest.mark.parametrize("token", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_tokens(own_role: Role, token: str) -> None:
    assert aws_error(assume_call(own_role.arn, token)) == NOT_A_JWT


def test_oversized_token(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, padding="x" * 20000)

    assert aws_error(assume_call(gha_role.arn, token)) == (
        "ValidationError",
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy "
        "constraint: Member must have length less than or equal to 20000",
        400,
    )


def test_token_at_the_size_limit_is_read(own: OwnIssuer, own_role: Role) -> None:
    # Just under 20000 characters: parsed and verified like any other.
    base = len(own.token(padding=""))
    token = own.token(padding="x" * ((20000 - base) * 3 // 4))

    assert len(token) <= 20000
    assert assume(own_role.arn, token)["SubjectFromWebIdentityToken"] == "u-1"


def test_access_token_without_provider_id(github: OIDCProvider, gha_role: Role) -> None:
    assert aws_error(assume_call(gha_role.arn, "EAAGm0PX4ZCpsBAKZA")) == NOT_A_JWT


def test_failures_leave_no_trace(sts_mock: MockSTS, own: OwnIssuer, own_role: Role) -> None:
    backend = sts_mock._require_backend()
    sessions = dict(backend.sessions)
    keys = json.dumps(backend.issuer_keys)
    for token in [*MALFORMED, own.token(aud="x"), own.token(exp=1), own.token(sub="")]:
        with pytest.raises(ClientError):
            assume_call(own_role.arn, token)()

    assert backend.sessions == sessions
    assert json.dumps(backend.issuer_keys) == keys
    assert {call.error_code for call in sts_mock.calls if call.service == "sts"} == {
        "InvalidIdentityToken",
        "ExpiredTokenException",
    }


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.text(min_size=4, max_size=300),
        st.lists(
            st.one_of(
                st.text(
                    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                ),
                st.binary(max_size=80).map(_segment),
                st.sampled_from([GOOD_HEADER, GOOD_PAYLOAD, "", "e30", "W10", "bnVsbA"]),
            ),
            min_size=1,
            max_size=6,
        )
        .map(".".join)
        .filter(lambda token: len(token) >= 4),
    )
)
def test_no_token_breaks_the_mock(own_role: Role, token: str) -> None:
    # Every failure is an AWS error, never the mock's InternalFailure.
    code, _, status = aws_error(assume_call(own_role.arn, token))

    assert (code, status) == ("InvalidIdentityToken", 400)
