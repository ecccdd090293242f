"""Fixtures for a mobile app's backend: a Cognito user pool signs users in, an identity pool
vends them AWS credentials, and each signed-in user may touch only their own prefix of the
photos bucket (moto serves S3; mock_sts serves Cognito and decides every S3 request).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from mock_sts import IdentityPool, MockSTS, UserPool, mock_sts


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with mock_aws(), mock_sts() as sts:
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="photos")
        yield sts


@pytest.fixture
def users(aws: MockSTS) -> UserPool:
    """The app's user pool: its ID tokens are what the app holds after sign-in."""
    return aws.user_pool()


@pytest.fixture
def app_policy() -> dict[str, Any]:
    """The signed-in users' role policy, as the deployment declares it."""
    document: dict[str, Any] = json.loads((Path(__file__).parent / "policy.json").read_text())
    return document


@pytest.fixture
def identity_pool(aws: MockSTS, users: UserPool, app_policy: dict[str, Any]) -> IdentityPool:
    """The app's identity pool: signed-in users get the policy above; guests get a role
    that may only read the public prefix."""
    public = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::photos/public/*",
            }
        ],
    }
    return aws.identity_pool(
        "photos",
        user_pool=users,
        authenticated_policies={"photos": app_policy},
        unauthenticated_policies={"public": public},
    )
