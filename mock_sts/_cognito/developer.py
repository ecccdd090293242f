"""Developer authenticated identities: a backend that signs its users in itself vouches for
them with its developer credentials (GetOpenIdTokenForDeveloperIdentity), and looks up,
merges and unlinks their developer user identifiers [D] (Cognito DG, "Developer-authenticated
identities"; API Reference).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_sts import _cognito_messages
from mock_sts._cognito._common import (
    identity_of,
    invalid_parameter,
    new_identity,
    not_authorized,
    not_found,
    page,
    pool_of,
    pools,
)
from mock_sts._cognito.credentials import open_id_token
from mock_sts._cognito.identities import link, prove, require_enabled
from mock_sts._cognito.logins import Login, verified
from mock_sts._identity_pools import AUTHENTICATED, Identity, IdentityPool
from mock_sts._operation import Context
from mock_sts._state import now
from mock_sts._wire import AWSError

DEVELOPER_TOKEN_SECONDS = 900  # TokenDuration's default, 15 minutes [M]


def get_open_id_token_for_developer_identity(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    logins = dict(ctx.params["Logins"])
    user = logins.pop(pool.developer_provider or "", None)
    if pool.developer_provider is None or user is None:
        reason = f"the Logins name no developer provider of identity pool {pool.pool_id}"
        raise not_authorized(_cognito_messages.DEVELOPER_PROVIDER_UNSUPPORTED, reason)
    developer = Login(pool.developer_provider, user, {})
    others = verified(ctx, pool, logins, own_tokens=False)
    registered = _developer_identity(ctx, pool, user)
    if "IdentityId" in ctx.params:
        identity = identity_of(ctx, ctx.params["IdentityId"])
        if identity.pool_id != pool.pool_id:
            raise not_found(_cognito_messages.IDENTITY_NOT_FOUND.format(identity.identity_id))
        require_enabled(identity)
        if registered is not None and registered is not identity:
            message = _cognito_messages.DEVELOPER_USER_REGISTERED
            raise AWSError("DeveloperUserAlreadyRegisteredException", message, 400)
        if registered is None and identity.authenticated and not others:
            # Linking a new developer user to an identity needs one of its logins [O]
            # (aws/aws-sdk-js#2327).
            reason = f"none of the logins given is linked to identity {identity.identity_id}"
            raise not_authorized(_cognito_messages.LOGINS_MISMATCH, reason)
        if others:
            prove(ctx, identity, others)
        link(ctx, identity, [developer, *others], [])
    elif registered is not None:
        identity = registered
        link(ctx, identity, others, [])
    else:
        identity = new_identity(ctx, pool)
        link(ctx, identity, [developer, *others], [])
    methods = [
        AUTHENTICATED,
        pool.developer_provider,
        f"{pool.developer_provider}:{pool.pool_id}:{user}",  # [O] one capture (§12.8)
        *(login.provider for login in others),
    ]
    seconds = ctx.params.get("TokenDuration", DEVELOPER_TOKEN_SECONDS)
    tags = ctx.params.get("PrincipalTags")
    token = open_id_token(ctx.backend, pool, identity, methods, seconds, tags)
    return {"IdentityId": identity.identity_id, "Token": token}


def _developer_identity(ctx: Context, pool: IdentityPool, user: str) -> Identity | None:
    identity_id = pools(ctx).linked.get((pool.pool_id, pool.developer_provider or "", user))
    return pools(ctx).identities.get(identity_id or "")


def _developer_user(ctx: Context, pool: IdentityPool, user: str) -> Identity:
    identity = _developer_identity(ctx, pool, user)
    if identity is None:
        raise not_found(_cognito_messages.DEVELOPER_USER_NOT_FOUND.format(user))
    return identity


def _developer_pool(ctx: Context) -> IdentityPool:
    """The pool of the request, whose developer provider ``DeveloperProviderName`` must be."""
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    if pool.developer_provider is None or (
        ctx.params.get("DeveloperProviderName", pool.developer_provider) != pool.developer_provider
    ):
        reason = f"identity pool {pool.pool_id}'s developer provider is {pool.developer_provider}"
        raise not_authorized(_cognito_messages.DEVELOPER_PROVIDER_UNSUPPORTED, reason)
    return pool


def lookup_developer_identity(ctx: Context) -> Mapping[str, Any]:
    pool = _developer_pool(ctx)
    params = ctx.params
    if "DeveloperUserIdentifier" in params:
        identity = _developer_user(ctx, pool, params["DeveloperUserIdentifier"])
        if params.get("IdentityId", identity.identity_id) != identity.identity_id:
            message = _cognito_messages.DEVELOPER_USER_OTHER_IDENTITY
            raise AWSError("ResourceConflictException", message, 400)
    elif "IdentityId" in params:
        identity = identity_of(ctx, params["IdentityId"])
        if identity.pool_id != pool.pool_id:
            raise not_found(_cognito_messages.IDENTITY_NOT_FOUND.format(identity.identity_id))
    else:
        raise invalid_parameter(_cognito_messages.LOOKUP_NEEDS_ONE)
    users = identity.logins.get(pool.developer_provider or "", [])
    listed, token = (
        page(ctx, users, identity.identity_id)
        if "MaxResults" in params
        else (
            users,
            None,
        )
    )
    return {
        "IdentityId": identity.identity_id,
        "DeveloperUserIdentifierList": listed,
        "NextToken": token,
    }


def merge_developer_identities(ctx: Context) -> Mapping[str, Any]:
    """The source user's identity is merged into the destination user's [D]."""
    pool = _developer_pool(ctx)
    source = _developer_user(ctx, pool, ctx.params["SourceUserIdentifier"])
    destination = _developer_user(ctx, pool, ctx.params["DestinationUserIdentifier"])
    if source is not destination:
        link(ctx, destination, [], [source])
    return {"IdentityId": destination.identity_id}


def unlink_developer_identity(ctx: Context) -> Mapping[str, Any]:
    pool = _developer_pool(ctx)
    user = ctx.params["DeveloperUserIdentifier"]
    identity = _developer_user(ctx, pool, user)
    if identity.identity_id != ctx.params["IdentityId"]:
        raise not_found(_cognito_messages.DEVELOPER_USER_NOT_FOUND.format(user))
    pools(ctx).unlink(identity, pool.developer_provider or "", now(), user)
    return {}
