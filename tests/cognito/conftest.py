"""Fixtures the Cognito Identity tests share: a fake user pool, and Google's fake issuer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.helpers.identity_pools import GOOGLE

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider
    from mock_sts._cognito_handle import UserPool


@pytest.fixture
def users(sts_mock: MockSTS) -> UserPool:
    """A fake user pool with one app client."""
    return sts_mock.user_pool()


@pytest.fixture
def google(sts_mock: MockSTS) -> OIDCProvider:
    """Google's fake issuer (accounts.google.com)."""
    return sts_mock.builtin_provider(GOOGLE)
