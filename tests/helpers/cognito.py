"""Set-up shared by the Cognito Identity tests: clients, and the clients an identity's
credentials make."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3

REGION = "us-east-1"


def cognito(region: str = REGION) -> Any:
    """A cognito-identity client: signed with the environment's keys where an operation is
    signed (the mock's, with ``set_env``), unsigned for the public operations."""
    return boto3.client("cognito-identity", region_name=region)


def client_of(service: str, answer: Mapping[str, Any], region: str = REGION) -> Any:
    """A client of ``service`` signing with the credentials of a GetCredentialsForIdentity
    answer (whose secret is ``SecretKey``)."""
    credentials = answer["Credentials"]
    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretKey"],
        aws_session_token=credentials["SessionToken"],
    )


def pool_trust(
    pool_id: str, amr: str | None = None, *, tag_session: bool = False
) -> dict[str, Any]:
    """A trust policy admitting the identities of one pool (``aud``), of one kind when ``amr``
    is given (``authenticated``, ``unauthenticated``), with sts:TagSession when asked."""
    condition: dict[str, Any] = {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id}}
    if amr is not None:
        condition["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": amr}
    actions = ["sts:AssumeRoleWithWebIdentity", *(["sts:TagSession"] if tag_session else [])]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": actions,
                "Condition": condition,
            }
        ],
    }
