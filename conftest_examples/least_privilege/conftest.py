"""Fixtures for a least-privilege suite: moto serves S3 and DynamoDB, mock_sts decides who may
touch them, and the function's execution role carries exactly the policy it is deployed with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from mock_sts import Credentials, MockSTS, mock_sts


@pytest.fixture
def deployed_policy() -> dict[str, Any]:
    """The execution role's policy as the deployment declares it (the file the IaC reads)."""
    document: dict[str, Any] = json.loads((Path(__file__).parent / "policy.json").read_text())
    return document


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto's S3 and DynamoDB with the bucket and table the function uses."""
    with mock_aws(), mock_sts() as sts:
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="uploads")
        boto3.client("dynamodb", region_name="us-east-1").create_table(
            TableName="line-counts",
            KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield sts


def execution_role(sts: MockSTS, policy: dict[str, Any]) -> Credentials:
    """The credentials Lambda hands the function: a session of its execution role.

    In AWS the role trusts lambda.amazonaws.com; here the test plays Lambda, so the role also
    trusts the test's own account, which assumes it.
    """
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com", "AWS": sts.account_id},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = sts.create_role("count-lines", trust, policies={"function": policy})
    issued = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=role.arn, RoleSessionName="count-lines"
    )["Credentials"]
    return Credentials(
        issued["AccessKeyId"],
        issued["SecretAccessKey"],
        issued["SessionToken"],
        issued["Expiration"],
    )


@pytest.fixture
def lambda_environment(
    aws: MockSTS, deployed_policy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> MockSTS:
    """The environment Lambda gives the function: its execution role's keys, the region."""
    credentials = execution_role(aws, deployed_policy)
    for name, value in credentials.as_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # a fresh session reads them
    return aws
