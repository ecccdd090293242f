"""Fixtures for testing a deploy step that trades GitHub's OIDC token for AWS credentials."""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, OIDCProvider, Role

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
# Condition keys are named after the issuer URL without https://.
GITHUB = "token.actions.githubusercontent.com"


@pytest.fixture
def github(sts_mock: MockSTS) -> OIDCProvider:
    """GitHub's issuer, registered in IAM with the audience aws-actions uses."""
    return sts_mock.oidc_provider(GITHUB_ISSUER, client_ids=["sts.amazonaws.com"])


@pytest.fixture
def deploy_role(sts_mock: MockSTS, github: OIDCProvider) -> Role:
    """The role GitHub's documentation recommends: audience pinned, main branch only."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": github.arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                    "StringLike": {f"{GITHUB}:sub": "repo:octo-org/app:ref:refs/heads/main"},
                },
            }
        ],
    }
    return sts_mock.create_role("gha-deploy", trust, max_session_duration=7200)
