"""Code under test: a deploy tool's AssumeRole into the target account.

With moto, the call succeeds without the ExternalId. Here the trust policy's condition
decides, as on AWS.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import Role, User


def assume_deploy_role(user: User, role: Role, **extra: str) -> str:
    sts = boto3.client("sts", region_name="us-east-1", **user.credentials.as_boto3())
    session = sts.assume_role(RoleArn=role.arn, RoleSessionName="deploy", **extra)
    return str(session["AssumedRoleUser"]["Arn"])


def test_without_the_external_id_the_role_refuses(ci_user: User, deploy_role: Role) -> None:
    with pytest.raises(ClientError) as error:  # moto: succeeds
        assume_deploy_role(ci_user, deploy_role)
    assert error.value.response["Error"]["Code"] == "AccessDenied"


def test_with_the_external_id_the_tool_deploys(ci_user: User, deploy_role: Role) -> None:
    arn = assume_deploy_role(ci_user, deploy_role, ExternalId="x-123")
    assert arn == "arn:aws:sts::222222222222:assumed-role/deploy/deploy"
