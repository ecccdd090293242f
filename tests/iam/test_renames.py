"""IAM UpdateUser and UpdateGroup: a new name or path carries everything with it, driven
through real boto3 clients as AWS answers them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import boto3
import pytest

from tests.helpers import aws_error, client, no_policy_allows, sts_client
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_READ = json.dumps(allow("s3:GetObject"))


def trust_of(user_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"}
            ],
        }
    )


# ---------------------------------------------------------------------------------------
# UpdateUser


def test_a_renamed_user_keeps_everything(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    created = iam.create_user(
        UserName="alice", Tags=[{"Key": "team", "Value": "red"}], PermissionsBoundary=BOUNDARY
    )["User"]
    iam.put_user_policy(UserName="alice", PolicyName="s3", PolicyDocument=S3_READ)
    iam.attach_user_policy(UserName="alice", PolicyArn=READ_ONLY)
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]

    answer = iam.update_user(UserName="alice", NewUserName="Alicia", NewPath="/eng/")

    assert list(answer) == ["ResponseMetadata"]
    user = iam.get_user(UserName="alicia")["User"]

    assert user == {
        "Path": "/eng/",
        "UserName": "Alicia",
        "UserId": created["UserId"],
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:user/eng/Alicia",
        "CreateDate": created["CreateDate"],
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": BOUNDARY,
        },
        "Tags": [{"Key": "team", "Value": "red"}],
    }
    assert iam.list_user_policies(UserName="Alicia")["PolicyNames"] == ["s3"]
    attached = iam.list_attached_user_policies(UserName="Alicia")["AttachedPolicies"]
    assert attached == [{"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}]
    members = iam.get_group(GroupName="devs")["Users"]
    assert [(m["UserName"], m["Arn"]) for m in members] == [("Alicia", user["Arn"])]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="Alicia")["Groups"]] == [
        "devs"
    ]
    keys = iam.list_access_keys(UserName="Alicia")["AccessKeyMetadata"]
    assert [(k["UserName"], k["AccessKeyId"]) for k in keys] == [("Alicia", key["AccessKeyId"])]
    assert aws_error(lambda: iam.get_user(UserName="alice")) == (
        "NoSuchEntity",
        "The user with name alice cannot be found.",
        404,
    )
    assert "alice" not in [u["UserName"] for u in iam.list_users()["Users"]]


def test_a_renamed_users_keys_and_mfa_device_act_as_the_new_name(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    device = bob.enable_mfa()
    iam = boto3.client("iam")

    iam.update_user(UserName="bob", NewUserName="robert")

    sts = sts_client(bob.credentials)
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/robert"
    devices = iam.list_mfa_devices(UserName="robert")["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in devices] == [
        ("robert", device.serial_number)
    ]
    session = sts.get_session_token(SerialNumber=device.serial_number, TokenCode=device.code())
    assert session["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_only_the_path_or_only_the_name_may_change(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="carol", Path="/ops/")

    iam.update_user(UserName="carol", NewPath="/eng/")
    assert iam.get_user(UserName="carol")["User"]["Arn"] == (
        f"arn:aws:iam::{ACCOUNT_ID}:user/eng/carol"
    )
    iam.update_user(UserName="carol", NewUserName="Carol")
    assert iam.get_user(UserName="carol")["User"]["Arn"] == (
        f"arn:aws:iam::{ACCOUNT_ID}:user/eng/Carol"
    )
    iam.update_user(UserName="Carol")
    assert iam.get_user(UserName="carol")["User"]["UserName"] == "Carol"


@pytest.mark.parametrize("new_name", ["dave", "DAVE"])
def test_a_user_cannot_take_a_name_already_taken(sts_mock: MockSTS, new_name: str) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="carol")
    iam.create_user(UserName="dave")

    error = aws_error(lambda: iam.update_user(UserName="carol", NewUserName=new_name))

    assert error == ("EntityAlreadyExists", f"User with name {new_name} already exists.", 409)
    assert iam.get_user(UserName="carol")["User"]["UserName"] == "carol"


def test_renaming_a_missing_user(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: iam.update_user(UserName="ghost", NewUserName="spirit"))

    assert error == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


def test_a_new_path_is_checked_as_a_path(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="carol")

    error = aws_error(lambda: iam.update_user(UserName="carol", NewPath="eng"))

    assert error == (
        "ValidationError",
        "The specified value for path is invalid. It must begin and end with / and contain "
        "only alphanumeric characters and/or / characters.",
        400,
    )


def test_a_trust_policy_keeps_trusting_a_renamed_user(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", policies={"assume": allow("sts:AssumeRole")})
    iam = boto3.client("iam")
    iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=trust_of(bob.arn))

    iam.update_user(UserName="bob", NewUserName="robert", NewPath="/ops/")

    # IAM shows the principal under the user's new name and path.
    document = iam.get_role(RoleName="deploy")["Role"]["AssumeRolePolicyDocument"]
    principal = document["Statement"][0]["Principal"]["AWS"]
    assert principal == f"arn:aws:iam::{ACCOUNT_ID}:user/ops/robert"
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/deploy"
    sts = sts_client(bob.credentials)
    assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName="ci")["AssumedRoleUser"]
    assert assumed["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/deploy/ci"
    # A new user of the old name is not the one the role trusts.
    newcomer = sts_mock.create_user("bob", policies={"assume": allow("sts:AssumeRole")})
    newcomer_sts = sts_client(newcomer.credentials)
    error = aws_error(lambda: newcomer_sts.assume_role(RoleArn=role_arn, RoleSessionName="ci"))
    assert error[0] == "AccessDenied"
    # Once deleted, the renamed user shows as its unique id.
    iam.delete_access_key(UserName="robert", AccessKeyId=bob.credentials.access_key_id)
    iam.delete_user_policy(UserName="robert", PolicyName="assume")
    iam.delete_user(UserName="robert")
    document = iam.get_role(RoleName="deploy")["Role"]["AssumeRolePolicyDocument"]
    assert document["Statement"][0]["Principal"]["AWS"] == bob.user_id


def test_renaming_needs_permission_on_the_old_and_the_new_name(sts_mock: MockSTS) -> None:
    old = f"arn:aws:iam::{ACCOUNT_ID}:user/carol"
    new = f"arn:aws:iam::{ACCOUNT_ID}:user/eng/caroline"
    admin = boto3.client("iam")
    admin.create_user(UserName="carol")
    only_old = sts_mock.create_user("bob", policies={"rename": allow("iam:UpdateUser", old)})
    iam = client("iam", only_old.credentials)

    error = aws_error(
        lambda: iam.update_user(UserName="carol", NewUserName="caroline", NewPath="/eng/")
    )
    assert error == no_policy_allows(only_old.arn, "iam:UpdateUser", new)

    admin.put_user_policy(
        UserName="bob", PolicyName="rename", PolicyDocument=json.dumps(allow("iam:UpdateUser"))
    )
    iam.update_user(UserName="carol", NewUserName="caroline", NewPath="/eng/")
    assert admin.get_user(UserName="caroline")["User"]["Arn"] == new


def test_renaming_is_denied_on_the_user_first(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    boto3.client("iam").create_user(UserName="carol", Path="/ops/")
    iam = client("iam", bob.credentials)

    error = aws_error(lambda: iam.update_user(UserName="carol", NewUserName="caroline"))

    assert error == no_policy_allows(
        bob.arn, "iam:UpdateUser", f"arn:aws:iam::{ACCOUNT_ID}:user/ops/carol"
    )


# ---------------------------------------------------------------------------------------
# UpdateGroup


def test_a_renamed_group_keeps_its_members_and_policies(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    created = iam.create_group(GroupName="devs")["Group"]
    iam.create_user(UserName="carol")
    iam.add_user_to_group(GroupName="devs", UserName="carol")
    iam.put_group_policy(GroupName="devs", PolicyName="s3", PolicyDocument=S3_READ)
    iam.attach_group_policy(GroupName="devs", PolicyArn=READ_ONLY)

    iam.update_group(GroupName="devs", NewGroupName="Builders", NewPath="/eng/")

    found = iam.get_group(GroupName="builders")
    assert found["Group"] == {
        "Path": "/eng/",
        "GroupName": "Builders",
        "GroupId": created["GroupId"],
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:group/eng/Builders",
        "CreateDate": created["CreateDate"],
    }
    assert [u["UserName"] for u in found["Users"]] == ["carol"]
    groups = iam.list_groups_for_user(UserName="carol")["Groups"]
    assert [g["Arn"] for g in groups] == [found["Group"]["Arn"]]
    assert iam.list_group_policies(GroupName="Builders")["PolicyNames"] == ["s3"]
    attached = iam.list_attached_group_policies(GroupName="Builders")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [READ_ONLY]
    assert aws_error(lambda: iam.get_group(GroupName="devs")) == (
        "NoSuchEntity",
        "The group with name devs cannot be found.",
        404,
    )


def test_a_renamed_groups_policies_still_grant(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user("carol")
    iam = boto3.client("iam")
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="carol")
    iam.put_group_policy(
        GroupName="readers", PolicyName="r", PolicyDocument=json.dumps(allow("iam:ListUsers"))
    )

    iam.update_group(GroupName="readers", NewPath="/teams/")

    users = client("iam", carol.credentials).list_users()["Users"]
    assert "carol" in [u["UserName"] for u in users]


@pytest.mark.parametrize("new_name", ["ops", "OPS"])
def test_a_group_cannot_take_a_name_already_taken(sts_mock: MockSTS, new_name: str) -> None:
    iam = boto3.client("iam")
    iam.create_group(GroupName="devs")
    iam.create_group(GroupName="ops")

    error = aws_error(lambda: iam.update_group(GroupName="devs", NewGroupName=new_name))

    assert error == ("EntityAlreadyExists", f"Group with name {new_name} already exists.", 409)
    iam.update_group(GroupName="devs", NewGroupName="DEVS")
    assert iam.get_group(GroupName="devs")["Group"]["GroupName"] == "DEVS"


def test_renaming_a_missing_group(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: iam.update_group(GroupName="ghosts", NewGroupName="spirits"))

    assert error == ("NoSuchEntity", "The group with name ghosts cannot be found.", 404)


def test_renaming_a_group_needs_permission_on_both_names(sts_mock: MockSTS) -> None:
    old = f"arn:aws:iam::{ACCOUNT_ID}:group/devs"
    boto3.client("iam").create_group(GroupName="devs")
    bob = sts_mock.create_user("bob", policies={"rename": allow("iam:UpdateGroup", old)})
    iam = client("iam", bob.credentials)

    error = aws_error(lambda: iam.update_group(GroupName="devs", NewGroupName="builders"))

    assert error == no_policy_allows(
        bob.arn, "iam:UpdateGroup", f"arn:aws:iam::{ACCOUNT_ID}:group/builders"
    )
    nobody = client("iam", sts_mock.create_user("eve").credentials)
    assert aws_error(lambda: nobody.update_group(GroupName="devs")) == no_policy_allows(
        f"arn:aws:iam::{ACCOUNT_ID}:user/eve", "iam:UpdateGroup", old
    )
