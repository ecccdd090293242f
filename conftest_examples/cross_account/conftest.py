"""Fixtures for a deploy tool that assumes a role in another account with an ExternalId.

The role's account trusts the tool's whole account, so the tool's user also needs an
identity policy allowing sts:AssumeRole on the role: cross-account calls need both sides.
"""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, Role, User

TOOL_ACCOUNT, TARGET_ACCOUNT = "111111111111", "222222222222"
EXTERNAL_ID = "x-123"


@pytest.fixture
def deploy_role(sts_mock: MockSTS) -> Role:
    """The target account's role, assumable by the tool's account with the ExternalId."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": TOOL_ACCOUNT},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
            }
        ],
    }
    return sts_mock.create_role("deploy", trust, account_id=TARGET_ACCOUNT)


@pytest.fixture
def ci_user(sts_mock: MockSTS, deploy_role: Role) -> User:
    """The tool's IAM user, allowed to assume the deploy role."""
    assume = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": deploy_role.arn}],
    }
    return sts_mock.create_user("ci", account_id=TOOL_ACCOUNT, policies={"assume": assume})
