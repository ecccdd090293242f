"""The ``Logins`` of a Cognito Identity request: each token checked as Cognito checks it
(signature, issuer, audience, expiry: STS_REFERENCE §12.8) against the providers the pool
lists, and read into the user it proves.

Provider names are those of the pool: ``accounts.google.com`` and ``appleid.apple.com`` (ID
tokens), ``graph.facebook.com`` and ``www.amazon.com`` (access tokens, which the mock's
registry vouches for, as for AssumeRoleWithWebIdentity), a user pool
(``cognito-idp.<region>.amazonaws.com/<pool id>``: its ID tokens), and an IAM OIDC provider
(its URL without ``https://``). Keys come from the state's ``issuer_keys`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mock_sts import _cognito_messages
from mock_sts._cognito._common import not_authorized
from mock_sts._federation import oidc
from mock_sts._identity_pools import IdentityPool
from mock_sts._operation import Context
from mock_sts._state import now
from mock_sts._wire import AWSError

# The login providers whose tokens are OAuth 2.0 access tokens rather than ID tokens.
_ACCESS_TOKEN_PROVIDERS = (oidc.FACEBOOK, oidc.AMAZON)
COGNITO = oidc.COGNITO


@dataclass(frozen=True)
class Login:
    """A verified login: the provider's name in the pool, the user it proves, and the
    token's claims (empty for access tokens), which role mappings read."""

    provider: str
    user: str
    claims: Mapping[str, Any]
    # For a SAML login: the roles the assertion's Role attribute offers with its provider.
    roles: tuple[str, ...] = ()


def verified(
    ctx: Context, pool: IdentityPool, logins: Mapping[str, str], *, own_tokens: bool = True
) -> list[Login]:
    """Every login of ``logins``, verified, in the order given; NotAuthorizedException for
    the first that fails. The pool's own OpenID tokens (``cognito-identity.amazonaws.com``:
    developer identities') prove an identity where ``own_tokens``, not to GetId."""
    if not own_tokens and COGNITO in logins:
        reason = "GetId takes logins of identity providers, not the pool's own OpenID tokens"
        raise not_authorized(_cognito_messages.COGNITO_TOKEN_REFUSED, reason)
    return [_verified(ctx, pool, provider, token) for provider, token in logins.items()]


def _verified(ctx: Context, pool: IdentityPool, provider: str, token: str) -> Login:
    if provider in _ACCESS_TOKEN_PROVIDERS and provider in pool.login_providers:
        return _access_token_login(ctx, pool, provider, token)
    if provider in pool.saml_provider_arns:
        return _saml_login(ctx, provider, token)
    audiences = _audiences(ctx, pool, provider)
    if audiences is None:
        reason = f"identity pool {pool.pool_id} lists no provider {provider}"
        raise not_authorized(_cognito_messages.UNSUPPORTED_PROVIDER, reason)
    claims = _jwt_claims(ctx, provider, token)
    aud = claims.get("aud")
    given = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if not any(value in audiences for value in given):
        reason = f"the token's audience is none of {provider}'s client ids in the pool"
        raise not_authorized(_cognito_messages.UNSUPPORTED_PROVIDER, reason)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise not_authorized(_cognito_messages.NOT_A_TOKEN, "the token has no sub claim")
    return Login(provider, subject, claims)


def _audiences(ctx: Context, pool: IdentityPool, provider: str) -> tuple[str, ...] | None:
    """The client ids the pool accepts tokens of ``provider`` for; None if it lists no such
    provider."""
    if provider == COGNITO:
        return (pool.pool_id,)  # the pool's own OpenID tokens (developer identities)
    if provider in pool.login_providers:
        return tuple(app.strip() for app in pool.login_providers[provider].split(","))
    user_pool_clients = tuple(
        entry["ClientId"] for entry in pool.user_pools if entry["ProviderName"] == provider
    )
    if user_pool_clients:
        return user_pool_clients
    account = ctx.backend.accounts.get(pool.account_id)
    iam = account.oidc_providers.get(provider) if account is not None else None
    if iam is not None and iam.arn in pool.oidc_provider_arns:
        return tuple(iam.client_ids)
    return None


def _jwt_claims(ctx: Context, provider: str, token: str) -> Mapping[str, Any]:
    """The claims of an ID token of ``provider``, once its issuer, audience claim, signature
    and expiry are checked, in the order Cognito reports them."""
    try:
        parsed = oidc.parse(token)
    except AWSError:
        raise not_authorized(_cognito_messages.NOT_A_TOKEN, "the token is not a JWT") from None
    claims = parsed.claims
    if claims.get("iss") not in _issuers(provider):
        reason = f"the token's iss {claims.get('iss')!r} is not {provider}"
        raise not_authorized(_cognito_messages.ISSUER_MISMATCH, reason)
    missing = next((claim for claim in ("aud", "exp") if claim not in claims), None)
    if missing is not None:
        reason = f"the token has no {missing} claim (a user pool's access token has no aud)"
        raise not_authorized(_cognito_messages.MISSING_CLAIM.format(missing), reason)
    algorithm = parsed.header.get("alg")
    keys_url = f"https://{provider}"
    if algorithm not in oidc.ALGORITHMS or not oidc.signed_by(
        ctx.backend, keys_url, parsed, algorithm
    ):
        reason = f"the token's signature does not verify against the keys of {keys_url}"
        raise not_authorized(_cognito_messages.SIGNATURE_NOT_VERIFIED, reason)
    moment = int(now().timestamp())
    expires = claims.get("exp")
    if type(expires) is not int or moment >= expires:
        reason = "the token has expired" if type(expires) is int else "its exp is no integer"
        raise not_authorized(_cognito_messages.LOGIN_EXPIRED.format(moment, expires), reason)
    return claims


def _issuers(provider: str) -> tuple[str, ...]:
    """The ``iss`` values of a provider's tokens: its https URL (and Google's bare host)."""
    if provider == oidc.GOOGLE:
        return (f"https://{provider}", provider)
    return (f"https://{provider}",)


def _saml_login(ctx: Context, provider_arn: str, response: str) -> Login:
    """A SAMLResponse of one of the pool's SAML providers, checked as STS checks one (its
    signature against the provider's metadata, issuer, audience, times) [D] (Cognito DG,
    "Setting up a SAML provider as an identity pool IdP"); its attributes are the claims
    role mapping rules read. Cognito's answer to a response that fails is not known: the
    mock answers NotAuthorizedException with STS's text [U]."""
    from mock_sts._federation import saml

    try:
        verified = saml.verify(ctx.backend, response, provider_arn, None)
    except AWSError as refused:
        raise not_authorized(refused.message, refused.reason or refused.message) from None
    claims = {
        name: values[0] if len(values) == 1 else list(values)
        for name, values in verified.attributes.items()
    }
    return Login(provider_arn, verified.subject, claims, verified.roles)


def _access_token_login(ctx: Context, pool: IdentityPool, provider: str, token: str) -> Login:
    grant = ctx.backend.web_access_tokens.get(token)
    apps = [app.strip() for app in pool.login_providers[provider].split(",")]
    if (
        grant is None
        or grant.provider != provider
        or now() >= grant.expiration
        or grant.app_id not in apps
    ):
        reason = f"{provider} issued no current access token of this value for the pool's app"
        message = _cognito_messages.ACCESS_TOKEN_INVALID.format(provider)
        raise not_authorized(message, reason)
    # Role mapping rules read these claims of Facebook's and Amazon's tokens [D] (Cognito DG,
    # "Role-based access control": claims of each provider).
    claims = {"iss": provider, "aud": grant.app_id, "sub": grant.user_id}
    return Login(provider, grant.user_id, claims)
