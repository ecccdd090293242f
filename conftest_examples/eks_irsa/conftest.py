"""Fixtures for testing code that runs in an EKS pod with IAM roles for service accounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_sts import MockSTS, OIDCProvider, Role

CLUSTER_ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/5C4B3A2F1E0D9C8B7A6F5E4D3C2B1A09"
SERVICE_ACCOUNT = "system:serviceaccount:payments:api"


@pytest.fixture
def service_account() -> str:
    """The ``sub`` of the pod's projected service-account token."""
    return SERVICE_ACCOUNT


@pytest.fixture
def cluster(sts_mock: MockSTS) -> OIDCProvider:
    """The cluster's OIDC issuer, registered in IAM as eksctl or Terraform would do it."""
    return sts_mock.oidc_provider(CLUSTER_ISSUER)


@pytest.fixture
def pod_role(sts_mock: MockSTS, cluster: OIDCProvider) -> Role:
    """The role annotated on the service account, trusting only that service account."""
    issuer = CLUSTER_ISSUER.removeprefix("https://")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": cluster.arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{issuer}:sub": SERVICE_ACCOUNT,
                        f"{issuer}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }
    read_roles = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}],
    }
    return sts_mock.create_role("payments-api", trust, policies={"read-roles": read_roles})


@pytest.fixture
def pod(sts_mock: MockSTS, cluster: OIDCProvider, pod_role: Role) -> Iterator[Path]:
    """The pod's environment, as the EKS webhook sets it up; yields the projected token file."""
    token = cluster.token(sub=SERVICE_ACCOUNT)
    with sts_mock.web_identity_env(pod_role.arn, token, session_name="payments-api-7d9f") as path:
        yield path
