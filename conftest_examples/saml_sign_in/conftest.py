"""Fixtures for testing a CLI that signs in to AWS with a SAML assertion from the company IdP."""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, Role, SAMLProvider


@pytest.fixture
def idp(sts_mock: MockSTS) -> SAMLProvider:
    """The company IdP, registered in IAM as SAML provider "Corp"."""
    return sts_mock.saml_provider("Corp", entity_id="https://idp.example.test/saml")


@pytest.fixture
def developer(sts_mock: MockSTS, idp: SAMLProvider) -> Role:
    """The role the IdP maps developers to: staff only, sign-in endpoint pinned."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": idp.arn},
                "Action": "sts:AssumeRoleWithSAML",
                "Condition": {
                    "StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"},
                    "ForAnyValue:StringEquals": {"saml:edupersonaffiliation": "staff"},
                },
            }
        ],
    }
    return sts_mock.create_role("developer", trust, max_session_duration=14400)
