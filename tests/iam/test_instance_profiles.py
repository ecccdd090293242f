"""IAM instance profiles, driven through real boto3 clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import InstanceProfile, MockSTS
from tests.helpers import ROLE_SUMMARY_MEMBERS, aws_error, client, no_policy_allows
from tests.helpers.assume_role import allow

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def make_role(iam: Any, name: str = "web-role", **kwargs: Any) -> Any:
    text = json.dumps(EC2_TRUST)
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=text, **kwargs)["Role"]


def make_profile(iam: Any, name: str = "web", **kwargs: Any) -> Any:
    return iam.create_instance_profile(InstanceProfileName=name, **kwargs)["InstanceProfile"]


def profile_names(result: Any) -> list[str]:
    return [profile["InstanceProfileName"] for profile in result["InstanceProfiles"]]


def profile_tags_of(iam: Any, name: str) -> dict[str, str]:
    tags = iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"]
    return {tag["Key"]: tag["Value"] for tag in tags}


def no_such_profile(name: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"Instance Profile {name} cannot be found.", 404)


def no_such_role(name: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The role with name {name} cannot be found.", 404)


REMOVE_ROLES_FIRST = (
    "DeleteConflict",
    "Cannot delete entity, must remove roles from instance profile first.",
    409,
)
ONE_ROLE = (
    "LimitExceeded",
    "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    409,
)


# ---------------------------------------------------------------------------------------
# CreateInstanceProfile / GetInstanceProfile / DeleteInstanceProfile


def test_create_instance_profile_returns_the_new_profile(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        profile = make_profile(iam)

    assert profile["InstanceProfileName"] == "web"
    assert profile["Path"] == "/"
    assert profile["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/web"
    assert profile["InstanceProfileId"].startswith("AIPA")
    assert len(profile["InstanceProfileId"]) == 21
    assert profile["CreateDate"] == MOMENT
    assert profile["Roles"] == []
    # CreateInstanceProfile leaves Tags out when none were given; GetInstanceProfile shows [].
    assert "Tags" not in profile
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"] == {
        **profile,
        "Tags": [],
    }


def test_instance_profile_ids_carry_the_account(sts_mock: MockSTS) -> None:
    profile = make_profile(boto3.client("iam"))
    sts = boto3.client("sts", region_name="us-east-1")
    assert sts.get_access_key_info(AccessKeyId=profile["InstanceProfileId"])["Account"] == (
        ACCOUNT_ID
    )


def test_create_instance_profile_with_a_path_and_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "prod"}]

    profile = make_profile(iam, Path="/ci/deploy/", Tags=tags)

    assert profile["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/ci/deploy/web"
    assert profile["Path"] == "/ci/deploy/"
    assert profile["Tags"] == tags
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"] == profile


def test_instance_profile_names_are_unique_regardless_of_case(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam, "Web")

    assert aws_error(lambda: make_profile(iam, "WEB", Path="/other/")) == (
        "EntityAlreadyExists",
        "Instance Profile WEB already exists.",
        409,
    )
    found = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    assert (found["InstanceProfileName"], found["Path"]) == ("Web", "/")


def test_create_instance_profile_refuses_duplicate_tag_keys(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "env", "Value": "a"}, {"Key": "ENV", "Value": "b"}]

    assert aws_error(lambda: make_profile(iam, Tags=tags)) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    assert aws_error(lambda: iam.get_instance_profile(InstanceProfileName="web")) == (
        no_such_profile("web")
    )


def test_a_malformed_name_is_a_validation_error(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    code, message, status = aws_error(lambda: make_profile(iam, "no spaces"))
    assert (code, status) == ("ValidationError", 400)
    assert "instanceProfileName" in message


def test_delete_instance_profile(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam, "Web")

    iam.delete_instance_profile(InstanceProfileName="WEB")

    assert aws_error(lambda: iam.get_instance_profile(InstanceProfileName="Web")) == (
        no_such_profile("Web")
    )
    assert make_profile(iam, "web")["InstanceProfileName"] == "web"


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_instance_profile", {}),
        ("delete_instance_profile", {}),
        ("add_role_to_instance_profile", {"RoleName": "web-role"}),
        ("remove_role_from_instance_profile", {"RoleName": "web-role"}),
        ("tag_instance_profile", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_instance_profile", {"TagKeys": ["k"]}),
        ("list_instance_profile_tags", {}),
    ],
)
def test_a_missing_instance_profile_is_named(
    sts_mock: MockSTS, operation: str, params: dict[str, Any]
) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    call = getattr(iam, operation)
    assert aws_error(lambda: call(InstanceProfileName="ghost", **params)) == (
        no_such_profile("ghost")
    )


# ---------------------------------------------------------------------------------------
# ListInstanceProfiles


def test_list_instance_profiles_by_path_prefix(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam, "zeta", Path="/app/")
    make_profile(iam, "Alpha", Path="/app/web/", Tags=[{"Key": "k", "Value": "v"}])
    make_profile(iam, "beta")

    everything = iam.list_instance_profiles()
    assert profile_names(everything) == ["Alpha", "beta", "zeta"]
    assert everything["IsTruncated"] is False
    # Listings never show tags.
    assert all("Tags" not in profile for profile in everything["InstanceProfiles"])
    assert profile_names(iam.list_instance_profiles(PathPrefix="/app/")) == ["Alpha", "zeta"]
    assert profile_names(iam.list_instance_profiles(PathPrefix="/app/web")) == ["Alpha"]
    assert iam.list_instance_profiles(PathPrefix="/nowhere/")["InstanceProfiles"] == []


def test_list_instance_profiles_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for index in range(5):
        make_profile(iam, f"profile-{index}")

    first = iam.list_instance_profiles(MaxItems=2)
    assert profile_names(first) == ["profile-0", "profile-1"]
    assert first["IsTruncated"] is True
    second = iam.list_instance_profiles(MaxItems=2, Marker=first["Marker"])
    assert profile_names(second) == ["profile-2", "profile-3"]
    pages = iam.get_paginator("list_instance_profiles").paginate(PaginationConfig={"PageSize": 2})
    assert [name for page in pages for name in profile_names(page)] == [
        f"profile-{index}" for index in range(5)
    ]
    assert aws_error(lambda: iam.list_instance_profiles(Marker="not-a-marker")) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


# ---------------------------------------------------------------------------------------
# AddRoleToInstanceProfile / RemoveRoleFromInstanceProfile


def test_a_profile_shows_its_role_as_aws_does(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(
        iam,
        Path="/ec2/",
        Description="Runs the web tier",
        MaxSessionDuration=7200,
        PermissionsBoundary="arn:aws:iam::aws:policy/PowerUserAccess",
        Tags=[{"Key": "team", "Value": "red"}],
    )
    make_profile(iam)

    iam.add_role_to_instance_profile(InstanceProfileName="WEB", RoleName="Web-Role")

    (shown,) = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]
    assert set(shown) == ROLE_SUMMARY_MEMBERS
    role = iam.get_role(RoleName="web-role")["Role"]
    assert shown == {member: role[member] for member in ROLE_SUMMARY_MEMBERS}
    # botocore parsed the URL-encoded trust policy and the timestamp.
    assert shown["AssumeRolePolicyDocument"] == EC2_TRUST
    assert isinstance(shown["CreateDate"], dt.datetime)
    assert shown["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/ec2/web-role"
    (listed,) = iam.list_instance_profiles()["InstanceProfiles"]
    assert listed["Roles"] == [shown]


def test_remove_role_from_instance_profile(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_profile(iam)
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")

    iam.remove_role_from_instance_profile(InstanceProfileName="Web", RoleName="WEB-ROLE")

    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"] == []
    make_role(iam, "other-role")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="other-role")
    roles = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]
    assert [role["RoleName"] for role in roles] == ["other-role"]


def test_an_instance_profile_holds_one_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_role(iam, "second-role")
    make_profile(iam)
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")

    assert aws_error(
        lambda: iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="second-role")
    ) == (ONE_ROLE)
    # Adding the role it already holds is refused the same way.
    assert aws_error(
        lambda: iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")
    ) == (ONE_ROLE)
    roles = iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]
    assert [role["RoleName"] for role in roles] == ["web-role"]


def test_a_missing_role_is_named(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam)

    assert aws_error(
        lambda: iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="ghost")
    ) == no_such_role("ghost")
    assert aws_error(
        lambda: iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="ghost")
    ) == no_such_role("ghost")
    assert aws_error(lambda: iam.list_instance_profiles_for_role(RoleName="ghost")) == (
        no_such_role("ghost")
    )


def test_removing_a_role_the_profile_does_not_hold(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_role(iam, "held-role")
    make_profile(iam)

    assert aws_error(
        lambda: iam.remove_role_from_instance_profile(
            InstanceProfileName="web", RoleName="web-role"
        )
    ) == ("NoSuchEntity", "Role web-role in Instance Profile web cannot be found.", 404)
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="held-role")
    assert aws_error(
        lambda: iam.remove_role_from_instance_profile(
            InstanceProfileName="WEB", RoleName="web-role"
        )
    ) == ("NoSuchEntity", "Role web-role in Instance Profile WEB cannot be found.", 404)


def test_a_profile_that_holds_a_role_cannot_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_profile(iam)
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")

    assert aws_error(lambda: iam.delete_instance_profile(InstanceProfileName="web")) == (
        REMOVE_ROLES_FIRST
    )

    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="web-role")
    iam.delete_instance_profile(InstanceProfileName="web")
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_a_role_an_instance_profile_holds_cannot_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_profile(iam)
    make_profile(iam, "spare")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web-role")

    assert aws_error(lambda: iam.delete_role(RoleName="web-role")) == REMOVE_ROLES_FIRST
    assert iam.get_role(RoleName="web-role")["Role"]["RoleName"] == "web-role"

    iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="web-role")
    iam.delete_role(RoleName="web-role")
    assert aws_error(lambda: iam.get_role(RoleName="web-role")) == no_such_role("web-role")


# ---------------------------------------------------------------------------------------
# ListInstanceProfilesForRole


def test_list_instance_profiles_for_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    make_role(iam, "idle-role")
    for name in ("b-profile", "A-profile", "c-profile", "unrelated"):
        make_profile(iam, name)
    for name in ("b-profile", "A-profile", "c-profile"):
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName="web-role")

    result = iam.list_instance_profiles_for_role(RoleName="WEB-ROLE")
    assert profile_names(result) == ["A-profile", "b-profile", "c-profile"]
    assert result["IsTruncated"] is False
    assert all(
        [role["RoleName"] for role in profile["Roles"]] == ["web-role"]
        for profile in result["InstanceProfiles"]
    )
    assert all("Tags" not in profile for profile in result["InstanceProfiles"])
    first = iam.list_instance_profiles_for_role(RoleName="web-role", MaxItems=2)
    assert profile_names(first) == ["A-profile", "b-profile"]
    rest = iam.list_instance_profiles_for_role(RoleName="web-role", Marker=first["Marker"])
    assert profile_names(rest) == ["c-profile"]
    idle = iam.list_instance_profiles_for_role(RoleName="idle-role")
    assert (idle["InstanceProfiles"], idle["IsTruncated"]) == ([], False)


# ---------------------------------------------------------------------------------------
# Tags


def test_tag_untag_and_list_instance_profile_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam, Tags=[{"Key": "team", "Value": "red"}])

    iam.tag_instance_profile(
        InstanceProfileName="web",
        Tags=[{"Key": "Team", "Value": "blue"}, {"Key": "env", "Value": "p"}],
    )
    assert profile_tags_of(iam, "web") == {"Team": "blue", "env": "p"}
    assert (
        iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Tags"]
        == (iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"])
    )

    iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["TEAM", "not-there"])
    assert profile_tags_of(iam, "web") == {"env": "p"}
    iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["env"])
    assert iam.list_instance_profile_tags(InstanceProfileName="web")["Tags"] == []
    assert iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Tags"] == []


def test_list_instance_profile_tags_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": f"key{i}", "Value": f"value{i}"} for i in range(5)]
    make_profile(iam, Tags=tags)

    first = iam.list_instance_profile_tags(InstanceProfileName="web", MaxItems=3)
    second = iam.list_instance_profile_tags(
        InstanceProfileName="web", MaxItems=3, Marker=first["Marker"]
    )
    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    assert first["Tags"] + second["Tags"] == tags


def test_tagging_errors_leave_the_tags_unchanged(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(45)])
    before = profile_tags_of(iam, "web")

    duplicate = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    assert aws_error(
        lambda: iam.tag_instance_profile(InstanceProfileName="web", Tags=duplicate)
    ) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    too_many = [{"Key": f"new{i}", "Value": "v"} for i in range(6)]
    assert aws_error(
        lambda: iam.tag_instance_profile(InstanceProfileName="web", Tags=too_many)
    ) == ("LimitExceeded", "The number of tags has reached the maximum limit.", 409)
    assert profile_tags_of(iam, "web") == before


# ---------------------------------------------------------------------------------------
# The account summary


def test_the_account_summary_counts_instance_profiles(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_profile(iam)
    make_profile(iam, "other")
    iam.delete_instance_profile(InstanceProfileName="other")

    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["InstanceProfiles"], summary["InstanceProfilesQuota"]) == (1, 1000)


# ---------------------------------------------------------------------------------------
# Authorization


@pytest.mark.parametrize(
    ("call", "action", "resource"),
    [
        (
            lambda iam: iam.create_instance_profile(InstanceProfileName="new", Path="/ops/"),
            "CreateInstanceProfile",
            "instance-profile/ops/new",
        ),
        (
            lambda iam: iam.get_instance_profile(InstanceProfileName="web"),
            "GetInstanceProfile",
            "instance-profile/app/web",
        ),
        (
            lambda iam: iam.delete_instance_profile(InstanceProfileName="ghost"),
            "DeleteInstanceProfile",
            "instance-profile/ghost",
        ),
        (lambda iam: iam.list_instance_profiles(), "ListInstanceProfiles", None),
        (
            lambda iam: iam.list_instance_profiles_for_role(RoleName="web-role"),
            "ListInstanceProfilesForRole",
            "role/web-role",
        ),
        (
            lambda iam: iam.add_role_to_instance_profile(
                InstanceProfileName="web", RoleName="web-role"
            ),
            "AddRoleToInstanceProfile",
            "instance-profile/app/web",
        ),
        (
            lambda iam: iam.remove_role_from_instance_profile(
                InstanceProfileName="web", RoleName="web-role"
            ),
            "RemoveRoleFromInstanceProfile",
            "instance-profile/app/web",
        ),
        (
            lambda iam: iam.tag_instance_profile(
                InstanceProfileName="web", Tags=[{"Key": "k", "Value": "v"}]
            ),
            "TagInstanceProfile",
            "instance-profile/app/web",
        ),
        (
            lambda iam: iam.untag_instance_profile(InstanceProfileName="web", TagKeys=["k"]),
            "UntagInstanceProfile",
            "instance-profile/app/web",
        ),
        (
            lambda iam: iam.list_instance_profile_tags(InstanceProfileName="web"),
            "ListInstanceProfileTags",
            "instance-profile/app/web",
        ),
    ],
)
def test_a_caller_without_a_policy_is_denied_on_the_profile(
    sts_mock: MockSTS, call: Any, action: str, resource: str | None
) -> None:
    admin = boto3.client("iam")
    make_role(admin)
    make_profile(admin, Path="/app/")
    bob = sts_mock.create_user("bob")
    arn = "*" if resource is None else f"arn:aws:iam::{ACCOUNT_ID}:{resource}"

    assert aws_error(lambda: call(client("iam", bob.credentials))) == no_policy_allows(
        bob.arn, f"iam:{action}", arn
    )
    assert sts_mock.calls[-1].resources == (arn,)


def test_a_limited_caller_manages_the_profiles_its_policy_names(sts_mock: MockSTS) -> None:
    make_role(boto3.client("iam"))
    profiles = f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/app/*"
    actions = ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"]
    bob = sts_mock.create_user("bob", policies={"profiles": allow(actions, profiles)})
    iam = client("iam", bob.credentials)

    make_profile(iam, Path="/app/")

    assert aws_error(lambda: make_profile(iam, "elsewhere")) == no_policy_allows(
        bob.arn,
        "iam:CreateInstanceProfile",
        f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/elsewhere",
    )
    assert aws_error(
        lambda: iam.get_instance_profile(InstanceProfileName="web")
    ) == no_policy_allows(
        bob.arn, "iam:GetInstanceProfile", f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/app/web"
    )


# ---------------------------------------------------------------------------------------
# The handle


def test_the_handle_creates_an_instance_profile_with_its_role(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role("web-role", EC2_TRUST)

    profile = sts_mock.create_instance_profile("web", role, path="/app/")

    assert isinstance(profile, InstanceProfile)
    assert profile.name == "web"
    assert profile.arn == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/app/web"
    assert profile.instance_profile_id.startswith("AIPA")
    shown = boto3.client("iam").get_instance_profile(InstanceProfileName="web")
    assert shown["InstanceProfile"]["InstanceProfileId"] == profile.instance_profile_id
    assert [r["Arn"] for r in shown["InstanceProfile"]["Roles"]] == [role.arn]


def test_the_handle_takes_a_role_name_and_an_account(sts_mock: MockSTS) -> None:
    sts_mock.create_role("web-role", EC2_TRUST, account_id=OTHER_ACCOUNT_ID)

    profile = sts_mock.create_instance_profile("web", "web-role", account_id=OTHER_ACCOUNT_ID)
    bare = sts_mock.create_instance_profile("bare")

    assert profile.arn == f"arn:aws:iam::{OTHER_ACCOUNT_ID}:instance-profile/web"
    other = client("iam", sts_mock.admin_credentials(OTHER_ACCOUNT_ID))
    roles = other.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == ["web-role"]
    assert bare.arn == f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/bare"
    assert profile_names(boto3.client("iam").list_instance_profiles()) == ["bare"]


def test_the_handle_fails_as_iam_does_and_leaves_nothing_behind(sts_mock: MockSTS) -> None:
    with pytest.raises(ClientError) as excinfo:
        sts_mock.create_instance_profile("web", "ghost")
    assert excinfo.value.response["Error"] == {
        "Code": "NoSuchEntity",
        "Message": "The role with name ghost cannot be found.",
        "Type": "Sender",
    }
    assert boto3.client("iam").list_instance_profiles()["InstanceProfiles"] == []

    sts_mock.create_instance_profile("web")
    with pytest.raises(ClientError) as excinfo:
        sts_mock.create_instance_profile("WEB")
    assert excinfo.value.response["Error"]["Message"] == "Instance Profile WEB already exists."
    with pytest.raises(ValueError, match="12 digits"):
        sts_mock.create_instance_profile("other", account_id="1234")


def test_adding_a_role_passes_it_on(sts_mock: MockSTS) -> None:
    """AddRoleToInstanceProfile needs iam:PassRole on the role as well as its own action on the
    profile, with iam:AssociatedResourceArn naming the account's instances (IAM API
    Reference, AddRoleToInstanceProfile)."""
    make_role(boto3.client("iam"))
    make_profile(boto3.client("iam"))
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/web-role"
    add = allow("iam:AddRoleToInstanceProfile", "*")
    passing = allow("iam:PassRole", role)
    passing["Statement"][0]["Condition"] = {
        "StringLike": {"iam:AssociatedResourceArn": f"arn:aws:ec2:*:{ACCOUNT_ID}:instance/*"}
    }
    adder = sts_mock.create_user("adder", policies={"add": add})
    passer = sts_mock.create_user("passer", policies={"add": add, "pass": passing})

    refused = aws_error(
        lambda: client("iam", adder.credentials).add_role_to_instance_profile(
            InstanceProfileName="web", RoleName="web-role"
        )
    )
    client("iam", passer.credentials).add_role_to_instance_profile(
        InstanceProfileName="web", RoleName="web-role"
    )

    assert refused == no_policy_allows(adder.arn, "iam:PassRole", role)
    assert [(check.action, check.resource) for check in sts_mock.calls[-1].checks] == [
        ("iam:AddRoleToInstanceProfile", f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/web"),
        ("iam:PassRole", role),
    ]
