"""Tags of customer managed policies (TagPolicy, UntagPolicy, ListPolicyTags) and the
entities that use a managed policy (ListEntitiesForPolicy), driven through real boto3
clients as AWS answers them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
MISSING = f"arn:aws:iam::{ACCOUNT_ID}:policy/ghost"
S3_READ = json.dumps(allow("s3:GetObject"))
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def new_policy(iam: Any, name: str = "s3-read", **params: Any) -> str:
    arn: str = iam.create_policy(PolicyName=name, PolicyDocument=S3_READ, **params)["Policy"]["Arn"]
    return arn


def tags(**pairs: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


def entities(iam: Any, arn: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = iam.list_entities_for_policy(PolicyArn=arn, **params)
    del answer["ResponseMetadata"]
    return answer


# ---------------------------------------------------------------------------------------
# TagPolicy / UntagPolicy / ListPolicyTags


def test_tags_of_a_customer_managed_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = new_policy(iam, Tags=tags(team="red"))

    iam.tag_policy(PolicyArn=arn, Tags=tags(cost="41200", TEAM="blue"))

    # A key equal but for case keeps its place, with the new spelling and value.
    listed = iam.list_policy_tags(PolicyArn=arn)
    assert (listed["Tags"], listed["IsTruncated"]) == (tags(TEAM="blue", cost="41200"), False)
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Tags"] == tags(TEAM="blue", cost="41200")

    iam.untag_policy(PolicyArn=arn, TagKeys=["team", "absent"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == tags(cost="41200")


def test_policy_tags_page(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = new_policy(iam, Tags=tags(a="1", b="2", c="3"))

    first = iam.list_policy_tags(PolicyArn=arn, MaxItems=2)
    rest = iam.list_policy_tags(PolicyArn=arn, Marker=first["Marker"])

    assert (first["Tags"], first["IsTruncated"]) == (tags(a="1", b="2"), True)
    assert (rest["Tags"], rest["IsTruncated"]) == (tags(c="3"), False)


def test_duplicate_policy_tag_keys(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = new_policy(iam)

    error = aws_error(lambda: iam.tag_policy(PolicyArn=arn, Tags=tags(a="1", A="2")))

    assert error == ("InvalidInput", "Duplicate tag keys found.", 400)


def test_a_policy_holds_at_most_50_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = new_policy(iam, Tags=[{"Key": f"k{n}", "Value": ""} for n in range(50)])

    error = aws_error(lambda: iam.tag_policy(PolicyArn=arn, Tags=tags(one="more")))

    assert error == ("LimitExceeded", "The number of tags has reached the maximum limit.", 409)


@pytest.mark.parametrize(
    "call",
    [
        lambda iam: iam.tag_policy(PolicyArn=MISSING, Tags=tags(a="1")),
        lambda iam: iam.untag_policy(PolicyArn=MISSING, TagKeys=["a"]),
        lambda iam: iam.list_policy_tags(PolicyArn=MISSING),
        lambda iam: iam.list_entities_for_policy(PolicyArn=MISSING),
    ],
)
def test_a_missing_policy(sts_mock: MockSTS, call: Any) -> None:
    error = aws_error(lambda: call(boto3.client("iam")))

    assert error == ("NoSuchEntity", f"Policy {MISSING} was not found.", 404)


def test_another_accounts_policy_is_not_found(sts_mock: MockSTS) -> None:
    other = client("iam", sts_mock.admin_credentials("111111111111"))
    arn = new_policy(other)

    error = aws_error(lambda: boto3.client("iam").list_policy_tags(PolicyArn=arn))

    assert error == ("NoSuchEntity", f"Policy {arn} was not found.", 404)


@pytest.mark.parametrize(
    "call",
    [
        lambda iam: iam.tag_policy(PolicyArn=READ_ONLY, Tags=tags(a="1")),
        lambda iam: iam.untag_policy(PolicyArn=READ_ONLY, TagKeys=["a"]),
    ],
)
def test_aws_managed_policies_cannot_be_tagged(sts_mock: MockSTS, call: Any) -> None:
    error = aws_error(lambda: call(boto3.client("iam")))

    assert error == ("InvalidInput", "Tags not supported for policies in this domain", 400)


def test_an_aws_managed_policy_lists_no_tags(sts_mock: MockSTS) -> None:
    listed = boto3.client("iam").list_policy_tags(PolicyArn=READ_ONLY)

    assert (listed["Tags"], listed["IsTruncated"]) == ([], False)


def test_tagging_a_policy_is_authorized_on_the_policy(sts_mock: MockSTS) -> None:
    arn = new_policy(boto3.client("iam"))
    bob = sts_mock.create_user("bob", policies={"read": allow("iam:ListPolicyTags", arn)})
    iam = client("iam", bob.credentials)

    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == []
    for call, action in (
        (lambda: iam.tag_policy(PolicyArn=arn, Tags=tags(a="1")), "TagPolicy"),
        (lambda: iam.untag_policy(PolicyArn=arn, TagKeys=["a"]), "UntagPolicy"),
        (lambda: iam.list_entities_for_policy(PolicyArn=arn), "ListEntitiesForPolicy"),
    ):
        assert aws_error(call) == (
            "AccessDenied",
            f"User: {bob.arn} is not authorized to perform: iam:{action} on resource: {arn}"
            f" because no identity-based policy allows the iam:{action} action",
            403,
        )


# ---------------------------------------------------------------------------------------
# ListEntitiesForPolicy


@pytest.fixture
def used(sts_mock: MockSTS) -> tuple[Any, str, dict[str, str]]:
    """A customer managed policy attached to a group, two users and a role, and the boundary
    of a user and a role; and the entities' unique ids."""
    iam = boto3.client("iam")
    arn = new_policy(iam)
    ids = {
        "devs": iam.create_group(GroupName="devs", Path="/eng/")["Group"]["GroupId"],
        "ops": iam.create_group(GroupName="ops")["Group"]["GroupId"],
        "carol": iam.create_user(UserName="carol")["User"]["UserId"],
        "Bob": iam.create_user(UserName="Bob", Path="/eng/")["User"]["UserId"],
        "erin": iam.create_user(UserName="erin", PermissionsBoundary=arn)["User"]["UserId"],
        "worker": iam.create_role(RoleName="worker", AssumeRolePolicyDocument=TRUST)["Role"][
            "RoleId"
        ],
        "fenced": iam.create_role(
            RoleName="fenced", AssumeRolePolicyDocument=TRUST, PermissionsBoundary=arn
        )["Role"]["RoleId"],
    }
    iam.attach_group_policy(GroupName="devs", PolicyArn=arn)
    iam.attach_user_policy(UserName="carol", PolicyArn=arn)
    iam.attach_user_policy(UserName="Bob", PolicyArn=arn)
    iam.attach_role_policy(RoleName="worker", PolicyArn=arn)
    return iam, arn, ids


def test_entities_using_a_policy_either_way(used: tuple[Any, str, dict[str, str]]) -> None:
    iam, arn, ids = used

    assert entities(iam, arn) == {
        "PolicyGroups": [{"GroupName": "devs", "GroupId": ids["devs"]}],
        "PolicyUsers": [
            {"UserName": "Bob", "UserId": ids["Bob"]},
            {"UserName": "carol", "UserId": ids["carol"]},
            {"UserName": "erin", "UserId": ids["erin"]},
        ],
        "PolicyRoles": [
            {"RoleName": "fenced", "RoleId": ids["fenced"]},
            {"RoleName": "worker", "RoleId": ids["worker"]},
        ],
        "IsTruncated": False,
    }


def test_entities_by_usage(used: tuple[Any, str, dict[str, str]]) -> None:
    iam, arn, ids = used

    as_policy = entities(iam, arn, PolicyUsageFilter="PermissionsPolicy")
    as_boundary = entities(iam, arn, PolicyUsageFilter="PermissionsBoundary")

    assert [u["UserName"] for u in as_policy["PolicyUsers"]] == ["Bob", "carol"]
    assert [r["RoleName"] for r in as_policy["PolicyRoles"]] == ["worker"]
    assert [g["GroupName"] for g in as_policy["PolicyGroups"]] == ["devs"]
    assert as_boundary == {
        "PolicyGroups": [],
        "PolicyUsers": [{"UserName": "erin", "UserId": ids["erin"]}],
        "PolicyRoles": [{"RoleName": "fenced", "RoleId": ids["fenced"]}],
        "IsTruncated": False,
    }


@pytest.mark.parametrize(
    ("entity_filter", "names"),
    [
        ("User", ([], ["Bob", "carol", "erin"], [])),
        ("Group", (["devs"], [], [])),
        ("Role", ([], [], ["fenced", "worker"])),
        ("LocalManagedPolicy", ([], [], [])),
        ("AWSManagedPolicy", ([], [], [])),
    ],
)
def test_entities_by_kind(
    used: tuple[Any, str, dict[str, str]],
    entity_filter: str,
    names: tuple[list[str], list[str], list[str]],
) -> None:
    iam, arn, _ = used

    answer = entities(iam, arn, EntityFilter=entity_filter)

    assert (
        [g["GroupName"] for g in answer["PolicyGroups"]],
        [u["UserName"] for u in answer["PolicyUsers"]],
        [r["RoleName"] for r in answer["PolicyRoles"]],
    ) == names


def test_entities_by_path(used: tuple[Any, str, dict[str, str]]) -> None:
    iam, arn, ids = used

    assert entities(iam, arn, PathPrefix="/eng/") == {
        "PolicyGroups": [{"GroupName": "devs", "GroupId": ids["devs"]}],
        "PolicyUsers": [{"UserName": "Bob", "UserId": ids["Bob"]}],
        "PolicyRoles": [],
        "IsTruncated": False,
    }


def test_entities_page_across_kinds(used: tuple[Any, str, dict[str, str]]) -> None:
    iam, arn, _ = used

    first = entities(iam, arn, MaxItems=3)
    rest = entities(iam, arn, Marker=first["Marker"])

    assert first["IsTruncated"] is True
    assert [g["GroupName"] for g in first["PolicyGroups"]] == ["devs"]
    assert [u["UserName"] for u in first["PolicyUsers"]] == ["Bob", "carol"]
    assert first["PolicyRoles"] == []
    assert "Marker" not in rest
    assert [u["UserName"] for u in rest["PolicyUsers"]] == ["erin"]
    assert [r["RoleName"] for r in rest["PolicyRoles"]] == ["fenced", "worker"]
    error = aws_error(lambda: iam.list_entities_for_policy(PolicyArn=arn, Marker="nonsense"))
    assert error == ("ValidationError", "Invalid Marker.", 400)


def test_entities_follow_detaches_and_renames(used: tuple[Any, str, dict[str, str]]) -> None:
    iam, arn, ids = used
    iam.detach_user_policy(UserName="carol", PolicyArn=arn)
    iam.delete_user_permissions_boundary(UserName="erin")
    iam.update_user(UserName="Bob", NewUserName="robert")

    users = entities(iam, arn, EntityFilter="User")["PolicyUsers"]

    assert users == [{"UserName": "robert", "UserId": ids["Bob"]}]


def test_entities_of_an_aws_managed_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="carol")
    iam.attach_user_policy(UserName="carol", PolicyArn=READ_ONLY)

    answer = entities(iam, "arn:aws:iam::aws:policy/AdministratorAccess", EntityFilter="User")
    read_only = entities(iam, READ_ONLY)

    # The account's built-in admin holds AdministratorAccess.
    assert [u["UserName"] for u in answer["PolicyUsers"]] == ["admin"]
    assert [u["UserName"] for u in read_only["PolicyUsers"]] == ["carol"]
    # Another account's attachments are its own.
    other = client("iam", sts_mock.admin_credentials("111111111111"))
    assert entities(other, READ_ONLY)["PolicyUsers"] == []
