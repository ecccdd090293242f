"""Outbound identity federation: the JWTs GetWebIdentityToken signs for AWS callers, so
that they can prove who they are to services outside AWS (STS_REFERENCE §4.11).

Each account that enabled the feature has an issuer URL and keys of its own (RS256 and
ES384), taken from the process's key pool like the fake OIDC issuers'. The handle
publishes them (``MockSTS.outbound_issuer``) so a test can verify tokens with pyjwt.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts._federation.oidc import SigningKey, pooled_key
from mock_sts._state import (
    Backend,
    OutboundFederation,
    Session,
    SessionKind,
    User,
    now,
    whole_seconds,
)
from mock_sts._wire import AWSError, validation_error

if TYPE_CHECKING:
    from mock_sts._handles import OutboundIssuer
    from mock_sts._operation import Context
    from mock_sts._policy import ConditionValue

# The algorithms GetWebIdentityToken signs with [M], and their key types.
SIGNING_ALGORITHMS = {"RS256": "RSA", "ES384": "P-384"}
DEFAULT_DURATION = 300
# AWS does not publish the largest payload it signs; mock_sts refuses claims whose JSON
# exceeds this many bytes (50 tags of full length, for one, do).
PAYLOAD_MAX = 8192
# The claim that holds AWS's own claims about the caller [D].
AWS_CLAIMS = "https://sts.amazonaws.com/"


def _keys(federation: OutboundFederation) -> dict[str, SigningKey]:
    return {
        algorithm: pooled_key(kind, federation.key_index, namespace="outbound")
        for algorithm, kind in SIGNING_ALGORITHMS.items()
    }


def issuer_of(federation: OutboundFederation) -> OutboundIssuer:
    keys = [
        {**key.public_jwk, "use": "sig", "alg": algorithm}
        for algorithm, key in _keys(federation).items()
    ]
    from mock_sts._handles import OutboundIssuer

    return OutboundIssuer(federation.issuer, {"keys": keys})


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
                return issuer_of(federation).jwks
    return None


def get_web_identity_token(ctx: Context) -> Mapping[str, Any]:
    import jwt

    from mock_sts import _access
    from mock_sts._sts import not_authorized, passed_tags, require_regional_endpoint

    params = ctx.params
    require_regional_endpoint(ctx)
    algorithm: str = params["SigningAlgorithm"]
    if algorithm not in SIGNING_ALGORITHMS:
        raise validation_error(  # text unconfirmed: the model has no enum, only a length
            f"1 validation error detected: Value '{algorithm}' at 'signingAlgorithm' failed to "
            f"satisfy constraint: Member must satisfy enum value set: "
            f"[{', '.join(SIGNING_ALGORITHMS)}]"
        )
    audiences: list[str] = params["Audience"]
    duration: int = params.get("DurationSeconds", DEFAULT_DURATION)
    request_tags = passed_tags(params.get("Tags", ()), {})
    caller = ctx.signed_caller
    session = caller.session
    # GetSessionToken and federated-user credentials cannot call it [D].
    if session is not None and session.kind is not SessionKind.ROLE:
        raise not_authorized(ctx)
    context: dict[str, ConditionValue] = {
        "sts:IdentityTokenAudience": tuple(audiences),
        "sts:DurationSeconds": str(duration),
    }
    if not _access.authorize(caller, ctx.info, "sts:GetWebIdentityToken", "*", context=context):
        raise not_authorized(ctx)
    federation = ctx.backend.account(caller.account_id).outbound_federation
    if federation is None or not federation.enabled:
        raise AWSError(  # text unconfirmed
            "OutboundWebIdentityFederationDisabledException",
            "The outbound web identity federation feature is not enabled for this account.",
            403,
        )
    issued = whole_seconds(now())
    expiration = issued + dt.timedelta(seconds=duration)
    if session is not None and expiration > session.expiration:
        raise AWSError(  # text unconfirmed
            "SessionDurationEscalationException",
            "The requested token duration would extend the session beyond its original "
            "expiration time.",
            403,
        )
    claims = {
        "iss": federation.issuer,
        "sub": caller.principal.arn,  # the role's ARN for a role session [D]
        "aud": audiences[0] if len(audiences) == 1 else audiences,
        "iat": int(issued.timestamp()),
        "exp": int(expiration.timestamp()),
        "jti": str(uuid.uuid4()),
        AWS_CLAIMS: _aws_claims(ctx, session, request_tags),
    }
    payload = json.dumps(claims, separators=(",", ":")).encode()
    if len(payload) > PAYLOAD_MAX:
        raise AWSError(  # text unconfirmed
            "JWTPayloadSizeExceededException",
            "The requested token payload size exceeds the maximum allowed size.",
            400,
        )
    key = _keys(federation)[algorithm]
    headers = {"kid": key.kid, "typ": "JWT"}
    token = jwt.PyJWS().encode(payload, key.private_key, algorithm, headers)
    return {"WebIdentityToken": token, "Expiration": expiration}


def _aws_claims(
    ctx: Context, session: Session | None, request_tags: Mapping[str, str]
) -> dict[str, Any]:
    principal = ctx.signed_caller.principal
    claims: dict[str, Any] = {"aws_account": principal.account_id, "source_region": ctx.region}
    if session is not None:
        principal_tags = session.tags
    else:
        principal_tags = principal.tags if isinstance(principal, User) else {}
    if principal_tags:
        claims["principal_tags"] = dict(principal_tags)
    if request_tags:
        claims["request_tags"] = dict(request_tags)
    return claims
