"""Code under test: a service that reports who it runs as and which roles it can see.

With moto, any token "works" and credentials never expire. Here the token must come from
the cluster's issuer, name the service account the role trusts, and be rotated in time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import MockSTS, OIDCProvider, Role

T0 = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.timezone.utc)


def whoami() -> str:
    """What the service logs at start-up: the identity boto3's default chain resolved."""
    arn: str = boto3.client("sts", region_name="eu-west-1").get_caller_identity()["Arn"]
    return arn


def visible_roles() -> list[str]:
    roles = boto3.client("iam", region_name="eu-west-1").list_roles()["Roles"]
    return [role["RoleName"] for role in roles]


def test_the_pod_runs_as_its_role(pod: Path) -> None:
    assert whoami() == "arn:aws:sts::123456789012:assumed-role/payments-api/payments-api-7d9f"
    assert visible_roles() == ["payments-api"]


def test_the_pod_may_only_do_what_its_role_allows(pod: Path) -> None:
    with pytest.raises(ClientError) as error:
        boto3.client("iam", region_name="eu-west-1").list_users()
    assert error.value.response["Error"]["Code"] == "AccessDenied"


def test_another_service_account_is_refused(
    sts_mock: MockSTS, cluster: OIDCProvider, pod_role: Role
) -> None:
    token = cluster.token(sub="system:serviceaccount:payments:batch")
    with sts_mock.web_identity_env(pod_role.arn, token), pytest.raises(ClientError) as error:
        whoami()
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert error.value.operation_name == "AssumeRoleWithWebIdentity"


def test_the_kubelet_rotates_the_token(
    sts_mock: MockSTS, cluster: OIDCProvider, pod_role: Role, service_account: str
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        token = cluster.token(sub=service_account, expires_in=3600)
        with sts_mock.web_identity_env(pod_role.arn, token) as token_file:
            session = boto3.Session(region_name="eu-west-1")
            assert "assumed-role/payments-api" in identity_of(session)
            # Hours later the first token has expired; the kubelet wrote a fresh one.
            clock.move_to(T0 + dt.timedelta(hours=3))
            token_file.write_text(cluster.token(sub=service_account))
            assert "assumed-role/payments-api" in identity_of(session)


def test_a_token_nobody_rotated_expires(
    sts_mock: MockSTS, cluster: OIDCProvider, pod_role: Role, service_account: str
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        token = cluster.token(sub=service_account, expires_in=3600)
        with sts_mock.web_identity_env(pod_role.arn, token):
            session = boto3.Session(region_name="eu-west-1")
            identity_of(session)
            clock.move_to(T0 + dt.timedelta(hours=3))
            with pytest.raises(ClientError) as error:
                identity_of(session)
    assert error.value.response["Error"]["Code"] == "ExpiredTokenException"


def identity_of(session: boto3.Session) -> str:
    arn: str = session.client("sts").get_caller_identity()["Arn"]
    return arn
