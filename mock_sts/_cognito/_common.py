"""What the Cognito Identity operations share: finding pools and identities as the service
finds them, its errors, and its NextToken paging."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from mock_sts import _cognito_messages
from mock_sts._identity_pools import Identity, IdentityPool, IdentityPools, new_id
from mock_sts._operation import Context
from mock_sts._state import now
from mock_sts._wire import AWSError

T = TypeVar("T")


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message, 400)


def not_authorized(message: str, reason: str = "") -> AWSError:
    return AWSError("NotAuthorizedException", message, 400, reason=reason)


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message, 400)


def pools(ctx: Context) -> IdentityPools:
    return ctx.backend.identity_pools


def pool_of(ctx: Context, pool_id: str) -> IdentityPool:
    """The pool ``pool_id`` names in the request's region: for a signed request, a pool of
    the caller's account (Cognito's calls see their own account's pools only)."""
    pool = pools(ctx).pools.get(pool_id)
    if (
        pool is None
        or pool.region != ctx.region
        or (ctx.caller is not None and pool.account_id != ctx.caller.account_id)
    ):
        raise not_found(_cognito_messages.POOL_NOT_FOUND.format(pool_id))
    return pool


def identity_of(ctx: Context, identity_id: str) -> Identity:
    """The identity ``identity_id`` names, in a pool :func:`pool_of` finds."""
    identity = pools(ctx).identities.get(identity_id)
    if identity is None:
        raise not_found(_cognito_messages.IDENTITY_NOT_FOUND.format(identity_id))
    try:
        pool_of(ctx, identity.pool_id)
    except AWSError:
        raise not_found(_cognito_messages.IDENTITY_NOT_FOUND.format(identity_id)) from None
    return identity


def new_identity(ctx: Context, pool: IdentityPool) -> Identity:
    moment = now()
    identity = Identity(new_id(pool.region), pool.pool_id, moment, moment)
    pools(ctx).identities[identity.identity_id] = identity
    return identity


def page(ctx: Context, items: Sequence[T], listing: str) -> tuple[list[T], str | None]:
    """One page of ``items`` (MaxResults of them from NextToken's place) and the NextToken
    of the next page, if there is one; ``listing`` names what the token continues."""
    token = ctx.params.get("NextToken")
    start = 0 if token is None else _start_of(token, listing, len(items))
    stop = start + ctx.params["MaxResults"]
    return list(items[start:stop]), _token(listing, stop) if stop < len(items) else None


# AWS's tokens are opaque; the mock's say, in base64, which listing they continue and where.
_TOKEN = "mock_sts/cognito/{}/starts-at/{}"
_TOKEN_TEXT = re.compile(r"mock_sts/cognito/([\w:-]+)/starts-at/(\d{1,9})")


def _token(listing: str, start: int) -> str:
    return base64.b64encode(_TOKEN.format(listing, start).encode()).decode()


def _start_of(token: str, listing: str, count: int) -> int:
    try:
        text = base64.b64decode(token, validate=True).decode()
    except ValueError:
        text = ""
    found = _TOKEN_TEXT.fullmatch(text)
    if found is None or found[1] != listing or int(found[2]) > count:
        raise invalid_parameter(_cognito_messages.INVALID_NEXT_TOKEN)
    return int(found[2])


def described(pool: IdentityPool) -> dict[str, Any]:
    """A pool as CreateIdentityPool, DescribeIdentityPool and UpdateIdentityPool answer."""
    return {
        "IdentityPoolId": pool.pool_id,
        "IdentityPoolName": pool.name,
        "AllowUnauthenticatedIdentities": pool.allow_unauthenticated,
        "AllowClassicFlow": pool.allow_classic_flow,
        "SupportedLoginProviders": pool.login_providers or None,
        "DeveloperProviderName": pool.developer_provider,
        "OpenIdConnectProviderARNs": pool.oidc_provider_arns or None,
        "CognitoIdentityProviders": pool.user_pools or None,
        "SamlProviderARNs": pool.saml_provider_arns or None,
        "IdentityPoolTags": pool.tags or None,
    }
