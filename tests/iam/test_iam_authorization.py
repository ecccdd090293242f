"""IAM calls are authorized as AWS authorizes them: identity policies, boundaries, session
policies, and AWS's AccessDenied wording naming the action, the resource and the reason."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error
from tests.helpers.assume_role import allow

ACCOUNT = "123456789012"


def iam_for(credentials: Any) -> Any:
    keys = credentials if isinstance(credentials, dict) else credentials.as_boto3()
    return boto3.client("iam", region_name="us-east-1", **keys)


def iam_denied(caller: str, action: str, resource: str, why: str) -> tuple[str, str, int]:
    return (
        "AccessDenied",
        f"User: {caller} is not authorized to perform: iam:{action} on resource: {resource}{why}",
        403,
    )


def because_no(kind: str, action: str) -> str:
    return f" because no {kind} allows the iam:{action} action"


@pytest.mark.parametrize(
    ("call", "action", "resource"),
    [
        (lambda iam: iam.create_user(UserName="carol"), "CreateUser", "user/carol"),
        (
            lambda iam: iam.create_user(UserName="dave", Path="/ops/"),
            "CreateUser",
            "user/ops/dave",
        ),
        (lambda iam: iam.list_users(), "ListUsers", None),
        (lambda iam: iam.get_user(), "GetUser", "user/bob"),
        (lambda iam: iam.create_access_key(), "CreateAccessKey", "user/bob"),
        (lambda iam: iam.get_role(RoleName="ghost"), "GetRole", "role/ghost"),
        (
            lambda iam: iam.add_user_to_group(GroupName="devs", UserName="bob"),
            "AddUserToGroup",
            "group/devs",
        ),
        (
            lambda iam: iam.attach_user_policy(
                UserName="bob", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
            ),
            "AttachUserPolicy",
            "user/bob",
        ),
        (
            lambda iam: iam.create_policy(
                PolicyName="p", Path="/x/", PolicyDocument=json.dumps(allow("s3:*"))
            ),
            "CreatePolicy",
            "policy/x/p",
        ),
        (
            lambda iam: iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"),
            "GetPolicy",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
        (
            lambda iam: iam.create_virtual_mfa_device(VirtualMFADeviceName="phone"),
            "CreateVirtualMFADevice",
            "mfa/phone",
        ),
        (
            lambda iam: iam.delete_virtual_mfa_device(
                SerialNumber=f"arn:aws:iam::{ACCOUNT}:mfa/phone"
            ),
            "DeleteVirtualMFADevice",
            f"arn:aws:iam::{ACCOUNT}:mfa/phone",
        ),
    ],
)
def test_without_a_policy_every_call_is_denied_on_its_resource(
    sts_mock: MockSTS, call: Any, action: str, resource: str | None
) -> None:
    bob = sts_mock.create_user("bob")
    if resource is None:
        arn = "*"
    elif resource.startswith("arn:"):
        arn = resource
    else:
        arn = f"arn:aws:iam::{ACCOUNT}:{resource}"
    assert aws_error(lambda: call(iam_for(bob.credentials))) == iam_denied(
        bob.arn, action, arn, because_no("identity-based policy", action)
    )


def test_an_allowing_policy_lets_the_call_through(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user(
        "bob", policies={"users": allow("iam:*User", f"arn:aws:iam::{ACCOUNT}:user/team/*")}
    )
    iam = iam_for(bob.credentials)
    assert iam.create_user(UserName="carol", Path="/team/")["User"]["Path"] == "/team/"
    assert aws_error(lambda: iam.create_user(UserName="dave")) == iam_denied(
        bob.arn,
        "CreateUser",
        f"arn:aws:iam::{ACCOUNT}:user/dave",
        because_no("identity-based policy", "CreateUser"),
    )


def test_explicit_denies_and_boundaries_are_named(sts_mock: MockSTS) -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"},
        ],
    }
    bob = sts_mock.create_user("bob", policies={"mostly": deny})
    iam = iam_for(bob.credentials)
    iam.create_user(UserName="carol")
    assert aws_error(lambda: iam.delete_user(UserName="carol")) == iam_denied(
        bob.arn,
        "DeleteUser",
        f"arn:aws:iam::{ACCOUNT}:user/carol",
        " with an explicit deny in an identity-based policy",
    )
    admin_iam = boto3.client("iam")
    admin_iam.put_user_permissions_boundary(
        UserName="bob", PermissionsBoundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    )
    assert iam.list_users()["Users"]
    assert aws_error(lambda: iam.create_user(UserName="erin")) == iam_denied(
        bob.arn,
        "CreateUser",
        f"arn:aws:iam::{ACCOUNT}:user/erin",
        because_no("permissions boundary", "CreateUser"),
    )


def test_role_sessions_and_their_session_policies(sts_mock: MockSTS) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
    role = sts_mock.create_role(
        "iam-admin", trust, managed_policy_arns=["arn:aws:iam::aws:policy/IAMFullAccess"]
    )
    sts = boto3.client("sts", region_name="us-east-1")
    narrowed = sts.assume_role(
        RoleArn=role.arn, RoleSessionName="ro", Policy=json.dumps(allow("iam:List*"))
    )["Credentials"]
    iam = iam_for(
        {
            "aws_access_key_id": narrowed["AccessKeyId"],
            "aws_secret_access_key": narrowed["SecretAccessKey"],
            "aws_session_token": narrowed["SessionToken"],
        }
    )
    assert iam.list_roles()["Roles"][0]["RoleName"] == "iam-admin"
    assert aws_error(lambda: iam.create_user(UserName="x1")) == iam_denied(
        f"arn:aws:sts::{ACCOUNT}:assumed-role/iam-admin/ro",
        "CreateUser",
        f"arn:aws:iam::{ACCOUNT}:user/x1",
        because_no("session policy", "CreateUser"),
    )


def test_federated_users_cannot_call_iam(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    token = sts.get_federation_token(Name="fed", Policy=json.dumps(allow("iam:*")))
    creds = token["Credentials"]
    iam = iam_for(
        {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }
    )
    assert aws_error(iam.list_users) == (
        "AccessDenied",
        f"User: arn:aws:sts::{ACCOUNT}:federated-user/fed is not authorized to perform: "
        "iam:ListUsers on resource: *",
        403,
    )


def test_root_needs_no_policy(sts_mock: MockSTS) -> None:
    iam = iam_for(sts_mock.root_credentials())
    assert iam.create_user(UserName="by-root")["User"]["UserName"] == "by-root"
    assert iam.get_user()["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
