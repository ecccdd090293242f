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
