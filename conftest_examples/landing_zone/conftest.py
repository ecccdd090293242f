"""Fixtures for landing-zone tooling: an organization whose member accounts were created
through Organizations, so each holds OrganizationAccountAccessRole trusting the management
account, and one account that was invited and holds no such role."""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, Organization

MANAGEMENT = "111111111111"
WORKLOADS = ("222222222222", "333333333333")
INVITED = "444444444444"


@pytest.fixture
def organization(sts_mock: MockSTS) -> Organization:
    org = sts_mock.organization(MANAGEMENT, WORKLOADS)
    org.add_member(INVITED, invited=True)
    return org
