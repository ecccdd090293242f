"""Organizations as centralized root access sees them, through real boto3 clients.

IAM's root access feature operations and their errors (botocore IAM model), and the
aws:PrincipalOrgID / aws:PrincipalOrgPaths condition keys (STS_REFERENCE §6.4).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error
from tests.helpers.assume_role import allow, assume, document, iam_client, role_arn, statement

if TYPE_CHECKING:
    from mock_sts import MockSTS

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
OTHER_MEMBER = "333333333333"
OUTSIDER = "444444444444"

NOT_FOUND = (
    "OrganizationNotFoundException",
    "The request was rejected because no organization is associated with your account.",
    400,
)
NOT_MANAGER = (
    "AccountNotManagementOrDelegatedAdministratorException",
    "The request was rejected because the account making the request is not the management "
    "account or delegated administrator account for centralized root access.",
    400,
)
NOT_MANAGEMENT = (
    "CallerIsNotManagementAccountException",
    "The request was rejected because the account making the request is not the management "
    "account for the organization.",
    400,
)
NO_TRUSTED_ACCESS = (
    "ServiceAccessNotEnabledException",
    "The request was rejected because trusted access is not enabled for IAM in Organizations.",
    400,
)


def features(sts_mock: MockSTS, account_id: str = MANAGEMENT) -> Any:
    return iam_client(sts_mock, account_id).list_organizations_features()


def test_a_new_organization_has_an_id_and_no_root_access_features(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    assert re.fullmatch(r"o-[a-z0-9]{10}", org.id)
    assert org.management_account_id == MANAGEMENT
    assert org.member_account_ids == (MEMBER,)
    assert org.delegated_administrator is None
    assert org.iam_trusted_access is True
    assert repr(org) == f"<Organization {org.id} management={MANAGEMENT}>"
    result = features(sts_mock)
    assert (result["OrganizationId"], result["EnabledFeatures"]) == (org.id, [])


def test_the_management_account_enables_and_disables_each_feature(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    iam = iam_client(sts_mock, MANAGEMENT)
    result = iam.enable_organizations_root_credentials_management()
    assert (result["OrganizationId"], result["EnabledFeatures"]) == (
        org.id,
        ["RootCredentialsManagement"],
    )
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]
    # Enabling twice changes nothing.
    assert iam.enable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]
    assert iam.disable_organizations_root_credentials_management()["EnabledFeatures"] == [
        "RootSessions"
    ]
    assert iam.disable_organizations_root_sessions()["EnabledFeatures"] == []
    assert iam.disable_organizations_root_sessions()["EnabledFeatures"] == []


def test_the_handle_enables_and_disables_root_access(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    org.enable_root_access()
    assert features(sts_mock)["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]
    org.disable_root_access(credentials_management=False)
    assert features(sts_mock)["EnabledFeatures"] == ["RootCredentialsManagement"]
    org.disable_root_access(sessions=False)
    assert features(sts_mock)["EnabledFeatures"] == []
    org.enable_root_access(credentials_management=False)
    assert features(sts_mock)["EnabledFeatures"] == ["RootSessions"]


def test_an_account_outside_any_organization_is_told_so(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER])
    iam = iam_client(sts_mock, OUTSIDER)
    assert aws_error(iam.list_organizations_features) == NOT_FOUND
    assert aws_error(iam.enable_organizations_root_sessions) == NOT_FOUND


def test_a_plain_member_may_not_manage_root_access(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER])
    iam = iam_client(sts_mock, MEMBER)
    assert aws_error(iam.list_organizations_features) == NOT_MANAGER
    assert aws_error(iam.disable_organizations_root_sessions) == NOT_MANAGER


def test_a_delegated_administrator_lists_and_disables_but_may_not_enable(
    sts_mock: MockSTS,
) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    org.enable_root_access()
    org.register_delegated_administrator(MEMBER)
    assert org.delegated_administrator == MEMBER
    iam = iam_client(sts_mock, MEMBER)
    assert iam.list_organizations_features()["EnabledFeatures"] == [
        "RootCredentialsManagement",
        "RootSessions",
    ]
    assert aws_error(iam.enable_organizations_root_sessions) == NOT_MANAGEMENT
    assert aws_error(iam.enable_organizations_root_credentials_management) == NOT_MANAGEMENT
    assert iam.disable_organizations_root_sessions()["EnabledFeatures"] == [
        "RootCredentialsManagement"
    ]


def test_without_trusted_access_for_iam_nothing_is_managed(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    org.iam_trusted_access = False
    assert org.iam_trusted_access is False
    iam = iam_client(sts_mock, MANAGEMENT)
    assert aws_error(iam.enable_organizations_root_sessions) == NO_TRUSTED_ACCESS
    assert aws_error(iam.list_organizations_features) == NO_TRUSTED_ACCESS


def test_the_iam_actions_need_permission(sts_mock: MockSTS) -> None:
    sts_mock.organization(MANAGEMENT, [MEMBER])
    user = sts_mock.create_user("reader", account_id=MANAGEMENT, policies={"s3": allow("s3:*")})
    iam = boto3.client("iam", region_name="us-east-1", **user.credentials.as_boto3())
    assert aws_error(iam.list_organizations_features) == (
        "AccessDenied",
        f"User: {user.arn} is not authorized to perform: iam:ListOrganizationsFeatures on "
        "resource: * because no identity-based policy allows the "
        "iam:ListOrganizationsFeatures action",
        403,
    )


def test_members_are_added_and_an_account_joins_one_organization(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    org.add_member(OTHER_MEMBER)
    assert org.member_account_ids == (MEMBER, OTHER_MEMBER)
    with pytest.raises(ValueError, match=f"Account {MEMBER} already belongs to organization"):
        sts_mock.organization(OUTSIDER, [MEMBER])
    with pytest.raises(ValueError, match=f"Account {MEMBER} already belongs to organization"):
        org.add_member(MEMBER)
    with pytest.raises(ValueError, match="account_id must be a string of 12 digits"):
        org.add_member("12")
    with pytest.raises(ValueError, match="Account ids of an organization must differ"):
        sts_mock.organization(OUTSIDER, [OUTSIDER])
    with pytest.raises(ValueError, match=f"Account {OUTSIDER} is not a member of {org.id}"):
        org.register_delegated_administrator(OUTSIDER)


def test_principal_org_id_and_paths_enter_trust_decisions(sts_mock: MockSTS) -> None:
    org = sts_mock.organization(MANAGEMENT, [MEMBER])
    shared = document(
        statement(
            "sts:AssumeRole",
            principal={"AWS": "*"},
            condition={
                "StringEquals": {"aws:PrincipalOrgID": org.id},
                "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": f"{org.id}/r-*/"},
            },
        )
    )
    sts_mock.create_role("shared", shared, account_id=MANAGEMENT)
    arn = role_arn("shared", MANAGEMENT)
    member = sts_mock.create_user(
        "ci", account_id=MEMBER, policies={"assume": allow("sts:AssumeRole")}
    )
    outsider = sts_mock.create_user(
        "ci", account_id=OUTSIDER, policies={"assume": allow("sts:AssumeRole")}
    )
    assert assume(member.credentials, arn)["AssumedRoleUser"]["Arn"].endswith("/shared/session")
    assert aws_error(lambda: assume(outsider.credentials, arn)) == (
        "AccessDenied",
        f"User: {outsider.arn} is not authorized to perform: sts:AssumeRole on resource: {arn}",
        403,
    )
