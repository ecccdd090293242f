"""STS region activation and IAM's account settings, through real boto3 clients.

RegionDisabledException (STS_REFERENCE §2.1), the global endpoint (§5.6), and IAM's
SetSecurityTokenServicePreferences / GetAccountSummary (botocore IAM model).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error, caller_identity, sts_client
from tests.helpers.assume_role import ACCOUNT, allow, assume, create_role, iam_client, trust

if TYPE_CHECKING:
    from mock_sts import MockSTS

OTHER = "222222222222"


def region_disabled(account_id: str = ACCOUNT) -> tuple[str, str, int]:
    return (
        "RegionDisabledException",
        f"STS is not activated in this region for account:{account_id}. Your account "
        "administrator can activate STS in this region using the IAM Console.",
        403,
    )


def test_a_deactivated_region_refuses_every_sts_operation(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    create_role(sts_mock, "target", trust(f"arn:aws:iam::{ACCOUNT}:root"))
    sts_mock.deactivate_region("eu-west-2")
    sts = sts_client(admin, region="eu-west-2")
    assert aws_error(sts.get_caller_identity) == region_disabled()
    assert aws_error(sts.get_session_token) == region_disabled()
    role = f"arn:aws:iam::{ACCOUNT}:role/target"
    assert aws_error(lambda: sts.assume_role(RoleArn=role, RoleSessionName="s1")) == (
        region_disabled()
    )
    assert sts_mock.calls[-1].error_code == "RegionDisabledException"
    # Other regions keep serving, and so does the region once activated again.
    assert caller_identity(sts_client(admin, region="eu-west-1"))["Account"] == ACCOUNT
    assume(admin, role)
    sts_mock.activate_region("eu-west-2")
    assert caller_identity(sts)["Account"] == ACCOUNT


def test_the_callers_account_decides(sts_mock: MockSTS) -> None:
    sts_mock.deactivate_region("ap-south-1", account_id=OTHER)
    other = sts_client(sts_mock.admin_credentials(OTHER), region="ap-south-1")
    assert aws_error(other.get_caller_identity) == region_disabled(OTHER)
    assert caller_identity(sts_client(sts_mock.admin_credentials(), region="ap-south-1")) == {
        "UserId": caller_identity(sts_client())["UserId"],
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/admin",
    }


def test_a_session_of_an_account_is_refused_with_its_account(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    create_role(
        sts_mock,
        "worker",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        policies={"all": allow("sts:*")},
    )
    response = assume(admin, f"arn:aws:iam::{ACCOUNT}:role/worker")
    sts_mock.deactivate_region("ca-central-1")
    session = boto3.client(
        "sts",
        region_name="ca-central-1",
        aws_access_key_id=response["Credentials"]["AccessKeyId"],
        aws_secret_access_key=response["Credentials"]["SecretAccessKey"],
        aws_session_token=response["Credentials"]["SessionToken"],
    )
    assert aws_error(session.get_caller_identity) == region_disabled()


def test_the_global_endpoint_is_never_refused(
    sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch
) -> None:
    sts_mock.deactivate_region("eu-west-3")
    # With legacy endpoints, botocore sends eu-west-3 clients to sts.amazonaws.com.
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    legacy = sts_client(sts_mock.admin_credentials(), region="eu-west-3")
    assert legacy.meta.endpoint_url == "https://sts.amazonaws.com"
    assert caller_identity(legacy)["Account"] == ACCOUNT


def test_us_east_1_cannot_be_deactivated(sts_mock: MockSTS) -> None:
    with pytest.raises(ValueError, match="STS cannot be deactivated in us-east-1: AWS keeps"):
        sts_mock.deactivate_region("us-east-1")
    assert caller_identity(sts_client(sts_mock.admin_credentials()))["Account"] == ACCOUNT


def test_iam_is_not_affected(sts_mock: MockSTS) -> None:
    sts_mock.deactivate_region("eu-west-2")
    iam = boto3.client("iam", region_name="eu-west-2", **sts_mock.admin_credentials().as_boto3())
    assert iam.get_user()["User"]["UserName"] == "admin"


# ---------------------------------------------------------------------------------------
# IAM account settings


BASE_SUMMARY = {
    "AccessKeysPerUserQuota": 2,
    "AccountAccessKeysPresent": 0,
    "AccountMFAEnabled": 0,
    "AccountPasswordPresent": 1,  # the root user signed up with one (STS_REFERENCE §13.1)
    "AccountSigningCertificatesPresent": 0,
    "AssumeRolePolicySizeQuota": 2048,
    "AttachedPoliciesPerGroupQuota": 10,
    "AttachedPoliciesPerRoleQuota": 10,
    "AttachedPoliciesPerUserQuota": 10,
    "GlobalEndpointTokenVersion": 1,
    "GroupPolicySizeQuota": 5120,
    "Groups": 0,
    "GroupsPerUserQuota": 10,
    "GroupsQuota": 300,
    "InstanceProfiles": 0,
    "InstanceProfilesQuota": 1000,
    "MFADevices": 0,
    "MFADevicesInUse": 0,
    "Policies": 0,
    "PoliciesQuota": 1500,
    "PolicySizeQuota": 6144,
    "PolicyVersionsInUse": 1,  # the admin user's AdministratorAccess
    "PolicyVersionsInUseQuota": 10000,
    "Providers": 0,
    "RolePolicySizeQuota": 10240,
    "Roles": 0,
    "RolesQuota": 1000,
    "ServerCertificates": 0,
    "ServerCertificatesQuota": 20,
    "SigningCertificatesPerUserQuota": 2,
    "UserPolicySizeQuota": 2048,
    "Users": 1,
    "UsersQuota": 5000,
    "VersionsPerPolicyQuota": 5,
}


def summary(iam: Any) -> dict[str, int]:
    response = iam.get_account_summary()
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    result: dict[str, int] = response["SummaryMap"]
    return result


def test_account_summary_of_a_fresh_account(sts_mock: MockSTS) -> None:
    assert summary(iam_client(sts_mock)) == BASE_SUMMARY


def test_account_summary_counts_the_accounts_entities(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    sts_mock.root_credentials()
    bob = sts_mock.create_user("bob")
    bob.enable_mfa()
    iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")
    iam.create_group(GroupName="devs")
    iam.attach_group_policy(
        GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    create_role(sts_mock, "r", trust(f"arn:aws:iam::{ACCOUNT}:root"))
    iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(allow("s3:*")))
    sts_mock.oidc_provider("https://issuer.example.com")
    assert summary(iam) == {
        **BASE_SUMMARY,
        "AccountAccessKeysPresent": 1,
        "Groups": 1,
        "MFADevices": 2,
        "MFADevicesInUse": 1,
        "Policies": 1,
        "PolicyVersionsInUse": 2,
        "Providers": 1,
        "Roles": 1,
        "Users": 2,
    }


def test_global_endpoint_token_version_is_set_per_account(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    response = iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert summary(iam)["GlobalEndpointTokenVersion"] == 2
    assert summary(iam_client(sts_mock, OTHER))["GlobalEndpointTokenVersion"] == 1
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
    assert summary(iam)["GlobalEndpointTokenVersion"] == 1


def test_account_settings_need_permission(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    iam = boto3.client("iam", region_name="us-east-1", **bob.credentials.as_boto3())
    arn = f"arn:aws:iam::{ACCOUNT}:user/bob"
    for action, call in (
        ("GetAccountSummary", iam.get_account_summary),
        (
            "SetSecurityTokenServicePreferences",
            lambda: iam.set_security_token_service_preferences(
                GlobalEndpointTokenVersion="v2Token"
            ),
        ),
    ):
        code, message, status = aws_error(call)
        assert (code, status) == ("AccessDenied", 403)
        assert message.startswith(
            f"User: {arn} is not authorized to perform: iam:{action} on resource: *"
        )
