"""Identities: GetId, which finds or makes the identity of a set of logins, and the calls
that describe, list, unlink and delete identities (Cognito Identity API Reference).

One identity per login, across calls, as Cognito keeps them: a login seen before gives its
identity again; an unauthenticated identity that presents a login becomes that login's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_sts import _cognito_messages
from mock_sts._cognito._common import (
    identity_of,
    new_identity,
    not_authorized,
    not_found,
    page,
    pool_of,
    pools,
)
from mock_sts._cognito.logins import COGNITO, Login, verified
from mock_sts._identity_pools import Identity, IdentityPool
from mock_sts._operation import Context
from mock_sts._state import now
from mock_sts._wire import AWSError


def get_id(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    account_id = ctx.params.get("AccountId")
    if account_id is not None and account_id != pool.account_id:
        raise not_found(_cognito_messages.POOL_NOT_FOUND.format(pool.pool_id))
    logins = verified(ctx, pool, ctx.params.get("Logins", {}), own_tokens=False)
    return {"IdentityId": identity_for(ctx, pool, logins).identity_id}


def identity_for(ctx: Context, pool: IdentityPool, logins: list[Login]) -> Identity:
    """The identity ``logins`` prove (linked to each of them), or a new identity: an
    unauthenticated one when there are no logins, which the pool must allow."""
    if not logins:
        if not pool.allow_unauthenticated:
            reason = f"identity pool {pool.pool_id} does not allow unauthenticated identities"
            raise not_authorized(_cognito_messages.UNAUTHENTICATED_NOT_SUPPORTED, reason)
        return new_identity(ctx, pool)
    found = _proven_identities(ctx, pool, logins)
    identity = found[0] if found else new_identity(ctx, pool)
    link(ctx, identity, logins, found[1:])
    return identity


def prove(ctx: Context, identity: Identity, logins: list[Login]) -> None:
    """Whether ``logins`` may act for ``identity``: an authenticated identity needs at least
    one of its own logins (further logins are linked to it, and identities they were linked
    to merged into it); an unauthenticated identity needs none, and becomes the identity of
    the logins it presents."""
    pool = pool_of(ctx, identity.pool_id)
    require_enabled(identity)
    if not logins:
        if identity.authenticated:
            reason = f"identity {identity.identity_id} is authenticated: its logins are needed"
            message = _cognito_messages.IDENTITY_FORBIDDEN.format(identity.identity_id)
            raise not_authorized(message, reason)
        if not pool.allow_unauthenticated:
            reason = f"identity pool {pool.pool_id} does not allow unauthenticated identities"
            raise not_authorized(_cognito_messages.UNAUTHENTICATED_NOT_SUPPORTED, reason)
        return
    found = _proven_identities(ctx, pool, logins)
    if identity.authenticated and identity not in found:
        reason = f"none of the logins given is linked to identity {identity.identity_id}"
        raise not_authorized(_cognito_messages.LOGINS_MISMATCH, reason)
    link(ctx, identity, logins, [other for other in found if other is not identity])


def require_enabled(identity: Identity) -> None:
    """No logins act for a disabled identity, nor are linked to it [D] (Cognito DG,
    "Identity pools authentication flow": no token for disabled identities)."""
    if identity.disabled:
        reason = f"identity {identity.identity_id} is disabled (merged, or its logins unlinked)"
        message = _cognito_messages.IDENTITY_FORBIDDEN.format(identity.identity_id)
        raise not_authorized(message, reason)


def _proven_identities(ctx: Context, pool: IdentityPool, logins: list[Login]) -> list[Identity]:
    """The identities ``logins`` are already linked to, in the order of the logins (a
    pool's own OpenID token proves the identity it was issued for)."""
    found: list[Identity] = []
    for login in logins:
        if login.provider == COGNITO:
            identity_id: str | None = login.user
        else:
            identity_id = pools(ctx).linked.get((pool.pool_id, login.provider, login.user))
        identity = pools(ctx).identities.get(identity_id or "")
        if identity is None and login.provider == COGNITO:
            reason = f"the OpenID token is for identity {identity_id}, which is gone"
            raise not_authorized(_cognito_messages.LOGINS_MISMATCH, reason)
        if identity is not None and identity not in found:
            found.append(identity)
    return found


def link(ctx: Context, identity: Identity, logins: list[Login], merged: list[Identity]) -> None:
    """Link ``logins`` to ``identity``, merging the identities in ``merged`` into it.

    "You may only link one login per public provider": a second user of a provider the
    identity (or a merged one) is linked to is ResourceConflictException [D] (Cognito DG,
    "Identity pools authentication flow"); developer identities may hold several users.
    """
    pool = pools(ctx).pools[identity.pool_id]
    users: dict[str, set[str]] = {}
    for holder in (identity, *merged):
        for provider, linked in holder.logins.items():
            users.setdefault(provider, set()).update(linked)
    for login in logins:
        if login.provider != COGNITO:
            users.setdefault(login.provider, set()).add(login.user)
    for provider, held in users.items():
        if len(held) > 1 and provider != pool.developer_provider:
            message = _cognito_messages.LOGIN_ALREADY_LINKED.format(provider)
            raise AWSError("ResourceConflictException", message, 400)
    moment = now()
    for other in merged:
        pools(ctx).merge(identity, other, moment)
    for login in logins:
        if login.provider != COGNITO:
            pools(ctx).link(identity, login.provider, login.user, moment)


# ---------------------------------------------------------------------------------------
# Describing, listing, unlinking, deleting


def _description(identity: Identity) -> dict[str, Any]:
    return {
        "IdentityId": identity.identity_id,
        "Logins": list(identity.logins) or None,
        "CreationDate": identity.created,
        "LastModifiedDate": identity.modified,
    }


def describe_identity(ctx: Context) -> Mapping[str, Any]:
    return _description(identity_of(ctx, ctx.params["IdentityId"]))


def list_identities(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    identities = [
        identity
        for identity in pools(ctx).identities_of(pool.pool_id)
        if not (identity.disabled and ctx.params.get("HideDisabled", False))
    ]
    listed, token = page(ctx, identities, pool.pool_id)
    return {
        "IdentityPoolId": pool.pool_id,
        "Identities": [_description(identity) for identity in listed],
        "NextToken": token,
    }


def delete_identities(ctx: Context) -> Mapping[str, Any]:
    """Identities of other accounts are not the caller's to delete; ids of none are
    already gone (AWS reports neither)."""
    unprocessed = []
    for identity_id in ctx.params["IdentityIdsToDelete"]:
        identity = pools(ctx).identities.get(identity_id)
        if identity is None:
            continue
        pool = pools(ctx).pools[identity.pool_id]
        if pool.account_id != ctx.signed_caller.account_id:
            unprocessed.append({"IdentityId": identity_id, "ErrorCode": "AccessDenied"})
            continue
        pools(ctx).remove_identity(identity)
    return {"UnprocessedIdentityIds": unprocessed}


def unlink_identity(ctx: Context) -> Mapping[str, Any]:
    """Unlink logins of an identity, proven by its logins (an unsigned call)."""
    identity = identity_of(ctx, ctx.params["IdentityId"])
    pool = pool_of(ctx, identity.pool_id)
    logins = verified(ctx, pool, ctx.params["Logins"])
    if identity not in _proven_identities(ctx, pool, logins):
        reason = f"none of the logins given is linked to identity {identity.identity_id}"
        raise not_authorized(_cognito_messages.LOGINS_MISMATCH, reason)
    for provider in ctx.params["LoginsToRemove"]:
        pools(ctx).unlink(identity, provider, now())
    return {}
