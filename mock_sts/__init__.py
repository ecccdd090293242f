"""Offline AWS STS (and the IAM it needs) for tests, behaving as AWS does."""

from mock_sts._activation import MockSTSWarning
from mock_sts._calls import Call, Check
from mock_sts._cognito_handle import IdentityPool, UserPool
from mock_sts._decision import Decision
from mock_sts._handles import (
    Credentials,
    InstanceProfile,
    MFADevice,
    OIDCProvider,
    Organization,
    OutboundIssuer,
    Role,
    SAMLProvider,
    User,
)
from mock_sts._mock import MockSTS, mock_sts

__version__ = "0.1.0"

__all__ = [
    "Call",
    "Check",
    "Credentials",
    "Decision",
    "IdentityPool",
    "InstanceProfile",
    "MFADevice",
    "MockSTS",
    "MockSTSWarning",
    "OIDCProvider",
    "Organization",
    "OutboundIssuer",
    "Role",
    "SAMLProvider",
    "User",
    "UserPool",
    "mock_sts",
]
