"""The vocabulary of the tests of Cognito identities, logins and developer identities:
Cognito's answers (STS_REFERENCE §12.8 and the texts of mock_sts), the providers' client ids,
and the calls the tests repeat."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import jwt

from tests.helpers.cognito import cognito
from tests.helpers.web_identity import rsa_key

GOOGLE = "accounts.google.com"
FACEBOOK = "graph.facebook.com"
AMAZON = "www.amazon.com"
APPLE = "appleid.apple.com"
COGNITO = "cognito-identity.amazonaws.com"
DEVELOPER = "login.example.com"

GOOGLE_CLIENT = "1234567890-web.apps.googleusercontent.com"
FACEBOOK_APP = "1234567890123456"
AMAZON_APP = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
APPLE_SERVICE = "com.example.app"
OTHER_ACCOUNT = "210987654321"

IDENTITY_ID = r"us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def not_authorized(message: str) -> tuple[str, str, int]:
    return ("NotAuthorizedException", message, 400)


UNAUTHENTICATED = not_authorized("Unauthenticated access is not supported for this identity pool.")
NOT_A_TOKEN = not_authorized("Invalid login token. Not a valid OpenId Connect identity token.")
ISSUER_MISMATCH = not_authorized("Invalid login token. Issuer doesn't match providerName")
MISSING_AUD = not_authorized("Invalid login token. Missing a required claim: aud")
MISSING_EXP = not_authorized("Invalid login token. Missing a required claim: exp")
BAD_SIGNATURE = not_authorized("Invalid login token. Couldn't verify signed token.")
UNSUPPORTED_PROVIDER = not_authorized(
    "Token is not from a supported provider of this identity pool."
)
COGNITO_TOKEN = not_authorized("Invalid login token. Can't pass in a Cognito token.")
LOGINS_MISMATCH = not_authorized(
    "Logins don't match. Please include at least one valid login for this identity or "
    "identity pool."
)
DEVELOPER_PROVIDER = not_authorized(
    "This identity pool does not support the specified developer provider."
)
ALREADY_REGISTERED = (
    "DeveloperUserAlreadyRegisteredException",
    "The provided developer user identifier is already registered with Cognito under a "
    "different identity ID.",
    400,
)
CLASSIC_FLOW_DISABLED = (
    "InvalidParameterException",
    "Basic (classic) flow is not enabled, please use enhanced flow.",
    400,
)


def expired(now: int, expires: object) -> tuple[str, str, int]:
    return not_authorized(f"Invalid login token. Token expired: {now} >= {expires}")


def invalid_access_token(provider: str) -> tuple[str, str, int]:
    return not_authorized(f"Invalid login token. The {provider} access token is not valid.")


def forbidden(identity_id: str) -> tuple[str, str, int]:
    return not_authorized(f"Access to Identity '{identity_id}' is forbidden.")


def pool_not_found(pool_id: str) -> tuple[str, str, int]:
    return ("ResourceNotFoundException", f"IdentityPool '{pool_id}' not found.", 400)


def identity_not_found(identity_id: str) -> tuple[str, str, int]:
    return ("ResourceNotFoundException", f"Identity '{identity_id}' not found.", 400)


def already_linked(provider: str) -> tuple[str, str, int]:
    return (
        "ResourceConflictException",
        f"The identity is already linked to another login of {provider}.",
        400,
    )


# ---------------------------------------------------------------------------------------
# Calls


def create_pool(*, allow_unauthenticated: bool = True, **params: Any) -> str:
    """A pool made through CreateIdentityPool (no roles): the id."""
    created = cognito().create_identity_pool(
        IdentityPoolName="pool", AllowUnauthenticatedIdentities=allow_unauthenticated, **params
    )
    pool_id: str = created["IdentityPoolId"]
    return pool_id


def get_id(pool_id: str, logins: Mapping[str, str] | None = None, **params: Any) -> str:
    """GetId's identity id for ``logins`` (none: a guest)."""
    if logins is not None:
        params["Logins"] = dict(logins)
    identity_id: str = cognito().get_id(IdentityPoolId=pool_id, **params)["IdentityId"]
    return identity_id


def logins_of(identity_id: str) -> list[str] | None:
    """The provider names DescribeIdentity lists for the identity (None: the member is absent)."""
    described = cognito().describe_identity(IdentityId=identity_id)
    logins: list[str] | None = described.get("Logins")
    return logins


def listed_ids(pool_id: str, **params: Any) -> list[str]:
    """The ids ListIdentities lists in one page of 60."""
    listed = cognito().list_identities(IdentityPoolId=pool_id, MaxResults=60, **params)
    return [identity["IdentityId"] for identity in listed["Identities"]]


def claims_of(token: str) -> dict[str, Any]:
    """A JWT's claims, read without checking its signature."""
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


# ---------------------------------------------------------------------------------------
# Issuers whose keys the tests hold: the mock mints no Sign in with Apple tokens, and no
# Google tokens shaped in every way; the tests sign them with keys of their own, whose JWKS
# they add for the provider's https:// URL.


def own_jwks(name: str) -> dict[str, Any]:
    """The JWKS of the test's key ``name`` (its kid)."""
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key(name).public_key(), as_dict=True)
    return {"keys": [{**public, "kid": name, "alg": "RS256", "use": "sig"}]}


def own_token(name: str, claims: Mapping[str, Any]) -> str:
    """``claims`` signed with the test's key ``name``."""
    body = json.dumps(dict(claims)).encode()
    return jwt.PyJWS().encode(body, rsa_key(name), "RS256", {"kid": name})


def apple_token(sub: str, now: int, *, aud: str = APPLE_SERVICE) -> str:
    """An ID token of Sign in with Apple for ``sub``, issued at ``now`` for ten minutes,
    signed with the test's key ``apple``."""
    claims = {"iss": f"https://{APPLE}", "aud": aud, "sub": sub, "iat": now, "exp": now + 600}
    return own_token("apple", claims)
