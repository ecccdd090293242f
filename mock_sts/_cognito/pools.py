"""Identity pools: create, describe, update, delete and list them; their roles and role
mappings; their tags and principal tag maps (Cognito Identity API Reference)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mock_sts import _access, _cognito_messages
from mock_sts._cognito._common import (
    described,
    invalid_parameter,
    not_authorized,
    not_found,
    page,
    pool_of,
    pools,
)
from mock_sts._identity_pools import IdentityPool, PrincipalTagMap, new_id
from mock_sts._operation import Context

# The providers SupportedLoginProviders may name [D] (Cognito DG, "Identity pools third-party
# identity providers"; the API Reference's SupportedLoginProviders).
LOGIN_PROVIDERS = frozenset(
    {
        "graph.facebook.com",
        "accounts.google.com",
        "www.amazon.com",
        "appleid.apple.com",
        "api.twitter.com",
        "www.digits.com",
    }
)
# A user pool as CognitoIdentityProviders names it: cognito-idp.<region>.amazonaws.com/<id>.
USER_POOL_PROVIDER = re.compile(
    r"cognito-idp\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?/"
    r"(?P=region)_[0-9a-zA-Z]+"
)


def create_identity_pool(ctx: Context) -> Mapping[str, Any]:
    caller = ctx.signed_caller
    pool_id = new_id(ctx.region)
    account = ctx.backend.account(caller.account_id)
    pool = IdentityPool(
        pool_id=pool_id,
        account_id=caller.account_id,
        arn=f"arn:{account.partition}:cognito-identity:{ctx.region}:{caller.account_id}:"
        f"identitypool/{pool_id}",
        name=ctx.params["IdentityPoolName"],
        allow_unauthenticated=ctx.params["AllowUnauthenticatedIdentities"],
        allow_classic_flow=False,
        tags=dict(ctx.params.get("IdentityPoolTags", {})),
    )
    _configure(ctx, pool)
    pools(ctx).pools[pool_id] = pool
    return described(pool)


def update_identity_pool(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    developer = ctx.params.get("DeveloperProviderName")
    if pool.developer_provider is not None and developer not in (None, pool.developer_provider):
        raise invalid_parameter(_cognito_messages.DEVELOPER_PROVIDER_FIXED)
    updated = IdentityPool(
        pool_id=pool.pool_id,
        account_id=pool.account_id,
        arn=pool.arn,
        name=ctx.params["IdentityPoolName"],
        allow_unauthenticated=ctx.params["AllowUnauthenticatedIdentities"],
        allow_classic_flow=False,
        developer_provider=pool.developer_provider,
        tags=dict(ctx.params.get("IdentityPoolTags", pool.tags)),
        roles=pool.roles,
        role_mappings=pool.role_mappings,
        principal_tags=pool.principal_tags,
    )
    # Checked on a copy, so that a refused update leaves the pool as it was.
    _configure(ctx, updated)
    pools(ctx).pools[pool.pool_id] = updated
    return described(updated)


def _configure(ctx: Context, pool: IdentityPool) -> None:
    """The pool's providers and flows as the request sets them, each checked."""
    params = ctx.params
    account = ctx.backend.account(pool.account_id)
    logins = dict(params.get("SupportedLoginProviders", {}))
    for provider in logins:
        if provider not in LOGIN_PROVIDERS:
            raise invalid_parameter(_cognito_messages.UNSUPPORTED_LOGIN_PROVIDER.format(provider))
    user_pools = [dict(entry) for entry in params.get("CognitoIdentityProviders", [])]
    for entry in user_pools:
        # A user pool is taken for one of its app clients: an entry needs both.
        provider = entry.get("ProviderName", "")
        if not USER_POOL_PROVIDER.fullmatch(provider) or "ClientId" not in entry:
            raise invalid_parameter(_cognito_messages.INVALID_USER_POOL)
        entry.setdefault("ServerSideTokenCheck", False)
    oidc = list(dict.fromkeys(params.get("OpenIdConnectProviderARNs", [])))
    known_oidc = {provider.arn for provider in account.oidc_providers.values()}
    saml = list(dict.fromkeys(params.get("SamlProviderARNs", [])))
    known_saml = {provider.arn for provider in account.saml_providers.values()}
    unknown = [*(a for a in oidc if a not in known_oidc), *(a for a in saml if a not in known_saml)]
    if unknown:
        raise invalid_parameter(_cognito_messages.NO_SUCH_PROVIDER.format(unknown[0]))
    pool.login_providers = logins
    pool.user_pools = user_pools
    pool.oidc_provider_arns = oidc
    pool.saml_provider_arns = saml
    pool.allow_classic_flow = params.get("AllowClassicFlow", False)
    pool.developer_provider = pool.developer_provider or params.get("DeveloperProviderName")


def describe_identity_pool(ctx: Context) -> Mapping[str, Any]:
    return described(pool_of(ctx, ctx.params["IdentityPoolId"]))


def delete_identity_pool(ctx: Context) -> Mapping[str, Any]:
    pools(ctx).remove_pool(pool_of(ctx, ctx.params["IdentityPoolId"]))
    return {}


def list_identity_pools(ctx: Context) -> Mapping[str, Any]:
    account_id = ctx.signed_caller.account_id
    owned = [
        pool
        for pool in pools(ctx).pools.values()
        if pool.account_id == account_id and pool.region == ctx.region
    ]
    listed, token = page(ctx, owned, "pools")
    return {
        "IdentityPools": [
            {"IdentityPoolId": pool.pool_id, "IdentityPoolName": pool.name} for pool in listed
        ],
        "NextToken": token,
    }


# ---------------------------------------------------------------------------------------
# Roles and role mappings


def set_identity_pool_roles(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    # Keys other than authenticated and unauthenticated break the model's pattern: refused
    # before the operation, as ValidationException.
    roles = dict(ctx.params["Roles"])
    for role_arn in roles.values():
        _require_pass(ctx, role_arn)
    mappings = {name: dict(mapping) for name, mapping in ctx.params.get("RoleMappings", {}).items()}
    for name, mapping in mappings.items():
        if name not in provider_names(pool):
            raise invalid_parameter(_cognito_messages.ROLE_MAPPING_PROVIDER.format(name))
        if "AmbiguousRoleResolution" not in mapping:
            raise invalid_parameter(_cognito_messages.AMBIGUOUS_RESOLUTION_REQUIRED)
        if mapping["Type"] == "Rules" and not mapping.get("RulesConfiguration"):
            raise invalid_parameter(_cognito_messages.RULES_REQUIRED)
    pool.roles = roles
    pool.role_mappings = mappings
    return {}


def _require_pass(ctx: Context, role_arn: str) -> None:
    """The caller must be allowed to pass the role to Cognito (iam:PassRole, with
    iam:PassedToService cognito-identity.amazonaws.com) [D] (Cognito DG, "IAM roles"); a value
    that is no role ARN cannot be passed either [O] (aws/aws-sdk-js#908)."""
    allowed = ":role/" in role_arn and _access.authorize(
        ctx.signed_caller,
        ctx.info,
        "iam:PassRole",
        role_arn,
        context={"iam:PassedToService": "cognito-identity.amazonaws.com"},
    )
    if not allowed:
        reason = f"{ctx.signed_caller.arn} may not pass role {role_arn} to Cognito"
        error = not_authorized(_cognito_messages.ROLE_FORBIDDEN.format(role_arn), reason)
        raise error


def provider_names(pool: IdentityPool) -> set[str]:
    """The names a pool's role mappings and principal tag maps may be keyed by: its login
    providers, its OIDC providers' hosts, its SAML providers' ARNs, and its user pools as
    ``<provider name>:<client id>`` [D] (API Reference, SetIdentityPoolRoles: RoleMappings)."""
    return {
        *pool.login_providers,
        *(arn.split(":oidc-provider/", 1)[1] for arn in pool.oidc_provider_arns),
        *pool.saml_provider_arns,
        *(f"{entry['ProviderName']}:{entry['ClientId']}" for entry in pool.user_pools),
    }


def get_identity_pool_roles(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    return {
        "IdentityPoolId": pool.pool_id,
        "Roles": pool.roles,
        "RoleMappings": pool.role_mappings or None,
    }


# ---------------------------------------------------------------------------------------
# Tags and principal tag maps


def _tagged(ctx: Context) -> IdentityPool:
    arn: str = ctx.params["ResourceArn"]
    pool_id = arn.rpartition("identitypool/")[2]
    # A pool of the caller's account in the endpoint's region, as every other call finds it.
    pool = pool_of(ctx, pool_id)
    if pool.arn != arn:
        raise not_found(_cognito_messages.POOL_NOT_FOUND.format(pool_id))
    return pool


def tag_resource(ctx: Context) -> Mapping[str, Any]:
    _tagged(ctx).tags.update(ctx.params["Tags"])
    return {}


def untag_resource(ctx: Context) -> Mapping[str, Any]:
    pool = _tagged(ctx)
    for key in ctx.params["TagKeys"]:
        pool.tags.pop(key, None)
    return {}


def list_tags_for_resource(ctx: Context) -> Mapping[str, Any]:
    return {"Tags": _tagged(ctx).tags}


def set_principal_tag_attribute_map(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    provider = ctx.params["IdentityProviderName"]
    if provider not in provider_names(pool) | _user_pool_names(pool):
        raise invalid_parameter(_cognito_messages.TAG_MAP_PROVIDER.format(provider))
    mapping = PrincipalTagMap(
        use_defaults=ctx.params.get("UseDefaults", False),
        tags=dict(ctx.params.get("PrincipalTags", {})),
    )
    pool.principal_tags[provider] = mapping
    return _tag_map(pool, provider, mapping)


def get_principal_tag_attribute_map(ctx: Context) -> Mapping[str, Any]:
    pool = pool_of(ctx, ctx.params["IdentityPoolId"])
    provider = ctx.params["IdentityProviderName"]
    mapping = pool.principal_tags.get(provider, PrincipalTagMap(use_defaults=False, tags={}))
    return _tag_map(pool, provider, mapping)


def _user_pool_names(pool: IdentityPool) -> set[str]:
    return {entry["ProviderName"] for entry in pool.user_pools}


def _tag_map(pool: IdentityPool, provider: str, mapping: PrincipalTagMap) -> dict[str, Any]:
    return {
        "IdentityPoolId": pool.pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": mapping.use_defaults,
        "PrincipalTags": mapping.tags,
    }
