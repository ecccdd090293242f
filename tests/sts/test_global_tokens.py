"""Session tokens from the global endpoint: version 1 tokens are valid only in regions
enabled by default, unless the account asks IAM for version 2 tokens."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from mock_sts import MockSTS
from tests.helpers import INVALID_TOKEN, aws_error

ACCOUNT = "123456789012"


def session_in(credentials: dict[str, Any], region: str) -> Any:
    return boto3.client(
        "sts",
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@pytest.fixture
def global_sts(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    client = boto3.client("sts", region_name="us-east-1")
    assert client.meta.endpoint_url == "https://sts.amazonaws.com"
    return client


def test_version_1_tokens_are_refused_in_opt_in_regions(sts_mock: MockSTS, global_sts: Any) -> None:
    credentials = global_sts.get_session_token()["Credentials"]
    assert aws_error(session_in(credentials, "ap-east-1").get_caller_identity) == INVALID_TOKEN
    arn = session_in(credentials, "eu-west-1").get_caller_identity()["Arn"]
    assert arn == f"arn:aws:iam::{ACCOUNT}:user/admin"


def test_version_2_tokens_are_valid_everywhere(sts_mock: MockSTS, global_sts: Any) -> None:
    boto3.client("iam").set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    credentials = global_sts.get_session_token()["Credentials"]
    assert session_in(credentials, "me-south-1").get_caller_identity()["Account"] == ACCOUNT


def test_regional_tokens_are_valid_everywhere(sts_mock: MockSTS) -> None:
    regional = boto3.client("sts", region_name="eu-west-1")
    credentials = regional.get_session_token()["Credentials"]
    assert session_in(credentials, "af-south-1").get_caller_identity()["Account"] == ACCOUNT


def test_role_sessions_follow_the_role_account_setting(sts_mock: MockSTS, global_sts: Any) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
    role = sts_mock.create_role("worker", trust)
    credentials = global_sts.assume_role(RoleArn=role.arn, RoleSessionName="w1")["Credentials"]
    assert aws_error(session_in(credentials, "il-central-1").get_caller_identity) == (INVALID_TOKEN)
