"""Fixtures for testing code that trades long-term keys plus an MFA code for a session."""

from __future__ import annotations

import pytest

from mock_sts import MockSTS, User


@pytest.fixture
def operator(sts_mock: MockSTS) -> User:
    """An IAM user with long-term keys, as a human operator has."""
    return sts_mock.create_user("operator", path="/humans/", tags={"team": "platform"})
