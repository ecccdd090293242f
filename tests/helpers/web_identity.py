"""Set-up shared by the web identity tests: unsigned STS clients, trust policies, tokens.

AssumeRoleWithWebIdentity goes through real boto3 clients; botocore sends it unsigned, and
the clients here carry no credentials at all, as a CI runner or a pod before its first
call has none.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import boto3
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.helpers import unsigned_sts

ACCOUNT = "123456789012"
UTC = dt.timezone.utc
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)
EPOCH_T0 = int(T0.timestamp())

GITHUB = "https://token.actions.githubusercontent.com"
GITHUB_HOST = "token.actions.githubusercontent.com"
GITHUB_SUB = "repo:octo/app:ref:refs/heads/main"
EKS = "https://oidc.eks.us-east-1.amazonaws.com/id/D43CF17C27A865933144EA99A26FB128"
EKS_HOST = EKS.removeprefix("https://")
POD_SUB = "system:serviceaccount:payments:api"

ACTION = "sts:AssumeRoleWithWebIdentity"
DENIED = ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403)
BAD_AUDIENCE = ("InvalidIdentityToken", "Incorrect token audience", 400)
NO_KEY = (
    "InvalidIdentityToken",
    "Couldn't retrieve verification key from your identity provider,  please reference "
    "AssumeRoleWithWebIdentity documentation for requirements",
    400,
)
NOT_A_JWT = (
    "InvalidIdentityToken",
    "The ID Token provided is not a valid JWT. (You may see this error if you sent an "
    "Access Token)",
    400,
)
BAD_SIGNATURE = ("InvalidIdentityToken", "The ID Token's signature could not be verified.", 400)
ROLE_DURATION = (
    "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    400,
)


def no_provider(issuer: str) -> tuple[str, str, int]:
    return (
        "InvalidIdentityToken",
        f"No OpenIDConnect provider found in your account for {issuer}",
        400,
    )


def unsupported_algorithm(algorithm: object) -> tuple[str, str, int]:
    return (
        "InvalidIdentityToken",
        f"The ID Token is signed with an unsupported algorithm: {algorithm}",
        400,
    )


def not_integer(claim: str) -> tuple[str, str, int]:
    return (
        "InvalidIdentityToken",
        f"The ID Token claim {claim} must be an integer number of seconds.",
        400,
    )


def expired(now: int, expiration: int) -> tuple[str, str, int]:
    return (
        "ExpiredTokenException",
        f"Token expired: current date/time {now} must be before the expiration date/time "
        f"{expiration}",
        400,
    )


def web_identity_call(
    role_arn: str, token: str, session_name: str = "web", **params: Any
) -> Callable[[], dict[str, Any]]:
    """An AssumeRoleWithWebIdentity call to make later (for aws_error)."""

    def call() -> dict[str, Any]:
        response: dict[str, Any] = unsigned_sts().assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName=session_name, WebIdentityToken=token, **params
        )
        return response

    return call


def assume_with_web_identity(
    role_arn: str, token: str, session_name: str = "web", **params: Any
) -> dict[str, Any]:
    return web_identity_call(role_arn, token, session_name, **params)()


def web_trust(
    federated: str,
    condition: Mapping[str, Any] | None = None,
    actions: str | Sequence[str] = ACTION,
) -> dict[str, Any]:
    """A trust policy letting tokens of ``federated`` assume the role."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": federated},
        "Action": actions,
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def github_trust(provider_arn: str, sub_pattern: str = "repo:octo/app:*") -> dict[str, Any]:
    """The trust policy GitHub's documentation recommends: audience and subject pinned."""
    return web_trust(
        provider_arn,
        {
            "StringEquals": {f"{GITHUB_HOST}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{GITHUB_HOST}:sub": sub_pattern},
        },
    )


def b64url(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def compact(header: Any, payload: Any, signature: bytes = b"signature") -> str:
    """A compact JWS from JSON-able header and payload and raw signature bytes."""
    return ".".join([b64url(json.dumps(header)), b64url(json.dumps(payload)), b64url(signature)])


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The decoded header and payload of a compact JWS, and its signature segment."""
    header, payload, signature = token.split(".")
    return _json_segment(header), _json_segment(payload), signature


def _json_segment(segment: str) -> dict[str, Any]:
    padded = segment + "=" * (-len(segment) % 4)
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return decoded


# ---------------------------------------------------------------------------------------
# An issuer the test runs itself, to sign tokens shaped in any way


@functools.cache
def rsa_key(name: str = "own") -> rsa.RSAPrivateKey:
    """A 2048-bit RSA key per name, made once per test run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_key(name: str = "own") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


class OwnIssuer:
    """An issuer whose keys the test holds: an IAM provider, its JWKS added to the mock."""

    url = "https://own.example.com"
    host = "own.example.com"
    kid = "own-rsa"
    ec_kid = "own-ec"

    def __init__(self, sts_mock: Any) -> None:
        iam = boto3.client("iam", region_name="us-east-1")
        self.arn: str = iam.create_open_id_connect_provider(
            Url=self.url, ClientIDList=["sts.amazonaws.com"]
        )["OpenIDConnectProviderArn"]
        rsa_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key().public_key(), as_dict=True)
        ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(ec_key().public_key(), as_dict=True)
        sts_mock.add_jwks(
            self.url,
            {
                "keys": [
                    {**rsa_jwk, "kid": self.kid, "alg": "RS256"},
                    {**ec_jwk, "kid": self.ec_kid, "alg": "ES256"},
                ]
            },
        )

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """Claims that pass every check now, with ``overrides`` applied."""
        moment = int(dt.datetime.now(dt.timezone.utc).timestamp())
        claims = {
            "iss": self.url,
            "aud": "sts.amazonaws.com",
            "sub": "u-1",
            "iat": moment,
            "exp": moment + 600,
            **overrides,
        }
        return claims

    def sign(
        self,
        claims: Mapping[str, Any],
        *,
        key: Any = None,
        algorithm: str = "RS256",
        headers: Mapping[str, Any] | None = None,
    ) -> str:
        """``claims`` signed with the issuer's RSA key (or ``key``), kid in the header."""
        header = {"kid": self.kid, **(headers or {})}
        body = json.dumps(dict(claims)).encode()
        return jwt.PyJWS().encode(body, key or rsa_key(), algorithm, header)

    def token(self, **overrides: Any) -> str:
        return self.sign(self.claims(**overrides))

    def without(self, *names: str) -> str:
        """A signed token lacking the named claims."""
        claims = self.claims()
        for name in names:
            del claims[name]
        return self.sign(claims)
