"""IAM inline and managed policies, versions, attachments and permissions boundaries, driven
through real boto3 clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine

from mock_sts import _access
from tests.helpers import aws_error, malformed_policy
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
OTHER_ACCOUNT_ID = "111111111111"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
POWER_USER_ACCESS = "arn:aws:iam::aws:policy/PowerUserAccess"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
LATER = MOMENT + dt.timedelta(days=1)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ID}, "Action": "sts:AssumeRole"}
        ],
    }
)
KINDS = ("role", "user", "group")
INLINE_QUOTAS = {"role": 10240, "user": 2048, "group": 5120}


def sized(size: int, action: str = "s3:GetObject") -> str:
    """An identity policy that, whitespace aside, has exactly ``size`` characters; it is
    written with generous whitespace, which IAM does not count."""
    bare = len(json.dumps(allow(action, "arn:aws:s3:::"), separators=(",", ":")))
    document = allow(action, "arn:aws:s3:::" + "b" * (size - bare))
    text = json.dumps(document, indent=8)
    assert len("".join(text.split())) == size
    return text


def make_entity(iam: Any, kind: str, name: str) -> None:
    if kind == "role":
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    elif kind == "user":
        iam.create_user(UserName=name)
    else:
        iam.create_group(GroupName=name)


def call(iam: Any, operation: str, kind: str, name: str, **kwargs: Any) -> Any:
    """``operation`` (with ``{kind}`` in it) on the role, user or group ``name``."""
    method = getattr(iam, operation.format(kind=kind))
    return method(**{f"{kind.title()}Name": name}, **kwargs)


def put(iam: Any, kind: str, name: str, policy_name: str, document: Any) -> Any:
    text = document if isinstance(document, str) else json.dumps(document)
    return call(iam, "put_{kind}_policy", kind, name, PolicyName=policy_name, PolicyDocument=text)


def inline_names(iam: Any, kind: str, name: str) -> list[str]:
    return list(call(iam, "list_{kind}_policies", kind, name)["PolicyNames"])


def attached_arns(iam: Any, kind: str, name: str, **kwargs: Any) -> list[str]:
    result = call(iam, "list_attached_{kind}_policies", kind, name, **kwargs)
    return [policy["PolicyArn"] for policy in result["AttachedPolicies"]]


def make_policy(iam: Any, name: str = "s3-read", document: Any = None, **kwargs: Any) -> Any:
    text = json.dumps(allow("s3:GetObject") if document is None else document)
    return iam.create_policy(PolicyName=name, PolicyDocument=text, **kwargs)["Policy"]


def local_policy_names(iam: Any, **kwargs: Any) -> list[str]:
    return [p["PolicyName"] for p in iam.list_policies(Scope="Local", **kwargs)["Policies"]]


def not_attachable(arn: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.", 404)


# AWS's answer for a permissions boundary that names no usable policy (§13.3).
def unknown_boundary(arn: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"Scope ARN: {arn} does not exist or is not attachable.", 404)


# ---------------------------------------------------------------------------------------
# Inline policies


@pytest.mark.parametrize("kind", KINDS)
def test_put_get_list_and_delete_inline_policies(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "Subject")
    put(iam, kind, "Subject", "write", allow("s3:PutObject"))
    put(iam, kind, "subject", "Read", allow("s3:GetObject"))

    got = call(iam, "get_{kind}_policy", kind, "SUBJECT", PolicyName="read")

    assert got[f"{kind.title()}Name"] == "Subject"
    assert got["PolicyName"] == "Read"
    assert got["PolicyDocument"] == allow("s3:GetObject")
    assert inline_names(iam, kind, "Subject") == ["Read", "write"]

    call(iam, "delete_{kind}_policy", kind, "Subject", PolicyName="WRITE")
    assert inline_names(iam, kind, "Subject") == ["Read"]


@pytest.mark.parametrize("kind", KINDS)
def test_put_inline_policy_replaces_one_of_the_same_name(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    put(iam, kind, "subject", "s3", allow("s3:GetObject"))

    put(iam, kind, "subject", "S3", allow("s3:*"))

    assert inline_names(iam, kind, "subject") == ["S3"]
    got = call(iam, "get_{kind}_policy", kind, "subject", PolicyName="s3")
    assert got["PolicyDocument"] == allow("s3:*")


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_inline_policies_are_no_such_entity(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    put(iam, kind, "subject", "kept", allow("s3:GetObject"))
    expected = ("NoSuchEntity", f"The {kind} policy with name ghost cannot be found.", 404)

    for operation in ("get_{kind}_policy", "delete_{kind}_policy"):
        error = aws_error(partial(call, iam, operation, kind, "subject", PolicyName="ghost"))
        assert error == expected
    assert inline_names(iam, kind, "subject") == ["kept"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("document", "message"),
    [
        # Identity policies answer text that is no JSON as a syntax error (§13.4).
        ("{", "Syntax errors in policy."),
        (
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                ],
            },
            "Policy document should not specify a principal.",
        ),
        (
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]},
            "Policy statement must contain resources.",
        ),
    ],
)
def test_put_inline_policy_with_a_malformed_document(
    sts_mock: MockSTS, kind: str, document: Any, message: str
) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    put(iam, kind, "subject", "p", allow("s3:GetObject"))

    error = aws_error(lambda: put(iam, kind, "subject", "p", document))

    assert error == malformed_policy(message)
    got = call(iam, "get_{kind}_policy", kind, "subject", PolicyName="p")
    assert got["PolicyDocument"] == allow("s3:GetObject")


@pytest.mark.parametrize("kind", KINDS)
def test_inline_policies_share_one_size_quota_per_entity(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    quota = INLINE_QUOTAS[kind]
    make_entity(iam, kind, "subject")
    put(iam, kind, "subject", "first", sized(1000))
    put(iam, kind, "subject", "second", sized(quota - 1000))

    error = aws_error(lambda: put(iam, kind, "subject", "third", sized(200)))

    assert error == (
        "LimitExceeded",
        f"Maximum policy size of {quota} bytes exceeded for {kind} subject",
        409,
    )
    assert inline_names(iam, kind, "subject") == ["first", "second"]
    # A replaced policy counts with its new size only.
    put(iam, kind, "subject", "FIRST", sized(1000, "s3:PutObject"))
    error = aws_error(lambda: put(iam, kind, "subject", "first", sized(1001)))
    assert error[0] == "LimitExceeded"
    got = call(iam, "get_{kind}_policy", kind, "subject", PolicyName="first")
    assert got["PolicyDocument"]["Statement"][0]["Action"] == "s3:PutObject"


@pytest.mark.parametrize("kind", KINDS)
def test_list_inline_policies_paginates(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    for name in ("d", "b", "e", "c", "a"):
        put(iam, kind, "subject", name, allow("s3:GetObject"))

    first = call(iam, "list_{kind}_policies", kind, "subject", MaxItems=3)
    second = call(iam, "list_{kind}_policies", kind, "subject", MaxItems=3, Marker=first["Marker"])

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    assert first["PolicyNames"] + second["PolicyNames"] == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        (
            "put_user_policy",
            {"PolicyName": "p", "PolicyDocument": json.dumps(allow("s3:GetObject"))},
        ),
        ("get_user_policy", {"PolicyName": "p"}),
        ("delete_user_policy", {"PolicyName": "p"}),
        ("list_user_policies", {}),
        ("attach_user_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("detach_user_policy", {"PolicyArn": POWER_USER_ACCESS}),
        ("list_attached_user_policies", {}),
        ("put_user_permissions_boundary", {"PermissionsBoundary": POWER_USER_ACCESS}),
        ("delete_user_permissions_boundary", {}),
    ],
)
def test_user_policy_operations_on_an_unknown_user_are_no_such_entity(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any]
) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: getattr(iam, operation)(UserName="ghost", **kwargs))

    assert error == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


# ---------------------------------------------------------------------------------------
# CreatePolicy / GetPolicy


def test_create_policy_returns_the_new_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "team", "Value": "red"}]
    with time_machine.travel(MOMENT, tick=False):
        policy = make_policy(iam, Path="/app/", Description="Reads buckets", Tags=tags)

    assert policy == {
        "PolicyName": "s3-read",
        "PolicyId": policy["PolicyId"],
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:policy/app/s3-read",
        "Path": "/app/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 0,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": MOMENT,
        "UpdateDate": MOMENT,
        "Tags": tags,
    }
    assert policy["PolicyId"].startswith("ANPA")
    assert len(policy["PolicyId"]) == 21
    # CreatePolicy leaves the description out; GetPolicy has it (STS_REFERENCE §13.1).
    got = iam.get_policy(PolicyArn=policy["Arn"])["Policy"]
    assert got == {**policy, "Description": "Reads buckets"}
    version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v1")["PolicyVersion"]
    assert version == {
        "Document": allow("s3:GetObject"),
        "VersionId": "v1",
        "IsDefaultVersion": True,
        "CreateDate": MOMENT,
    }


def test_create_policy_without_options(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    policy = make_policy(iam)

    assert policy["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:policy/s3-read"
    assert policy["Path"] == "/"
    assert "Description" not in policy
    assert "Tags" not in policy


@pytest.mark.parametrize("second_name", ["s3-read", "S3-Read"])
def test_policy_names_are_unique_regardless_of_case_and_path(
    sts_mock: MockSTS, second_name: str
) -> None:
    iam = boto3.client("iam")
    original = make_policy(iam)

    error = aws_error(lambda: make_policy(iam, second_name, Path="/other/"))

    assert error == (
        "EntityAlreadyExists",
        f"A policy called {second_name} already exists. Duplicate names are not allowed.",
        409,
    )
    assert iam.get_policy(PolicyArn=original["Arn"])["Policy"] == {**original, "Tags": []}
    assert local_policy_names(iam) == ["s3-read"]


def test_create_policy_with_a_malformed_document(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: make_policy(iam, document={"Statement": []}))

    # The grammar is checked before the Version a managed policy needs (§13.4).
    assert error == malformed_policy("Syntax errors in policy.")
    assert local_policy_names(iam) == []


def test_create_policy_with_duplicate_tag_keys_is_invalid_input(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]

    # CreatePolicy's text is shorter than role and user tagging's (§13.3).
    assert aws_error(lambda: make_policy(iam, Tags=tags)) == (
        "InvalidInput",
        "Duplicate tag keys found.",
        400,
    )
    assert local_policy_names(iam) == []


def test_managed_policy_size_quota_ignores_whitespace(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_policy(PolicyName="max", PolicyDocument=sized(6144))

    error = aws_error(lambda: iam.create_policy(PolicyName="over", PolicyDocument=sized(6145)))

    assert error == ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409)
    assert local_policy_names(iam) == ["max"]
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/max"
    error = aws_error(lambda: iam.create_policy_version(PolicyArn=arn, PolicyDocument=sized(6145)))
    assert error == ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144", 409)
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 1


def test_get_policy_of_an_aws_managed_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    policy = iam.get_policy(PolicyArn=ADMINISTRATOR_ACCESS)["Policy"]

    assert policy["PolicyName"] == "AdministratorAccess"
    assert policy["Arn"] == ADMINISTRATOR_ACCESS
    assert policy["PolicyId"].startswith("ANPA")
    assert policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 1  # the built-in admin user
    assert policy["IsAttachable"] is True
    assert policy["Description"] == "Provides full access to AWS services and resources."
    version = iam.get_policy_version(PolicyArn=ADMINISTRATOR_ACCESS, VersionId="v1")
    assert version["PolicyVersion"]["Document"] == allow("*")


@pytest.mark.parametrize(
    "arn",
    [
        f"arn:aws:iam::{ACCOUNT_ID}:policy/missing",
        f"arn:aws:iam::{ACCOUNT_ID}:policy/other/s3-read",  # the name exists at another path
        f"arn:aws:iam::{OTHER_ACCOUNT_ID}:policy/theirs",
        "arn:aws:iam::aws:policy/NoSuchManagedPolicy",
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        f"arn:aws:iam::{ACCOUNT_ID}:user/s3-read",
    ],
)
def test_unknown_policies_are_no_such_entity(sts_mock: MockSTS, arn: str) -> None:
    iam = boto3.client("iam")
    other = boto3.client("iam", **sts_mock.admin_credentials(OTHER_ACCOUNT_ID).as_boto3())
    make_policy(iam)
    other.create_policy(PolicyName="theirs", PolicyDocument=json.dumps(allow("s3:GetObject")))

    for operation, kwargs in [
        (iam.get_policy, {}),
        (iam.list_policy_versions, {}),
        (iam.create_policy_version, {"PolicyDocument": json.dumps(allow("s3:GetObject"))}),
        (iam.attach_user_policy, {"UserName": "admin"}),
    ]:
        assert aws_error(partial(operation, PolicyArn=arn, **kwargs)) == not_attachable(arn)
    # AWS's own words for these (§13.3): the version ones as for a missing version.
    assert aws_error(partial(iam.delete_policy, PolicyArn=arn)) == (
        "NoSuchEntity",
        f"Policy {arn} was not found.",
        404,
    )
    for operation in (
        iam.get_policy_version,
        iam.set_default_policy_version,
        iam.delete_policy_version,
    ):
        assert aws_error(partial(operation, PolicyArn=arn, VersionId="v1")) == (
            "NoSuchEntity",
            f"Policy {arn} version v1 does not exist or is not attachable.",
            404,
        )
    # A boundary that names no policy at all is no ARN to IAM (STS_REFERENCE §13.2).
    boundary_error = (
        unknown_boundary(arn)
        if ":policy/" in arn
        else ("InvalidInput", f"ARN {arn} is not valid.", 400)
    )
    assert (
        aws_error(
            partial(iam.put_user_permissions_boundary, UserName="admin", PermissionsBoundary=arn)
        )
        == boundary_error
    )
    assert attached_arns(iam, "user", "admin") == [ADMINISTRATOR_ACCESS]


def test_attachment_and_boundary_counts(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    for kind in KINDS:
        make_entity(iam, kind, "subject")
        call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arn)
    iam.create_user(UserName="bounded", PermissionsBoundary=arn)
    iam.put_role_permissions_boundary(RoleName="subject", PermissionsBoundary=arn)

    policy = iam.get_policy(PolicyArn=arn)["Policy"]

    assert (policy["AttachmentCount"], policy["PermissionsBoundaryUsageCount"]) == (3, 2)


# ---------------------------------------------------------------------------------------
# DeletePolicy


def test_delete_policy_removes_it(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]

    iam.delete_policy(PolicyArn=arn)

    assert local_policy_names(iam) == []
    assert aws_error(lambda: iam.get_policy(PolicyArn=arn)) == not_attachable(arn)
    assert make_policy(iam)["Arn"] == arn


@pytest.mark.parametrize("kind", KINDS)
def test_an_attached_policy_cannot_be_deleted(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    make_entity(iam, kind, "subject")
    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arn)

    error = aws_error(lambda: iam.delete_policy(PolicyArn=arn))

    assert error == ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)
    assert local_policy_names(iam) == ["s3-read"]
    call(iam, "detach_{kind}_policy", kind, "subject", PolicyArn=arn)
    iam.delete_policy(PolicyArn=arn)


def test_a_policy_used_as_a_boundary_cannot_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    iam.create_user(UserName="bob", PermissionsBoundary=arn)

    error = aws_error(lambda: iam.delete_policy(PolicyArn=arn))

    assert error == ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)
    iam.delete_user_permissions_boundary(UserName="bob")
    iam.delete_policy(PolicyArn=arn)
    assert local_policy_names(iam) == []


def test_a_policy_with_several_versions_cannot_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")))

    error = aws_error(lambda: iam.delete_policy(PolicyArn=arn))

    assert error == (
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete "
        "the policy's versions. The default version is deleted with the policy.",
        409,
    )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)
    assert local_policy_names(iam) == []


# AWS's answers, recorded (§13.2), but CreatePolicyVersion's, whose text is mock_sts's own.
@pytest.mark.parametrize(
    ("operation", "kwargs", "message"),
    [
        ("delete_policy", {}, "Cannot delete policies outside your own account."),
        (
            "create_policy_version",
            {"PolicyDocument": json.dumps(allow("s3:GetObject"))},
            f"User: arn:aws:iam::{ACCOUNT_ID}:user/admin is not authorized to perform: "
            f"iam:CreatePolicyVersion on resource: policy {POWER_USER_ACCESS}",
        ),
        (
            "set_default_policy_version",
            {"VersionId": "v1"},
            "Cannot update policies outside your own account.",
        ),
        (
            "delete_policy_version",
            {"VersionId": "v1"},
            "Cannot delete policy versions for policies outside your own account.",
        ),
    ],
)
def test_aws_managed_policies_cannot_be_changed(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any], message: str
) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: getattr(iam, operation)(PolicyArn=POWER_USER_ACCESS, **kwargs))

    assert error == ("AccessDenied", message, 403)
    assert iam.get_policy(PolicyArn=POWER_USER_ACCESS)["Policy"]["DefaultVersionId"] == "v12"


# ---------------------------------------------------------------------------------------
# ListPolicies


def all_policies(iam: Any, **kwargs: Any) -> list[dict[str, Any]]:
    pages = iam.get_paginator("list_policies").paginate(**kwargs)
    return [policy for page in pages for policy in page["Policies"]]


def test_list_policies_by_scope(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_policy(iam, "mine", Description="d", Tags=[{"Key": "k", "Value": "v"}])
    make_policy(iam, "AdministratorAccess")  # a customer policy may share an AWS name

    aws = [p["Arn"] for p in all_policies(iam, Scope="AWS")]
    local = [p["Arn"] for p in all_policies(iam, Scope="Local")]
    everything = all_policies(iam)

    assert len(aws) > 1000
    assert all(arn.startswith("arn:aws:iam::aws:policy/") for arn in aws)
    assert {ADMINISTRATOR_ACCESS, POWER_USER_ACCESS} <= set(aws)
    assert local == [
        f"arn:aws:iam::{ACCOUNT_ID}:policy/AdministratorAccess",
        f"arn:aws:iam::{ACCOUNT_ID}:policy/mine",
    ]
    # By name, then ARN: an account id sorts before "aws".
    by_name = sorted(everything, key=lambda p: (p["PolicyName"].lower(), p["Arn"]))
    assert [p["Arn"] for p in everything] == [p["Arn"] for p in by_name]
    assert sorted(p["Arn"] for p in everything) == sorted(aws + local)
    assert [p["Arn"] for p in everything].index(local[0]) + 1 == [
        p["Arn"] for p in everything
    ].index(ADMINISTRATOR_ACCESS)
    assert everything == all_policies(iam, Scope="All")
    for policy in everything:
        assert "Tags" not in policy
        assert "Description" not in policy


def test_list_policies_only_attached_and_by_usage(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    attached = make_policy(iam, "attached")["Arn"]
    boundary = make_policy(iam, "boundary")["Arn"]
    make_policy(iam, "unused")
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=attached)
    # (On the caller itself, a boundary would limit these very IAM calls.)
    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=boundary)

    def names(**kwargs: Any) -> list[str]:
        return [p["PolicyName"] for p in iam.list_policies(**kwargs)["Policies"]]

    assert names(OnlyAttached=True) == ["AdministratorAccess", "attached"]
    assert names(Scope="Local", OnlyAttached=True) == ["attached"]
    assert names(Scope="Local", OnlyAttached=False) == ["attached", "boundary", "unused"]
    assert names(Scope="Local", PolicyUsageFilter="PermissionsPolicy") == ["attached"]
    assert names(Scope="Local", PolicyUsageFilter="PermissionsBoundary") == ["boundary"]
    assert names(PolicyUsageFilter="PermissionsBoundary", OnlyAttached=True) == []


def test_list_policies_filters_by_path_prefix_and_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for name, path in [("e", "/app/"), ("d", "/app/db/"), ("c", "/"), ("b", "/app/"), ("a", "/")]:
        make_policy(iam, name, Path=path)

    assert local_policy_names(iam, PathPrefix="/app/") == ["b", "d", "e"]
    assert local_policy_names(iam, PathPrefix="/app/db/") == ["d"]
    first = iam.list_policies(Scope="Local", MaxItems=2)
    second = iam.list_policies(Scope="Local", MaxItems=2, Marker=first["Marker"])
    third = iam.list_policies(Scope="Local", MaxItems=2, Marker=second["Marker"])
    pages = (first, second, third)
    assert [page["IsTruncated"] for page in pages] == [True, True, False]
    assert [p["PolicyName"] for page in pages for p in page["Policies"]] == list("abcde")
    assert [p["PolicyName"] for p in iam.list_policies(PathPrefix="/app/")["Policies"]] == [
        "b",
        "d",
        "e",
    ]


# ---------------------------------------------------------------------------------------
# Policy versions


def test_create_policy_version_adds_a_version_that_is_not_default(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        arn = make_policy(iam)["Arn"]
    with time_machine.travel(LATER, tick=False):
        created = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")))

    assert created["PolicyVersion"] == {
        "VersionId": "v2",
        "IsDefaultVersion": False,
        "CreateDate": LATER,
    }
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert (policy["DefaultVersionId"], policy["UpdateDate"]) == ("v1", MOMENT)
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert version["Document"] == allow("s3:*")
    assert version["IsDefaultVersion"] is False


def test_create_policy_version_as_default(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        arn = make_policy(iam)["Arn"]
    with time_machine.travel(LATER, tick=False):
        created = iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")), SetAsDefault=True
        )

    assert created["PolicyVersion"]["IsDefaultVersion"] is True
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert (policy["DefaultVersionId"], policy["UpdateDate"]) == ("v2", LATER)
    old = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert old["IsDefaultVersion"] is False


def test_create_policy_version_with_a_malformed_document(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]

    error = aws_error(lambda: iam.create_policy_version(PolicyArn=arn, PolicyDocument="nope"))

    assert error == malformed_policy("Syntax errors in policy.")
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 1


def test_a_policy_has_at_most_five_versions_and_ids_are_not_reused(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject")))

    error = aws_error(
        lambda: iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject"))
        )
    )

    assert error == (
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you "
        "must delete an existing version.",
        409,
    )
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    iam.delete_policy_version(PolicyArn=arn, VersionId="v3")
    created = iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject"))
    )
    assert created["PolicyVersion"]["VersionId"] == "v6"


def test_list_policy_versions_newest_first_without_documents(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject")), SetAsDefault=True
    )
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject")))

    first = iam.list_policy_versions(PolicyArn=arn, MaxItems=2)
    second = iam.list_policy_versions(PolicyArn=arn, MaxItems=2, Marker=first["Marker"])

    versions = first["Versions"] + second["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v3", False),
        ("v2", True),
        ("v1", False),
    ]
    assert all("Document" not in v for v in versions)
    aws = iam.list_policy_versions(PolicyArn=POWER_USER_ACCESS)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in aws] == [("v12", True)]


def test_set_default_policy_version(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        arn = make_policy(iam)["Arn"]
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:*")))

    with time_machine.travel(LATER, tick=False):
        iam.set_default_policy_version(PolicyArn=arn, VersionId="v2")

    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert (policy["DefaultVersionId"], policy["UpdateDate"]) == ("v2", LATER)
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"


def test_the_default_version_cannot_be_deleted(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]
    iam.create_policy_version(
        PolicyArn=arn, PolicyDocument=json.dumps(allow("s3:GetObject")), SetAsDefault=True
    )

    error = aws_error(lambda: iam.delete_policy_version(PolicyArn=arn, VersionId="v2"))

    assert error == ("DeleteConflict", "Cannot delete the default version of a policy.", 409)
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v2"]


@pytest.mark.parametrize(
    "operation", ["get_policy_version", "set_default_policy_version", "delete_policy_version"]
)
def test_unknown_versions_are_no_such_entity(sts_mock: MockSTS, operation: str) -> None:
    iam = boto3.client("iam")
    arn = make_policy(iam)["Arn"]

    error = aws_error(lambda: getattr(iam, operation)(PolicyArn=arn, VersionId="v7"))

    assert error == (
        "NoSuchEntity",
        f"Policy {arn} version v7 does not exist or is not attachable.",
        404,
    )
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v1"


def test_unknown_version_of_an_aws_managed_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: iam.get_policy_version(PolicyArn=POWER_USER_ACCESS, VersionId="v1"))

    assert error == (
        "NoSuchEntity",
        f"Policy {POWER_USER_ACCESS} version v1 does not exist or is not attachable.",
        404,
    )


# ---------------------------------------------------------------------------------------
# Attachments


@pytest.mark.parametrize("kind", KINDS)
def test_attach_list_and_detach_managed_policies(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    mine = make_policy(iam, "mine", Path="/app/")["Arn"]

    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=POWER_USER_ACCESS)
    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=mine)
    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=mine)  # changes nothing

    listed = call(iam, "list_attached_{kind}_policies", kind, "subject")["AttachedPolicies"]
    assert listed == [
        {"PolicyName": "PowerUserAccess", "PolicyArn": POWER_USER_ACCESS},
        {"PolicyName": "mine", "PolicyArn": mine},
    ]
    assert attached_arns(iam, kind, "subject", PathPrefix="/app/") == [mine]
    assert iam.get_policy(PolicyArn=mine)["Policy"]["AttachmentCount"] == 1

    call(iam, "detach_{kind}_policy", kind, "subject", PolicyArn=POWER_USER_ACCESS)
    assert attached_arns(iam, kind, "subject") == [mine]


@pytest.mark.parametrize("kind", KINDS)
def test_attach_an_unknown_policy_is_no_such_entity(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"

    error = aws_error(lambda: call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arn))

    assert error == not_attachable(arn)
    assert attached_arns(iam, kind, "subject") == []


@pytest.mark.parametrize("kind", KINDS)
def test_detach_a_policy_that_is_not_attached(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=POWER_USER_ACCESS)

    for arn in (ADMINISTRATOR_ACCESS, f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"):
        detach = partial(call, iam, "detach_{kind}_policy", kind, "subject", PolicyArn=arn)
        error = aws_error(detach)
        assert error == ("NoSuchEntity", f"Policy {arn} was not found.", 404)
    assert attached_arns(iam, kind, "subject") == [POWER_USER_ACCESS]


@pytest.mark.parametrize("kind", KINDS)
def test_at_most_ten_managed_policies_per_entity(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    arns = [make_policy(iam, f"p{i}")["Arn"] for i in range(11)]
    for arn in arns[:10]:
        call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arn)

    error = aws_error(
        lambda: call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arns[10])
    )

    assert error == ("LimitExceeded", f"Cannot exceed quota for PoliciesPer{kind.title()}: 10", 409)
    assert attached_arns(iam, kind, "subject") == arns[:10]
    call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arns[0])  # already there


@pytest.mark.parametrize("kind", KINDS)
def test_list_attached_policies_paginates(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    make_entity(iam, kind, "subject")
    arns = [make_policy(iam, f"p{i}")["Arn"] for i in range(5)]
    for arn in arns:
        call(iam, "attach_{kind}_policy", kind, "subject", PolicyArn=arn)

    first = call(iam, "list_attached_{kind}_policies", kind, "subject", MaxItems=3)
    second = call(
        iam, "list_attached_{kind}_policies", kind, "subject", MaxItems=3, Marker=first["Marker"]
    )

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    listed = first["AttachedPolicies"] + second["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in listed] == arns


def test_the_built_in_admin_attaches_administrator_access(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    listed = iam.list_attached_user_policies(UserName="admin")["AttachedPolicies"]

    assert listed == [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMINISTRATOR_ACCESS}]


# ---------------------------------------------------------------------------------------
# User permissions boundaries


def test_create_user_with_an_unknown_boundary_is_no_such_entity(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"

    error = aws_error(lambda: iam.create_user(UserName="bob", PermissionsBoundary=arn))

    assert error == unknown_boundary(arn)
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin"]


def test_put_and_delete_user_permissions_boundary(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    arn = make_policy(iam)["Arn"]

    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=arn)
    assert iam.get_user(UserName="bob")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": arn,
    }

    missing = f"arn:aws:iam::{ACCOUNT_ID}:policy/missing"
    error = aws_error(
        lambda: iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=missing)
    )
    assert error == unknown_boundary(missing)
    boundary = iam.get_user(UserName="bob")["User"]["PermissionsBoundary"]
    assert boundary["PermissionsBoundaryArn"] == arn

    iam.delete_user_permissions_boundary(UserName="bob")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]


# ---------------------------------------------------------------------------------------
# What the STS side reads


def test_identity_policies_of_a_user_include_its_groups(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="devs")
    iam.add_user_to_group(GroupName="devs", UserName="bob")
    mine = make_policy(iam, document=allow("s3:ListBucket"))["Arn"]
    put(iam, "user", "bob", "own", allow("s3:GetObject"))
    iam.attach_user_policy(UserName="bob", PolicyArn=mine)
    put(iam, "group", "devs", "shared", allow("s3:PutObject"))
    iam.attach_group_policy(GroupName="devs", PolicyArn=POWER_USER_ACCESS)
    # The STS side reads entities from the state.
    account = sts_mock._require_backend().account(ACCOUNT_ID)
    bob = account.user("bob")
    assert bob is not None

    policies = [policy for _, policy in _access.identity_policies(bob)]

    assert [json.loads(p.text)["Statement"][0].get("Action") for p in policies] == [
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        None,  # PowerUserAccess starts with a NotAction statement
    ]
    power_user = iam.get_policy_version(PolicyArn=POWER_USER_ACCESS, VersionId="v12")
    assert json.loads(policies[3].text) == power_user["PolicyVersion"]["Document"]
    # An attachment IAM never checked (state written directly) is skipped.
    bob.attached_policies.append(f"arn:aws:iam::{ACCOUNT_ID}:policy/never-created")
    assert len(_access.identity_policies(bob)) == 4


def test_identity_policies_of_a_role(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    make_entity(iam, "role", "runner")
    put(iam, "role", "runner", "own", allow("s3:GetObject"))
    iam.attach_role_policy(RoleName="runner", PolicyArn=ADMINISTRATOR_ACCESS)
    role = sts_mock._require_backend().account(ACCOUNT_ID).role("runner")
    assert role is not None

    policies = [policy for _, policy in _access.identity_policies(role)]

    assert [json.loads(p.text) for p in policies] == [allow("s3:GetObject"), allow("*")]
