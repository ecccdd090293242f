"""Attacker-shaped web identity tokens: each gets the AWS error of STS_REFERENCE §7.2, none
gets credentials, none makes the mock fail (InternalFailure) or change its state.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
from typing import TYPE_CHECKING, Any

import jwt
import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import aws_error
from tests.helpers.web_identity import (
    BAD_AUDIENCE,
    BAD_SIGNATURE,
    DENIED,
    EPOCH_T0,
    GITHUB,
    GITHUB_SUB,
    NO_KEY,
    NOT_A_JWT,
    T0,
    OwnIssuer,
    assume_with_web_identity,
    b64url,
    compact,
    ec_key,
    expired,
    github_trust,
    no_provider,
    not_integer,
    parts,
    rsa_key,
    unsupported_algorithm,
    web_identity_call,
    web_trust,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider, Role


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
    assert aws_error(web_identity_call(gha_role.arn, forged)) == BAD_SIGNATURE


def test_tampered_header(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB)
    header, payload, _ = parts(token)

    forged = resign(token, {**header, "typ": "at+jwt"}, payload)
    assert aws_error(web_identity_call(gha_role.arn, forged)) == BAD_SIGNATURE


def test_signature_stripped(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB)

    assert (
        aws_error(web_identity_call(gha_role.arn, token.rsplit(".", 1)[0] + ".")) == BAD_SIGNATURE
    )


def test_alg_none(github: OIDCProvider, gha_role: Role) -> None:
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))

    unsigned = compact({"alg": "none", "typ": "JWT"}, payload, b"")
    assert aws_error(web_identity_call(gha_role.arn, unsigned)) == unsupported_algorithm("none")


@pytest.mark.parametrize("alg", ["None", "NONE", "", None, ["RS256"], "PS256", "EdDSA"])
def test_other_algorithms(github: OIDCProvider, gha_role: Role, alg: Any) -> None:
    header, payload, _ = parts(github.token(sub=GITHUB_SUB))

    token = compact({**header, "alg": alg}, payload)
    assert aws_error(web_identity_call(gha_role.arn, token)) == unsupported_algorithm(alg)


def test_missing_alg(github: OIDCProvider, gha_role: Role) -> None:
    header, payload, _ = parts(github.token(sub=GITHUB_SUB))
    del header["alg"]

    assert aws_error(web_identity_call(gha_role.arn, compact(header, payload))) == (
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
    assert aws_error(web_identity_call(gha_role.arn, token)) == unsupported_algorithm("HS256")


def test_unknown_kid(github: OIDCProvider, gha_role: Role, own: OwnIssuer) -> None:
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    token = own.sign(claims, headers={"kid": "rogue"})
    assert aws_error(web_identity_call(gha_role.arn, token)) == NO_KEY


def test_a_strangers_key_with_a_trusted_issuer_and_kid(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    token = own.sign(claims, headers={"kid": github.jwks["keys"][0]["kid"]})
    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_a_strangers_key_without_kid(github: OIDCProvider, gha_role: Role) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))

    token = jwt.PyJWS().encode(json.dumps(payload).encode(), stranger, "RS256")
    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_another_fake_issuers_key(sts_mock: MockSTS, github: OIDCProvider, gha_role: Role) -> None:
    # Two issuers of one mock never share a key: one cannot sign for the other.
    gitlab = sts_mock.oidc_provider("https://gitlab.example.com")

    token = gitlab.token(sub=GITHUB_SUB, iss=GITHUB)
    assert aws_error(web_identity_call(gha_role.arn, token)) == NO_KEY


def test_embedded_jwk_header_is_ignored(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key().public_key(), as_dict=True)
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    headers = {"kid": github.jwks["keys"][0]["kid"], "jwk": public, "jku": "https://evil/jwks"}
    token = own.sign(claims, headers=headers)
    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_algorithm_of_another_key_type(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    # ES256 under the kid of the RSA key: the key cannot verify that algorithm.
    claims = own.claims(iss=GITHUB, sub=GITHUB_SUB)

    headers = {"kid": github.jwks["keys"][0]["kid"]}
    token = own.sign(claims, key=ec_key(), algorithm="ES256", headers=headers)
    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE


def test_algorithm_other_than_the_keys_alg(own: OwnIssuer, own_role: Role) -> None:
    # RS512 with a key published for RS256 only.
    token = own.sign(own.claims(), algorithm="RS512")

    assert aws_error(web_identity_call(own_role.arn, token)) == BAD_SIGNATURE


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
    assert aws_error(web_identity_call(role.arn, token)) == BAD_SIGNATURE


def test_own_ec_key_verifies(own: OwnIssuer, own_role: Role) -> None:
    token = own.sign(own.claims(), key=ec_key(), algorithm="ES256", headers={"kid": own.ec_kid})

    assert assume_with_web_identity(own_role.arn, token)["Provider"] == own.arn


# ---------------------------------------------------------------------------------------
# Issuer, audience and dates


def test_wrong_issuer(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, iss="https://token.actions.githubusercontent.com.evil")

    assert aws_error(web_identity_call(gha_role.arn, token)) == no_provider(
        "https://token.actions.githubusercontent.com.evil"
    )


def test_wrong_audience(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, aud="sts.amazonaws.com.evil")

    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_AUDIENCE


def test_checks_run_before_the_signature(own: OwnIssuer, own_role: Role) -> None:
    # A forged token with a wrong audience fails on the audience, as AWS's order has it.
    header, payload, _ = parts(own.token(aud="other"))

    assert aws_error(web_identity_call(own_role.arn, resign(own.token(), header, payload))) == (
        BAD_AUDIENCE
    )


def test_expired_forgery_fails_on_the_signature(own: OwnIssuer, own_role: Role) -> None:
    # The signature is checked before expiry: a forged token learns nothing about dates.
    header, payload, _ = parts(own.token(exp=1))

    assert aws_error(web_identity_call(own_role.arn, resign(own.token(), header, payload))) == (
        BAD_SIGNATURE
    )


def test_expired(own: OwnIssuer, own_role: Role) -> None:
    code, message, status = aws_error(web_identity_call(own_role.arn, own.token(exp=1_600_000_000)))

    assert (code, status) == ("ExpiredTokenException", 400)
    assert message.startswith("Token expired: current date/time ")
    assert message.endswith(" must be before the expiration date/time 1600000000")


def test_far_future_not_before(own: OwnIssuer, own_role: Role) -> None:
    code, _, status = aws_error(web_identity_call(own_role.arn, own.token(nbf=4_102_444_800)))

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
    assert aws_error(web_identity_call(own_role.arn, own.token(**{claim: value}))) == not_integer(
        claim
    )


def test_huge_dates_are_refused_cleanly(own: OwnIssuer, own_role: Role) -> None:
    code, message, _ = aws_error(web_identity_call(own_role.arn, own.token(nbf=10**300)))
    assert code == "InvalidIdentityToken"
    assert message.endswith(f"must be after the not-before date/time {10**300}")
    code, message, _ = aws_error(web_identity_call(own_role.arn, own.token(exp=-(10**300))))
    assert code == "ExpiredTokenException"
    assert message.endswith(f"must be before the expiration date/time {-(10**300)}")


def test_subject_of_another_type(own: OwnIssuer, own_role: Role) -> None:
    assert aws_error(web_identity_call(own_role.arn, own.token(sub={"user": "admin"}))) == (
        "InvalidIdentityToken",
        "The ID Token must have a sub claim of 1 to 255 characters.",
        400,
    )


def test_issuer_of_another_type(own: OwnIssuer, own_role: Role) -> None:
    token = own.token(iss=["https://own.example.com"])

    assert aws_error(web_identity_call(own_role.arn, token)) == (
        "InvalidIdentityToken",
        "The ID Token has no iss claim.",
        400,
    )


def test_a_valid_token_for_another_role_is_refused(sts_mock: MockSTS, github: OIDCProvider) -> None:
    # A token is no key to every role of the account: the trust decides.
    prod = sts_mock.create_role("prod", github_trust(github.arn, "repo:octo/app:environment:prod"))

    assert aws_error(web_identity_call(prod.arn, github.token(sub=GITHUB_SUB))) == DENIED


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
    assert aws_error(web_identity_call(own_role.arn, token)) == NOT_A_JWT


def test_oversized_token(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, padding="x" * 20000)

    assert aws_error(web_identity_call(gha_role.arn, token)) == (
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
    assert assume_with_web_identity(own_role.arn, token)["SubjectFromWebIdentityToken"] == "u-1"


def test_access_token_without_provider_id(github: OIDCProvider, gha_role: Role) -> None:
    assert aws_error(web_identity_call(gha_role.arn, "EAAGm0PX4ZCpsBAKZA")) == NOT_A_JWT


def test_failures_leave_no_trace(sts_mock: MockSTS, own: OwnIssuer, own_role: Role) -> None:
    backend = sts_mock._require_backend()
    sessions = dict(backend.sessions)
    keys = json.dumps(backend.issuer_keys)
    for token in [*MALFORMED, own.token(aud="x"), own.token(exp=1), own.token(sub="")]:
        with pytest.raises(ClientError):
            web_identity_call(own_role.arn, token)()

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
    code, _, status = aws_error(web_identity_call(own_role.arn, token))

    assert (code, status) == ("InvalidIdentityToken", 400)


# ---------------------------------------------------------------------------------------
# Attacks of the reliability issue's list that the sections above leave out


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every socket connection attempt, recorded and refused: no key is ever fetched."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("no network in web identity attack tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def rs256(header: dict[str, Any], payload: dict[str, Any], key: Any) -> str:
    """A compact JWS signed with RS256 under any header, even one pyjwt would not write."""
    signing_input = f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}"
    algorithm = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
    return f"{signing_input}.{b64url(algorithm.sign(signing_input.encode(), key))}"


def certificate_of(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
        .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc))
        .sign(key, hashes.SHA256())
    )


# -- alg confusion and alg none


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
@pytest.mark.parametrize("secret", ["pem", "der", "jwk-json", "modulus"])
def test_hmac_keyed_with_the_public_key_material(
    github: OIDCProvider, gha_role: Role, alg: str, secret: str
) -> None:
    # Every form a verifier might feed to HMAC: the algorithm alone is refused.
    jwk = github.jwks["keys"][0]
    public = jwt.PyJWK(jwk).key
    key = {
        "pem": public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "der": public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "jwk-json": json.dumps(jwk).encode(),
        "modulus": base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4)),
    }[secret]
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))
    header = {"alg": alg, "typ": "JWT", "kid": jwk["kid"]}
    signing_input = f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}"
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    mac = hmac.new(key, signing_input.encode(), digest).digest()

    token = f"{signing_input}.{b64url(mac)}"
    assert aws_error(web_identity_call(gha_role.arn, token)) == unsupported_algorithm(alg)


def test_alg_none_keeping_the_genuine_signature(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB)
    header, payload, _ = parts(token)

    forged = resign(token, {**header, "alg": "none"}, payload)
    assert aws_error(web_identity_call(gha_role.arn, forged)) == unsupported_algorithm("none")


def test_rs256_under_the_kid_of_an_ec_key(own: OwnIssuer, own_role: Role) -> None:
    # The kid names the P-256 key; an RSA signature cannot be checked with it.
    token = own.sign(own.claims(), headers={"kid": own.ec_kid})

    assert aws_error(web_identity_call(own_role.arn, token)) == BAD_SIGNATURE


# -- kid injection: the kid only picks among the registered keys, by exact equality

KID_INJECTIONS = {
    "path-traversal": "../../../../etc/passwd",
    "device": "/dev/random",
    "file-url": "file:///etc/passwd",
    "http-url": "http://127.0.0.1:9/jwks.json",
    "sql": "' OR '1'='1' --",
    "sql-after-kid": "own-rsa' OR 'a'='a",
    "null-byte-after-kid": "own-rsa\x00",
    "null-byte": "\x00",
    "empty": "",
    "case": "OWN-RSA",
    "space": " own-rsa",
    "huge": "k" * 12_000,
}


@pytest.mark.parametrize("kid", KID_INJECTIONS.values(), ids=KID_INJECTIONS.keys())
def test_kid_injection(own: OwnIssuer, own_role: Role, no_network: list[Any], kid: str) -> None:
    # Signed with the issuer's own key: only the kid is off, and it matches no key.
    token = own.sign(own.claims(), headers={"kid": kid})

    assert len(token) <= 20000
    assert aws_error(web_identity_call(own_role.arn, token)) == NO_KEY
    assert no_network == []


@pytest.mark.parametrize(
    "kid", [None, 42, 1.5, True, ["own-rsa"], {"kid": "own-rsa"}], ids=lambda kid: repr(kid)
)
def test_kid_of_another_type(own: OwnIssuer, own_role: Role, kid: Any) -> None:
    # A genuine signature does not make a token with a non-string kid a JWT.
    token = rs256({"alg": "RS256", "kid": kid}, own.claims(), rsa_key())

    assert aws_error(web_identity_call(own_role.arn, token)) == NOT_A_JWT


# -- jku, x5u, jwk and x5c: keys a token brings along are never used, nor fetched


def key_headers(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    der = certificate_of(key).public_bytes(serialization.Encoding.DER)
    return {
        "jku": "http://127.0.0.1:9/jwks.json",
        "x5u": "http://127.0.0.1:9/cert.pem",
        "jwk": jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True),
        "x5c": [base64.b64encode(der).decode()],
    }


@pytest.mark.parametrize("name", ["jku", "x5u", "jwk", "x5c"])
@pytest.mark.parametrize("with_kid", [True, False], ids=["trusted-kid", "no-kid"])
def test_a_key_brought_by_the_token_is_ignored(
    github: OIDCProvider, gha_role: Role, no_network: list[Any], name: str, with_kid: bool
) -> None:
    stranger = rsa_key("stranger")
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))
    header: dict[str, Any] = {name: key_headers(stranger)[name]}
    if with_kid:
        header["kid"] = github.jwks["keys"][0]["kid"]

    token = jwt.PyJWS().encode(json.dumps(payload).encode(), stranger, "RS256", header)
    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE
    assert no_network == []


def test_key_headers_on_a_genuine_token_change_nothing(
    own: OwnIssuer, own_role: Role, no_network: list[Any]
) -> None:
    token = own.sign(own.claims(), headers=key_headers(rsa_key("stranger")))

    assert assume_with_web_identity(own_role.arn, token)["SubjectFromWebIdentityToken"] == "u-1"
    assert no_network == []


# -- stranger keys


def test_a_strangers_ec_key_without_kid(own: OwnIssuer, own_role: Role) -> None:
    token = jwt.PyJWS().encode(json.dumps(own.claims()).encode(), ec_key("stranger"), "ES256")

    assert aws_error(web_identity_call(own_role.arn, token)) == BAD_SIGNATURE


def test_a_key_trusted_for_another_issuer_without_kid(
    github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    # own's key is registered, but for own's issuer only: github's keys decide.
    token = jwt.PyJWS().encode(
        json.dumps(own.claims(iss=GITHUB, sub=GITHUB_SUB)).encode(), rsa_key(), "RS256"
    )

    assert aws_error(web_identity_call(gha_role.arn, token)) == BAD_SIGNATURE


# -- claim tampering


@pytest.mark.parametrize(
    "change",
    [
        {"exp": 4_102_444_800},
        {"iat": 1},
        {"aud": ["sts.amazonaws.com", "evil"]},
        {"https://aws.amazon.com/tags": {"principal_tags": {"team": ["admins"]}}},
        {"https://aws.amazon.com/source_identity": "admin"},
        {"amr": ["authenticated"]},
    ],
    ids=["exp", "iat", "aud", "tags", "source-identity", "amr"],
)
def test_tampered_claims(own: OwnIssuer, own_role: Role, change: dict[str, Any]) -> None:
    token = own.token()
    header, payload, _ = parts(token)

    assert aws_error(
        web_identity_call(own_role.arn, resign(token, header, {**payload, **change}))
    ) == (BAD_SIGNATURE)


def test_a_claim_removed(own: OwnIssuer, own_role: Role) -> None:
    token = own.token(nbf=int(dt.datetime.now(dt.timezone.utc).timestamp()) + 3000)
    header, payload, _ = parts(token)
    del payload["nbf"]

    assert (
        aws_error(web_identity_call(own_role.arn, resign(token, header, payload))) == BAD_SIGNATURE
    )


# -- expiry at the edges of the clock skew (oidc.CLOCK_SKEW: 300 s past exp, before nbf)


@pytest.mark.parametrize("late", [-1, 0, 1, 299, 300])
def test_accepted_up_to_the_skew_past_expiry(own: OwnIssuer, own_role: Role, late: int) -> None:
    token = own.sign(own.claims(iat=EPOCH_T0 - 600, exp=EPOCH_T0))

    with time_machine.travel(T0 + dt.timedelta(seconds=late), tick=False):
        assert assume_with_web_identity(own_role.arn, token)["SubjectFromWebIdentityToken"] == "u-1"


@pytest.mark.parametrize("late", [301, 302, 86_400])
def test_expired_one_second_past_the_skew(own: OwnIssuer, own_role: Role, late: int) -> None:
    token = own.sign(own.claims(iat=EPOCH_T0 - 600, exp=EPOCH_T0))

    with time_machine.travel(T0 + dt.timedelta(seconds=late), tick=False):
        assert aws_error(web_identity_call(own_role.arn, token)) == expired(
            EPOCH_T0 + late, EPOCH_T0
        )


@pytest.mark.parametrize(("early", "accepted"), [(299, True), (300, True), (301, False)])
def test_not_before_at_the_skew(own: OwnIssuer, own_role: Role, early: int, accepted: bool) -> None:
    token = own.sign(own.claims(iat=EPOCH_T0, nbf=EPOCH_T0 + early, exp=EPOCH_T0 + 3600))

    with time_machine.travel(T0, tick=False):
        if accepted:
            assert (
                assume_with_web_identity(own_role.arn, token)["SubjectFromWebIdentityToken"]
                == "u-1"
            )
        else:
            assert aws_error(web_identity_call(own_role.arn, token)) == (
                "InvalidIdentityToken",
                f"Token not yet valid: current date/time {EPOCH_T0} must be after the "
                f"not-before date/time {EPOCH_T0 + early}",
                400,
            )


# -- oversized tokens


@pytest.mark.parametrize("size", [20_001, 100_000, 2_000_000])
def test_oversized_tokens_of_every_size(own: OwnIssuer, own_role: Role, size: int) -> None:
    # A genuine signature does not help: the length is checked first.
    base = len(own.token(padding=""))
    token = own.token(padding="x" * ((size - base) * 3 // 4 + 3))

    assert len(token) > 20_000
    assert aws_error(web_identity_call(own_role.arn, token)) == (
        "ValidationError",
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy "
        "constraint: Member must have length less than or equal to 20000",
        400,
    )


def test_an_oversized_header(own: OwnIssuer, own_role: Role) -> None:
    token = own.sign(own.claims(), headers={"kid": own.kid, "x-pad": "p" * 20_000})

    code, message, status = aws_error(web_identity_call(own_role.arn, token))
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith("Member must have length less than or equal to 20000")


def test_these_attacks_leave_no_trace(
    sts_mock: MockSTS, github: OIDCProvider, gha_role: Role, own: OwnIssuer
) -> None:
    backend = sts_mock._require_backend()
    sessions = dict(backend.sessions)
    keys = json.dumps(backend.issuer_keys)
    stranger = rsa_key("stranger")
    _, payload, _ = parts(github.token(sub=GITHUB_SUB))
    attacks = [
        own.sign(own.claims(iss=GITHUB, sub=GITHUB_SUB), headers={"kid": "../../etc/passwd"}),
        jwt.PyJWS().encode(json.dumps(payload).encode(), stranger, "RS256", key_headers(stranger)),
        rs256({"alg": "RS256", "kid": None}, payload, rsa_key()),
        own.token(iss=GITHUB, sub=GITHUB_SUB, padding="x" * 20_000),
    ]
    for token in attacks:
        with pytest.raises(ClientError):
            web_identity_call(gha_role.arn, token)()

    assert backend.sessions == sessions
    assert json.dumps(backend.issuer_keys) == keys
    assert all(call.status < 500 for call in sts_mock.calls)
