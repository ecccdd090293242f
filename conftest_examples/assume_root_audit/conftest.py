"""Fixtures for testing a tool that audits member accounts' root users through AssumeRoot."""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, Organization

MANAGEMENT = "111111111111"
MEMBERS = ("222222222222", "333333333333")


@pytest.fixture
def organization(sts_mock: MockSTS) -> Organization:
    """An organization with centralized root access enabled; one member's root has a key."""
    org = sts_mock.organization(MANAGEMENT, list(MEMBERS))
    org.enable_root_access()
    sts_mock.root_credentials(MEMBERS[0])
    return org
