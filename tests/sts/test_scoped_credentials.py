"""GetScopedCredentials: the calling session again, narrowed by scope-down policies and
perhaps shortened, never extended (botocore 1.44.7 and later)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
import time_machine

from mock_sts import MockSTS
from tests.helpers import aws_error, sts_client
from tests.helpers.assume_role import allow

ACCOUNT = "123456789012"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ACCOUNT},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
        }
    ],
}


@pytest.fixture
def role_session(sts_mock: MockSTS) -> dict[str, Any]:
    role = sts_mock.create_role(
        "worker", TRUST, managed_policy_arns=["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
    )
    with time_machine.travel(T0, tick=False):
        credentials: dict[str, Any] = boto3.client("sts", region_name="us-east-1").assume_role(
            RoleArn=role.arn, RoleSessionName="w1", SourceIdentity="alice"
        )["Credentials"]
    return credentials


def test_same_identity_narrower_permissions(sts_mock: MockSTS, role_session: Any) -> None:
    with time_machine.travel(T0, tick=False):
        scoped = sts_client(role_session).get_scoped_credentials(
            Policy=json.dumps(allow(["s3:GetObject"])), ScopedSessionDescription="read only"
        )
    assert scoped["SessionInfo"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/w1"
    assert scoped["SessionInfo"]["ScopedSessionId"].endswith(":w1")
    assert scoped["ScopedPoliciesCount"] == 1
    assert scoped["SourceIdentity"] == "alice"
    # Without DurationSeconds the calling session's expiry is kept.
    assert scoped["Credentials"]["Expiration"] == role_session["Expiration"]
    assert scoped["SessionTokenSize"] == len(scoped["Credentials"]["SessionToken"])
    assert 0 < scoped["SessionTokenUtilization"] <= 100
    key_id = scoped["Credentials"]["AccessKeyId"]
    assert sts_mock.evaluate(key_id, "s3:GetObject", "arn:aws:s3:::b/k")
    narrowed = sts_mock.evaluate(key_id, "s3:PutObject", "arn:aws:s3:::b/k")
    assert narrowed.reason == "scope-down policy 1 does not allow it"
    # A scope-down policy cannot grant what the session lacks.
    with time_machine.travel(T0, tick=False):
        wide = sts_client(role_session).get_scoped_credentials(Policy=json.dumps(allow(["*"])))
    assert not sts_mock.evaluate(wide["Credentials"]["AccessKeyId"], "iam:ListUsers", "*")


def test_layers_stack_up_to_three(sts_mock: MockSTS, role_session: Any) -> None:
    credentials = role_session
    with time_machine.travel(T0, tick=False):
        for layer, actions in enumerate(
            (("s3:Get*", "s3:List*"), ("s3:GetObject", "s3:ListBucket"), ("s3:GetObject",)),
            start=1,
        ):
            response = sts_client(credentials).get_scoped_credentials(
                Policy=json.dumps(allow(list(actions)))
            )
            assert response["ScopedPoliciesCount"] == layer
            credentials = response["Credentials"]
        key_id = credentials["AccessKeyId"]
        assert sts_mock.evaluate(key_id, "s3:GetObject", "*")
        assert not sts_mock.evaluate(key_id, "s3:ListBucket", "*")
        code, _, status = aws_error(
            lambda: sts_client(credentials).get_scoped_credentials(
                Policy=json.dumps(allow(["s3:GetObject"]))
            )
        )
        assert (code, status) == ("AccessDenied", 403)
        # Shortening without a new layer is still allowed.
        shorter = sts_client(credentials).get_scoped_credentials(DurationSeconds=60)
        assert shorter["ScopedPoliciesCount"] == 3


def test_durations_can_shorten_never_extend(role_session: Any) -> None:
    with time_machine.travel(T0 + dt.timedelta(minutes=30), tick=False):
        sts = sts_client(role_session)
        shorter = sts.get_scoped_credentials(DurationSeconds=600)
        assert shorter["Credentials"]["Expiration"] == T0 + dt.timedelta(minutes=40)
        assert aws_error(lambda: sts.get_scoped_credentials(DurationSeconds=1801)) == (
            "InsufficientSessionLifetime",
            "The requested DurationSeconds (1801) is greater than the remaining lifetime of "
            "the calling session (1800 seconds).",
            400,
        )


def test_token_size_can_be_raised(role_session: Any) -> None:
    with time_machine.travel(T0, tick=False):
        response = sts_client(role_session).get_scoped_credentials(
            DurationSeconds=900, MinimumSessionTokenSize=4096
        )
    assert response["SessionTokenSize"] >= 4096
    assert response["SessionTokenUtilization"] == 100


def test_refusals(sts_mock: MockSTS, role_session: Any) -> None:
    long_term = boto3.client("sts", region_name="us-east-1")
    assert aws_error(lambda: long_term.get_scoped_credentials(DurationSeconds=900)) == (
        "InvalidSubjectCredentials",
        "GetScopedCredentials needs temporary security credentials; long-term credentials "
        "cannot be scoped down.",
        400,
    )
    with time_machine.travel(T0, tick=False):
        sts = sts_client(role_session)
        assert aws_error(sts.get_scoped_credentials) == (
            "ValidationError",
            "A request must provide at least one of Policy or DurationSeconds.",
            400,
        )
        code, _, status = aws_error(
            lambda: sts.get_scoped_credentials(Policy='{"Version": "2012-10-17"}')
        )
        assert (code, status) == ("MalformedPolicyDocument", 400)
    with time_machine.travel(T0, tick=False):
        session_token = long_term.get_session_token()["Credentials"]
        global_sts = sts_client(session_token)
        global_client = boto3.client(
            "sts",
            region_name="us-east-1",
            endpoint_url="https://sts.amazonaws.com",
            aws_access_key_id=session_token["AccessKeyId"],
            aws_secret_access_key=session_token["SecretAccessKey"],
            aws_session_token=session_token["SessionToken"],
        )
        assert global_sts.get_scoped_credentials(DurationSeconds=60)["ScopedPoliciesCount"] == 0
        assert aws_error(lambda: global_client.get_scoped_credentials(DurationSeconds=60)) == (
            "ValidationError",
            "GetScopedCredentials is not available on the STS global endpoint "
            "sts.amazonaws.com: use a regional endpoint such as sts.us-east-1.amazonaws.com.",
            400,
        )
