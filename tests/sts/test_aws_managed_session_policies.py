"""AWS managed policies as the PolicyArns of AssumeRole and GetFederationToken: any that AWS
publishes, at any path, in the mock's partition, and those a test adds."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mock_sts import MockSTS, mock_sts
from tests.helpers import aws_error
from tests.helpers.assume_role import (
    ACCOUNT,
    allow,
    assume,
    assume_call,
    credentials_of,
    role_arn,
    trust,
)

AWS = "arn:aws:iam::aws:policy/"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/admin-role/session"


@pytest.fixture
def admin_role(sts_mock: MockSTS) -> str:
    sts_mock.create_role(
        "admin-role", trust(ACCOUNT), managed_policy_arns=[f"{AWS}AdministratorAccess"]
    )
    return role_arn("admin-role")


def iam_of(response: dict[str, Any], region: str = "us-east-1") -> Any:
    return boto3.client("iam", region_name=region, **credentials_of(response).as_boto3())


def test_aws_deny_all_as_a_session_policy_denies_everything(
    sts_mock: MockSTS, admin_role: str
) -> None:
    response = assume(
        sts_mock.admin_credentials(), admin_role, PolicyArns=[{"arn": f"{AWS}AWSDenyAll"}]
    )

    assert aws_error(iam_of(response).list_users) == (
        "AccessDenied",
        f"User: {SESSION} is not authorized to perform: iam:ListUsers on resource: * "
        "with an explicit deny in a session policy",
        403,
    )
    decision = sts_mock.evaluate(credentials_of(response), "s3:GetObject", "arn:aws:s3:::b/k")
    assert not decision
    assert decision.explicit_deny


def test_read_only_access_as_a_session_policy_narrows_an_admin_role(
    sts_mock: MockSTS, admin_role: str
) -> None:
    response = assume(
        sts_mock.admin_credentials(), admin_role, PolicyArns=[{"arn": f"{AWS}ReadOnlyAccess"}]
    )
    iam = iam_of(response)

    assert iam.get_user(UserName="admin")["User"]["UserName"] == "admin"
    assert aws_error(lambda: iam.create_user(UserName="x")) == (
        "AccessDenied",
        f"User: {SESSION} is not authorized to perform: iam:CreateUser on resource: "
        f"arn:aws:iam::{ACCOUNT}:user/x because no session policy allows the iam:CreateUser "
        "action",
        403,
    )


def test_policies_at_every_path_are_session_policies(sts_mock: MockSTS, admin_role: str) -> None:
    arns = [
        f"{AWS}service-role/AWSLambdaBasicExecutionRole",
        f"{AWS}job-function/ViewOnlyAccess",
        f"{AWS}SecurityAudit",
        f"{AWS}AmazonDynamoDBFullAccess",
    ]

    response = assume(
        sts_mock.admin_credentials(), admin_role, PolicyArns=[{"arn": arn} for arn in arns]
    )

    session = credentials_of(response)
    assert sts_mock.evaluate(session, "logs:PutLogEvents", "*")
    assert sts_mock.evaluate(session, "dynamodb:PutItem", "*")
    assert not sts_mock.evaluate(session, "s3:PutObject", "arn:aws:s3:::b/k")
    assert 1 <= response["PackedPolicySize"] <= 100


def test_get_federation_token_with_aws_managed_policy_arns(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")

    token = sts.get_federation_token(
        Name="fn", PolicyArns=[{"arn": f"{AWS}service-role/AWSLambdaBasicExecutionRole"}]
    )

    federated = credentials_of(token)
    assert sts_mock.evaluate(federated, "logs:CreateLogStream", "*")
    assert not sts_mock.evaluate(federated, "s3:GetObject", "arn:aws:s3:::b/k")


def test_session_policies_in_the_partition_of_the_mock() -> None:
    with mock_sts(region="cn-north-1") as sts:
        sts.create_role(
            "admin-role",
            trust(ACCOUNT),
            managed_policy_arns=["arn:aws-cn:iam::aws:policy/AdministratorAccess"],
        )
        role = f"arn:aws-cn:iam::{ACCOUNT}:role/admin-role"
        client = boto3.client("sts", region_name="cn-north-1")
        read_only = "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"

        response = client.assume_role(
            RoleArn=role, RoleSessionName="cn", PolicyArns=[{"arn": read_only}]
        )

        iam = iam_of(response, "cn-north-1")
        assert iam.get_user(UserName="admin")["User"]["UserName"] == "admin"
        assert aws_error(lambda: iam.create_user(UserName="x"))[0] == "AccessDenied"
        refused = client.assume_role
        other_partition = f"{AWS}ReadOnlyAccess"
        assert aws_error(
            lambda: refused(
                RoleArn=role, RoleSessionName="cn", PolicyArns=[{"arn": other_partition}]
            )
        ) == (
            "ValidationError",
            f"Policy {other_partition} does not exist or is not attachable.",
            400,
        )


def test_an_added_policy_is_a_session_policy(sts_mock: MockSTS, admin_role: str) -> None:
    arn = sts_mock.add_aws_managed_policy("OnlyQueues", json.dumps(allow("sqs:*")))

    response = assume(sts_mock.admin_credentials(), admin_role, PolicyArns=[{"arn": arn}])

    session = credentials_of(response)
    assert sts_mock.evaluate(session, "sqs:SendMessage", "*")
    assert not sts_mock.evaluate(session, "sns:Publish", "*")
    missing = f"{AWS}NotAdded"
    call = assume_call(sts_mock.admin_credentials(), admin_role, PolicyArns=[{"arn": missing}])
    assert aws_error(call) == (
        "ValidationError",
        f"Policy {missing} does not exist or is not attachable.",
        400,
    )
