"""AssumeRole corners: MFA from role sessions, ProvidedContexts, policy ARN counts, deleted
roles, and what role sessions may ask IAM."""

from __future__ import annotations

import json
from typing import Any

import boto3
import botocore.config
import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, session_client
from tests.helpers.assume_role import MFA_UNKNOWN_DEVICE

ACCOUNT = "123456789012"
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ACCOUNT},
            "Action": ["sts:AssumeRole", "sts:SetContext"],
        }
    ],
}
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@pytest.fixture
def role(sts_mock: MockSTS) -> Any:
    return sts_mock.create_role("worker", TRUST_ACCOUNT, policies={"all": ALLOW_ALL})


@pytest.fixture
def session(role: Any) -> dict[str, Any]:
    sts = boto3.client("sts", region_name="us-east-1")
    response: dict[str, Any] = sts.assume_role(RoleArn=role.arn, RoleSessionName="first")
    return response


def test_a_role_session_has_no_mfa_device_to_offer(role: Any, session: dict[str, Any]) -> None:
    sts = session_client(session, "sts")
    call = lambda: sts.assume_role(  # noqa: E731
        RoleArn=role.arn,
        RoleSessionName="second",
        SerialNumber=f"arn:aws:iam::{ACCOUNT}:mfa/worker",
        TokenCode="123456",
    )
    assert aws_error(call) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_provided_contexts_need_set_context(sts_mock: MockSTS, role: Any) -> None:
    contexts = [
        {
            "ProviderArn": "arn:aws:iam::aws:contextProvider/IdentityCenter",
            "ContextAssertion": "assertion-text",
        }
    ]
    sts = boto3.client("sts", region_name="us-east-1")
    response = sts.assume_role(RoleArn=role.arn, RoleSessionName="ctx", ProvidedContexts=contexts)
    assert response["AssumedRoleUser"]["Arn"].endswith(":assumed-role/worker/ctx")
    narrow = sts_mock.create_role(
        "narrow",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    call = lambda: sts.assume_role(  # noqa: E731
        RoleArn=narrow.arn, RoleSessionName="ctx", ProvidedContexts=contexts
    )
    assert aws_error(call) == (
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT}:user/admin is not authorized to perform: "
        f"sts:SetContext on resource: {narrow.arn}",
        403,
    )


def test_at_most_ten_session_policy_arns(role: Any) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    arns = [{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}] * 11
    call = lambda: sts.assume_role(RoleArn=role.arn, RoleSessionName="s1", PolicyArns=arns)  # noqa: E731
    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
        "Member must have length less than or equal to 10",
        400,
    )


def test_a_deleted_role_leaves_its_sessions_without_permissions(
    sts_mock: MockSTS, role: Any, session: dict[str, Any]
) -> None:
    key_id = session["Credentials"]["AccessKeyId"]
    assert sts_mock.evaluate(key_id, "s3:GetObject", "arn:aws:s3:::b/k")
    iam = boto3.client("iam")
    iam.delete_role_policy(RoleName="worker", PolicyName="all")
    iam.delete_role(RoleName="worker")
    # The credentials still authenticate until they expire...
    identity = session_client(session, "sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/first"
    # ...but the role's policies went with it.
    decision = sts_mock.evaluate(key_id, "s3:GetObject", "arn:aws:s3:::b/k")
    assert decision.reason == "no identity-based policy allows s3:GetObject"


def test_role_sessions_must_name_the_user_for_iam(session: dict[str, Any]) -> None:
    iam = session_client(session, "iam")
    assert aws_error(iam.get_user) == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )
    assert iam.get_user(UserName="admin")["User"]["UserName"] == "admin"


def test_session_policy_with_a_single_statement_object(role: Any) -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"},
        }
    )
    response = sts.assume_role(RoleArn=role.arn, RoleSessionName="one", Policy=policy)
    assert 1 <= response["PackedPolicySize"] < 100


def test_evaluate_names_what_it_cannot_find(sts_mock: MockSTS) -> None:
    with pytest.raises(LookupError, match="user/nobody"):
        sts_mock.evaluate(f"arn:aws:iam::{ACCOUNT}:user/nobody", "s3:GetObject", "*")


def test_a_boundary_that_no_longer_resolves_binds_nothing(sts_mock: MockSTS) -> None:
    # IAM refuses to delete a policy in use as a boundary; a state edited behind IAM's
    # back is the only way to get here, and it must not break evaluation.
    bob = sts_mock.create_user("bob", policies={"all": ALLOW_ALL})
    user = sts_mock._require_backend().account().user("bob")
    assert user is not None
    user.permissions_boundary = f"arn:aws:iam::{ACCOUNT}:policy/gone"
    assert sts_mock.evaluate(bob.arn, "s3:GetObject", "*")


def test_unknown_policy_arn_in_another_partition(role: Any) -> None:
    sts = boto3.client(
        "sts", region_name="us-east-1", config=botocore.config.Config(retries={"max_attempts": 1})
    )
    arn = "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess"
    call = lambda: sts.assume_role(  # noqa: E731
        RoleArn=role.arn, RoleSessionName="s1", PolicyArns=[{"arn": arn}]
    )
    assert aws_error(call) == (
        "ValidationError",
        f"Policy {arn} does not exist or is not attachable.",
        400,
    )
