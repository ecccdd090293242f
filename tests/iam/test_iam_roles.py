"""IAM roles and their trust policies, driven through real boto3 clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import boto3
import pytest
import time_machine

from mock_sts import _access
from tests.helpers import ROLE_SUMMARY_MEMBERS, aws_error, malformed_policy

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
POWER_USER_ACCESS = "arn:aws:iam::aws:policy/PowerUserAccess"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
S3_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def principals_trust(*principals: str, **extra: Any) -> dict[str, Any]:
    """A trust policy letting the given AWS principals assume the role."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": principals[0] if len(principals) == 1 else list(principals)},
        "Action": "sts:AssumeRole",
        **extra,
    }
    return {"Version": "2012-10-17", "Statement": [statement]}


ACCOUNT_TRUST = principals_trust(ACCOUNT_ID)


def make_role(iam: Any, name: str = "deployer", document: Any = None, **kwargs: Any) -> Any:
    text = json.dumps(ACCOUNT_TRUST if document is None else document)
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=text, **kwargs)["Role"]


def role_names(iam: Any, **kwargs: Any) -> list[str]:
    return [role["RoleName"] for role in iam.list_roles(**kwargs)["Roles"]]


def role_tags_of(iam: Any, role_name: str) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in iam.list_role_tags(RoleName=role_name)["Tags"]}


def shown_principals(iam: Any, role_name: str) -> Any:
    document = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    return document["Statement"][0]["Principal"]["AWS"]


def padded(document: dict[str, Any], size: int) -> str:
    """``document`` with a condition value padded so that, whitespace aside, it has exactly
    ``size`` characters; it is written with generous whitespace, which IAM does not count."""
    statement = document["Statement"][0]
    statement["Condition"] = {"StringEquals": {"sts:ExternalId": ""}}
    bare = len(json.dumps(document, separators=(",", ":")))
    statement["Condition"]["StringEquals"]["sts:ExternalId"] = "x" * (size - bare)
    text = json.dumps(document, indent=8)
    assert len("".join(text.split())) == size
    return text


def backend_of(sts_mock: MockSTS) -> Any:
    # The STS side reads roles from the state; these tests look at what it would see.
    return sts_mock._require_backend()


# ---------------------------------------------------------------------------------------
# CreateRole / GetRole


def test_create_role_returns_the_new_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        role = make_role(iam)

    assert role["RoleName"] == "deployer"
    assert role["Path"] == "/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/deployer"
    assert role["RoleId"].startswith("AROA")
    assert len(role["RoleId"]) == 21
    assert role["CreateDate"] == MOMENT
    assert role["AssumeRolePolicyDocument"] == ACCOUNT_TRUST
    # AWS's CreateRole leaves out MaxSessionDuration, which GetRole shows (§12.3, §13.1).
    for absent in ("MaxSessionDuration", "Description", "Tags", "PermissionsBoundary"):
        assert absent not in role
    assert "RoleLastUsed" not in role
    assert iam.get_role(RoleName="deployer")["Role"] == {
        **role,
        "MaxSessionDuration": 3600,
        "RoleLastUsed": {},
    }


def test_create_role_with_every_option(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "prod"}]

    role = make_role(
        iam,
        Path="/ci/deploy/",
        Description="Deploys the app",
        MaxSessionDuration=43200,
        PermissionsBoundary=POWER_USER_ACCESS,
        Tags=tags,
    )

    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/ci/deploy/deployer"
    assert role["Path"] == "/ci/deploy/"
    # Only the members AWS's CreateRole answers with: no Description, no MaxSessionDuration
    # (§13.1); GetRole has them.
    assert sorted(role) == [
        "Arn",
        "AssumeRolePolicyDocument",
        "CreateDate",
        "Path",
        "PermissionsBoundary",
        "RoleId",
        "RoleName",
        "Tags",
    ]
    assert role["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": POWER_USER_ACCESS,
    }
    assert role["Tags"] == tags
    assert iam.get_role(RoleName="deployer")["Role"] == {
        **role,
        "Description": "Deploys the app",
        "MaxSessionDuration": 43200,
        "RoleLastUsed": {},
    }


def test_get_role_shows_when_and_where_the_role_was_last_used(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    state = backend_of(sts_mock).account(ACCOUNT_ID).role("deployer")
    state.last_used = MOMENT
    state.last_used_region = "eu-west-1"

    used = iam.get_role(RoleName="deployer")["Role"]["RoleLastUsed"]

    assert used == {"LastUsedDate": MOMENT, "Region": "eu-west-1"}


def test_policy_documents_travel_url_encoded_and_arrive_as_dicts(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    document = principals_trust(
        ACCOUNT_ID, Condition={"StringLike": {"sts:ExternalId": "a&b <c> 100% +ü"}}
    )
    text = json.dumps(document)
    bodies: list[bytes] = []
    iam.meta.events.register(
        "after-call.iam.GetRole", lambda http_response, **_: bodies.append(http_response.content)
    )
    make_role(iam, document=document)

    role = iam.get_role(RoleName="deployer")["Role"]

    assert role["AssumeRolePolicyDocument"] == document
    assert f"<AssumeRolePolicyDocument>{quote(text, safe='')}<".encode() in bodies[0]


def test_get_role_is_case_insensitive_and_keeps_the_original_case(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    created = make_role(iam, "Deploy.Bot")

    for spelling in ("deploy.bot", "DEPLOY.BOT"):
        found = iam.get_role(RoleName=spelling)["Role"]
        assert found["RoleName"] == "Deploy.Bot"
        assert found["RoleId"] == created["RoleId"]


@pytest.mark.parametrize("second_name", ["deployer", "Deployer", "DEPLOYER"])
def test_role_names_are_unique_regardless_of_case(sts_mock: MockSTS, second_name: str) -> None:
    iam = boto3.client("iam")
    original = make_role(iam, Description="first")

    error = aws_error(lambda: make_role(iam, second_name, Path="/other/"))

    assert error == ("EntityAlreadyExists", f"Role with name {second_name} already exists.", 409)
    assert iam.get_role(RoleName="deployer")["Role"] == {
        **original,
        "Description": "first",
        "MaxSessionDuration": 3600,
        "RoleLastUsed": {},
    }
    assert role_names(iam) == ["deployer"]


def test_roles_belong_to_their_account(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    make_role(iam)

    created = make_role(other)

    assert created["Arn"] == f"arn:aws:iam::{OTHER_ACCOUNT_ID}:role/deployer"
    assert role_names(other) == role_names(iam) == ["deployer"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "This policy contains invalid Json"),
        (
            json.dumps(principals_trust(ACCOUNT_ID, Resource="*")),
            "Has prohibited field Resource",
        ),
        (json.dumps(S3_READ), "Has prohibited field Resource"),
    ],
)
def test_create_role_with_a_malformed_trust_policy(
    sts_mock: MockSTS, document: str, message: str
) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: iam.create_role(RoleName="r", AssumeRolePolicyDocument=document))

    assert error == malformed_policy(message)
    assert role_names(iam) == []


def test_create_role_with_duplicate_tag_keys_is_invalid_input(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "env", "Value": "a"}, {"Key": "ENV", "Value": "b"}]

    error = aws_error(lambda: make_role(iam, Tags=tags))

    assert error == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    assert role_names(iam) == []


def test_max_session_duration_is_validated_by_the_model(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: make_role(iam, MaxSessionDuration=43201))

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy "
        "constraint: Member must have value less than or equal to 43200",
        400,
    )
    assert role_names(iam) == []


# ---------------------------------------------------------------------------------------
# Trust policy principals


def test_trust_policy_principals_may_be_existing_users_and_roles_of_any_account(
    sts_mock: MockSTS,
) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    bob = iam.create_user(UserName="bob", Path="/staff/")["User"]
    runner = make_role(iam, "runner")
    carol = other.create_user(UserName="carol")["User"]
    document = principals_trust(bob["Arn"], runner["Arn"], carol["Arn"])

    make_role(iam, document=document)

    assert iam.get_role(RoleName="deployer")["Role"]["AssumeRolePolicyDocument"] == document


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        "999999999999",
        "arn:aws:iam::999999999999:root",
        "arn:aws:sts::999999999999:assumed-role/nobody/session",
        "arn:aws:sts::999999999999:federated-user/nobody",
    ],
)
def test_account_root_and_session_principals_are_not_looked_up(
    sts_mock: MockSTS, principal: str
) -> None:
    iam = boto3.client("iam")

    role = make_role(iam, document=principals_trust(principal))

    assert role["AssumeRolePolicyDocument"] == principals_trust(principal)


def test_service_and_federated_principals_are_not_looked_up(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    document: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {
                    "Service": "ec2.amazonaws.com",
                    "Federated": "accounts.google.com",
                },
                "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"],
            }
        ],
    }

    make_role(iam, document=document)

    assert shown_principals_of_statement(iam) == document["Statement"][0]["Principal"]


def shown_principals_of_statement(iam: Any) -> Any:
    document = iam.get_role(RoleName="deployer")["Role"]["AssumeRolePolicyDocument"]
    return document["Statement"][0]["Principal"]


@pytest.mark.parametrize(
    "principal",
    [
        f"arn:aws:iam::{ACCOUNT_ID}:user/ghost",
        f"arn:aws:iam::{ACCOUNT_ID}:role/ghost",
        # bob exists, but not at this path, not under this spelling, not in this account
        f"arn:aws:iam::{ACCOUNT_ID}:user/other/bob",
        f"arn:aws:iam::{ACCOUNT_ID}:user/Bob",
        f"arn:aws:iam::{ACCOUNT_ID}:role/bob",
        f"arn:aws:iam::{OTHER_ACCOUNT_ID}:user/bob",
        "arn:aws:iam::999999999999:user/bob",
    ],
)
def test_trust_policy_principals_naming_no_entity_are_invalid(
    sts_mock: MockSTS, principal: str
) -> None:
    iam = boto3.client("iam")
    sts_mock.admin_credentials(OTHER_ACCOUNT_ID)  # that account exists, without a bob
    iam.create_user(UserName="bob")

    error = aws_error(lambda: make_role(iam, document=principals_trust(ACCOUNT_ID, principal)))

    assert error == malformed_policy(f'Invalid principal in policy: "AWS":"{principal}"')
    assert role_names(iam) == []


def test_a_role_cannot_trust_itself_before_it_exists(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/deployer"

    error = aws_error(lambda: make_role(iam, document=principals_trust(arn)))

    assert error == malformed_policy(f'Invalid principal in policy: "AWS":"{arn}"')
    make_role(iam)
    iam.update_assume_role_policy(
        RoleName="deployer", PolicyDocument=json.dumps(principals_trust(arn))
    )
    assert shown_principals(iam, "deployer") == arn


def test_get_role_shows_the_unique_id_of_a_deleted_principal(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    bob = iam.create_user(UserName="bob")["User"]
    runner = make_role(iam, "runner")
    make_role(iam, document=principals_trust(bob["Arn"], runner["Arn"], ACCOUNT_ID))
    assert shown_principals(iam, "deployer") == [bob["Arn"], runner["Arn"], ACCOUNT_ID]

    iam.delete_user(UserName="bob")
    assert shown_principals(iam, "deployer") == [bob["UserId"], runner["Arn"], ACCOUNT_ID]

    iam.delete_role(RoleName="runner")
    assert shown_principals(iam, "deployer") == [bob["UserId"], runner["RoleId"], ACCOUNT_ID]
    (listed,) = [r for r in iam.list_roles()["Roles"] if r["RoleName"] == "deployer"]
    principal = listed["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
    assert principal == [bob["UserId"], runner["RoleId"], ACCOUNT_ID]


def test_a_recreated_user_does_not_restore_the_trust(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    first = iam.create_user(UserName="bob")["User"]
    make_role(iam, document=principals_trust(first["Arn"]))
    iam.delete_user(UserName="bob")

    second = iam.create_user(UserName="bob")["User"]

    assert second["Arn"] == first["Arn"]
    assert shown_principals(iam, "deployer") == first["UserId"]
    # Saving the policy again resolves the ARN to the new user.
    iam.update_assume_role_policy(
        RoleName="deployer", PolicyDocument=json.dumps(principals_trust(second["Arn"]))
    )
    assert shown_principals(iam, "deployer") == second["Arn"]
    iam.delete_user(UserName="bob")
    assert shown_principals(iam, "deployer") == second["UserId"]


def test_trust_policy_gives_the_sts_side_unique_ids(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    bob = iam.create_user(UserName="bob")["User"]
    make_role(iam, document=principals_trust(bob["Arn"], ACCOUNT_ID))
    role = backend_of(sts_mock).account(ACCOUNT_ID).role("deployer")

    policy = _access.trust_policy(role)

    assert policy.principals() == (("AWS", bob["UserId"]), ("AWS", ACCOUNT_ID))
    assert _access.trust_policy(role) is policy
    iam.delete_user(UserName="bob")
    iam.create_user(UserName="bob")
    assert _access.trust_policy(role).principals() == policy.principals()


def test_trust_policy_without_user_or_role_principals_is_the_document(
    sts_mock: MockSTS,
) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    role = backend_of(sts_mock).account(ACCOUNT_ID).role("deployer")

    policy = _access.trust_policy(role)

    assert policy.text == json.dumps(ACCOUNT_TRUST)
    assert policy.principals() == (("AWS", ACCOUNT_ID),)


# ---------------------------------------------------------------------------------------
# Trust policy size


def test_trust_policy_size_ignores_whitespace(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    text = padded(principals_trust(ACCOUNT_ID), 2048)

    iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=text)

    assert iam.get_role(RoleName="deployer")["Role"]["AssumeRolePolicyDocument"] == json.loads(text)


def test_trust_policy_over_2048_characters_exceeds_the_quota(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    text = padded(principals_trust(ACCOUNT_ID), 2049)

    error = aws_error(lambda: iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=text))

    assert error == ("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409)
    assert role_names(iam) == []
    make_role(iam)
    error = aws_error(
        lambda: iam.update_assume_role_policy(RoleName="deployer", PolicyDocument=text)
    )
    assert error == ("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048", 409)
    assert shown_principals(iam, "deployer") == ACCOUNT_ID


# ---------------------------------------------------------------------------------------
# Permissions boundaries


def test_create_role_with_a_customer_managed_boundary(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    policy = iam.create_policy(PolicyName="limit", PolicyDocument=json.dumps(S3_READ))["Policy"]

    role = make_role(iam, PermissionsBoundary=policy["Arn"])

    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == policy["Arn"]
    used = iam.get_policy(PolicyArn=policy["Arn"])["Policy"]
    assert used["PermissionsBoundaryUsageCount"] == 1
    assert used["AttachmentCount"] == 0


@pytest.mark.parametrize(
    "boundary",
    [
        f"arn:aws:iam::{ACCOUNT_ID}:policy/missing",
        "arn:aws:iam::aws:policy/NoSuchManagedPolicy",
        f"arn:aws:iam::{OTHER_ACCOUNT_ID}:policy/theirs",
        "arn:aws-cn:iam::aws:policy/PowerUserAccess",
    ],
)
def test_create_role_with_an_unknown_boundary_is_no_such_entity(
    sts_mock: MockSTS, boundary: str
) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    other.create_policy(PolicyName="theirs", PolicyDocument=json.dumps(S3_READ))

    error = aws_error(lambda: make_role(iam, PermissionsBoundary=boundary))

    # AWS's answer for a boundary that names no usable policy (§13.3).
    assert error == (
        "NoSuchEntity",
        f"Scope ARN: {boundary} does not exist or is not attachable.",
        404,
    )
    assert role_names(iam) == []


def test_put_and_delete_role_permissions_boundary(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)

    iam.put_role_permissions_boundary(RoleName="deployer", PermissionsBoundary=POWER_USER_ACCESS)
    role = iam.get_role(RoleName="deployer")["Role"]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == POWER_USER_ACCESS

    missing = f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"
    error = aws_error(
        lambda: iam.put_role_permissions_boundary(RoleName="deployer", PermissionsBoundary=missing)
    )
    assert error == (
        "NoSuchEntity",
        f"Scope ARN: {missing} does not exist or is not attachable.",
        404,
    )
    role = iam.get_role(RoleName="deployer")["Role"]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == POWER_USER_ACCESS

    iam.delete_role_permissions_boundary(RoleName="deployer")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="deployer")["Role"]


# ---------------------------------------------------------------------------------------
# ListRoles


def test_list_roles_leaves_out_boundary_tags_and_last_use(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(
        iam,
        Description="d",
        PermissionsBoundary=POWER_USER_ACCESS,
        Tags=[{"Key": "team", "Value": "red"}],
    )

    full = iam.get_role(RoleName="deployer")["Role"]
    (listed,) = iam.list_roles()["Roles"]

    members = {*ROLE_SUMMARY_MEMBERS, "Description", "MaxSessionDuration"}
    assert listed == {key: full[key] for key in members}


def test_list_roles_paginates_in_name_order(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for name in ("dora", "Bob", "erin", "carol", "alice"):
        make_role(iam, name)

    first = iam.list_roles(MaxItems=2)
    second = iam.list_roles(MaxItems=2, Marker=first["Marker"])
    third = iam.list_roles(MaxItems=2, Marker=second["Marker"])

    assert [page["IsTruncated"] for page in (first, second, third)] == [True, True, False]
    assert "Marker" not in third
    paged = [role["RoleName"] for page in (first, second, third) for role in page["Roles"]]
    assert paged == ["alice", "Bob", "carol", "dora", "erin"]
    pages = iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 3})
    assert [role["RoleName"] for page in pages for role in page["Roles"]] == paged


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("/", ["a", "b", "c"]), ("/ci/", ["a", "b"]), ("/ci/deploy/", ["b"]), ("/x/", [])],
)
def test_list_roles_filters_by_path_prefix(
    sts_mock: MockSTS, prefix: str, expected: list[str]
) -> None:
    iam = boto3.client("iam")
    make_role(iam, "a", Path="/ci/")
    make_role(iam, "b", Path="/ci/deploy/")
    make_role(iam, "c")

    assert role_names(iam, PathPrefix=prefix) == expected


# ---------------------------------------------------------------------------------------
# UpdateRole / UpdateRoleDescription / UpdateAssumeRolePolicy


def test_update_role_changes_only_what_it_is_given(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam, Description="old", MaxSessionDuration=7200)

    iam.update_role(RoleName="deployer", MaxSessionDuration=10800)
    role = iam.get_role(RoleName="deployer")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("old", 10800)

    iam.update_role(RoleName="deployer", Description="new")
    role = iam.get_role(RoleName="deployer")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("new", 10800)

    iam.update_role(RoleName="deployer")
    assert iam.get_role(RoleName="deployer")["Role"] == role


def test_update_role_description_returns_the_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam, Tags=[{"Key": "team", "Value": "red"}])

    role = iam.update_role_description(RoleName="deployer", Description="Deploys")["Role"]

    assert role["Description"] == "Deploys"
    # As AWS answers: GetRole's members but MaxSessionDuration and RoleLastUsed (§13.1).
    assert {**role, "MaxSessionDuration": 3600, "RoleLastUsed": {}} == iam.get_role(
        RoleName="deployer"
    )["Role"]


def test_update_assume_role_policy_replaces_the_trust_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    bob = iam.create_user(UserName="bob")["User"]
    make_role(iam)

    iam.update_assume_role_policy(
        RoleName="deployer", PolicyDocument=json.dumps(principals_trust(bob["Arn"]))
    )

    assert iam.get_role(RoleName="deployer")["Role"][
        "AssumeRolePolicyDocument"
    ] == principals_trust(bob["Arn"])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "Syntax errors in policy."),
        (json.dumps(S3_READ), "Has prohibited field Resource"),
        (
            json.dumps(principals_trust(f"arn:aws:iam::{ACCOUNT_ID}:user/ghost")),
            f'Invalid principal in policy: "AWS":"arn:aws:iam::{ACCOUNT_ID}:user/ghost"',
        ),
    ],
)
def test_update_assume_role_policy_validates_like_create_role(
    sts_mock: MockSTS, document: str, message: str
) -> None:
    iam = boto3.client("iam")
    make_role(iam)

    error = aws_error(
        lambda: iam.update_assume_role_policy(RoleName="deployer", PolicyDocument=document)
    )

    assert error == malformed_policy(message)
    assert iam.get_role(RoleName="deployer")["Role"]["AssumeRolePolicyDocument"] == ACCOUNT_TRUST


# ---------------------------------------------------------------------------------------
# Tags


def test_tag_untag_and_list_role_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam, Tags=[{"Key": "team", "Value": "red"}])

    iam.tag_role(
        RoleName="deployer", Tags=[{"Key": "Team", "Value": "blue"}, {"Key": "env", "Value": "p"}]
    )
    assert role_tags_of(iam, "deployer") == {"Team": "blue", "env": "p"}
    assert (
        iam.get_role(RoleName="deployer")["Role"]["Tags"]
        == (iam.list_role_tags(RoleName="deployer")["Tags"])
    )

    iam.untag_role(RoleName="deployer", TagKeys=["TEAM", "not-there"])
    assert role_tags_of(iam, "deployer") == {"env": "p"}
    iam.untag_role(RoleName="deployer", TagKeys=["env"])
    assert iam.list_role_tags(RoleName="deployer")["Tags"] == []
    assert "Tags" not in iam.get_role(RoleName="deployer")["Role"]


def test_list_role_tags_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": f"key{i}", "Value": f"value{i}"} for i in range(5)]
    make_role(iam, Tags=tags)

    first = iam.list_role_tags(RoleName="deployer", MaxItems=3)
    second = iam.list_role_tags(RoleName="deployer", MaxItems=3, Marker=first["Marker"])

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    assert first["Tags"] + second["Tags"] == tags


def test_tag_role_errors_leave_the_tags_unchanged(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(45)])
    before = role_tags_of(iam, "deployer")

    duplicate = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    assert aws_error(lambda: iam.tag_role(RoleName="deployer", Tags=duplicate)) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    too_many = [{"Key": f"new{i}", "Value": "v"} for i in range(6)]
    assert aws_error(lambda: iam.tag_role(RoleName="deployer", Tags=too_many)) == (
        "LimitExceeded",
        "The number of tags has reached the maximum limit.",
        409,
    )
    assert role_tags_of(iam, "deployer") == before


# ---------------------------------------------------------------------------------------
# DeleteRole


def test_delete_role_removes_the_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    first = make_role(iam)

    iam.delete_role(RoleName="DEPLOYER")

    assert role_names(iam) == []
    assert aws_error(lambda: iam.get_role(RoleName="deployer")) == (
        "NoSuchEntity",
        "The role with name deployer cannot be found.",
        404,
    )
    assert make_role(iam)["RoleId"] != first["RoleId"]


def test_delete_role_with_an_inline_policy_is_a_conflict(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam)
    iam.put_role_policy(RoleName="deployer", PolicyName="s3", PolicyDocument=json.dumps(S3_READ))
    iam.attach_role_policy(RoleName="deployer", PolicyArn=POWER_USER_ACCESS)

    assert aws_error(lambda: iam.delete_role(RoleName="deployer")) == (
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
        409,
    )
    iam.delete_role_policy(RoleName="deployer", PolicyName="s3")
    assert aws_error(lambda: iam.delete_role(RoleName="deployer")) == (
        "DeleteConflict",
        "Cannot delete entity, must detach all policies first.",
        409,
    )
    assert role_names(iam) == ["deployer"]
    iam.detach_role_policy(RoleName="deployer", PolicyArn=POWER_USER_ACCESS)
    iam.delete_role(RoleName="deployer")
    assert role_names(iam) == []


def test_a_role_with_a_boundary_can_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_role(iam, PermissionsBoundary=POWER_USER_ACCESS)

    iam.delete_role(RoleName="deployer")

    assert role_names(iam) == []


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_role", {}),
        ("delete_role", {}),
        ("update_role", {"Description": "d"}),
        ("update_role_description", {"Description": "d"}),
        ("update_assume_role_policy", {"PolicyDocument": json.dumps(ACCOUNT_TRUST)}),
        ("tag_role", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_role", {"TagKeys": ["k"]}),
        ("list_role_tags", {}),
        ("put_role_policy", {"PolicyName": "p", "PolicyDocument": json.dumps(S3_READ)}),
        ("get_role_policy", {"PolicyName": "p"}),
        ("delete_role_policy", {"PolicyName": "p"}),
        ("list_role_policies", {}),
        ("attach_role_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("detach_role_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("list_attached_role_policies", {}),
        ("put_role_permissions_boundary", {"PermissionsBoundary": POWER_USER_ACCESS}),
        ("delete_role_permissions_boundary", {}),
    ],
)
def test_operations_on_an_unknown_role_are_no_such_entity(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any]
) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: getattr(iam, operation)(RoleName="ghost", **kwargs))

    assert error == ("NoSuchEntity", "The role with name ghost cannot be found.", 404)
    assert role_names(iam) == []
