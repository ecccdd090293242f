"""Fixtures for a suite that already uses moto: mock_sts takes over STS and IAM only.

Activate both, in either order. moto keeps serving every other service (S3 here); STS and
IAM calls, wherever they come from, are answered by mock_sts while it is active.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from mock_sts import MockSTS, mock_sts


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto for the services, mock_sts for the identities."""
    with mock_aws(), mock_sts() as sts:
        yield sts
