"""Every AWS managed policy AWS publishes: attached, as a boundary, read with GetPolicy and
ListPolicies, in every partition; and the ones a test adds through the handle."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import boto3
import pytest

from mock_sts import MockSTS, _access, _aws_policies, mock_sts
from tests.helpers import aws_error, malformed_policy
from tests.helpers.assume_role import ACCOUNT, allow, assume, credentials_of, role_arn, trust

AWS = "arn:aws:iam::aws:policy/"
READ_ONLY = f"{AWS}ReadOnlyAccess"
LAMBDA_BASIC = f"{AWS}service-role/AWSLambdaBasicExecutionRole"
LAMBDA_BASIC_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "*",
        }
    ],
}


def iam_of(credentials: Any) -> Any:
    return boto3.client("iam", region_name="us-east-1", **credentials.as_boto3())


def denied(caller: str, action: str, resource: str, why: str) -> tuple[str, str, int]:
    return (
        "AccessDenied",
        f"User: {caller} is not authorized to perform: iam:{action} on resource: {resource}"
        f" because no {why} allows the iam:{action} action",
        403,
    )


def all_aws_policies(iam: Any, **kwargs: Any) -> list[dict[str, Any]]:
    pages = iam.get_paginator("list_policies").paginate(Scope="AWS", **kwargs)
    return [policy for page in pages for policy in page["Policies"]]


def test_read_only_access_attached_to_a_role_reads_and_does_not_write(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT)))
    iam.attach_role_policy(RoleName="auditor", PolicyArn=READ_ONLY)

    session = assume(sts_mock.admin_credentials(), role_arn("auditor"))
    reader = iam_of(credentials_of(session))

    assert reader.get_user(UserName="admin")["User"]["UserName"] == "admin"
    assert aws_error(lambda: reader.create_user(UserName="intruder")) == denied(
        f"arn:aws:sts::{ACCOUNT}:assumed-role/auditor/session",
        "CreateUser",
        f"arn:aws:iam::{ACCOUNT}:user/intruder",
        "identity-based policy",
    )


@pytest.mark.parametrize("kind", ["role", "user", "group"])
def test_a_service_role_policy_is_attached_by_its_full_arn(sts_mock: MockSTS, kind: str) -> None:
    iam = boto3.client("iam")
    if kind == "role":
        iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT)))
    else:
        getattr(iam, f"create_{kind}")(**{f"{kind.title()}Name": "fn"})
    named = {f"{kind.title()}Name": "fn"}

    getattr(iam, f"attach_{kind}_policy")(PolicyArn=LAMBDA_BASIC, **named)

    listing = getattr(iam, f"list_attached_{kind}_policies")
    expected = [{"PolicyName": "AWSLambdaBasicExecutionRole", "PolicyArn": LAMBDA_BASIC}]
    assert listing(**named)["AttachedPolicies"] == expected
    assert listing(PathPrefix="/service-role/", **named)["AttachedPolicies"] == expected
    assert listing(PathPrefix="/job-function/", **named)["AttachedPolicies"] == []
    assert iam.get_policy(PolicyArn=LAMBDA_BASIC)["Policy"]["AttachmentCount"] == 1
    # The name alone, at the root path, is not the policy.
    missing = f"{AWS}AWSLambdaBasicExecutionRole"
    assert aws_error(lambda: getattr(iam, f"attach_{kind}_policy")(PolicyArn=missing, **named)) == (
        "NoSuchEntity",
        f"Policy {missing} does not exist or is not attachable.",
        404,
    )


def test_get_policy_and_its_default_version(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    policy = iam.get_policy(PolicyArn=LAMBDA_BASIC)["Policy"]
    version = iam.get_policy_version(PolicyArn=LAMBDA_BASIC, VersionId="v1")["PolicyVersion"]

    assert policy["PolicyName"] == "AWSLambdaBasicExecutionRole"
    assert policy["Path"] == "/service-role/"
    assert policy["Arn"] == LAMBDA_BASIC
    assert policy["DefaultVersionId"] == "v1"
    assert policy["PolicyId"].startswith("ANPA")
    assert policy["CreateDate"].isoformat() == "2015-04-09T15:03:43+00:00"
    assert version["Document"] == LAMBDA_BASIC_DOCUMENT
    assert version["IsDefaultVersion"] is True
    # Versions in the hundreds, as AWS numbers them; only the default one is served.
    read_only = iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["DefaultVersionId"]
    assert int(read_only[1:]) > 100
    assert aws_error(lambda: iam.get_policy_version(PolicyArn=READ_ONLY, VersionId="v1")) == (
        "NoSuchEntity",
        f"Policy {READ_ONLY} version v1 does not exist or is not attachable.",
        404,
    )


def test_a_job_function_policy_as_a_permissions_boundary(sts_mock: MockSTS) -> None:
    view_only = f"{AWS}job-function/ViewOnlyAccess"
    bob = sts_mock.create_user("bob", managed_policy_arns=[f"{AWS}AdministratorAccess"])
    boto3.client("iam").put_user_permissions_boundary(UserName="bob", PermissionsBoundary=view_only)
    iam = iam_of(bob.credentials)

    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin", "bob"]
    assert aws_error(lambda: iam.create_user(UserName="carol")) == denied(
        bob.arn, "CreateUser", f"arn:aws:iam::{ACCOUNT}:user/carol", "permissions boundary"
    )
    user = boto3.client("iam").get_user(UserName="bob")["User"]
    assert user["PermissionsBoundary"]["PermissionsBoundaryArn"] == view_only


def test_list_policies_scope_aws_pages_through_every_one(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    shipped = len(_aws_policies.published())

    first = iam.list_policies(Scope="AWS")
    policies = all_aws_policies(iam, PaginationConfig={"PageSize": 250})

    assert shipped > 1000
    assert len(first["Policies"]) == 100
    assert first["IsTruncated"] is True
    assert len(policies) == len({p["Arn"] for p in policies}) == shipped
    assert policies[:100] == first["Policies"]
    assert [p["PolicyName"] for p in policies] == sorted(
        (p["PolicyName"] for p in policies), key=str.lower
    )
    names = {p["PolicyName"] for p in policies}
    assert {"ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit", "AWSDenyAll"} <= names
    assert {"AmazonDynamoDBFullAccess", "AWSLambdaBasicExecutionRole"} <= names


def test_list_policies_by_path_and_only_attached(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=LAMBDA_BASIC)

    job_functions = all_aws_policies(iam, PathPrefix="/job-function/")
    attached = all_aws_policies(iam, OnlyAttached=True)

    assert {p["Path"] for p in job_functions} == {"/job-function/"}
    assert {"ViewOnlyAccess", "SystemAdministrator"} <= {p["PolicyName"] for p in job_functions}
    assert [p["Arn"] for p in attached] == [f"{AWS}AdministratorAccess", LAMBDA_BASIC]
    assert attached[1]["AttachmentCount"] == 1


def test_root_task_policies_are_managed_policies_too(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    tasks = all_aws_policies(iam, PathPrefix="/root-task/")

    assert sorted(p["PolicyName"] for p in tasks) == sorted(_aws_policies.ROOT_TASK_POLICIES)
    assert len(_aws_policies.ROOT_TASK_POLICIES) == 5
    arn = f"{AWS}root-task/IAMAuditRootUserCredentials"
    document = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"]
    assert document == json.loads(_aws_policies.ROOT_TASK_POLICIES["IAMAuditRootUserCredentials"])


@pytest.mark.parametrize(
    ("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]
)
def test_aws_managed_policies_in_every_partition(region: str, partition: str) -> None:
    with mock_sts(region=region):
        iam = boto3.client("iam", region_name=region)
        arn = f"arn:{partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        iam.create_user(UserName="bob")

        iam.attach_user_policy(UserName="bob", PolicyArn=arn)

        assert iam.get_policy(PolicyArn=arn)["Policy"]["Arn"] == arn
        assert all_aws_policies(iam, OnlyAttached=True)[1]["Arn"] == arn
        assert aws_error(lambda: iam.get_policy(PolicyArn=LAMBDA_BASIC)) == (
            "NoSuchEntity",
            f"Policy {LAMBDA_BASIC} does not exist or is not attachable.",
            404,
        )


@pytest.mark.slow
def test_every_shipped_document_is_one_iam_accepts() -> None:
    for policy in _aws_policies.published().values():
        _access.parse(policy.document)


@pytest.mark.slow
def test_the_data_is_read_only_when_a_policy_is_first_looked_up() -> None:
    probe = (
        "import sys, mock_sts\n"
        "assert 'mock_sts._aws_policies' not in sys.modules\n"
        "from mock_sts import _aws_policies\n"
        "assert _aws_policies.published.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


# ---------------------------------------------------------------------------------------
# Policies a test adds


def test_an_added_policy_is_served_and_gone_in_the_next_mock() -> None:
    document = allow("logs:*")
    with mock_sts() as sts:
        arn = sts.add_aws_managed_policy("TeamLogs", document, description="logs")
        iam = boto3.client("iam")
        bob = sts.create_user("bob", managed_policy_arns=[arn])

        assert arn == f"{AWS}TeamLogs"
        policy = iam.get_policy(PolicyArn=arn)["Policy"]
        assert (policy["Path"], policy["DefaultVersionId"], policy["Description"]) == (
            "/",
            "v1",
            "logs",
        )
        assert iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"][
            "Document"
        ] == (document)
        assert arn in [p["Arn"] for p in all_aws_policies(iam, OnlyAttached=True)]
        assert sts.evaluate(bob.arn, "logs:PutLogEvents", "*").allowed
        # AWS's own policies cannot be changed through IAM, added ones neither.
        assert aws_error(lambda: iam.delete_policy(PolicyArn=arn))[0] == "AccessDenied"
    with mock_sts():
        iam = boto3.client("iam")
        assert aws_error(lambda: iam.get_policy(PolicyArn=arn)) == (
            "NoSuchEntity",
            f"Policy {arn} does not exist or is not attachable.",
            404,
        )


def test_a_newer_version_of_a_shipped_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    shipped = iam.get_policy(PolicyArn=READ_ONLY)["Policy"]
    iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT)))
    iam.attach_role_policy(RoleName="auditor", PolicyArn=READ_ONLY)
    newer = f"v{int(shipped['DefaultVersionId'][1:]) + 1}"

    arn = sts_mock.add_aws_managed_policy("ReadOnlyAccess", allow("s3:Get*"))

    assert arn == READ_ONLY
    policy = iam.get_policy(PolicyArn=READ_ONLY)["Policy"]
    assert policy["DefaultVersionId"] == newer
    assert (policy["PolicyId"], policy["CreateDate"]) == (
        shipped["PolicyId"],
        shipped["CreateDate"],
    )
    versions = iam.list_policy_versions(PolicyArn=READ_ONLY)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        (newer, True),
        (shipped["DefaultVersionId"], False),
    ]
    # The role that attached it reads S3 and no longer IAM.
    role = role_arn("auditor")
    assert sts_mock.evaluate(role, "s3:GetObject", "arn:aws:s3:::b/k").allowed
    assert not sts_mock.evaluate(role, "iam:GetUser", "*").allowed

    again = sts_mock.add_aws_managed_policy("ReadOnlyAccess", allow("s3:*"), version_id="v900")
    assert again == READ_ONLY
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["DefaultVersionId"] == "v900"
    assert len(iam.list_policy_versions(PolicyArn=READ_ONLY)["Versions"]) == 3
    sts_mock.add_aws_managed_policy("ReadOnlyAccess", allow("s3:*"))
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["DefaultVersionId"] == "v901"


def test_a_newer_version_keeps_the_path_and_the_description(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    arn = sts_mock.add_aws_managed_policy(
        "AWSLambdaBasicExecutionRole", json.dumps(allow("logs:*")), path="/service-role/"
    )
    admin = sts_mock.add_aws_managed_policy("AdministratorAccess", allow("*"))

    assert arn == LAMBDA_BASIC
    assert iam.get_policy(PolicyArn=LAMBDA_BASIC)["Policy"]["DefaultVersionId"] == "v2"
    assert iam.get_policy(PolicyArn=admin)["Policy"]["Description"] == (
        "Provides full access to AWS services and resources."
    )
    with pytest.raises(ValueError, match="is at path '/service-role/'") as raised:
        sts_mock.add_aws_managed_policy("AWSLambdaBasicExecutionRole", allow("*"), path="/")
    assert str(raised.value) == (
        "The AWS managed policy AWSLambdaBasicExecutionRole is at path '/service-role/', and "
        "a newer version stays there: leave path out or pass '/service-role/', not '/'."
    )


def test_an_added_policy_at_a_path_and_in_another_partition() -> None:
    with mock_sts(region="cn-north-1") as sts:
        arn = sts.add_aws_managed_policy("Mine", allow("s3:*"), path="/team/")
        iam = boto3.client("iam", region_name="cn-north-1")

        assert arn == "arn:aws-cn:iam::aws:policy/team/Mine"
        assert [p["Arn"] for p in all_aws_policies(iam, PathPrefix="/team/")] == [arn]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "Syntax errors in policy."),
        (
            {
                "Version": "2012-10-17",
                "Statement": [{**allow("s3:*")["Statement"][0], "Principal": "*"}],
            },
            "Policy document should not specify a principal.",
        ),
        (
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*"}],
            },
            "Policy statement must contain resources.",
        ),
    ],
)
def test_an_added_document_is_checked_as_iam_checks_it(
    sts_mock: MockSTS, document: Any, message: str
) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as raised:
        sts_mock.add_aws_managed_policy("Broken", document)

    error = raised.value.response
    assert (
        error["Error"]["Code"],
        error["Error"]["Message"],
        error["ResponseMetadata"]["HTTPStatusCode"],
    ) == malformed_policy(message)
    assert raised.value.operation_name == "CreatePolicy"
    assert aws_error(lambda: boto3.client("iam").get_policy(PolicyArn=f"{AWS}Broken"))[0] == (
        "NoSuchEntity"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"name": "bad name"}, "name must be a policy name of 1 to 128 letters"),
        ({"name": "x" * 129}, "name must be a policy name"),
        ({"name": 7}, "name must be a policy name"),
        ({"path": "team"}, "path must begin and end with /"),
        ({"path": "/" + "a" * 511 + "/"}, "path must begin and end with /"),
        ({"path": 1}, "path must begin and end with /"),
        ({"version_id": "1"}, "version_id must be v1, v2, ..."),
        ({"version_id": "v0"}, "version_id must be v1, v2, ..."),
        ({"version_id": 2}, "version_id must be v1, v2, ..."),
        ({"description": "d" * 1001}, "description must be a string of at most 1000"),
        ({"description": 5}, "description must be a string of at most 1000"),
    ],
)
def test_misuse_of_add_aws_managed_policy(
    sts_mock: MockSTS, arguments: dict[str, Any], message: str
) -> None:
    call: dict[str, Any] = {"name": "Mine", "document": allow("s3:*"), **arguments}
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        sts_mock.add_aws_managed_policy(**call)
