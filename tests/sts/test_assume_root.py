"""AssumeRoot through real boto3 clients (STS_REFERENCE §3, §4.4, §5.4)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config

from tests.helpers import aws_error, caller_identity, sts_client
from tests.helpers.assume_role import allow, credentials_of, document, statement, trust

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS, Organization

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
OTHER_MEMBER = "333333333333"
OUTSIDER = "444444444444"
AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
MEMBER_ROOT = f"arn:aws:iam::{MEMBER}:root"


@pytest.fixture
def org(sts_mock: MockSTS) -> Organization:
    organization = sts_mock.organization(MANAGEMENT, [MEMBER, OTHER_MEMBER])
    organization.enable_root_access()
    return organization


def assume_root(credentials: Credentials, target: str = MEMBER, **params: Any) -> Any:
    return sts_client(credentials, region="eu-west-1").assume_root(
        TargetPrincipal=target, TaskPolicyArn={"arn": params.pop("task", AUDIT)}, **params
    )


def root_denied(caller_arn: str, target: str = MEMBER_ROOT) -> tuple[str, str, int]:
    return (
        "AccessDenied",
        f"User: {caller_arn} is not authorized to perform: sts:AssumeRoot on resource: {target}",
        403,
    )


@pytest.mark.usefixtures("org")
def test_the_management_account_acts_as_a_member_root(sts_mock: MockSTS) -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    response = assume_root(sts_mock.admin_credentials(MANAGEMENT))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "SourceIdentity" not in response
    expiration = response["Credentials"]["Expiration"]
    assert before + dt.timedelta(seconds=900) <= expiration <= before + dt.timedelta(seconds=901)
    assert response["Credentials"]["AccessKeyId"].startswith("ASIA")
    root = sts_client(credentials_of(response), region="eu-west-1")
    assert caller_identity(root) == {"UserId": MEMBER, "Account": MEMBER, "Arn": MEMBER_ROOT}


@pytest.mark.usefixtures("org")
def test_the_target_may_be_the_root_arn_and_the_duration_is_0_to_900(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials(MANAGEMENT)
    response = assume_root(admin, MEMBER_ROOT, DurationSeconds=60)
    issued = dt.datetime.now(dt.timezone.utc)
    assert response["Credentials"]["Expiration"] <= issued + dt.timedelta(seconds=60)
    assume_root(admin, DurationSeconds=0)
    assert aws_error(lambda: assume_root(admin, DurationSeconds=901)) == (
        "ValidationError",
        "1 validation error detected: Value '901' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 900",
        400,
    )


@pytest.mark.usefixtures("org")
def test_the_session_is_limited_to_the_task_policy(sts_mock: MockSTS) -> None:
    root = credentials_of(assume_root(sts_mock.admin_credentials(MANAGEMENT)))
    assert sts_mock.evaluate(root, "iam:ListAccessKeys", MEMBER_ROOT).allowed
    assert not sts_mock.evaluate(root, "iam:DeleteAccessKey", MEMBER_ROOT).allowed
    assert not sts_mock.evaluate(root, "s3:GetObject", "arn:aws:s3:::bucket/key").allowed
    sts_mock.root_credentials(MEMBER)  # the member's root has a key to audit
    iam = boto3.client("iam", region_name="us-east-1", **root.as_boto3())
    keys = iam.list_access_keys()["AccessKeyMetadata"]
    assert len(keys) == 1
    code, _, status = aws_error(lambda: iam.delete_access_key(AccessKeyId=keys[0]["AccessKeyId"]))
    assert (code, status) == ("AccessDenied", 403)


@pytest.mark.usefixtures("org")
def test_each_task_policy_is_served(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials(MANAGEMENT)
    member_root = f"arn:aws:iam::{MEMBER}:root"
    cases = {
        "IAMCreateRootUserPassword": ("iam:CreateLoginProfile", member_root),
        "IAMDeleteRootUserCredentials": ("iam:DeleteAccessKey", member_root),
        "S3UnlockBucketPolicy": ("s3:DeleteBucketPolicy", "arn:aws:s3:::locked"),
        "SQSUnlockQueuePolicy": ("sqs:SetQueueAttributes", f"arn:aws:sqs:us-east-1:{MEMBER}:q"),
    }
    for name, (action, resource) in cases.items():
        task = f"arn:aws:iam::aws:policy/root-task/{name}"
        root = credentials_of(assume_root(admin, task=task))
        assert sts_mock.evaluate(root, action, resource).allowed
        # The task policies only deny: everything else, and their actions on other users.
        assert sts_mock.evaluate(root, "ec2:RunInstances", "*").explicit_deny
        if resource == member_root:
            other_user = f"arn:aws:iam::{MEMBER}:user/someone"
            assert sts_mock.evaluate(root, action, other_user).explicit_deny


@pytest.mark.usefixtures("org")
def test_other_task_policies_are_refused(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials(MANAGEMENT)
    for task in (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/root-task/NoSuchTask",
        "arn:aws-cn:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
    ):
        assert aws_error(functools.partial(assume_root, admin, task=task)) == (
            "ValidationError",
            f"TaskPolicyArn {task} is not one of the AWS managed root task policies "
            "(arn:aws:iam::aws:policy/root-task/<name>).",
            400,
        )


@pytest.mark.usefixtures("org")
def test_the_target_must_be_an_account(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials(MANAGEMENT)
    target = f"arn:aws:iam::{MEMBER}:user/admin"
    assert aws_error(lambda: assume_root(admin, target)) == (
        "ValidationError",
        f"TargetPrincipal {target} is neither an account id nor an account root ARN "
        "(arn:aws:iam::<account-id>:root).",
        400,
    )


@pytest.mark.usefixtures("org")
def test_the_global_endpoint_is_refused(sts_mock: MockSTS) -> None:
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url="https://sts.amazonaws.com",
        **sts_mock.admin_credentials(MANAGEMENT).as_boto3(),
    )
    assert aws_error(
        lambda: client.assume_root(TargetPrincipal=MEMBER, TaskPolicyArn={"arn": AUDIT})
    ) == (
        "ValidationError",
        "AssumeRoot is not available on the STS global endpoint sts.amazonaws.com: use a "
        "regional endpoint such as sts.us-east-1.amazonaws.com.",
        400,
    )


@pytest.mark.usefixtures("org")
def test_root_credentials_and_non_role_sessions_are_refused(sts_mock: MockSTS) -> None:
    root = sts_mock.root_credentials(MANAGEMENT)
    root_arn = f"arn:aws:iam::{MANAGEMENT}:root"
    assert aws_error(lambda: assume_root(root)) == root_denied(root_arn)
    admin = sts_mock.admin_credentials(MANAGEMENT)
    admin_arn = f"arn:aws:iam::{MANAGEMENT}:user/admin"
    session = credentials_of(sts_client(admin, region="eu-west-1").get_session_token())
    assert aws_error(lambda: assume_root(session)) == root_denied(admin_arn)
    member_root = credentials_of(assume_root(admin))
    assert aws_error(lambda: assume_root(member_root, OTHER_MEMBER)) == root_denied(
        MEMBER_ROOT, f"arn:aws:iam::{OTHER_MEMBER}:root"
    )


@pytest.mark.usefixtures("org")
def test_a_role_session_of_the_management_account_may_call_it(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role(
        "root-ops",
        trust(f"arn:aws:iam::{MANAGEMENT}:root"),
        account_id=MANAGEMENT,
        policies={
            "audit": document(
                statement(
                    "sts:AssumeRoot",
                    MEMBER_ROOT,
                    condition={"StringEquals": {"sts:TaskPolicyArn": AUDIT}},
                )
            )
        },
    )
    admin = sts_mock.admin_credentials(MANAGEMENT)
    session = credentials_of(
        sts_client(admin, region="eu-west-1").assume_role(RoleArn=role.arn, RoleSessionName="ops")
    )
    assert (
        caller_identity(sts_client(credentials_of(assume_root(session)), region="eu-west-1"))["Arn"]
        == MEMBER_ROOT
    )
    other = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"
    session_arn = f"arn:aws:sts::{MANAGEMENT}:assumed-role/root-ops/ops"
    assert aws_error(lambda: assume_root(session, task=other)) == root_denied(session_arn)
    assert aws_error(lambda: assume_root(session, OTHER_MEMBER)) == root_denied(
        session_arn, f"arn:aws:iam::{OTHER_MEMBER}:root"
    )


def test_only_the_management_account_or_delegated_administrator(
    sts_mock: MockSTS, org: Organization
) -> None:
    member_admin = sts_mock.admin_credentials(MEMBER)
    member_arn = f"arn:aws:iam::{MEMBER}:user/admin"
    other_root = f"arn:aws:iam::{OTHER_MEMBER}:root"
    assert aws_error(lambda: assume_root(member_admin, OTHER_MEMBER)) == root_denied(
        member_arn, other_root
    )
    org.register_delegated_administrator(MEMBER)
    assert caller_identity(
        sts_client(credentials_of(assume_root(member_admin, OTHER_MEMBER)), region="eu-west-1")
    )["Arn"] == (other_root)
    outsider = sts_mock.admin_credentials(OUTSIDER)
    assert aws_error(lambda: assume_root(outsider)) == root_denied(
        f"arn:aws:iam::{OUTSIDER}:user/admin"
    )


@pytest.mark.usefixtures("org")
def test_the_target_must_be_a_member(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials(MANAGEMENT)
    admin_arn = f"arn:aws:iam::{MANAGEMENT}:user/admin"
    for target in (MANAGEMENT, OUTSIDER):
        assert aws_error(functools.partial(assume_root, admin, target)) == root_denied(
            admin_arn, f"arn:aws:iam::{target}:root"
        )


def test_root_sessions_must_be_enabled(sts_mock: MockSTS, org: Organization) -> None:
    org.disable_root_access(credentials_management=False)
    assert aws_error(lambda: assume_root(sts_mock.admin_credentials(MANAGEMENT))) == (
        "AccessDenied",
        f"Centralized root access (RootSessions) is not enabled for organization {org.id}.",
        403,
    )


@pytest.mark.usefixtures("org")
def test_the_caller_needs_sts_assume_root(sts_mock: MockSTS) -> None:
    user = sts_mock.create_user(
        "ops", account_id=MANAGEMENT, policies={"sts": allow("sts:AssumeRole")}
    )
    assert aws_error(lambda: assume_root(user.credentials)) == root_denied(user.arn)


def test_parameters_are_validated_on_the_server(sts_mock: MockSTS) -> None:
    client = sts_client(
        sts_mock.admin_credentials(MANAGEMENT),
        region="eu-west-1",
        config=Config(parameter_validation=False),
    )
    code, message, status = aws_error(
        lambda: client.assume_root(TargetPrincipal="1", TaskPolicyArn={"arn": AUDIT})
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value '1' at 'targetPrincipal'")
