"""IAM groups and their members, driven through real boto3 clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine

from tests.helpers import aws_error

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
POWER_USER_ACCESS = "arn:aws:iam::aws:policy/PowerUserAccess"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
S3_READ = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
)


def group_names(iam: Any, **kwargs: Any) -> list[str]:
    return [group["GroupName"] for group in iam.list_groups(**kwargs)["Groups"]]


def member_names(iam: Any, group_name: str) -> list[str]:
    return [user["UserName"] for user in iam.get_group(GroupName=group_name)["Users"]]


def groups_of(iam: Any, user_name: str) -> list[str]:
    groups = iam.list_groups_for_user(UserName=user_name)["Groups"]
    return [group["GroupName"] for group in groups]


# ---------------------------------------------------------------------------------------
# CreateGroup / GetGroup / ListGroups


def test_create_group_returns_the_new_group(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        group = iam.create_group(GroupName="Devs", Path="/eng/")["Group"]

    assert group == {
        "Path": "/eng/",
        "GroupName": "Devs",
        "GroupId": group["GroupId"],
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:group/eng/Devs",
        "CreateDate": MOMENT,
    }
    assert group["GroupId"].startswith("AGPA")
    assert len(group["GroupId"]) == 21
    found = iam.get_group(GroupName="devs")
    assert found["Group"] == group
    assert (found["Users"], found["IsTruncated"]) == ([], False)


def test_create_group_default_path(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    group = iam.create_group(GroupName="devs")["Group"]

    assert (group["Path"], group["Arn"]) == ("/", f"arn:aws:iam::{ACCOUNT_ID}:group/devs")


@pytest.mark.parametrize("second_name", ["devs", "DEVS"])
def test_group_names_are_unique_regardless_of_case(sts_mock: MockSTS, second_name: str) -> None:
    iam = boto3.client("iam")
    original = iam.create_group(GroupName="devs")["Group"]

    error = aws_error(lambda: iam.create_group(GroupName=second_name, Path="/x/"))

    assert error == ("EntityAlreadyExists", f"Group with name {second_name} already exists.", 409)
    assert iam.get_group(GroupName="devs")["Group"] == original
    assert group_names(iam) == ["devs"]


def test_groups_belong_to_their_account(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    iam.create_group(GroupName="devs")

    created = other.create_group(GroupName="devs")["Group"]

    assert created["Arn"] == f"arn:aws:iam::{OTHER_ACCOUNT_ID}:group/devs"
    assert group_names(iam) == group_names(other) == ["devs"]


def test_list_groups_filters_by_path_prefix_and_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for name, path in [("e", "/eng/"), ("D", "/eng/web/"), ("c", "/"), ("b", "/eng/"), ("a", "/")]:
        iam.create_group(GroupName=name, Path=path)

    assert group_names(iam, PathPrefix="/eng/") == ["b", "D", "e"]
    assert group_names(iam, PathPrefix="/eng/web/") == ["D"]
    first = iam.list_groups(MaxItems=2)
    second = iam.list_groups(MaxItems=2, Marker=first["Marker"])
    third = iam.list_groups(MaxItems=2, Marker=second["Marker"])
    pages = (first, second, third)
    assert [page["IsTruncated"] for page in pages] == [True, True, False]
    assert [g["GroupName"] for page in pages for g in page["Groups"]] == ["a", "b", "c", "D", "e"]


# ---------------------------------------------------------------------------------------
# Members


def test_add_user_to_group(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    bob = iam.create_user(UserName="bob", Tags=[{"Key": "k", "Value": "v"}])["User"]
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="devs")

    iam.add_user_to_group(GroupName="DEVS", UserName="BOB")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    iam.add_user_to_group(GroupName="devs", UserName="bob")  # already a member: no change

    users = iam.get_group(GroupName="devs")["Users"]
    assert [user["UserName"] for user in users] == ["bob", "alice"]
    assert users[0] == {k: bob[k] for k in ("Path", "UserName", "UserId", "Arn", "CreateDate")}
    assert groups_of(iam, "bob") == ["devs"]


def test_get_group_paginates_its_members(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_group(GroupName="devs")
    names = [f"user{i}" for i in range(5)]
    for name in names:
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName="devs", UserName=name)

    first = iam.get_group(GroupName="devs", MaxItems=3)
    second = iam.get_group(GroupName="devs", MaxItems=3, Marker=first["Marker"])

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    assert first["Group"] == second["Group"]
    assert [u["UserName"] for u in first["Users"] + second["Users"]] == names
    pages = iam.get_paginator("get_group").paginate(
        GroupName="devs", PaginationConfig={"PageSize": 2}
    )
    assert [u["UserName"] for page in pages for u in page["Users"]] == names


def test_a_user_is_in_at_most_ten_groups(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    for i in range(11):
        iam.create_group(GroupName=f"g{i:02}")
    for i in range(10):
        iam.add_user_to_group(GroupName=f"g{i:02}", UserName="bob")

    error = aws_error(lambda: iam.add_user_to_group(GroupName="g10", UserName="bob"))

    assert error == ("LimitExceeded", "Cannot exceed quota for GroupsPerUser: 10", 409)
    assert groups_of(iam, "bob") == [f"g{i:02}" for i in range(10)]
    assert member_names(iam, "g10") == []
    iam.add_user_to_group(GroupName="g00", UserName="bob")  # already a member


def test_remove_user_from_group(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.create_user(UserName="alice")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="bob")

    # Removing a user who is not a member succeeds and changes nothing, as on AWS (§13.2).
    iam.remove_user_from_group(GroupName="devs", UserName="Alice")
    assert member_names(iam, "devs") == ["bob"]

    iam.remove_user_from_group(GroupName="DEVS", UserName="Bob")
    assert member_names(iam, "devs") == []
    assert groups_of(iam, "bob") == []


def test_remove_user_from_group_reports_an_unknown_user_first(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")

    def remove(group: str, user: str) -> tuple[str, str, int]:
        return aws_error(lambda: iam.remove_user_from_group(GroupName=group, UserName=user))

    # AWS names the user when neither exists (§13.3).
    assert remove("ghosts", "casper") == (
        "NoSuchEntity",
        "The user with name casper cannot be found.",
        404,
    )
    assert remove("ghosts", "bob") == (
        "NoSuchEntity",
        "The group with name ghosts cannot be found.",
        404,
    )


def test_list_groups_for_user_in_name_order_with_paging(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    for name in ("ops", "Devs", "admins"):
        iam.create_group(GroupName=name, Path="/teams/")
        iam.add_user_to_group(GroupName=name, UserName="bob")
    iam.create_group(GroupName="other")

    first = iam.list_groups_for_user(UserName="bob", MaxItems=2)
    second = iam.list_groups_for_user(UserName="bob", MaxItems=2, Marker=first["Marker"])

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    groups = first["Groups"] + second["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins", "Devs", "ops"]
    assert groups[0] == iam.get_group(GroupName="admins")["Group"]


@pytest.mark.parametrize(
    "operation", ["add_user_to_group", "remove_user_from_group", "list_groups_for_user"]
)
def test_membership_of_an_unknown_user_is_no_such_entity(sts_mock: MockSTS, operation: str) -> None:
    iam = boto3.client("iam")
    iam.create_group(GroupName="devs")
    kwargs = {} if operation == "list_groups_for_user" else {"GroupName": "devs"}

    error = aws_error(lambda: getattr(iam, operation)(UserName="ghost", **kwargs))

    assert error == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)
    assert member_names(iam, "devs") == []


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_group", {}),
        ("delete_group", {}),
        ("add_user_to_group", {"UserName": "bob"}),
        ("remove_user_from_group", {"UserName": "bob"}),
        ("put_group_policy", {"PolicyName": "p", "PolicyDocument": S3_READ}),
        ("get_group_policy", {"PolicyName": "p"}),
        ("delete_group_policy", {"PolicyName": "p"}),
        ("list_group_policies", {}),
        ("attach_group_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("detach_group_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("list_attached_group_policies", {}),
    ],
)
def test_operations_on_an_unknown_group_are_no_such_entity(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any]
) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")

    error = aws_error(lambda: getattr(iam, operation)(GroupName="ghost", **kwargs))

    assert error == ("NoSuchEntity", "The group with name ghost cannot be found.", 404)
    assert group_names(iam) == []
    assert groups_of(iam, "bob") == []


# ---------------------------------------------------------------------------------------
# DeleteGroup / DeleteUser


def test_delete_group_removes_it(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    first = iam.create_group(GroupName="devs")["Group"]

    iam.delete_group(GroupName="DEVS")

    assert group_names(iam) == []
    assert aws_error(lambda: iam.get_group(GroupName="devs")) == (
        "NoSuchEntity",
        "The group with name devs cannot be found.",
        404,
    )
    assert iam.create_group(GroupName="devs")["Group"]["GroupId"] != first["GroupId"]


def test_delete_group_refuses_while_it_has_members_or_policies(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="bob")
    iam.put_group_policy(GroupName="devs", PolicyName="s3", PolicyDocument=S3_READ)
    iam.attach_group_policy(GroupName="devs", PolicyArn=POWER_USER_ACCESS)

    def conflict() -> tuple[str, str, int]:
        return aws_error(lambda: iam.delete_group(GroupName="devs"))

    assert conflict() == (
        "DeleteConflict",
        "Cannot delete entity, must remove users from group first.",
        409,
    )
    iam.remove_user_from_group(GroupName="devs", UserName="bob")
    assert conflict() == (
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
        409,
    )
    iam.delete_group_policy(GroupName="devs", PolicyName="s3")
    assert conflict() == (
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
        409,
    )
    assert group_names(iam) == ["devs"]
    iam.detach_group_policy(GroupName="devs", PolicyArn=POWER_USER_ACCESS)
    iam.delete_group(GroupName="devs")
    assert group_names(iam) == []


def test_delete_user_refuses_while_the_user_is_in_a_group(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="bob")

    error = aws_error(lambda: iam.delete_user(UserName="bob"))

    assert error == (
        "DeleteConflict",
        "Cannot delete entity, must remove user from all groups first.",
        409,
    )
    assert member_names(iam, "devs") == ["bob"]
    iam.remove_user_from_group(GroupName="devs", UserName="bob")
    iam.delete_user(UserName="bob")
    assert member_names(iam, "devs") == []


def test_delete_user_refuses_while_the_user_has_inline_policies(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.put_user_policy(UserName="bob", PolicyName="s3", PolicyDocument=S3_READ)

    error = aws_error(lambda: iam.delete_user(UserName="bob"))

    assert error == ("DeleteConflict", "Cannot delete entity, must delete policies first.", 409)
    iam.delete_user_policy(UserName="bob", PolicyName="s3")
    iam.delete_user(UserName="bob")
