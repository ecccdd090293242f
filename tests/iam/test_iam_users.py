"""IAM users, their tags and access keys, driven through real boto3 clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

import boto3
import botocore.exceptions
import pytest
import time_machine
from botocore.config import Config

from tests.helpers import IAM_FULL_ACCESS, INVALID_TOKEN, aws_error, client, error_of, user_names

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
UNKNOWN_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

USER_NAME_PATTERN = r"[\w+=,.@-]+"
PATH_PREFIX_PATTERN = r"\u002F[\u0021-\u007F]*"
TAG_KEY_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
TAG_VALUE_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"


def validation(*items: str) -> tuple[str, str, int]:
    """AWS's aggregated ValidationError for the given violation items, in that order."""
    noun = "error" if len(items) == 1 else "errors"
    message = f"{len(items)} validation {noun} detected: " + "; ".join(items)
    return ("ValidationError", message, 400)


def violation(member: str, rule: str) -> str:
    """One problem as IAM words it: without the value (STS_REFERENCE §13.3)."""
    return f"Value at '{member}' failed to satisfy constraint: Member must {rule}"


def unvalidated_iam() -> Any:
    """An IAM client that leaves every check to the server, minimums included."""
    return boto3.client("iam", config=Config(parameter_validation=False))


def user_tags_of(iam: Any, user_name: str) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in iam.list_user_tags(UserName=user_name)["Tags"]}


def key_statuses(iam: Any, user_name: str) -> dict[str, str]:
    metadata = iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]
    return {key["AccessKeyId"]: key["Status"] for key in metadata}


# ---------------------------------------------------------------------------------------
# CreateUser / GetUser


def test_create_user_returns_the_new_user(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        user = iam.create_user(UserName="alice")["User"]

    assert user["UserName"] == "alice"
    assert user["Path"] == "/"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    assert user["UserId"].startswith("AIDA")
    assert len(user["UserId"]) == 21
    assert user["CreateDate"] == MOMENT
    assert "Tags" not in user
    assert iam.get_user(UserName="alice")["User"] == user


def test_create_user_with_path_and_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "team", "Value": "red"}, {"Key": "cost-center", "Value": "41200"}]

    user = iam.create_user(UserName="bob", Path="/engineering/backend/", Tags=tags)["User"]

    assert user["Path"] == "/engineering/backend/"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/engineering/backend/bob"
    assert user["Tags"] == tags
    assert iam.get_user(UserName="bob")["User"]["Tags"] == tags


def test_get_user_is_case_insensitive_and_keeps_the_original_case(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    created = iam.create_user(UserName="Alice.Smith")["User"]

    for spelling in ("alice.smith", "ALICE.SMITH", "Alice.Smith"):
        found = iam.get_user(UserName=spelling)["User"]
        assert found["UserName"] == "Alice.Smith"
        assert found["UserId"] == created["UserId"]
        assert found["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/Alice.Smith"


@pytest.mark.parametrize("second_name", ["alice", "Alice", "ALICE"])
def test_user_names_are_unique_regardless_of_case(sts_mock: MockSTS, second_name: str) -> None:
    iam = boto3.client("iam")
    original = iam.create_user(UserName="alice", Tags=[{"Key": "k", "Value": "v"}])["User"]

    assert aws_error(lambda: iam.create_user(UserName=second_name, Path="/other/")) == (
        "EntityAlreadyExists",
        f"User with name {second_name} already exists.",
        409,
    )
    assert iam.get_user(UserName="alice")["User"] == original
    assert sorted(user_names(iam)) == ["admin", "alice"]


def test_the_builtin_admin_name_is_taken(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.create_user(UserName="Admin")) == (
        "EntityAlreadyExists",
        "User with name Admin already exists.",
        409,
    )
    assert iam.get_user(UserName="admin")["User"]["UserName"] == "admin"


def test_users_created_by_the_handle_are_seen_by_iam(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user("carol", path="/ops/", tags={"team": "blue"})
    iam = boto3.client("iam")

    user = iam.get_user(UserName="carol")["User"]
    assert user["Arn"] == carol.arn == f"arn:aws:iam::{ACCOUNT_ID}:user/ops/carol"
    assert user["UserId"] == carol.user_id
    assert user["Path"] == "/ops/"
    assert user["Tags"] == [{"Key": "team", "Value": "blue"}]

    assert aws_error(lambda: iam.create_user(UserName="CAROL")) == (
        "EntityAlreadyExists",
        "User with name CAROL already exists.",
        409,
    )


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_user", {}),
        ("delete_user", {}),
        ("tag_user", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_user", {"TagKeys": ["k"]}),
        ("list_user_tags", {}),
        ("create_access_key", {}),
        ("list_access_keys", {}),
        ("update_access_key", {"AccessKeyId": UNKNOWN_KEY_ID, "Status": "Inactive"}),
        ("delete_access_key", {"AccessKeyId": UNKNOWN_KEY_ID}),
        ("list_mfa_devices", {}),
    ],
)
def test_operations_on_an_unknown_user_are_no_such_entity(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any]
) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: getattr(iam, operation)(UserName="ghost", **kwargs)) == (
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
        404,
    )
    assert user_names(iam) == ["admin"]


def test_get_user_without_a_name_is_the_env_admin(sts_mock: MockSTS) -> None:
    user = boto3.client("iam").get_user()["User"]

    assert user["UserName"] == "admin"
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/admin"
    assert user["Path"] == "/"


def test_get_user_without_a_name_is_the_user_owning_the_keys(sts_mock: MockSTS) -> None:
    dave = sts_mock.create_user("dave", path="/staff/", policies={"iam": IAM_FULL_ACCESS})
    iam = boto3.client("iam", **dave.credentials.as_boto3())

    user = iam.get_user()["User"]

    assert user["UserName"] == "dave"
    assert user["UserId"] == dave.user_id
    assert user["Arn"] == dave.arn
    assert user["Path"] == "/staff/"


def test_get_user_without_a_name_with_root_credentials_describes_the_root_user(
    sts_mock: MockSTS,
) -> None:
    iam = boto3.client("iam", **sts_mock.root_credentials().as_boto3())

    user = iam.get_user()["User"]

    assert user["UserId"] == ACCOUNT_ID
    assert user["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert isinstance(user["CreateDate"], dt.datetime)
    assert "UserName" not in user
    assert "Path" not in user


def test_users_belong_to_their_account(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    iam.create_user(UserName="alice")

    created = other.create_user(UserName="alice")["User"]

    assert created["Arn"] == f"arn:aws:iam::{OTHER_ACCOUNT_ID}:user/alice"
    assert created["UserId"] != iam.get_user(UserName="alice")["User"]["UserId"]
    other.create_user(UserName="only-there")
    assert aws_error(lambda: iam.get_user(UserName="only-there")) == (
        "NoSuchEntity",
        "The user with name only-there cannot be found.",
        404,
    )
    assert sorted(user_names(other)) == ["admin", "alice", "only-there"]
    assert sorted(user_names(iam)) == ["admin", "alice"]


# ---------------------------------------------------------------------------------------
# DeleteUser


def test_delete_user_removes_the_user(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")

    iam.delete_user(UserName="ALICE")

    assert user_names(iam) == ["admin"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.get_user(UserName="alice")
    assert error_of(excinfo) == ("NoSuchEntity", "The user with name alice cannot be found.", 404)
    assert aws_error(lambda: iam.delete_user(UserName="alice")) == (
        "NoSuchEntity",
        "The user with name alice cannot be found.",
        404,
    )


def test_a_recreated_user_gets_a_new_unique_id(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    first = iam.create_user(UserName="alice")["User"]
    iam.delete_user(UserName="alice")

    second = iam.create_user(UserName="alice")["User"]

    assert second["Arn"] == first["Arn"]
    assert second["UserId"] != first["UserId"]


def test_delete_user_with_access_keys_is_a_conflict(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]

    assert aws_error(lambda: iam.delete_user(UserName="alice")) == (
        "DeleteConflict",
        "Cannot delete entity, must delete access keys first.",
        409,
    )
    assert iam.get_user(UserName="alice")["User"]["UserName"] == "alice"
    assert key_statuses(iam, "alice") == {key["AccessKeyId"]: "Active"}
    identity = client("sts", key, region=None).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"


def test_delete_user_with_an_mfa_device_is_a_conflict(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    iam = boto3.client("iam")
    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)

    assert aws_error(lambda: iam.delete_user(UserName="alice")) == (
        "DeleteConflict",
        "Cannot delete entity, must delete MFA device first.",
        409,
    )
    assert iam.get_user(UserName="alice")["User"]["Arn"] == alice.arn
    devices = iam.list_mfa_devices(UserName="alice")["MFADevices"]
    assert [d["SerialNumber"] for d in devices] == [device.serial_number]


def test_delete_user_with_an_attached_policy_is_a_conflict(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", managed_policy_arns=[ADMINISTRATOR_ACCESS])
    iam = boto3.client("iam")
    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)

    assert aws_error(lambda: iam.delete_user(UserName="alice")) == (
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
        409,
    )
    assert iam.get_user(UserName="alice")["User"]["Arn"] == alice.arn


def test_delete_user_with_an_inline_policy_is_a_conflict(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    iam = boto3.client("iam")
    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)

    assert aws_error(lambda: iam.delete_user(UserName="alice")) == (
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
        409,
    )
    assert iam.get_user(UserName="alice")["User"]["Arn"] == alice.arn


def test_the_builtin_admin_cannot_be_deleted_while_administrator_access_is_attached(
    sts_mock: MockSTS,
) -> None:
    admin_key = sts_mock.admin_credentials()
    root = boto3.client("iam", **sts_mock.root_credentials().as_boto3())
    root.delete_access_key(UserName="admin", AccessKeyId=admin_key.access_key_id)

    assert aws_error(lambda: root.delete_user(UserName="admin")) == (
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
        409,
    )
    assert root.get_user(UserName="admin")["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/admin"


def test_delete_user_succeeds_once_its_keys_are_gone(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    second = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]

    for key_id in (alice.credentials.access_key_id, second):
        iam.delete_access_key(UserName="alice", AccessKeyId=key_id)
    iam.delete_user(UserName="alice")

    assert user_names(iam) == ["admin"]


# ---------------------------------------------------------------------------------------
# ListUsers


def test_list_users_lists_every_user_without_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob", Tags=[{"Key": "team", "Value": "red"}])
    sts_mock.create_user("carol")

    result = iam.list_users()

    assert result["IsTruncated"] is False
    assert "Marker" not in result
    assert sorted(user_names(iam)) == ["admin", "bob", "carol"]
    for user in result["Users"]:
        assert set(user) == {"Path", "UserName", "UserId", "Arn", "CreateDate"}


def test_list_users_omits_permissions_boundary_and_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
    iam.create_user(
        UserName="bob",
        PermissionsBoundary=boundary,
        Tags=[{"Key": "team", "Value": "red"}],
    )

    full = iam.get_user(UserName="bob")["User"]
    (listed,) = [u for u in iam.list_users()["Users"] if u["UserName"] == "bob"]

    assert full["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": boundary,
    }
    assert full["Tags"] == [{"Key": "team", "Value": "red"}]
    assert listed == {k: full[k] for k in ("Path", "UserName", "UserId", "Arn", "CreateDate")}


def test_list_users_paginates_with_max_items_and_marker(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for name in ("dora", "bob", "erin", "carol"):
        iam.create_user(UserName=name)
    everyone = user_names(iam)
    assert sorted(everyone) == ["admin", "bob", "carol", "dora", "erin"]

    first = iam.list_users(MaxItems=2)
    second = iam.list_users(MaxItems=2, Marker=first["Marker"])
    third = iam.list_users(MaxItems=2, Marker=second["Marker"])

    assert [len(page["Users"]) for page in (first, second, third)] == [2, 2, 1]
    assert [page["IsTruncated"] for page in (first, second, third)] == [True, True, False]
    assert "Marker" not in third
    paged = [user["UserName"] for page in (first, second, third) for user in page["Users"]]
    assert paged == everyone
    pages = iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 3})
    assert [user["UserName"] for page in pages for user in page["Users"]] == everyone


def test_list_users_with_max_items_covering_everything_is_not_truncated(
    sts_mock: MockSTS,
) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")

    result = iam.list_users(MaxItems=2)

    assert result["IsTruncated"] is False
    assert "Marker" not in result
    assert len(result["Users"]) == 2


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/", ["admin", "alice", "bob", "carol"]),
        ("/eng/", ["alice", "bob"]),
        ("/eng/backend/", ["bob"]),
        ("/ops/", ["carol"]),
        ("/finance/", []),
    ],
)
def test_list_users_filters_by_path_prefix(
    sts_mock: MockSTS, prefix: str, expected: list[str]
) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice", Path="/eng/")
    iam.create_user(UserName="bob", Path="/eng/backend/")
    iam.create_user(UserName="carol", Path="/ops/")

    assert sorted(user_names(iam, PathPrefix=prefix)) == expected


# ---------------------------------------------------------------------------------------
# Tags


def test_tag_user_adds_tags_and_overwrites_existing_keys(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])

    iam.tag_user(
        UserName="alice",
        Tags=[{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "prod"}],
    )

    assert user_tags_of(iam, "alice") == {"team": "blue", "env": "prod"}
    assert (
        iam.get_user(UserName="alice")["User"]["Tags"]
        == iam.list_user_tags(UserName="alice")["Tags"]
    )


def test_untag_user_removes_only_the_named_keys(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(
        UserName="alice",
        Tags=[{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "prod"}],
    )

    iam.untag_user(UserName="alice", TagKeys=["env", "not-there"])

    assert user_tags_of(iam, "alice") == {"team": "red"}


def test_list_user_tags_of_an_untagged_user_is_empty(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")

    result = iam.list_user_tags(UserName="alice")

    assert result["Tags"] == []
    assert result["IsTruncated"] is False
    assert "Tags" not in iam.get_user(UserName="alice")["User"]


def test_list_user_tags_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": f"key{i}", "Value": f"value{i}"} for i in range(5)]
    iam.create_user(UserName="alice", Tags=tags)

    first = iam.list_user_tags(UserName="alice", MaxItems=3)
    second = iam.list_user_tags(UserName="alice", MaxItems=3, Marker=first["Marker"])

    assert first["IsTruncated"] is True
    assert second["IsTruncated"] is False
    assert "Marker" not in second
    assert sorted(first["Tags"] + second["Tags"], key=lambda t: t["Key"]) == tags


@pytest.mark.parametrize(("first", "second"), [("env", "env"), ("env", "Env"), ("ENV", "env")])
def test_create_user_with_duplicate_tag_keys_is_invalid_input(
    sts_mock: MockSTS, first: str, second: str
) -> None:
    iam = boto3.client("iam")

    assert aws_error(
        lambda: iam.create_user(
            UserName="alice",
            Tags=[{"Key": first, "Value": "a"}, {"Key": second, "Value": "b"}],
        )
    ) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    assert user_names(iam) == ["admin"]


def test_tag_user_with_duplicate_tag_keys_is_invalid_input(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])

    assert aws_error(
        lambda: iam.tag_user(
            UserName="alice",
            Tags=[{"Key": "Team", "Value": "blue"}, {"Key": "team", "Value": "green"}],
        )
    ) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    assert user_tags_of(iam, "alice") == {"team": "red"}


def test_a_user_has_at_most_50_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(40)])
    before = user_tags_of(iam, "alice")

    assert aws_error(
        lambda: iam.tag_user(
            UserName="alice", Tags=[{"Key": f"new{i}", "Value": "v"} for i in range(11)]
        )
    ) == (
        "LimitExceeded",
        "The number of tags has reached the maximum limit.",
        409,
    )
    assert user_tags_of(iam, "alice") == before

    iam.tag_user(UserName="alice", Tags=[{"Key": f"new{i}", "Value": "v"} for i in range(10)])
    assert len(user_tags_of(iam, "alice")) == 50
    # Overwriting a key at the limit adds nothing.
    iam.tag_user(UserName="alice", Tags=[{"Key": "k0", "Value": "changed"}])
    assert user_tags_of(iam, "alice")["k0"] == "changed"
    assert len(user_tags_of(iam, "alice")) == 50


# ---------------------------------------------------------------------------------------
# Access keys


def test_create_access_key_returns_working_keys(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    with time_machine.travel(MOMENT, tick=False):
        key = iam.create_access_key(UserName="alice")["AccessKey"]

    assert key["UserName"] == "alice"
    assert key["Status"] == "Active"
    assert key["AccessKeyId"].startswith("AKIA")
    assert len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40
    assert key["CreateDate"] == MOMENT
    identity = client("sts", key, region=None).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    assert identity["Account"] == ACCOUNT_ID


def test_list_access_keys_shows_metadata_but_never_the_secret(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")
    with time_machine.travel(MOMENT, tick=False):
        key = iam.create_access_key(UserName="alice")["AccessKey"]

    result = iam.list_access_keys(UserName="alice")

    assert result["IsTruncated"] is False
    assert result["AccessKeyMetadata"] == [
        {
            "UserName": "alice",
            "AccessKeyId": key["AccessKeyId"],
            "Status": "Active",
            "CreateDate": MOMENT,
        }
    ]


def test_list_access_keys_of_a_user_without_keys_is_empty(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")

    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_a_user_has_at_most_two_access_keys_active_or_not(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    second = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(
        UserName="alice", AccessKeyId=alice.credentials.access_key_id, Status="Inactive"
    )

    assert aws_error(lambda: iam.create_access_key(UserName="alice")) == (
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
        409,
    )
    assert key_statuses(iam, "alice") == {
        alice.credentials.access_key_id: "Inactive",
        second: "Active",
    }

    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)
    third = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    assert key_statuses(iam, "alice") == {second: "Active", third: "Active"}


def test_a_user_manages_its_own_keys_without_naming_itself(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    iam = boto3.client("iam", **alice.credentials.as_boto3())

    created = iam.create_access_key()["AccessKey"]
    assert created["UserName"] == "alice"
    listed = iam.list_access_keys()["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in listed} == {
        alice.credentials.access_key_id,
        created["AccessKeyId"],
    }
    assert {k["UserName"] for k in listed} == {"alice"}

    iam.update_access_key(AccessKeyId=created["AccessKeyId"], Status="Inactive")
    assert key_statuses(boto3.client("iam"), "alice")[created["AccessKeyId"]] == "Inactive"
    iam.delete_access_key(AccessKeyId=created["AccessKeyId"])

    assert key_statuses(boto3.client("iam"), "alice") == {alice.credentials.access_key_id: "Active"}
    assert len(boto3.client("iam").list_access_keys()["AccessKeyMetadata"]) == 1


def test_the_root_user_manages_its_own_access_keys(sts_mock: MockSTS) -> None:
    root_credentials = sts_mock.root_credentials()
    iam = boto3.client("iam", **root_credentials.as_boto3())

    created = iam.create_access_key()["AccessKey"]

    listed = iam.list_access_keys()["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in listed} == {
        root_credentials.access_key_id,
        created["AccessKeyId"],
    }
    identity = client("sts", created, region=None).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert aws_error(lambda: iam.create_access_key()) == (
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
        409,
    )
    assert len(iam.list_access_keys()["AccessKeyMetadata"]) == 2


def test_update_access_key_of_an_unknown_key_is_no_such_entity(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice")

    assert aws_error(
        lambda: iam.update_access_key(
            UserName="alice", AccessKeyId=UNKNOWN_KEY_ID, Status="Inactive"
        )
    ) == (
        "NoSuchEntity",
        f"The Access Key with id {UNKNOWN_KEY_ID} cannot be found.",
        404,
    )


def test_a_key_is_only_found_under_its_own_user(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    sts_mock.create_user("carol")
    iam = boto3.client("iam")
    key_id = bob.credentials.access_key_id
    message = f"The Access Key with id {key_id} cannot be found."

    # Without UserName the key is looked up under the caller (admin), with it under carol.
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.update_access_key(AccessKeyId=key_id, Status="Inactive")
    assert error_of(excinfo) == ("NoSuchEntity", message, 404)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.update_access_key(UserName="carol", AccessKeyId=key_id, Status="Inactive")
    assert error_of(excinfo) == ("NoSuchEntity", message, 404)
    assert aws_error(lambda: iam.delete_access_key(AccessKeyId=key_id)) == (
        "NoSuchEntity",
        message,
        404,
    )

    assert key_statuses(iam, "bob") == {key_id: "Active"}
    identity = boto3.client("sts", **bob.credentials.as_boto3()).get_caller_identity()
    assert identity["Arn"] == bob.arn


def test_delete_access_key_twice_is_no_such_entity(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    key_id = alice.credentials.access_key_id
    iam.delete_access_key(UserName="alice", AccessKeyId=key_id)

    assert aws_error(lambda: iam.delete_access_key(UserName="alice", AccessKeyId=key_id)) == (
        "NoSuchEntity",
        f"The Access Key with id {key_id} cannot be found.",
        404,
    )
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


STRICTNESS = [
    pytest.param(False, marks=pytest.mark.sts_mock(strict=False), id="lenient"),
    pytest.param(True, marks=pytest.mark.sts_mock(strict=True), id="strict"),
]


@pytest.mark.parametrize("strict", STRICTNESS)
def test_a_deactivated_key_is_refused_until_reactivated(sts_mock: MockSTS, strict: bool) -> None:
    assert sts_mock.strict is strict
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    admin = boto3.client("iam")
    alice_iam = boto3.client("iam", **alice.credentials.as_boto3())
    alice_sts = boto3.client("sts", **alice.credentials.as_boto3())
    key_id = alice.credentials.access_key_id

    admin.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Inactive")

    assert key_statuses(admin, "alice") == {key_id: "Inactive"}
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        alice_iam.get_user()
    assert error_of(excinfo) == INVALID_TOKEN
    assert aws_error(lambda: alice_sts.get_caller_identity()) == INVALID_TOKEN

    admin.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Active")

    assert alice_iam.get_user()["User"]["Arn"] == alice.arn
    assert alice_sts.get_caller_identity()["Arn"] == alice.arn


@pytest.mark.parametrize("strict", STRICTNESS)
def test_a_deleted_key_is_refused_even_when_unknown_keys_are_accepted(
    sts_mock: MockSTS, strict: bool
) -> None:
    assert sts_mock.strict is strict
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    admin = boto3.client("iam")
    key_id = alice.credentials.access_key_id

    admin.delete_access_key(UserName="alice", AccessKeyId=key_id)

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        boto3.client("iam", **alice.credentials.as_boto3()).get_user()
    assert error_of(excinfo) == INVALID_TOKEN
    assert (
        aws_error(lambda: boto3.client("sts", **alice.credentials.as_boto3()).get_caller_identity())
        == INVALID_TOKEN
    )
    # The user itself is untouched: a new key works.
    fresh = admin.create_access_key(UserName="alice")["AccessKey"]
    assert client("sts", fresh, region=None).get_caller_identity()["Arn"] == alice.arn


def test_deleting_the_key_a_user_signs_with_locks_that_key_out(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    iam = boto3.client("iam", **alice.credentials.as_boto3())

    iam.delete_access_key(AccessKeyId=alice.credentials.access_key_id)

    assert aws_error(lambda: iam.list_access_keys()) == INVALID_TOKEN
    assert boto3.client("iam").list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_get_access_key_last_used(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    key_id = alice.credentials.access_key_id

    unused = iam.get_access_key_last_used(AccessKeyId=key_id)
    assert unused["UserName"] == "alice"
    assert unused["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}

    with time_machine.travel(MOMENT, tick=False):
        boto3.client("sts", **alice.credentials.as_boto3()).get_caller_identity()

    used = iam.get_access_key_last_used(AccessKeyId=key_id)
    assert used["UserName"] == "alice"
    assert used["AccessKeyLastUsed"] == {
        "LastUsedDate": MOMENT,
        "ServiceName": "sts",
        "Region": "us-east-1",
    }


# ---------------------------------------------------------------------------------------
# Server-side validation (what botocore leaves to AWS)


def test_a_65_character_user_name_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    name = "u" * 65

    assert aws_error(lambda: iam.create_user(UserName=name)) == validation(
        violation("userName", "have length less than or equal to 64")
    )
    assert user_names(iam) == ["admin"]
    assert iam.create_user(UserName="u" * 64)["User"]["UserName"] == "u" * 64


@pytest.mark.parametrize("name", ["bad name", "josé", "a/b", "semi;colon", "star*"])
def test_a_user_name_outside_the_pattern_is_rejected(sts_mock: MockSTS, name: str) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.create_user(UserName=name)) == validation(
        violation("userName", f"satisfy regular expression pattern: {USER_NAME_PATTERN}")
    )
    assert user_names(iam) == ["admin"]


def test_every_violation_is_reported_at_once(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    name = "u" * 64 + " "

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.create_user(UserName=name, Path="/no-trailing-slash")

    code, message, status = error_of(excinfo)
    assert (code, status) == ("ValidationError", 400)
    head, _, items = message.partition(": ")
    # The path's pattern is IAM's own check, made once the model's pass (STS_REFERENCE §13.3).
    assert head == "2 validation errors detected"
    assert set(items.split("; ")) == {
        violation("userName", f"satisfy regular expression pattern: {USER_NAME_PATTERN}"),
        violation("userName", "have length less than or equal to 64"),
    }
    assert user_names(iam) == ["admin"]


def test_an_existing_user_name_may_be_up_to_128_characters(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    long_name = "u" * 128

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.get_user(UserName=long_name)
    assert error_of(excinfo) == (
        "NoSuchEntity",
        f"The user with name {long_name} cannot be found.",
        404,
    )

    too_long = "u" * 129
    assert aws_error(lambda: iam.get_user(UserName=too_long)) == validation(
        violation("userName", "have length less than or equal to 128")
    )


def test_an_empty_user_name_breaks_length_and_pattern(sts_mock: MockSTS) -> None:
    iam = unvalidated_iam()

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        iam.create_user(UserName="")

    code, message, status = error_of(excinfo)
    assert (code, status) == ("ValidationError", 400)
    head, _, items = message.partition(": ")
    assert head == "2 validation errors detected"
    assert set(items.split("; ")) == {
        violation("userName", "have length greater than or equal to 1"),
        violation("userName", f"satisfy regular expression pattern: {USER_NAME_PATTERN}"),
    }
    assert user_names(boto3.client("iam")) == ["admin"]


def test_a_missing_user_name_is_null(sts_mock: MockSTS) -> None:
    iam = unvalidated_iam()

    assert aws_error(lambda: iam.create_user(Path="/")) == validation(
        violation("userName", "not be null")
    )


@pytest.mark.parametrize("path", ["/no-trailing-slash", "no-leading-slash/", "/with space/"])
def test_a_path_outside_the_pattern_is_rejected(sts_mock: MockSTS, path: str) -> None:
    iam = boto3.client("iam")

    # In IAM's own words, not the model's (STS_REFERENCE §13.3).
    assert aws_error(lambda: iam.create_user(UserName="alice", Path=path)) == (
        "ValidationError",
        "The specified value for path is invalid. It must begin and end with / and contain "
        "only alphanumeric characters and/or / characters.",
        400,
    )
    assert user_names(iam) == ["admin"]


def test_a_path_longer_than_512_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    path = "/" + "p" * 511 + "/"

    assert aws_error(lambda: iam.create_user(UserName="alice", Path=path)) == validation(
        violation("path", "have length less than or equal to 512")
    )


def test_a_path_prefix_must_start_with_a_slash(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.list_users(PathPrefix="eng/")) == validation(
        violation("pathPrefix", f"satisfy regular expression pattern: {PATH_PREFIX_PATTERN}")
    )


def test_max_items_above_1000_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.list_users(MaxItems=1001)) == validation(
        violation("maxItems", "have value less than or equal to 1000")
    )
    assert len(iam.list_users(MaxItems=1000)["Users"]) == 1


def test_max_items_below_1_is_rejected_by_the_server(sts_mock: MockSTS) -> None:
    iam = unvalidated_iam()

    assert aws_error(lambda: iam.list_access_keys(MaxItems=0)) == validation(
        violation("maxItems", "have value greater than or equal to 1")
    )


def test_a_tag_value_longer_than_256_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    value = "v" * 257

    assert aws_error(
        lambda: iam.create_user(
            UserName="alice",
            Tags=[{"Key": "ok", "Value": "fine"}, {"Key": "long", "Value": value}],
        )
    ) == validation(violation("tags.2.member.value", "have length less than or equal to 256"))
    assert user_names(iam) == ["admin"]


def test_a_tag_key_outside_the_pattern_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red"}])

    assert aws_error(
        lambda: iam.tag_user(UserName="alice", Tags=[{"Key": "bad#key", "Value": "x"}])
    ) == validation(
        violation("tags.1.member.key", f"satisfy regular expression pattern: {TAG_KEY_PATTERN}")
    )
    assert user_tags_of(iam, "alice") == {"team": "red"}


def test_a_tag_value_outside_the_pattern_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(
        lambda: iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "red&blue"}])
    ) == validation(
        violation(
            "tags.1.member.value",
            f"satisfy regular expression pattern: {TAG_VALUE_PATTERN}",
        )
    )
    assert user_names(iam) == ["admin"]


def test_unicode_letters_and_spaces_are_valid_in_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "Équipe", "Value": "rouge et bleu"}]

    iam.create_user(UserName="alice", Tags=tags)

    assert user_tags_of(iam, "alice") == {"Équipe": "rouge et bleu"}


@pytest.mark.parametrize("status", ["Disabled", "active", "INACTIVE"])
def test_an_access_key_status_outside_the_enum_is_rejected(sts_mock: MockSTS, status: str) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    key_id = alice.credentials.access_key_id

    assert aws_error(
        lambda: iam.update_access_key(UserName="alice", AccessKeyId=key_id, Status=status)
    ) == validation(violation("status", "satisfy enum value set: [Active, Inactive, Expired]"))
    assert key_statuses(iam, "alice") == {key_id: "Active"}


def test_an_access_key_id_outside_the_pattern_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    key_id = "AKIA-0000000000000"

    assert aws_error(lambda: iam.delete_access_key(AccessKeyId=key_id)) == validation(
        violation("accessKeyId", r"satisfy regular expression pattern: [\w]+")
    )


def test_a_short_access_key_id_is_rejected_by_the_server(sts_mock: MockSTS) -> None:
    iam = unvalidated_iam()

    assert aws_error(lambda: iam.get_access_key_last_used(AccessKeyId="AKIA")) == validation(
        violation("accessKeyId", "have length greater than or equal to 16")
    )


def test_a_marker_that_was_never_issued_is_refused(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for marker in ("not-a-marker", "999"):
        assert aws_error(partial(iam.list_users, Marker=marker)) == (
            "ValidationError",
            "Invalid Marker.",
            400,
        )


def test_last_used_of_a_key_outside_the_account_is_denied(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    other = sts_mock.admin_credentials("999999999999").access_key_id
    for key_id in (other, "AKIARZPUZDIKAAAAAAAA"):
        # AWS's answer (§13.3): no colon after "perform", the key named as "access key".
        assert aws_error(partial(iam.get_access_key_last_used, AccessKeyId=key_id)) == (
            "AccessDenied",
            f"User: arn:aws:iam::{ACCOUNT_ID}:user/admin is not authorized to perform "
            f"iam:GetAccessKeyLastUsed on resource: access key {key_id}",
            403,
        )
