"""Outbound identity federation's keys: what GetWebIdentityToken signs its JWTs with, so that
AWS callers can prove who they are to services outside AWS (STS_REFERENCE §4.11), and the
keys each account's issuer publishes.

Each account that enabled the feature has an issuer URL and keys of its own (RS256 and
ES384), taken from the process's key pool like the fake OIDC issuers'. The handle
publishes them (``MockSTS.outbound_issuer``) so a test can verify tokens with pyjwt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_sts._federation.oidc import SigningKey, pooled_key
from mock_sts._providers import OutboundFederation
from mock_sts._state import Backend

# The algorithms GetWebIdentityToken signs with [M], and their key types.
SIGNING_ALGORITHMS = {"RS256": "RSA", "ES384": "P-384"}
# The claim that holds AWS's own claims about the caller [D].
AWS_CLAIMS = "https://sts.amazonaws.com/"


def _keys(federation: OutboundFederation) -> dict[str, SigningKey]:
    return {
        algorithm: pooled_key(kind, federation.key_index, namespace="outbound")
        for algorithm, kind in SIGNING_ALGORITHMS.items()
    }


def jwks_of(federation: OutboundFederation) -> dict[str, Any]:
    """The JSON Web Key Set the account's issuer publishes: one key per signing algorithm."""
    keys = [
        {**key.public_jwk, "use": "sig", "alg": algorithm}
        for algorithm, key in _keys(federation).items()
    ]
    return {"keys": keys}


def published_jwks(backend: Backend, issuer: str) -> Mapping[str, Any] | None:
    """The keys an issuer the mock knows publishes: a fake or test-run OIDC issuer's, or an
    account's GetWebIdentityToken issuer's while its federation is enabled."""
    with backend.lock:
        jwks = backend.issuer_keys.get(issuer)
        if jwks is not None:
            return jwks
        for account in backend.accounts.values():
            federation = account.outbound_federation
            if federation is not None and federation.enabled and federation.issuer == issuer:
                return jwks_of(federation)
    return None


def sign(federation: OutboundFederation, algorithm: str, payload: bytes) -> str:
    """A JWT of ``payload`` (its claims, as JSON) signed with the account's key for
    ``algorithm``, one of SIGNING_ALGORITHMS."""
    import jwt

    key = _keys(federation)[algorithm]
    headers = {"kid": key.kid, "typ": "JWT"}
    return jwt.PyJWS().encode(payload, key.private_key, algorithm, headers)
