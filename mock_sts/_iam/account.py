"""Account settings: the global endpoint's token version, the account's alias, its account
properties, and the account summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._account_properties import AccountProperties
from mock_sts._iam._common import (
    ACCESS_KEYS_PER_USER,
    GROUPS_PER_USER,
    INLINE_POLICY_SIZES,
    MANAGED_POLICIES_PER_ENTITY,
    MANAGED_POLICY_SIZE,
    SERVER_CERTIFICATES_PER_ACCOUNT,
    TRUST_POLICY_SIZE,
    VERSIONS_PER_POLICY,
    PolicyHolder,
    account_of,
    invalid_input,
    no_such_entity,
    page_of,
)
from mock_sts._iam.signing_certificates import SIGNING_CERTIFICATES_PER_USER
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


def set_security_token_service_preferences(ctx: Context) -> Mapping[str, Any]:
    account_of(ctx).global_endpoint_token_version = ctx.params["GlobalEndpointTokenVersion"]
    return {}


def create_account_alias(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    alias: str = ctx.params["AccountAlias"]
    # Aliases are unique across accounts; an account has one, which a new one replaces.
    if any(other.alias == alias for other in ctx.backend.accounts.values()):
        raise AWSError("EntityAlreadyExists", _iam_messages.ACCOUNT_ALIAS_EXISTS.format(alias), 409)
    account.alias = alias
    return {}


def delete_account_alias(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    alias: str = ctx.params["AccountAlias"]
    if account.alias != alias:
        raise no_such_entity(_iam_messages.NO_SUCH_ACCOUNT_ALIAS.format(alias))
    account.alias = None
    return {}


def list_account_aliases(ctx: Context) -> Mapping[str, Any]:
    alias = account_of(ctx).alias
    return page_of(ctx, [] if alias is None else [alias], "AccountAliases")


def get_account_properties(ctx: Context) -> Mapping[str, Any]:
    properties = account_of(ctx).properties
    return {"Properties": dict(properties.values) if properties is not None else {}}


def put_account_properties(ctx: Context) -> Mapping[str, Any]:
    """Set properties of one namespace; those not named keep their values. AWS publishes no
    list of its namespaces and properties, nor of each property's type (IAM API Reference,
    PutAccountProperties, names Role Manager only): the mock keeps any ``Namespace/Property``
    key, and each value as the string given, after the checks the reference states."""
    given: Mapping[str, str] = ctx.params["Properties"]
    for key in given:
        name = key.partition("/")[2]
        if not name or "/" in name:  # the pattern already keeps a / off the front
            raise invalid_input(_iam_messages.ACCOUNT_PROPERTY_KEY.format(key))
    if len({key.partition("/")[0] for key in given}) > 1:
        raise invalid_input(_iam_messages.ACCOUNT_PROPERTY_NAMESPACES)
    account = account_of(ctx)
    if account.properties is None:
        account.properties = AccountProperties()
    account.properties.values.update(given)
    return {}


# AWS's default IAM quotas; the mock enforces only those it imports from the families.
_SUMMARY_QUOTAS = {
    "AccessKeysPerUserQuota": ACCESS_KEYS_PER_USER,
    "AssumeRolePolicySizeQuota": TRUST_POLICY_SIZE,
    "AttachedPoliciesPerGroupQuota": MANAGED_POLICIES_PER_ENTITY,
    "AttachedPoliciesPerRoleQuota": MANAGED_POLICIES_PER_ENTITY,
    "AttachedPoliciesPerUserQuota": MANAGED_POLICIES_PER_ENTITY,
    "GroupPolicySizeQuota": INLINE_POLICY_SIZES["group"],
    "GroupsPerUserQuota": GROUPS_PER_USER,
    "GroupsQuota": 300,
    "InstanceProfilesQuota": 1000,
    "PoliciesQuota": 1500,
    "PolicySizeQuota": MANAGED_POLICY_SIZE,
    "PolicyVersionsInUseQuota": 10000,
    "RolePolicySizeQuota": INLINE_POLICY_SIZES["role"],
    "RolesQuota": 1000,
    "ServerCertificatesQuota": SERVER_CERTIFICATES_PER_ACCOUNT,
    "SigningCertificatesPerUserQuota": SIGNING_CERTIFICATES_PER_USER,
    "UserPolicySizeQuota": INLINE_POLICY_SIZES["user"],
    "UsersQuota": 5000,
    "VersionsPerPolicyQuota": VERSIONS_PER_POLICY,
}


def get_account_summary(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    holders: list[PolicyHolder] = [
        *account.users.values(),
        *account.roles.values(),
        *account.groups.values(),
    ]
    devices = account.mfa_devices.values()
    summary = {
        **_SUMMARY_QUOTAS,
        "AccountAccessKeysPresent": int(bool(account.root.access_keys)),
        # Every account the mock makes is one whose root user signed up with a password
        # (§13.1); Organizations' member accounts made without one are not modelled.
        "AccountPasswordPresent": 1,
        # Root MFA is set up in the console, which the mock does not model.
        "AccountMFAEnabled": 0,
        "AccountSigningCertificatesPresent": int(bool(account.root.others.signing_certificates)),
        "GlobalEndpointTokenVersion": int(account.global_endpoint_token_version[1]),
        "Groups": len(account.groups),
        "InstanceProfiles": len(account.instance_profiles),
        "MFADevices": len(devices),
        "MFADevicesInUse": sum(device.user is not None for device in devices),
        "Policies": len(account.policies),
        "PolicyVersionsInUse": sum(len(holder.attached_policies) for holder in holders),
        "Providers": len(account.oidc_providers) + len(account.saml_providers),
        "Roles": len(account.roles),
        "ServerCertificates": len(account.server_certificates),
        "Users": len(account.users),
    }
    return {"SummaryMap": summary}
