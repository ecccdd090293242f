"""Partitions are separate, as in AWS: each has its own accounts, keys and ARNs (STS_REFERENCE
§12.1); a mock answers every partition's endpoints, each from its own state."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pytest

from mock_sts import MockSTS, mock_sts
from tests.helpers import INVALID_TOKEN, aws_error, caller_identity, client, serving

ACCOUNT = "123456789012"
# A region of each kind of partition, and the partition it belongs to.
REGIONS = [
    ("us-east-1", "aws"),
    ("eu-west-1", "aws"),
    ("cn-north-1", "aws-cn"),
    ("cn-northwest-1", "aws-cn"),
    ("us-gov-west-1", "aws-us-gov"),
    ("us-iso-east-1", "aws-iso"),
    ("us-isob-east-1", "aws-iso-b"),
]


def trust_of_account(partition: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


@pytest.mark.parametrize(("region", "partition"), REGIONS)
def test_a_mock_in_any_partition_works_there(region: str, partition: str) -> None:
    with mock_sts(region=region) as sts_mock:
        sts = client("sts", region=region)
        iam = client("iam", region=region)

        assert caller_identity(sts)["Arn"] == f"arn:{partition}:iam::{ACCOUNT}:user/admin"
        # The admin's AdministratorAccess is the partition's own.
        attached = iam.list_attached_user_policies(UserName="admin")["AttachedPolicies"]
        assert [policy["PolicyArn"] for policy in attached] == [
            f"arn:{partition}:iam::aws:policy/AdministratorAccess"
        ]
        user = iam.create_user(UserName="alice")["User"]
        assert user["Arn"] == f"arn:{partition}:iam::{ACCOUNT}:user/alice"
        federated = sts.get_federation_token(Name="fed")["FederatedUser"]
        assert federated["Arn"] == f"arn:{partition}:sts::{ACCOUNT}:federated-user/fed"
        role = sts_mock.create_role("deployer", trust_of_account(partition))
        assert role.arn == f"arn:{partition}:iam::{ACCOUNT}:role/deployer"
        assumed = sts.assume_role(RoleArn=role.arn, RoleSessionName="ci")["AssumedRoleUser"]
        assert assumed["Arn"] == f"arn:{partition}:sts::{ACCOUNT}:assumed-role/deployer/ci"


def test_another_partitions_endpoint_answers_from_its_own_state(sts_mock: MockSTS) -> None:
    china_iam = client("iam", region="cn-north-1")
    china_sts = client("sts", region="cn-north-1")

    # Unknown there, the mock's keys act as that partition's own admin (the mock is not strict).
    assert caller_identity(china_sts)["Arn"] == f"arn:aws-cn:iam::{ACCOUNT}:user/admin"
    china_iam.create_user(UserName="li")
    assert [user["UserName"] for user in china_iam.list_users()["Users"]] == ["admin", "li"]
    # Nothing of it exists in the mock's own partition, nor the other way round.
    assert [user["UserName"] for user in client("iam").list_users()["Users"]] == ["admin"]
    sts_mock.create_user("bob")
    assert [user["UserName"] for user in china_iam.list_users()["Users"]] == ["admin", "li"]
    # The mock records every partition's calls, in order.
    assert [(call.action, call.caller_arn) for call in sts_mock.calls[:2]] == [
        ("GetCallerIdentity", f"arn:aws-cn:iam::{ACCOUNT}:user/admin"),
        ("CreateUser", f"arn:aws-cn:iam::{ACCOUNT}:user/admin"),
    ]


def test_keys_of_one_partition_are_unknown_in_another() -> None:
    with mock_sts(strict=True) as sts_mock:
        china = client("sts", sts_mock.admin_credentials(), region="cn-north-1")
        assert aws_error(lambda: caller_identity(china)) == INVALID_TOKEN

        alice = sts_mock.create_user("alice")
        session = client("sts", alice.credentials).get_session_token()["Credentials"]
        for credentials in (alice.credentials, session):
            gov = client("sts", credentials, region="us-gov-west-1")
            assert aws_error(partial(caller_identity, gov)) == INVALID_TOKEN
        assert caller_identity(client("sts", session))["Arn"] == alice.arn


def test_a_key_issued_in_another_partition_works_there_only() -> None:
    with mock_sts(region="cn-north-1", strict=True):
        key = client("iam", region="cn-north-1").create_access_key()["AccessKey"]
        keys = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}

        china = client("sts", keys, region="cn-northwest-1")
        assert caller_identity(china)["Arn"] == f"arn:aws-cn:iam::{ACCOUNT}:user/admin"
        assert aws_error(lambda: caller_identity(client("sts", keys))) == INVALID_TOKEN


def test_managed_policies_are_the_endpoints_partitions(sts_mock: MockSTS) -> None:
    china_iam = client("iam", region="cn-north-1")
    policy = china_iam.get_policy(PolicyArn="arn:aws-cn:iam::aws:policy/IAMReadOnlyAccess")[
        "Policy"
    ]
    assert policy["Arn"] == "arn:aws-cn:iam::aws:policy/IAMReadOnlyAccess"
    china_iam.create_role(
        RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust_of_account("aws-cn"))
    )
    error = aws_error(
        lambda: china_iam.attach_role_policy(
            RoleName="reader", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        )
    )
    assert error[0] == "NoSuchEntity"


def test_mock_sts_serve_answers_by_the_signing_region(sts_mock: MockSTS) -> None:
    with serving(sts_mock) as httpd:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        china = client("sts", region="cn-north-1", endpoint_url=url)
        here = client("sts", endpoint_url=url)

        assert caller_identity(china)["Arn"] == f"arn:aws-cn:iam::{ACCOUNT}:user/admin"
        assert caller_identity(here)["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/admin"
