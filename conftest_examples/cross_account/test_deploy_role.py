"""A deploy tool assumes a role in another account, which demands an ExternalId.

The role's account trusts the tool's whole account, so the tool's user also needs an
identity policy allowing sts:AssumeRole on the role: cross-account calls need both sides.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


def test_deploy_role(sts_mock: Any) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "111111111111"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "x-123"}},
            }
        ],
    }
    role = sts_mock.create_role("deploy", trust, account_id="222222222222")
    ci = sts_mock.create_user(
        "ci",
        account_id="111111111111",
        policies={
            "assume": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role.arn}
                ],
            }
        },
    )
    sts = boto3.client("sts", region_name="us-east-1", **ci.credentials.as_boto3())

    with pytest.raises(ClientError) as error:  # moto: succeeds
        sts.assume_role(RoleArn=role.arn, RoleSessionName="deploy")
    assert error.value.response["Error"]["Code"] == "AccessDenied"

    session = sts.assume_role(RoleArn=role.arn, RoleSessionName="deploy", ExternalId="x-123")
    assert session["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/deploy/deploy"
    )
