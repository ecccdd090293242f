"""Cognito Identity (identity pools): one function per operation of botocore's
``cognito-identity`` model, and the dispatch table.

Operations a caller signs (the pools' administration, developer identities) are authorized
first, as every other service's requests are (``_services.require_allowed``); the public
ones (GetId, GetOpenIdToken, GetCredentialsForIdentity, UnlinkIdentity) are proven by their
logins instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_sts import _services, _wire
from mock_sts._cognito import credentials, developer, identities, pools
from mock_sts._operation import Context, Operation


def _gated(operation: Operation) -> Operation:
    def serve(ctx: Context) -> Mapping[str, Any]:
        model = _wire.service_model("cognito-identity").operation_model(ctx.action)
        _services.require_allowed(ctx.backend, ctx.signed_caller, model, ctx.params, ctx.info)
        return operation(ctx)

    return serve


_PUBLIC: dict[str, Operation] = {
    "GetCredentialsForIdentity": credentials.get_credentials_for_identity,
    "GetId": identities.get_id,
    "GetOpenIdToken": credentials.get_open_id_token,
    "UnlinkIdentity": identities.unlink_identity,
}
_SIGNED: dict[str, Operation] = {
    "CreateIdentityPool": pools.create_identity_pool,
    "DeleteIdentities": identities.delete_identities,
    "DeleteIdentityPool": pools.delete_identity_pool,
    "DescribeIdentity": identities.describe_identity,
    "DescribeIdentityPool": pools.describe_identity_pool,
    "GetIdentityPoolRoles": pools.get_identity_pool_roles,
    "GetOpenIdTokenForDeveloperIdentity": developer.get_open_id_token_for_developer_identity,
    "GetPrincipalTagAttributeMap": pools.get_principal_tag_attribute_map,
    "ListIdentities": identities.list_identities,
    "ListIdentityPools": pools.list_identity_pools,
    "ListTagsForResource": pools.list_tags_for_resource,
    "LookupDeveloperIdentity": developer.lookup_developer_identity,
    "MergeDeveloperIdentities": developer.merge_developer_identities,
    "SetIdentityPoolRoles": pools.set_identity_pool_roles,
    "SetPrincipalTagAttributeMap": pools.set_principal_tag_attribute_map,
    "TagResource": pools.tag_resource,
    "UnlinkDeveloperIdentity": developer.unlink_developer_identity,
    "UntagResource": pools.untag_resource,
    "UpdateIdentityPool": pools.update_identity_pool,
}
OPERATIONS: dict[str, Operation] = {
    **_PUBLIC,
    **{name: _gated(operation) for name, operation in _SIGNED.items()},
}
