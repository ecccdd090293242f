"""GetAccountAuthorizationDetails, driven through real boto3 clients: the account's users,
groups, roles and managed policies in one snapshot, filtered and paged as AWS does."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow, document, statement

ACCOUNT_ID = "123456789012"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
EC2_TRUST = document(
    statement("sts:AssumeRole", principal={"Service": "ec2.amazonaws.com"}),
)
S3_READ = allow("s3:GetObject", "arn:aws:s3:::reports/*")


def details(iam: Any, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = iam.get_account_authorization_details(**params)
    return answer


def names(entries: list[dict[str, Any]], key: str) -> list[str]:
    return [entry[key] for entry in entries]


@pytest.fixture
def account(sts_mock: MockSTS) -> Any:
    """An account with a user in a group, a role in an instance profile and a customer managed
    policy; the IAM client of its admin."""
    iam = boto3.client("iam")
    policy_arn = iam.create_policy(PolicyName="reports", PolicyDocument=json.dumps(S3_READ))[
        "Policy"
    ]["Arn"]
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])
    iam.put_user_policy(UserName="alice", PolicyName="own", PolicyDocument=json.dumps(S3_READ))
    iam.attach_user_policy(UserName="alice", PolicyArn=policy_arn)
    iam.put_user_permissions_boundary(UserName="alice", PermissionsBoundary=READ_ONLY)
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(GroupName="ops", UserName="alice")
    iam.put_group_policy(GroupName="ops", PolicyName="ops", PolicyDocument=json.dumps(S3_READ))
    iam.attach_group_policy(GroupName="ops", PolicyArn=policy_arn)
    iam.create_role(RoleName="web", AssumeRolePolicyDocument=json.dumps(EC2_TRUST), Path="/app/")
    iam.put_role_policy(RoleName="web", PolicyName="read", PolicyDocument=json.dumps(S3_READ))
    iam.attach_role_policy(RoleName="web", PolicyArn=policy_arn)
    iam.create_instance_profile(InstanceProfileName="web-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="web-profile", RoleName="web")
    return iam


def test_users_come_with_their_policies_groups_boundary_and_tags(account: Any) -> None:
    users = details(account)["UserDetailList"]

    # The account's built-in admin, then alice: by name.
    assert names(users, "UserName") == ["admin", "alice"]
    alice = users[1]
    user = account.get_user(UserName="alice")["User"]
    assert {k: alice[k] for k in ("Path", "UserName", "UserId", "Arn", "CreateDate")} == {
        k: user[k] for k in ("Path", "UserName", "UserId", "Arn", "CreateDate")
    }
    # Documents arrive URL-encoded, as GetUserPolicy's; botocore decodes them to dicts.
    assert alice["UserPolicyList"] == [{"PolicyName": "own", "PolicyDocument": S3_READ}]
    assert alice["GroupList"] == ["ops"]
    assert alice["AttachedManagedPolicies"] == [
        {"PolicyName": "reports", "PolicyArn": f"arn:aws:iam::{ACCOUNT_ID}:policy/reports"}
    ]
    assert alice["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": READ_ONLY,
    }
    assert alice["Tags"] == [{"Key": "team", "Value": "red"}]
    assert users[0]["AttachedManagedPolicies"] == [
        {"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_POLICY}
    ]
    assert "PermissionsBoundary" not in users[0]


def test_groups_and_roles_come_with_their_policies(account: Any) -> None:
    answer = details(account)

    (group,) = answer["GroupDetailList"]
    assert group["GroupName"] == "ops"
    assert group["GroupId"] == account.get_group(GroupName="ops")["Group"]["GroupId"]
    assert group["GroupPolicyList"] == [{"PolicyName": "ops", "PolicyDocument": S3_READ}]
    assert names(group["AttachedManagedPolicies"], "PolicyName") == ["reports"]
    (role,) = answer["RoleDetailList"]
    got = account.get_role(RoleName="web")["Role"]
    assert role["Arn"] == got["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/app/web"
    assert role["AssumeRolePolicyDocument"] == EC2_TRUST
    assert role["RolePolicyList"] == [{"PolicyName": "read", "PolicyDocument": S3_READ}]
    assert names(role["AttachedManagedPolicies"], "PolicyName") == ["reports"]
    profile = account.get_instance_profile(InstanceProfileName="web-profile")["InstanceProfile"]
    del profile["Tags"]
    assert role["InstanceProfileList"] == [profile]
    assert role["RoleLastUsed"] == {}
    assert "Tags" not in role
    assert "PermissionsBoundary" not in role


def test_policies_are_the_customer_managed_ones_and_the_aws_managed_ones_in_use(
    account: Any,
) -> None:
    account.create_policy(PolicyName="unused", PolicyDocument=json.dumps(S3_READ))

    policies = details(account)["Policies"]

    # AdministratorAccess (the admin's) and ReadOnlyAccess (alice's boundary) of AWS's
    # hundreds; every customer managed policy, used or not.
    assert names(policies, "PolicyName") == [
        "AdministratorAccess",
        "ReadOnlyAccess",
        "reports",
        "unused",
    ]
    reports = policies[2]
    assert reports["AttachmentCount"] == 3
    assert reports["PermissionsBoundaryUsageCount"] == 0
    assert reports["PolicyVersionList"] == [
        {
            "Document": S3_READ,
            "VersionId": "v1",
            "IsDefaultVersion": True,
            "CreateDate": reports["CreateDate"],
        }
    ]
    read_only = policies[1]
    assert read_only["AttachmentCount"] == 0
    assert read_only["PermissionsBoundaryUsageCount"] == 1
    assert read_only["PolicyVersionList"][0]["IsDefaultVersion"] is True
    assert "Tags" not in reports


def test_every_version_of_a_policy_is_listed_newest_first(account: Any) -> None:
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/reports"
    newer = allow("s3:ListBucket", "arn:aws:s3:::reports")
    account.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(newer))

    (policy,) = details(account, Filter=["LocalManagedPolicy"])["Policies"]

    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in policy["PolicyVersionList"]] == [
        ("v2", False),
        ("v1", True),
    ]
    assert policy["PolicyVersionList"][0]["Document"] == newer


@pytest.mark.parametrize(
    ("kinds", "lists"),
    [
        (["User"], {"UserDetailList": 2}),
        (["Group"], {"GroupDetailList": 1}),
        (["Role", "Group"], {"RoleDetailList": 1, "GroupDetailList": 1}),
        (["LocalManagedPolicy"], {"Policies": 1}),
        (["AWSManagedPolicy"], {"Policies": 2}),
    ],
)
def test_the_filter_keeps_the_kinds_asked_for(
    account: Any, kinds: list[str], lists: dict[str, int]
) -> None:
    answer = details(account, Filter=kinds)

    counts = {
        key: len(answer[key])
        for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
    }
    assert counts == {
        "UserDetailList": 0,
        "GroupDetailList": 0,
        "RoleDetailList": 0,
        "Policies": 0,
        **lists,
    }


def test_pages_run_across_the_four_lists(account: Any) -> None:
    whole = details(account)

    first = details(account, MaxItems=3)
    second = details(account, MaxItems=3, Marker=first["Marker"])
    third = details(account, MaxItems=3, Marker=second["Marker"])

    # Users, then groups, roles and policies: 2 + 1 + 1 + 4 entries in all.
    assert (first["IsTruncated"], second["IsTruncated"], third["IsTruncated"]) == (
        True,
        True,
        False,
    )
    assert names(first["UserDetailList"], "UserName") == ["admin", "alice"]
    assert names(first["GroupDetailList"], "GroupName") == ["ops"]
    assert first["RoleDetailList"] == first["Policies"] == []
    assert names(second["RoleDetailList"], "RoleName") == ["web"]
    assert second["UserDetailList"] == second["GroupDetailList"] == []
    assert second["Policies"] + third["Policies"] == whole["Policies"]
    assert "Marker" not in third


def test_paginator_joins_the_pages(account: Any) -> None:
    pages = account.get_paginator("get_account_authorization_details").paginate(
        PaginationConfig={"PageSize": 2}
    )
    users = [user["UserName"] for page in pages for user in page["UserDetailList"]]

    assert users == ["admin", "alice"]


def test_a_marker_of_another_listing_is_refused(account: Any) -> None:
    marker = account.list_users(MaxItems=1)["Marker"]

    error = aws_error(lambda: details(account, Marker=marker))

    assert error == ("ValidationError", "Invalid Marker.", 400)


def test_a_bad_filter_value_is_refused_by_the_model(account: Any) -> None:
    error = aws_error(lambda: details(account, Filter=["Users"]))

    assert error[0] == "ValidationError"
    assert error[2] == 400
    assert "Member must satisfy enum value set" in error[1]


def test_the_caller_needs_the_permission(sts_mock: MockSTS) -> None:
    reader = sts_mock.create_user("reader", policies={"iam": allow("iam:ListUsers")})
    iam = client("iam", reader.credentials)

    error = aws_error(lambda: details(iam))

    assert error == (
        "AccessDenied",
        f"User: {reader.arn} is not authorized to perform: "
        "iam:GetAccountAuthorizationDetails on resource: *"
        " because no identity-based policy allows the iam:GetAccountAuthorizationDetails action",
        403,
    )


def test_only_the_callers_account_is_shown(sts_mock: MockSTS) -> None:
    other = client("iam", sts_mock.admin_credentials("111111111111"))
    other.create_user(UserName="bob")

    users = details(boto3.client("iam"))["UserDetailList"]

    assert names(users, "UserName") == ["admin"]
    assert names(details(other)["UserDetailList"], "UserName") == ["admin", "bob"]
