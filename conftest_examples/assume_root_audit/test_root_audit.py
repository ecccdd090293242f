"""Code under test: a security job that reports which member accounts' roots have keys.

It runs in the management account, opens a 15-minute root session per member with the
IAMAuditRootUserCredentials task policy, and lists the root's access keys. The mock
refuses what AWS refuses: the global endpoint, root credentials, wider actions.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS, Organization

AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"


def root_session(keys: dict[str, str], account_id: str) -> dict[str, str]:
    sts = boto3.client("sts", region_name="us-east-1", **keys)
    credentials = sts.assume_root(TargetPrincipal=account_id, TaskPolicyArn={"arn": AUDIT})[
        "Credentials"
    ]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def root_key_report(keys: dict[str, str], account_ids: list[str]) -> dict[str, int]:
    """What the job does: the number of root access keys per member account."""
    report = {}
    for account_id in account_ids:
        iam = boto3.client("iam", region_name="us-east-1", **root_session(keys, account_id))
        report[account_id] = len(iam.list_access_keys()["AccessKeyMetadata"])
    return report


def test_the_report_counts_root_keys(sts_mock: MockSTS, organization: Organization) -> None:
    keys = sts_mock.admin_credentials(organization.management_account_id).as_boto3()
    members = list(organization.member_account_ids)
    assert root_key_report(keys, members) == {members[0]: 1, members[1]: 0}


def test_the_audit_session_cannot_delete_keys(
    sts_mock: MockSTS, organization: Organization
) -> None:
    keys = sts_mock.admin_credentials(organization.management_account_id).as_boto3()
    member = organization.member_account_ids[0]
    iam = boto3.client("iam", region_name="us-east-1", **root_session(keys, member))
    key_id = iam.list_access_keys()["AccessKeyMetadata"][0]["AccessKeyId"]
    with pytest.raises(ClientError) as error:
        iam.delete_access_key(AccessKeyId=key_id)
    assert error.value.response["Error"]["Code"] == "AccessDenied"


def test_root_credentials_cannot_open_root_sessions(
    sts_mock: MockSTS, organization: Organization
) -> None:
    keys = sts_mock.root_credentials(organization.management_account_id).as_boto3()
    with pytest.raises(ClientError) as error:
        root_key_report(keys, list(organization.member_account_ids))
    assert error.value.response["Error"]["Code"] == "AccessDenied"
