"""Centralized root access: the Organizations features IAM manages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._organizations import Organization, organization_of
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


def _organization(ctx: Context, *, enabling: bool = False) -> Organization:
    """The caller's organization, when the caller may manage its root access features."""
    account_id = ctx.signed_caller.account_id
    organization = organization_of(ctx.backend.organizations, account_id)
    if organization is None:
        raise AWSError("OrganizationNotFoundException", _iam_messages.NO_ORGANIZATION, 400)
    if not organization.iam_trusted_access:
        raise AWSError(
            "ServiceAccessNotEnabledException", _iam_messages.IAM_ACCESS_NOT_TRUSTED, 400
        )
    managers = (organization.management_account_id, organization.iam_delegated_administrator)
    if account_id not in managers:
        raise AWSError(
            "AccountNotManagementOrDelegatedAdministratorException",
            _iam_messages.NOT_ROOT_ACCESS_MANAGER,
            400,
        )
    if enabling and account_id != organization.management_account_id:
        raise AWSError(
            "CallerIsNotManagementAccountException", _iam_messages.NOT_MANAGEMENT_ACCOUNT, 400
        )
    return organization


def _features(organization: Organization) -> Mapping[str, Any]:
    return {
        "OrganizationId": organization.organization_id,
        "EnabledFeatures": list(organization.features),
    }


def _set_feature(ctx: Context, feature: str, enabled: bool) -> Mapping[str, Any]:
    organization = _organization(ctx, enabling=enabled)
    if enabled and feature not in organization.features:
        organization.features.append(feature)
    if not enabled and feature in organization.features:
        organization.features.remove(feature)
    return _features(organization)


def enable_organizations_root_credentials_management(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootCredentialsManagement", True)


def enable_organizations_root_sessions(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootSessions", True)


def disable_organizations_root_credentials_management(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootCredentialsManagement", False)


def disable_organizations_root_sessions(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootSessions", False)


def list_organizations_features(ctx: Context) -> Mapping[str, Any]:
    return _features(_organization(ctx))
