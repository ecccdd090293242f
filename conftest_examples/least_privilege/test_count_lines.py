"""Code under test: a Lambda-style handler that counts the lines of an uploaded object and
records the count in DynamoDB, with the credentials Lambda gives it.

The tests prove three things offline: the function works with exactly the policy it is
deployed with; it cannot do what that policy does not allow, refused as AWS refuses it; and
the deployed policy asks for nothing more than the function needs (mock_sts writes the
least-privilege policy from the same run and it must equal the deployed one).
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Count the lines of s3://<bucket>/<key> and store the count under the key."""
    body = boto3.client("s3").get_object(Bucket=event["bucket"], Key=event["key"])["Body"].read()
    lines = body.count(b"\n")
    boto3.client("dynamodb").put_item(
        TableName=event.get("table", "line-counts"),
        Item={"key": {"S": event["key"]}, "lines": {"N": str(lines)}},
    )
    return {"lines": lines}


def upload(aws: MockSTS, key: str, body: bytes) -> None:
    """The upload that triggers the function, made by the test as the account's admin."""
    s3 = boto3.client("s3", region_name="us-east-1", **aws.admin_credentials().as_boto3())
    s3.put_object(Bucket="uploads", Key=key, Body=body)


@pytest.fixture
def uploaded(aws: MockSTS) -> dict[str, str]:
    upload(aws, "incoming/report.csv", b"a,b\n1,2\n3,4\n")
    return {"bucket": "uploads", "key": "incoming/report.csv"}


def test_the_function_works_with_its_deployed_policy(
    uploaded: dict[str, str], lambda_environment: MockSTS
) -> None:
    assert handler(uploaded, None) == {"lines": 3}
    assert lambda_environment.denials == ()


def test_the_deployed_policy_is_least_privilege(
    uploaded: dict[str, str], lambda_environment: MockSTS, deployed_policy: dict[str, Any]
) -> None:
    handler(uploaded, None)
    role = f"arn:aws:iam::{lambda_environment.account_id}:role/count-lines"
    # Narrowed to the objects it read; the deployment allows a prefix of them.
    needed = lambda_environment.required_policy(role)
    assert needed["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "dynamodb:PutItem",
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/line-counts",
        },
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::uploads/incoming/report.csv",
        },
    ]
    assert [s["Action"] for s in needed["Statement"]] == [
        s["Action"] for s in deployed_policy["Statement"]
    ]


def test_the_function_cannot_write_another_table(
    uploaded: dict[str, str], lambda_environment: MockSTS
) -> None:
    with pytest.raises(ClientError) as error:  # moto alone: succeeds
        handler({**uploaded, "table": "audit"}, None)

    assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    (denial,) = lambda_environment.denials
    assert denial.actions == ("dynamodb:PutItem",)
    assert denial.resources == ("arn:aws:dynamodb:us-east-1:123456789012:table/audit",)


def test_the_function_cannot_read_outside_its_prefix(lambda_environment: MockSTS) -> None:
    upload(lambda_environment, "private/salaries.csv", b"x\n")

    with pytest.raises(ClientError) as error:
        handler({"bucket": "uploads", "key": "private/salaries.csv"}, None)

    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert "s3:GetObject" in error.value.response["Error"]["Message"]
