"""Code under test: a release job that assumes a publisher role and uploads to S3.

With moto alone the job passes whatever role it names, and may write anywhere. Beside
mock_sts, the role must exist and trust the job's account, and the upload goes to moto's
S3 with the role's temporary credentials only where the role's policy lets it.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS

BUCKET = "releases"


def publish(role_arn: str, name: str, body: bytes, bucket: str = BUCKET) -> str:
    """What the job does: assume the role, upload, and report who uploaded."""
    credentials = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=role_arn, RoleSessionName="release"
    )["Credentials"]
    keys: dict[str, Any] = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }
    boto3.client("s3", region_name="us-east-1", **keys).put_object(
        Bucket=bucket, Key=name, Body=body
    )
    return str(boto3.client("sts", region_name="us-east-1", **keys).get_caller_identity()["Arn"])


def publisher_role(aws: MockSTS) -> str:
    """A role the job's account may assume, which may upload releases and nothing else."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": aws.account_id}, "Action": "sts:AssumeRole"}
        ],
    }
    uploads = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    return aws.create_role("publisher", trust, policies={"uploads": uploads}).arn


def test_publish_uploads_as_the_role(aws: MockSTS) -> None:
    role_arn = publisher_role(aws)
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)  # moto's S3

    uploader = publish(role_arn, "app-1.0.tar.gz", b"release")

    assert uploader == f"arn:aws:sts::{aws.account_id}:assumed-role/publisher/release"
    assert s3.get_object(Bucket=BUCKET, Key="app-1.0.tar.gz")["Body"].read() == b"release"


def test_publish_to_a_role_that_does_not_exist_fails(aws: MockSTS) -> None:
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)

    with pytest.raises(ClientError) as error:  # moto alone: succeeds
        publish(f"arn:aws:iam::{aws.account_id}:role/publisher", "app-1.0.tar.gz", b"release")

    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert (
        boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
    )


def test_the_role_cannot_upload_elsewhere(aws: MockSTS) -> None:
    role_arn = publisher_role(aws)
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="website")

    with pytest.raises(ClientError) as error:  # moto alone: succeeds
        publish(role_arn, "index.html", b"<html>", bucket="website")
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert s3.list_objects_v2(Bucket="website")["KeyCount"] == 0
