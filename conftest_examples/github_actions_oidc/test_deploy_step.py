"""Code under test: the credentials step of a deploy workflow.

It does what aws-actions/configure-aws-credentials does: an unsigned
AssumeRoleWithWebIdentity with the job's OIDC token. The token here is a real signed JWT,
and the role's trust policy decides which repository and branch may deploy.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_sts import OIDCProvider, Role


def configure_credentials(role_arn: str, token: str, duration: int = 3600) -> dict[str, Any]:
    """The step: credentials for the rest of the job, as boto3 client keyword arguments."""
    sts = boto3.client("sts", region_name="us-east-1", config=Config(signature_version=UNSIGNED))
    credentials = sts.assume_role_with_web_identity(
        RoleArn=role_arn,
        RoleSessionName="GitHubActions",
        WebIdentityToken=token,
        DurationSeconds=duration,
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def job_token(github: OIDCProvider, ref: str = "refs/heads/main", **claims: Any) -> str:
    """The token a job of octo-org/app gets, with the claims GitHub puts in it."""
    return github.token(
        sub=f"repo:octo-org/app:ref:{ref}",
        repository="octo-org/app",
        ref=ref,
        workflow="deploy",
        **claims,
    )


def test_main_branch_deploys(github: OIDCProvider, deploy_role: Role) -> None:
    keys = configure_credentials(deploy_role.arn, job_token(github))
    arn = boto3.client("sts", region_name="us-east-1", **keys).get_caller_identity()["Arn"]
    assert arn == "arn:aws:sts::123456789012:assumed-role/gha-deploy/GitHubActions"


@pytest.mark.parametrize("ref", ["refs/heads/feature-x", "refs/pull/7/merge", "refs/tags/v1"])
def test_other_refs_may_not_deploy(github: OIDCProvider, deploy_role: Role, ref: str) -> None:
    with pytest.raises(ClientError) as error:
        configure_credentials(deploy_role.arn, job_token(github, ref))
    assert error.value.response["Error"] == {
        "Type": "Sender",
        "Code": "AccessDenied",
        "Message": "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    }


def test_a_token_for_another_audience_is_refused(github: OIDCProvider, deploy_role: Role) -> None:
    with pytest.raises(ClientError) as error:
        configure_credentials(deploy_role.arn, job_token(github, aud="https://github.com/octo-org"))
    assert error.value.response["Error"]["Message"] == "Incorrect token audience"


def test_session_length_is_bounded_by_the_role(github: OIDCProvider, deploy_role: Role) -> None:
    configure_credentials(deploy_role.arn, job_token(github), duration=7200)
    with pytest.raises(ClientError) as error:
        configure_credentials(deploy_role.arn, job_token(github), duration=10800)
    assert error.value.response["Error"]["Code"] == "ValidationError"
