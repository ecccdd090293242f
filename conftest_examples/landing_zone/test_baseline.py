"""Code under test: a baseline step that assumes into every member account through the
access role Organizations made and sets the account alias. With moto, the role need not
exist and nothing checks who may assume it; here an invited account without the role is
refused, as on AWS."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS, Organization

ACCESS_ROLE = "OrganizationAccountAccessRole"


def baseline(management: dict[str, str], account_id: str) -> str:
    """Assume into ``account_id`` from the management account and name the account."""
    sts = boto3.client("sts", region_name="us-east-1", **management)
    role_arn = f"arn:aws:iam::{account_id}:role/{ACCESS_ROLE}"
    issued = sts.assume_role(RoleArn=role_arn, RoleSessionName="baseline")["Credentials"]
    iam = boto3.client(
        "iam",
        region_name="us-east-1",
        aws_access_key_id=issued["AccessKeyId"],
        aws_secret_access_key=issued["SecretAccessKey"],
        aws_session_token=issued["SessionToken"],
    )
    iam.create_account_alias(AccountAlias=f"workload-{account_id}")
    aliases: list[str] = iam.list_account_aliases()["AccountAliases"]
    return aliases[0]


def test_every_created_member_is_baselined(sts_mock: MockSTS, organization: Organization) -> None:
    management = sts_mock.admin_credentials(organization.management_account_id).as_boto3()
    created = [a for a in organization.member_account_ids if a != "444444444444"]

    assert [baseline(management, account_id) for account_id in created] == [
        f"workload-{account_id}" for account_id in created
    ]


def test_an_invited_member_has_no_access_role(
    sts_mock: MockSTS, organization: Organization
) -> None:
    management = sts_mock.admin_credentials(organization.management_account_id).as_boto3()

    with pytest.raises(ClientError) as refused:
        baseline(management, "444444444444")

    assert refused.value.response["Error"]["Code"] == "AccessDenied"
